package fuzz

import (
	"strings"
	"testing"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec"
	"github.com/authmethods/authmethods/urlcodec/explain"
)

// FuzzExplain: explaining any link Parse accepts, or any mask, never panics;
// a link that is not genuine gets no advice about registering; a genuine one
// or a mask always gets a verdict, what the wizard asks for and a sentence
// for the user, and caveats only when it names a method.
func FuzzExplain(f *testing.F) {
	f.Add("https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", uint32(1976))
	f.Add("https://mysignins.microsoft.com.evil.example/register?authMethods=8288", uint32(0))
	f.Add("mysignins.microsoft.com/register?authMethods=0x10000&authMethodCount=7", uint32(0xffffffff))
	f.Fuzz(func(t *testing.T, s string, m uint32) {
		x := explain.Mask(bitmask.Mask(m), explain.Options{})
		if x.Headline == "" || x.Asks == "" || !strings.HasPrefix(x.Tell, "Tell the user: ") {
			t.Fatalf("Mask(%d): headline %q, asks %q, tell %q", m, x.Headline, x.Asks, x.Tell)
		}
		names := bitmask.Mask(m) &^ bitmask.Mask(m).Unknown() &^ 0x10000
		if (len(x.Caveats) > 0) != (names != 0) {
			t.Fatalf("Mask(%d): %d caveats", m, len(x.Caveats))
		}
		l, err := urlcodec.Parse(s)
		if err != nil {
			return
		}
		x = explain.Link(l, explain.Options{})
		if *x.Trusted != l.Verdict.Trusted || x.Headline == "" || x.Tell == "" {
			t.Fatalf("Link(%q): trusted %v, headline %q, tell %q", s, *x.Trusted, x.Headline, x.Tell)
		}
		if !l.Verdict.Trusted && (x.Asks != "" || x.Strengths != nil || len(x.Caveats) > 0) {
			t.Fatalf("Link(%q) is not genuine but says what to register: %q", s, x.Asks)
		}
	})
}
