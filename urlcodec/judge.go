package urlcodec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/authmethods/authmethods/bitmask/suggest"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

func (p *Parser) judge(rawURL string) Verdict {
	if len(rawURL) > MaxInput {
		return Verdict{Reasons: []Reason{{"too-long", "the link is longer than 64 KiB; no register link is"}}}
	}
	u := splitBrowser(rawURL)
	return p.verdict(&u, nil)
}

// verdict judges u as the register link itself; wrappers holds what was
// found against the links around it.
func (p *Parser) verdict(u *browserURL, wrappers []Reason) Verdict {
	rs := formReasons(u)
	if u.hostErr == "" && !u.ip {
		h, dot := strings.CutSuffix(u.host, ".")
		trusted := h == Host || slices.Contains(p.trustHosts(), h)
		switch {
		case trusted && dot:
			rs = append(rs, Reason{"trailing-dot", fmt.Sprintf("host %s ends in a dot: Entra never writes it, so someone changed the link", u.host)})
		case trusted:
		default:
			if why, ok := lookalike(h); ok {
				rs = append(rs, Reason{"lookalike", "host " + short(u.host) + " is not " + Host + " but looks like it: " + why})
			} else {
				rs = append(rs, Reason{"not-microsoft", "host " + short(u.host) + " is not " + Host})
			}
		}
	}
	rs = append(rs, wrappers...)
	return Verdict{Trusted: len(rs) == 0, Reasons: rs}
}

// formReasons finds what is wrong with the form of u, apart from which host
// it names.
func formReasons(u *browserURL) []Reason {
	var rs []Reason
	add := func(code, msg string) { rs = append(rs, Reason{code, msg}) }
	switch u.scheme {
	case "", "https":
	case "http":
		add("http", "plain http, not https: the page is not encrypted and anyone on the way can change it")
	default:
		add("scheme", fmt.Sprintf("scheme %q is not https", short(u.scheme)))
	}
	switch {
	case u.backslash:
		add("backslash", `a '\' where '/' belongs: browsers read it as '/', other tools do not, and that difference can hide the real host`)
	case u.special && u.scheme != "" && u.slashes != "//":
		add("slashes", fmt.Sprintf("%q after the scheme, not \"//\"", short(u.slashes)))
	case u.scheme == "" && u.slashes != "":
		add("slashes", fmt.Sprintf("the link starts with %q: a browser fills in a scheme of its own choosing", short(u.slashes)))
	}
	if u.atSign {
		add("userinfo", fmt.Sprintf("the text before '@' (%q) is not where the link goes: the browser opens %s", short(u.userinfo), short(u.host)))
	}
	switch {
	case u.portErr != "":
		add("port", u.portErr)
	case u.port != "":
		add("port", "port "+u.port+": the genuine link uses the default port")
	}
	if u.hostErr != "" {
		add("invalid-host", u.hostErr)
		return rs
	}
	if u.encoded {
		add("encoded-host", fmt.Sprintf("the host is percent-encoded (%q); a browser decodes it to %s", short(u.rawHost), short(u.host)))
	}
	if u.ip {
		add("ip", fmt.Sprintf("the host is an IP address (%s), not a name", short(u.host)))
	}
	if u.unicode {
		if uni := unicodeForm(u.host); uni != u.host {
			add("idn", fmt.Sprintf("host %s is punycode for %q: letters from other scripts can look like Latin ones", short(u.host), short(uni)))
		} else {
			add("idn", fmt.Sprintf("the host is written with non-ASCII characters (%q) that a browser turns into %s; Entra writes plain ASCII", short(u.rawHost), short(u.host)))
		}
	}
	return rs
}

// trustHosts returns TrustHosts in the form a browser reaches them.
func (p *Parser) trustHosts() []string {
	if len(p.TrustHosts) == 0 {
		return nil
	}
	hs := make([]string, 0, len(p.TrustHosts))
	for _, h := range p.TrustHosts {
		h = strings.TrimSuffix(strings.TrimSpace(h), ".")
		if a, err := whatwgIDNA.ToASCII(h); err == nil {
			h = a
		}
		hs = append(hs, strings.ToLower(h))
	}
	return hs
}

// unicodeForm is h with its punycode labels shown in Unicode, for messages.
func unicodeForm(h string) string {
	if !hasPunycodeLabel(h) {
		return h
	}
	if u, err := idna.ToUnicode(h); err == nil {
		return u
	}
	return h
}

// confusables maps letters of other scripts to the Latin letters they look
// like, after the Unicode data's confusables (UTS #39), limited to the
// lower-case letters a host can hold after UTS #46 mapping.
var confusables = map[rune]rune{
	'а': 'a', 'ɑ': 'a', 'α': 'a', 'в': 'b', 'с': 'c', 'ϲ': 'c', 'ԁ': 'd', 'е': 'e', 'ε': 'e',
	'ɡ': 'g', 'ց': 'g', 'һ': 'h', 'н': 'h', 'і': 'i', 'ı': 'i', 'ɩ': 'i', 'ι': 'i', 'ӏ': 'i',
	'ј': 'j', 'κ': 'k', 'к': 'k', 'м': 'm', 'ո': 'n', 'η': 'n', 'п': 'n', 'о': 'o', 'ο': 'o',
	'σ': 'o', 'р': 'p', 'ρ': 'p', 'ԛ': 'q', 'г': 'r', 'ѕ': 's', 'т': 't', 'τ': 't', 'ս': 'u',
	'υ': 'u', 'ν': 'v', 'ѵ': 'v', 'ԝ': 'w', 'ѡ': 'w', 'х': 'x', 'χ': 'x', 'у': 'y', 'ү': 'y',
}

// skeleton reduces a host to the letters a reader sees: accents dropped,
// other scripts' look-alikes, digits that pass for letters (0 o, 1 l), rn
// for m and vv for w folded, separators removed.
func skeleton(h string) string {
	if !isASCII(h) {
		h = norm.NFD.String(h)
	}
	b := make([]byte, 0, len(h))
	for _, r := range h {
		if r >= utf8.RuneSelf {
			if unicode.Is(unicode.Mn, r) {
				continue
			}
			if c, ok := confusables[r]; ok {
				r = c
			}
			r = unicode.ToLower(r)
		} else if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		switch r {
		case '.', '-', '_':
			continue
		case '0':
			r = 'o'
		case '1', 'l', '|', '!':
			r = 'i'
		case '5':
			r = 's'
		case '3':
			r = 'e'
		}
		b = utf8.AppendRune(b, r)
	}
	// "rn" reads as "m" and "vv" as "w", left to right. (These loops, not
	// norm and a strings.Replacer for ASCII hosts, since scan judges every
	// look-alike host of a log.)
	out := b[:0]
	for i := 0; i < len(b); i++ {
		switch {
		case i+1 < len(b) && b[i] == 'r' && b[i+1] == 'n':
			out = append(out, 'm')
			i++
		case i+1 < len(b) && b[i] == 'v' && b[i+1] == 'v':
			out = append(out, 'w')
			i++
		default:
			out = append(out, b[i])
		}
	}
	return string(out)
}

var genuineSkeleton = skeleton(Host)

// lookalike reports whether host h, which is not the genuine one, resembles
// it, and how.
func lookalike(h string) (string, bool) {
	sk := skeleton(unicodeForm(h))
	for _, word := range [...]string{"mysignins", "microsoft"} {
		if strings.Contains(sk, word) && sk != genuineSkeleton {
			return "it contains " + strconv.Quote(word) + " but is another host", true
		}
	}
	switch {
	case sk == genuineSkeleton:
		return "the same letters, with look-alike characters or separators", true
	case len(sk)-len(genuineSkeleton) <= 3 && len(genuineSkeleton)-len(sk) <= 3 && suggest.Distance(sk, genuineSkeleton) <= 3:
		return "a few letters away from the genuine host", true
	case suggest.Contains(sk, "mysignins", 1), suggest.Contains(sk, "microsoft", 1):
		return "it contains a misspelling of mysignins or microsoft", true
	}
	return "", false
}
