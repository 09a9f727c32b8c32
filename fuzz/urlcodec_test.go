package fuzz

import (
	"errors"
	"strings"
	"testing"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec"
)

// The seed corpora in testdata/fuzz/FuzzLinkParse, FuzzBuildParse and
// FuzzJudge hold the forms met in the wild: Safe Links, &amp;, no scheme,
// lookalikes, huge numbers, invalid UTF-8, backslashes, userinfo, punycode.

// FuzzLinkParse: Parse never panics; an accepted link rebuilds to a
// canonical link that parses to the same mask and count and is trusted; a
// trusted verdict holds up under the reference rules of FuzzJudge; an error
// is an *urlcodec.Error with a documented cause.
func FuzzLinkParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		l, err := urlcodec.Parse(s)
		if err != nil {
			var e *urlcodec.Error
			if !errors.As(err, &e) || e.Op != "parse" {
				t.Fatalf("Parse(%q): error %T %v is not an *urlcodec.Error", s, err, err)
			}
			if !isSentinel(err) {
				t.Fatalf("Parse(%q): cause %v is not a sentinel", s, err)
			}
			if len(err.Error()) > 1024 {
				t.Fatalf("Parse(%q): error of %d bytes", s, len(err.Error()))
			}
			return
		}
		if l.Input != s {
			t.Fatalf("Input = %q, want %q", l.Input, s)
		}
		if l.Count < 0 || l.Count > urlcodec.MaxCount || !l.HasCount && l.Count != 0 {
			t.Fatalf("Parse(%q): count %d (present %v)", s, l.Count, l.HasCount)
		}
		checkVerdict(t, s, l.Verdict)
		if l.Verdict.Trusted && !genuineByReference(l.URL) {
			t.Fatalf("Parse(%q) trusts URL %q, which does not open %s", s, l.URL, urlcodec.Host)
		}
		if v := (&urlcodec.Parser{}).Judge(l.URL); l.Verdict.Trusted && !v.Trusted {
			t.Fatalf("Parse(%q) trusts %q but Judge does not: %v", s, l.URL, v.Reasons)
		}
		if len(l.Wrapped) > urlcodec.DefaultMaxDepth || len(l.Warnings) < len(l.Wrapped) {
			t.Fatalf("Parse(%q): wrapped %q with warnings %q", s, l.Wrapped, l.Warnings)
		}
		count := l.Count
		if !l.HasCount {
			count = 1
		}
		b := urlcodec.Build(l.Mask, count)
		l2, err := urlcodec.Parse(b)
		if err != nil {
			t.Fatalf("Parse(Build(%d, %d)) = %v", l.Mask, count, err)
		}
		if l2.Mask != l.Mask || l2.Count != count || !l2.HasCount || !l2.Verdict.Trusted {
			t.Fatalf("Parse(%q) = mask %d count %d trusted %v; want %d %d true", b, l2.Mask, l2.Count, l2.Verdict.Trusted, l.Mask, count)
		}
	})
}

// FuzzBuildParse: Build then Parse is the identity for every mask and
// every count in range, on the fast path: trusted, no warnings.
func FuzzBuildParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, mask uint32, count uint8) {
		c := int(count) % (urlcodec.MaxCount + 1)
		s := urlcodec.Build(bitmask.Mask(mask), c)
		if !strings.HasPrefix(s, urlcodec.RegisterURL+"?authMethods=") {
			t.Fatalf("Build(%d, %d) = %q", mask, c, s)
		}
		l, err := urlcodec.Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		if uint32(l.Mask) != mask || l.Count != c || !l.HasCount || !l.Verdict.Trusted || l.URL != s || len(l.Wrapped) != 0 {
			t.Fatalf("Parse(%q) = %+v", s, l)
		}
		if (len(l.Warnings) == 0) != (c > 0) { // a count of 0 is worth a warning
			t.Fatalf("Parse(%q) warnings %q", s, l.Warnings)
		}
		if got, err := urlcodec.Strip(s); err != nil || got != urlcodec.RegisterURL {
			t.Fatalf("Strip(%q) = %q, %v", s, got, err)
		}
	})
}

// FuzzJudge: a trusted verdict only ever for a URL whose browser-parsed
// host is exactly mysignins.microsoft.com, by an independent reference of
// the WHATWG rules; and the other way round, a URL that plainly opens the
// genuine host is trusted.
func FuzzJudge(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		v := (&urlcodec.Parser{}).Judge(s)
		checkVerdict(t, s, v)
		if len(s) > urlcodec.MaxInput {
			return
		}
		if ref := genuineByReference(s); v.Trusted != ref {
			t.Fatalf("Judge(%q).Trusted = %v, the reference says %v: %v", s, v.Trusted, ref, v.Reasons)
		}
	})
}

func checkVerdict(t *testing.T, s string, v urlcodec.Verdict) {
	t.Helper()
	if v.Trusted != (len(v.Reasons) == 0) {
		t.Fatalf("%q: Trusted %v with reasons %v", s, v.Trusted, v.Reasons)
	}
	for _, r := range v.Reasons {
		if r.Code == "" || r.Message == "" {
			t.Fatalf("%q: reason without code or message: %+v", s, r)
		}
	}
}

func isSentinel(err error) bool {
	for _, e := range []error{urlcodec.ErrNoAuthMethods, urlcodec.ErrEmpty, urlcodec.ErrNotNumber, urlcodec.ErrNegative,
		urlcodec.ErrRange, urlcodec.ErrConflict, urlcodec.ErrCount, urlcodec.ErrTooLong, urlcodec.ErrTooDeep,
		urlcodec.ErrNotReceived, urlcodec.ErrHidden, urlcodec.ErrCut} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// genuineByReference is the trust rule written down plainly, apart from the
// package's parser: after a browser's first steps (trim C0 controls and
// spaces, drop tabs and newlines), the text is "https://" (any case) or
// nothing, then mysignins.microsoft.com (any case), then optionally the
// default port, then the end or one of / ? #. Anything else (a backslash,
// an '@', percent-encoding, Unicode, a trailing dot, another port) either
// sends a browser elsewhere or is a form Entra never writes.
func genuineByReference(s string) bool {
	s = strings.Trim(s, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	if len(s) >= len("https://") && strings.EqualFold(s[:len("https://")], "https://") {
		s = s[len("https://"):]
	}
	if len(s) < len(urlcodec.Host) || !strings.EqualFold(s[:len(urlcodec.Host)], urlcodec.Host) {
		return false
	}
	s = s[len(urlcodec.Host):]
	if strings.HasPrefix(s, ":") {
		port := s[1:]
		if i := strings.IndexAny(port, "/?#"); i >= 0 {
			port = port[:i]
		}
		if p := strings.TrimLeft(port, "0"); p != "443" && port != "" {
			return false
		}
		s = s[1+len(port):]
	}
	return s == "" || strings.ContainsRune("/?#", rune(s[0]))
}
