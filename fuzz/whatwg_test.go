package fuzz

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/authmethods/authmethods/fuzz/whatwgref"
	"github.com/authmethods/authmethods/urlcodec"
)

// FuzzTrustedLandsOnRegister is the differential target of issue 10: for
// any input Parse trusts, an independent WHATWG parser, opening the first
// hop and passing only the trusted wrappers by their documented parameter,
// lands on https://mysignins.microsoft.com/register (default port, no
// userinfo) with the authMethods Parse reports. The first hop must be what
// the person clicks: when the whole input is a URL a browser opens, the
// first hop opens the same host. Seeds (testdata/fuzz/FuzzTrustedLandsOnRegister)
// come from the adversarial table in urlcodec/adversarial_test.go.
func FuzzTrustedLandsOnRegister(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		l, err := urlcodec.Parse(s)
		if err != nil {
			return
		}
		checkVerdict(t, s, l.Verdict)
		hops := l.Hops()
		for _, h := range hops {
			// Hosts of letters, digits, dots and hyphens only: for others
			// (IPv4 with '+', opaque hosts) the reference library strays
			// from the standard, and such a host is never trusted anyway.
			if !plainHost(h.Host) {
				continue
			}
			if u, err := whatwgref.Open(h.URL); err == nil && u.Hostname() != h.Host {
				t.Fatalf("Parse(%q): hop %q has host %q; the reference opens %q", s, h.URL, h.Host, u.Hostname())
			}
		}
		if !l.Verdict.Trusted {
			return
		}
		if len(hops) == 0 {
			t.Fatalf("Parse(%q): trusted without hops", s)
		}
		first := hops[0]
		mask, ok := whatwgref.Lands(first.URL)
		if !ok {
			t.Fatalf("Parse(%q): trusted, but by the reference %q does not land on %s/register with one authMethods: hops %+v", s, first.URL, urlcodec.Host, hops)
		}
		if mask != uint32(l.Mask) {
			t.Fatalf("Parse(%q): trusted with authMethods %d, but the server receives %d", s, l.Mask, mask)
		}
		// What the person clicks: the input, without the quotes, brackets
		// and sentence punctuation a link is pasted between.
		// Markup ([text](href), <href|text>, <a href>) opens its href,
		// which the hops already follow.
		if ts := strings.TrimSpace(s); strings.Contains(ts, "](") || strings.Contains(ts, "|") || strings.HasPrefix(strings.ToLower(ts), "<a") {
			// An <a>'s href is what the browser opens, decoded by HTML's
			// rules (once, names case-sensitive), not by the package's.
			if href, ok := firstHref(ts); ok {
				if m, lands := whatwgref.Lands(href); !lands || m != uint32(l.Mask) {
					t.Fatalf("Parse(%q): trusted with mask %d, but a browser opens the href %q (lands %v, mask %d)", s, l.Mask, href, lands, m)
				}
			}
			return
		}
		// C0 controls and spaces go first, as the URL parser drops them.
		isC0 := func(r rune) bool { return r <= ' ' }
		clicked := strings.TrimFunc(s, func(r rune) bool { return isC0(r) || strings.ContainsRune("\"'<([{`", r) })
		clicked = strings.TrimRightFunc(clicked, func(r rune) bool { return isC0(r) || strings.ContainsRune("\"'>)]}`.,;:!?", r) })
		if u, err := whatwgref.Open(clicked); err == nil && u.Hostname() != "" && u.Hostname() != first.Host {
			t.Fatalf("Parse(%q): trusted with first hop %q, but clicking %q opens %q", s, first.Host, clicked, u.Hostname())
		}
	})
}

// plainHost reports a host of lower-case letters, digits, dots and
// hyphens, with a letter in it, and no label that starts like a hex
// number: a domain name both parsers read alike. (The reference reads
// "0x-00" as the IPv4 number 0, where the standard's IPv4 number parser
// fails on the '-' and the host is a domain.)
func plainHost(h string) bool {
	if strings.HasPrefix(h, "0x") || strings.Contains(h, ".0x") {
		return false
	}
	letter := false
	for i := 0; i < len(h); i++ {
		switch c := h[i]; {
		case 'a' <= c && c <= 'z':
			letter = true
		case '0' <= c && c <= '9', c == '.', c == '-':
		default:
			return false
		}
	}
	return letter
}

// firstHref returns the href of the first <a> element of s as an HTML
// parser decodes it.
func firstHref(s string) (string, bool) {
	if !strings.HasPrefix(strings.ToLower(s), "<a") {
		return "", false
	}
	z := html.NewTokenizer(strings.NewReader(s))
	if z.Next() != html.StartTagToken {
		return "", false
	}
	for name, more := z.TagName(); string(name) == "a" && more; {
		var k, v []byte
		if k, v, more = z.TagAttr(); string(k) == "href" {
			return string(v), true
		}
	}
	return "", false
}
