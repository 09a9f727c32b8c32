package ocr

import (
	"fmt"
	"regexp"
	"strings"
)

// OCR misreads a link in a few known ways. repair undoes them only where the
// grammar of the register link leaves one reading:
//
//	[https://]HOST/register?authMethods=N&authMethodCount=M
//
// Around "register" the text must be '/', "register", '?', then the two
// parameters joined by '&'; inside the host only punctuation is touched,
// never a letter, so that a lookalike host stays what OCR read. Every
// repair is a warning.

// Warnings repair gives, as data so that tests name them.
const (
	warnSpaces   = "removed spaces OCR put inside the link"
	warnComma    = "read ',' in the host as '.'"
	warnQuestion = "read %q after /register as '?'"
	warnDigit1   = "read 'L' or '|' as the number 1"
	warnNoQuery  = "put back the '?' OCR dropped after /register"
	warnG        = "read 'G' between the parameters as '&'"
	warnNoAmp    = "put back the '&' OCR dropped between the parameters"
	warnAmp      = "read '&amp;' between the parameters as '&'"
	warnSlashI   = "read 'https:/%c' as 'https://': check the first letter of the host against the image"
	warnScheme   = "read the scheme %q as %q"
)

// maxLine bounds the line repair touches: a link is under 200 bytes, and
// the regular expressions stay linear anyway.
const maxLine = 4096

var (
	// register with what OCR makes of the '/' before and the '?' after it.
	registerRE = regexp.MustCompile(`(?i)/?\s*register\s*([?27]?)\s*authmethod`)
	// A parameter: its name, '=' and a value with the letters OCR takes
	// for digits (urlcodec reads those, with a warning).
	paramRE = regexp.MustCompile(`^(?i:(authmethodcount|authmethods))\s*=\s*([0-9OolIL|]+(?: [0-9]+)*)`)
	// What may stand between two parameters.
	sepRE = regexp.MustCompile(`(?i)^\s*(&amp;|&|G|)\s*(authmethod)`)
	// The host before "/register": labels joined by '.', a '.' with a
	// space after or before it, or a ',' without spaces (", " is prose).
	hostRE = regexp.MustCompile(`[A-Za-z0-9-]+(?:(?:\.\s?|\s\.|,)[A-Za-z0-9-]+)+\s*$`)
	// The scheme before the host, with OCR's slips in its punctuation.
	schemeRE = regexp.MustCompile(`(?i)(h[a-z]{2,5})\s*([:;]?)\s*([/\\|]{1,2}\s*[/\\|]?)\s*$`)
)

// slipLetters are the letters OCR reads for 0 and 1.
const slipLetters = "OolIL|"

// ambiguousAmp lists the digits OCR reads for '&': when the '&' between
// the parameters is missing after one of them, the digit may be the '&'
// and the number is not certain. Besides 8, Tesseract read the '&' of
// 11 and 12 px address bars saved as JPEG as 2 and as 4 (16& as 164, 3&
// as 32, 48& as 484, 8& as 82), which a dropped '&' put back would have
// turned into a wrong number.
const ambiguousAmp = "248"

// repaired is one line after repair.
type repaired struct {
	text     string
	warnings []string
	// ambiguous names a number that runs into the next parameter after a
	// digit OCR reads for '&' (19768authMethodCount: 19768 or 1976?).
	ambiguous string
	// trailing names a number that ends in a letter OCR reads for a digit
	// (1976l: 19761, or 1976 and a mark after it?).
	trailing string
}

func repair(line string) repaired {
	var r repaired
	if len(line) > maxLine {
		// No link is this long; Extract still reads it as it is.
		r.text = line
		return r
	}
	warned := map[string]bool{}
	warn := func(w string) {
		if !warned[w] {
			warned[w] = true
			r.warnings = append(r.warnings, w)
		}
	}
	var b strings.Builder
	rest := line
	for {
		m := registerRE.FindStringSubmatchIndex(rest)
		if m == nil {
			b.WriteString(rest)
			break
		}
		if rest[m[0]] != '/' {
			// No '/' before register: the letter before it may be the
			// slash ("comiregister"), but that is not certain; left alone.
			end := m[1] - len("authmethod")
			b.WriteString(rest[:end])
			rest = rest[end:]
			continue
		}
		b.WriteString(repairHost(rest[:m[0]], warn))
		b.WriteString("/register")
		switch q := rest[m[2]:m[3]]; q {
		case "2", "7":
			warn(fmt.Sprintf(warnQuestion, q))
		case "":
			warn(warnNoQuery)
		}
		if strings.ContainsAny(rest[m[0]:m[1]], " \t") {
			warn(warnSpaces)
		}
		b.WriteByte('?')
		rest = rest[m[1]-len("authmethod"):]
		rest = r.params(&b, rest, warn)
	}
	r.text = b.String()
	return r
}

// params copies the parameters at the start of q to b, repairing what
// joins them, and returns the text after them.
func (r *repaired) params(b *strings.Builder, q string, warn func(string)) string {
	for first := true; ; first = false {
		m := paramRE.FindStringSubmatchIndex(q)
		if m == nil {
			return q
		}
		if !first {
			b.WriteByte('&')
		}
		if strings.ContainsAny(q[m[0]:m[1]], " \t") {
			warn(warnSpaces)
		}
		name, value := q[m[2]:m[3]], strings.ReplaceAll(q[m[4]:m[5]], " ", "")
		switch {
		case value == "L" || value == "|":
			// urlcodec reads O, o, l and I in a number; OCR also reads
			// a lone 1 as L or |.
			warn(warnDigit1)
			value = "1"
		case len(value) > 1 && strings.IndexByte(slipLetters, value[len(value)-1]) >= 0 && r.trailing == "":
			// "1976l": the l may be a 1, or the '&' or a mark after
			// the number; urlcodec would read 19761.
			r.trailing = name + "=" + value
		}
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(value)
		q = q[m[1]:]
		s := sepRE.FindStringSubmatchIndex(q)
		if s == nil {
			return q
		}
		switch sep := q[s[2]:s[3]]; {
		case sep == "g" || sep == "G":
			warn(warnG)
		case len(sep) > 1:
			warn(warnAmp)
		case sep == "" && strings.IndexByte(ambiguousAmp, value[len(value)-1]) >= 0:
			// "19768authMethodCount": the 8 may be the '&'.
			r.ambiguous = name + "=" + value
			b.WriteString(q[:s[4]])
			return q[s[4]:]
		case sep == "":
			warn(warnNoAmp)
		}
		if strings.ContainsAny(q[:s[4]], " \t") {
			warn(warnSpaces)
		}
		q = q[s[4]:]
	}
}

// repairHost repairs the punctuation of the host at the end of s and the
// scheme before it, and drops spaces before the '/' of /register.
func repairHost(s string, warn func(string)) string {
	m := hostRE.FindStringIndex(s)
	if m == nil {
		return s
	}
	host := s[m[0]:m[1]]
	if strings.ContainsAny(host, " \t") {
		warn(warnSpaces)
		host = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, host)
	}
	if strings.IndexByte(host, ',') >= 0 {
		warn(warnComma)
		host = strings.ReplaceAll(host, ",", ".")
	}
	pre := s[:m[0]]
	// "https:/imysignins…": one slash and a letter that is the second.
	if sm := schemeRE.FindStringSubmatchIndex(pre); sm != nil {
		letters, colon, slashes := pre[sm[2]:sm[3]], pre[sm[4]:sm[5]], pre[sm[6]:sm[7]]
		scheme := schemeWord(letters)
		if scheme != "" && (colon != "" || len(strings.TrimSpace(slashes)) == 2) {
			sep := colon + slashes
			slashCount := strings.Count(slashes, "/") + strings.Count(slashes, "\\") + strings.Count(slashes, "|")
			if slashCount == 1 && len(host) > 0 && strings.IndexByte("il1|", host[0]) >= 0 {
				warn(fmt.Sprintf(warnSlashI, host[0]))
				host = host[1:]
				sep = "://"
			}
			if scheme != letters {
				warn(fmt.Sprintf(warnScheme, letters, scheme))
			}
			if sep != "://" {
				if strings.ContainsAny(sep, " \t") {
					warn(warnSpaces)
				} else {
					warn(fmt.Sprintf(warnScheme, letters+sep, scheme+"://"))
				}
			}
			pre = pre[:sm[2]] + scheme + "://"
		}
	}
	return pre + host
}

// schemeWord returns the scheme OCR's letters stand for: "https" for h,
// then t, i, l or f (with at least one t) standing for "tt", then "ps"
// (hitps, htips, hittps), "http" for exactly http, else "". A plain "http"
// stays http: that is a verdict, not a slip.
func schemeWord(letters string) string {
	l := strings.ToLower(letters)
	if l == "http" || l == "https" {
		return l
	}
	mid, ok := strings.CutSuffix(strings.TrimPrefix(l, "h"), "ps")
	if !ok || len(mid) < 2 || len(mid) > 3 || l[0] != 'h' || !strings.Contains(mid, "t") || strings.Trim(mid, "tilf") != "" {
		return ""
	}
	return "https"
}
