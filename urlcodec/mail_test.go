package urlcodec

import "testing"

func TestJoinLines(t *testing.T) {
	tests := []struct {
		name, line, next string
		want             string // the joined lines; "" when the break is not rejoined
	}{
		{"number cut in two", "https://mysignins.microsoft.com/register?authMethods=19", "76&authMethodCount=1", "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"},
		{"Safe Links at 76 columns", "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysign", "ins.microsoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1&data=x", "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1&data=x"},
		{"inside the path", "Please open https://mysignins.microsoft.com/regis", "ter?authMethods=48&authMethodCount=1 today", "Please open https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1 today"},
		{"quoted reply", "> > https://mysignins.microsoft.com/register?authMethods=48&", "> > authMethodCount=1", "> > https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"},
		{"angle brackets", "<https://mysignins.microsoft.com/register?authMethods=", "48&authMethodCount=1>", "<https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1>"},
		{"CRLF", "https://mysignins.microsoft.com/register?authMethods=1\r\n", "976&authMethodCount=1\r\n", "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"},
		{"quoted-printable soft break", "https://mysignins.microsoft.com/register?authMethods=3D19=", "76&amp;authMethodCount=3D1", "https://mysignins.microsoft.com/register?authMethods=3D1976&amp;authMethodCount=3D1"},
		// Not a break inside a link.
		{"sentence after a link", "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", "Thanks, Anna", ""},
		{"space before the break", "https://mysignins.microsoft.com/register?authMethods=48 ", "76&authMethodCount=1", ""},
		{"a new link", "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", "https://mysignins.microsoft.com/register?authMethods=16", ""},
		{"other quote depth", "> https://mysignins.microsoft.com/register?authMethods=48&", "authMethodCount=1", ""},
		{"closed by >", "<https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1>", "x=1&y=2", ""},
		{"prose", "I could not register my phone", "yesterday=bad", ""},
		{"digits after a count", "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", "2 people asked", ""},
		{"a question after a link", "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", "legit??", ""},
		{"a percentage after a link", "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", "100% sure it is IT", ""},
		{"a link without a scheme after a link", "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", "mysignins.microsoft.com.evil.example/register?authMethods=48&authMethodCount=1", ""},
		{"a word after a mask", "https://mysignins.microsoft.com/register?authMethods=48", "ok?", ""},
		{"a word after a quoted-printable count", "https://mysignins.microsoft.com/register?authMethods=3D48&amp;authMethodCount=3D1", "why?", ""},
		{"a word after an encoded count", "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1", "why?", ""},
		{"a parameter after a count", "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", "&x=y", "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1&x=y"},
		{"typographic quote after a link", "She wrote „https://mysignins.microsoft.com/register?authMethods=1720&authMethodCount=1“—so.", "Link:https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", ""},
		{"empty next", "https://mysignins.microsoft.com/register?authMethods=", "", ""},
	}
	for _, tt := range tests {
		got, ok := JoinLines(tt.line, tt.next)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("%s: JoinLines(%q, %q) = %q, %v; want %q", tt.name, tt.line, tt.next, got, ok, tt.want)
		}
	}
}
