package explain_test

import (
	"strings"
	"testing"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec"
	"github.com/authmethods/authmethods/urlcodec/explain"
)

func parse(t *testing.T, s string) urlcodec.Link {
	t.Helper()
	l, err := (&urlcodec.Parser{}).Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Each sentence is decided for the mask in hand.
func TestSentences(t *testing.T) {
	for _, tt := range []struct {
		mask      bitmask.Mask
		asks      string // substring of Asks
		tell      string // substring of Tell
		unusual   int
		caveats   []string
		strengths bool
	}{
		{1976, "one of these 7 methods", "one of the methods it offers, for example Authenticator app code or SMS", 1, []string{"sspr-hidden", "windows-app-fido2"}, true},
		{48, "one of these 2 methods", "for example SMS or FIDO2 key / passkey", 1, []string{"sspr-hidden", "windows-app-fido2"}, true},
		{16, "this method:", "set up SMS.", 0, []string{"sspr-hidden"}, true},
		{0, `"none" in Jan Bakker's table`, "names nothing to set up", 0, nil, false},
		{1536, "one of these 2 methods", "an admin will first give you a Temporary Access Pass.", 1, []string{"sspr-hidden"}, true},
		{256, "this method:", "in the Microsoft Authenticator app", 0, []string{"sspr-hidden"}, true},
		{64, "this method:", "on your Windows device", 0, []string{"sspr-hidden", "guest-phishing-resistant"}, true},
		{0x10000 | 0x40000, "no method the wizard knows", "names nothing to set up", 2, nil, false},
	} {
		x := explain.Mask(tt.mask, explain.Options{})
		if !strings.Contains(x.Asks, tt.asks) || !strings.Contains(x.Tell, tt.tell) {
			t.Errorf("%d: asks %q, tell %q; want %q, %q", tt.mask, x.Asks, x.Tell, tt.asks, tt.tell)
		}
		if len(x.Unusual) != tt.unusual {
			t.Errorf("%d: unusual %q; want %d", tt.mask, x.Unusual, tt.unusual)
		}
		var ids []string
		for _, c := range x.Caveats {
			ids = append(ids, c.ID)
		}
		if strings.Join(ids, " ") != strings.Join(tt.caveats, " ") {
			t.Errorf("%d: caveats %v; want %v", tt.mask, ids, tt.caveats)
		}
		if (x.Strengths != nil) != tt.strengths {
			t.Errorf("%d: strengths %v; want %v", tt.mask, x.Strengths != nil, tt.strengths)
		}
		all := strings.Join(append(append([]string{x.Headline, x.Asks, x.Tell}, x.Unusual...), x.Notes...), " ")
		for _, jargon := range []string{"seed", "union mask", "derivation", "sentinel"} {
			if strings.Contains(all, jargon) {
				t.Errorf("%d: %q in %q", tt.mask, jargon, all)
			}
		}
		if tt.mask.Count() <= 1 && strings.Contains(all, "any one of") {
			t.Errorf("%d: \"any one of\" for one method or none: %q", tt.mask, all)
		}
	}
}

// A link that is not genuine gets the warning, the host and what to tell
// the user; nothing about registering.
func TestNotGenuine(t *testing.T) {
	x := explain.Link(parse(t, "https://mysignins.microsoft.com.evil.example/register?authMethods=1976&authMethodCount=1"), explain.Options{})
	if *x.Trusted || !strings.Contains(x.Headline, "mysignins.microsoft.com.evil.example") || len(x.Reasons) == 0 {
		t.Errorf("verdict: %+v", x)
	}
	if x.Asks != "" || x.Strengths != nil || len(x.Caveats) != 0 || !strings.Contains(x.Tell, "Do not open") {
		t.Errorf("registering advice for a link that is not genuine: asks %q, tell %q, caveats %v", x.Asks, x.Tell, x.Caveats)
	}
	// A genuine host written oddly does not say it opens another host.
	x = explain.Link(parse(t, "http://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"), explain.Options{})
	if *x.Trusted || strings.Contains(x.Headline, "The browser opens mysignins.microsoft.com, not") {
		t.Errorf("headline %q", x.Headline)
	}
	// Behind Safe Links, which looks like Microsoft, the headline names
	// where the browser is sent.
	x = explain.Link(parse(t, "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.example%2F&data=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1"), explain.Options{})
	if *x.Trusted || !strings.Contains(x.Headline, "the browser opens evil.example") {
		t.Errorf("headline %q, want it to name evil.example", x.Headline)
	}
}

// The count is said only when it matters, and 1 is assumed when absent.
func TestCount(t *testing.T) {
	x := explain.Link(parse(t, "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=2"), explain.Options{})
	if x.Register != 2 || !strings.Contains(x.Asks, "2 of these 2 methods") || !strings.Contains(strings.Join(x.Unusual, ";"), "every observed link has 1") {
		t.Errorf("count 2: register %d, asks %q, unusual %q", x.Register, x.Asks, x.Unusual)
	}
	x = explain.Link(parse(t, "https://mysignins.microsoft.com/register?authMethods=48"), explain.Options{})
	if x.Register != bitmask.ObservedCount || x.AuthMethodCount != nil {
		t.Errorf("no count: register %d, count %v", x.Register, x.AuthMethodCount)
	}
}
