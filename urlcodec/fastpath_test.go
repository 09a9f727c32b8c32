package urlcodec

import (
	"strings"
	"testing"
)

// fastPathInputs are links the fast paths take.
var fastPathInputs = []string{
	canonical,
	"https://mysignins.microsoft.com/register?authMethodCount=32&authMethods=0",
	"HTTPS://MYSIGNINS.MICROSOFT.COM/register?authMethods=4294967295&authMethodCount=1",
	"mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1",
	"https://mysignins.microsoft.com/register?authMethods=1976&amp;authMethodCount=1",
	safeLinks,
}

// slowPathInputs look close to what the fast paths take but need a repair,
// a warning or an error, so the fast paths must refuse them.
var slowPathInputs = []string{
	// Safe Links opens only a whole link: a target without a scheme is not one.
	"https://nam02.safelinks.protection.outlook.com/?url=mysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1",
	// Safe Links opens its url as it is: the wizard gets "amp;authMethodCount".
	"https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26amp%3BauthMethodCount%3D1&data=x",
	"https://mysignins.microsoft.com/register?authMethods=48",
	"https://mysignins.microsoft.com/register?authMethods=048&authMethodCount=1",
	"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1&",
	"https://mysignins.microsoft.com/register?authMethods=48&authMethods=48&authMethodCount=1",
	"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=33",
	"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=0",
	"https://mysignins.microsoft.com/register?authMethods=4294967296&authMethodCount=1",
	"https://mysignins.microsoft.com/register?authMethods=99999999999&authMethodCount=1",
	"https://mysignins.microsoft.com/Register?authMethods=48&authMethodCount=1",
	"https://mysignins.microsoft.com/register?authmethods=48&authMethodCount=1",
	"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1#x",
	"https://mysignins.microsoft.com/register?authMethods=48&amp;amp;authMethodCount=1",
	"https://mysignins.microsoft.com/register?amp;authMethods=48&authMethodCount=1",
	// As written, a browser sends "amp;authMethods": the wizard gets none.
	"MySignIns.Microsoft.com/register?authMethodCount=1&amp;authMethods=1976",
	"http://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1",
	"//mysignins.microsoft.com/register?authMethods=48&authMethodCount=1",
	" https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1",
	"https://NAM12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1",
	"https://nam12.safelinks.protection.outlook.com.evil.io/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1",
	"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1&authMethods=1",
	"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3F%61uthMethods%3D48%26authMethodCount%3D1&x=authMethods",
	"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1&data=a;b",
	"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48&data=x",
	"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1.",
}

// The fast paths and the slow path must agree on every link a fast path
// takes.
func TestFastPathAgreesWithSlowPath(t *testing.T) {
	for _, in := range fastPathInputs {
		fast, ok := parseFast(in)
		if !ok {
			t.Errorf("fast paths refused %q", in)
			continue
		}
		checkAgreement(t, in, fast)
		// A caller appending to one slice must not change the other.
		if n := len(fast.Wrapped); n > 0 {
			w := strings.Join(fast.Warnings, "\n")
			_ = append(fast.Wrapped, "x")
			if strings.Join(fast.Warnings, "\n") != w {
				t.Errorf("%q: Wrapped and Warnings overlap", in)
			}
		}
	}
	for _, in := range slowPathInputs {
		if _, ok := parseFast(in); ok {
			t.Errorf("a fast path took %q, which needs a warning or an error", in)
		}
	}
}

// The package doc promises that a link exactly as Entra writes it is read
// without allocating; scanning a log full of them relies on it.
func TestParseCanonicalDoesNotAllocate(t *testing.T) {
	for _, in := range fastPathInputs[:3] {
		var l Link
		if n := testing.AllocsPerRun(100, func() { l, _ = Parse(in) }); n != 0 {
			t.Errorf("Parse(%q): %v allocations, want 0", in, n)
		}
		if !l.Verdict.Trusted || len(l.Warnings) != 0 {
			t.Errorf("Parse(%q) = %+v, want a trusted link without warnings", in, l)
		}
	}
}

// FuzzFastPath: whatever a fast path accepts, the slow path reads the same.
func FuzzFastPath(f *testing.F) {
	for _, s := range append(fastPathInputs, slowPathInputs...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if fast, ok := parseFast(s); ok {
			checkAgreement(t, s, fast)
		}
	})
}

func parseFast(s string) (Link, bool) {
	if l, ok := parseSimple(s); ok {
		return l, true
	}
	return parseSafeLinks(s)
}

func checkAgreement(t *testing.T, in string, fast Link) {
	t.Helper()
	slow, err := defaultParser.parseSlow(in)
	if err != nil {
		t.Fatalf("%q: fast path took it, slow path: %v", in, err)
	}
	if !linkEqual(fast, slow) {
		t.Fatalf("%q:\nfast %+v\nslow %+v", in, fast, slow)
	}
}
