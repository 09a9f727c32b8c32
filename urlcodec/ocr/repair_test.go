package ocr

import (
	"slices"
	"testing"
)

// TestRepair pins each repair to what OCR was seen to read in the rendered
// scenes, and pins what must not be repaired: host letters, plain http,
// and a number whose last digit may be the '&'.
func TestRepair(t *testing.T) {
	const good = "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"
	for _, tc := range []struct {
		name, in, want string
		warnings       []string
		ambiguous      string
	}{
		{"clean", good, good, nil, ""},
		{"space after dot", "https://mysignins. microsoft.com/register?authMethods=1976&authMethodCount=1", good, []string{warnSpaces}, ""},
		{"space before dot", "https: //mysignins.microsoft .com/register?authMethods=1976&authMethodCount=1", good, []string{warnSpaces}, ""},
		{"comma for dot", "https://mysignins,microsoft.com/register?authMethods=1976&authMethodCount=1", good, []string{warnComma}, ""},
		{"2 for ?", "https://mysignins.microsoft.com/register2authMethods=1976&authMethodCount=1", good, []string{`read "2" after /register as '?'`}, ""},
		{"7 for ?", "https://mysignins.microsoft.com/register7authMethods=1976&authMethodCount=1", good, []string{`read "7" after /register as '?'`}, ""},
		{"L for 1", "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=L", good, []string{warnDigit1}, ""},
		{"? dropped", "https://mysignins.microsoft.com/registerauthMethods=1976&authMethodCount=1", good, []string{warnNoQuery}, ""},
		{"G for &", "https://mysignins.microsoft.com/register?authMethods=1976GauthMethodCount=1", good, []string{warnG}, ""},
		{"& dropped", "https://mysignins.microsoft.com/register?authMethods=1976authMethodCount=1", good, []string{warnNoAmp}, ""},
		{"spaces in query", "https://mysignins.microsoft.com/register? authMethods=1976& authMethodCount = 1", good, []string{warnSpaces}, ""},
		{"slash read as i", "hitps:/imysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", good,
			[]string{"read 'https:/i' as 'https://': check the first letter of the host against the image", `read the scheme "hitps" as "https"`}, ""},
		{"hittps", "[8 hittps://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", "[8 " + good, []string{`read the scheme "hittps" as "https"`}, ""},
		{"prose around", "Open 1) https://mysignins. microsoft.com/register?authMethods=1976&authMethodCount=1 now", "Open 1) " + good + " now", []string{warnSpaces}, ""},
		// Not repaired.
		{"8 may be the &", "https://mysignins.microsoft.com/register?authMethods=19768authMethodCount=1",
			"https://mysignins.microsoft.com/register?authMethods=19768authMethodCount=1", nil, "authMethods=19768"},
		{"host letters stay", "https://mysignins.micros0ft.com/register?authMethods=1976&authMethodCount=1",
			"https://mysignins.micros0ft.com/register?authMethods=1976&authMethodCount=1", nil, ""},
		{"http stays http", "http://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1",
			"http://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", nil, ""},
		{"comma and space is prose", "go to, mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1",
			"go to, mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", nil, ""},
		{"no slash before register", "mysignins.microsoft.comiregister?authMethods=1976&authMethodCount=1",
			"mysignins.microsoft.comiregister?authMethods=1976&authMethodCount=1", nil, ""},
		{"cut off stays cut off", "mysignins.microsoft.com/register?authMethods=19…", "mysignins.microsoft.com/register?authMethods=19…", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := repair(tc.in)
			if r.text != tc.want {
				t.Errorf("repair(%q)\n got %q\nwant %q", tc.in, r.text, tc.want)
			}
			if !slices.Equal(r.warnings, tc.warnings) {
				t.Errorf("warnings %q, want %q", r.warnings, tc.warnings)
			}
			if r.ambiguous != tc.ambiguous {
				t.Errorf("ambiguous %q, want %q", r.ambiguous, tc.ambiguous)
			}
		})
	}
}
