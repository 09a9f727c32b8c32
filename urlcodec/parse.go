package urlcodec

import (
	"fmt"
	"math"
	"strings"

	"github.com/authmethods/authmethods/bitmask"
)

// Parse has two paths. The fast one reads the link as Entra writes it,
// which is most of what people paste, with only the commonest messes: no
// scheme (chat) and &amp; (HTML mail). It allocates nothing but, for a
// mess, the warnings. Anything else takes the slow path, which repairs and
// unwraps everything it can. Both give the same Link for the same input.

// Warnings both paths give.
const (
	warnNoScheme = "no scheme: judged as if https:// was meant"
	warnHTML     = "decoded HTML character references (&amp; …)"
)

func warnSafeLinks(host string) string { return "unwrapped Safe Links (" + host + ")" }

// parseSimple reads
//
//	https://mysignins.microsoft.com/register?authMethods=N&authMethodCount=M
//
// with both parameters, in either order, spelled and written exactly as
// Entra does. Scheme and host may be in any case, the scheme may be
// missing, and '&' may be written &amp;. It reports false for anything else.
func parseSimple(s string) (Link, bool) {
	l, noScheme, amp, ok := readSimple(s)
	if ok {
		l.setNotes("", noScheme, amp)
	}
	return l, ok
}

// readSimple is parseSimple without Link.Wrapped and Link.Warnings; it
// reports the messes it met instead.
func readSimple(s string) (l Link, noScheme, amp, ok bool) {
	const (
		scheme          = "https://"
		hostPath        = Host + "/register?"
		canonicalPrefix = scheme + hostPath
	)
	var q string
	switch {
	case strings.HasPrefix(s, canonicalPrefix):
		q = s[len(canonicalPrefix):]
	case len(s) >= len(canonicalPrefix) && strings.EqualFold(s[:len(scheme)+len(Host)], canonicalPrefix[:len(scheme)+len(Host)]) &&
		s[len(scheme)+len(Host):len(canonicalPrefix)] == canonicalPrefix[len(scheme)+len(Host):]:
		q = s[len(canonicalPrefix):]
	case len(s) >= len(hostPath) && strings.EqualFold(s[:len(Host)], Host) && s[len(Host):len(hostPath)] == hostPath[len(Host):]:
		q, noScheme = s[len(hostPath):], true
	default:
		return Link{}, false, false, false
	}
	var mask, count uint64
	haveMask, haveCount := false, false
	for {
		var n uint64
		var ok bool
		switch {
		case !haveMask && strings.HasPrefix(q, "authMethods="):
			n, q, ok = canonicalNumber(q[len("authMethods="):], math.MaxUint32)
			mask, haveMask = n, true
		case !haveCount && strings.HasPrefix(q, "authMethodCount="):
			n, q, ok = canonicalNumber(q[len("authMethodCount="):], MaxCount)
			// 0 asks for nothing and needs a warning: not canonical.
			count, haveCount, ok = n, true, ok && n > 0
		}
		if !ok {
			return Link{}, false, false, false
		}
		if q == "" {
			break
		}
		if q[0] != '&' {
			return Link{}, false, false, false
		}
		if q = q[1:]; strings.HasPrefix(q, "amp;") {
			q, amp = q[len("amp;"):], true
		}
	}
	if !haveMask || !haveCount {
		return Link{}, false, false, false
	}
	l.Input, l.URL = s, s
	l.Scheme, l.Host, l.Path = "https", Host, "/register"
	l.Mask, l.Count, l.HasCount = bitmask.Mask(mask), int(count), true
	l.Verdict.Trusted = true
	if noScheme {
		l.Scheme = ""
	}
	if amp {
		l.URL = strings.ReplaceAll(s, "&amp;", "&")
	}
	return l, noScheme, amp, true
}

// setNotes fills Wrapped and Warnings of a Link from a fast path, in the
// order the slow path gives them, with one allocation; the capacities keep
// an append to one slice from writing into the other.
func (l *Link) setNotes(safeLinksHost string, noScheme, amp bool) {
	var buf [5]string
	n := 0
	if safeLinksHost != "" {
		buf[n], n = "safelinks", n+1
	}
	if amp {
		buf[n], n = "html", n+1
	}
	wrapped := n
	if safeLinksHost != "" {
		buf[n], n = warnSafeLinks(safeLinksHost), n+1
	}
	if amp {
		buf[n], n = warnHTML, n+1
	}
	if noScheme {
		buf[n], n = warnNoScheme, n+1
	}
	if n == 0 {
		return
	}
	notes := append([]string(nil), buf[:n]...)
	if wrapped > 0 {
		l.Wrapped = notes[:wrapped:wrapped]
	}
	l.Warnings = notes[wrapped:n:n]
}

// parseSafeLinks reads a link parseSimple reads inside a Safe Links wrapper
// exactly as Outlook writes one:
//
//	https://nam12.safelinks.protection.outlook.com/?url=<encoded link>&data=…&reserved=0
//
// It refuses any wrapper the slow path would repair or judge, so that both
// give the same Link: only plain URL bytes, a lower-case region, url first
// and no parameter named authMethods.
func parseSafeLinks(s string) (Link, bool) {
	const (
		scheme = "https://"
		suffix = ".safelinks.protection.outlook.com/?url="
	)
	if !strings.HasPrefix(s, scheme) || !isLinkByte(s[len(s)-1]) {
		return Link{}, false
	}
	region := s[len(scheme):]
	n := 0
	for n < len(region) && ('a' <= region[n] && region[n] <= 'z' || '0' <= region[n] && region[n] <= '9' || region[n] == '-') {
		n++
	}
	if n == 0 || !strings.HasPrefix(region[n:], suffix) {
		return Link{}, false
	}
	region = region[:n]
	// The value of url needs no check here: readSimple takes only a link
	// without anything to repair, and percent-decoding cannot remove a byte
	// the slow path would repair. The parameters after it must be plain.
	v, q, _ := strings.Cut(s[len(scheme)+n+len(suffix):], "&")
	// As the slow path, take url only when it shows authMethods plainly.
	if !strings.Contains(v, "authMethods") {
		return Link{}, false
	}
	for i := 0; i < len(q); i++ {
		if !plainURLByte[q[i]] {
			return Link{}, false
		}
	}
	for q != "" {
		var p param
		if p, q = nextParam(q); strings.EqualFold(p.name, "authMethods") {
			return Link{}, false
		}
	}
	l, noScheme, amp, ok := readSimple(percentDecode(v))
	if !ok {
		return Link{}, false
	}
	l.Input = s
	l.setNotes(s[len(scheme):len(scheme)+len(region)+len(suffix)-len("/?url=")], noScheme, amp)
	return l, true
}

// plainURLByte marks the bytes of a URL that no repair of the slow path
// touches: letters, digits and - . _ ~ % / ? = & : + (no ';', so no HTML
// reference; no '\', so no JSON escape; no space, '@' or '#').
var plainURLByte = func() (t [256]bool) {
	for c := range t {
		t[c] = isASCIILetter(byte(c)) || '0' <= c && c <= '9' || strings.IndexByte("-._~%/?=&:+", byte(c)) >= 0
	}
	return t
}()

// canonicalNumber reads a decimal number without sign or leading zeros, not
// above max, at the start of s, and returns it and the rest of s.
func canonicalNumber(s string, max uint64) (n uint64, rest string, ok bool) {
	i := 0
	for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		if i == 10 {
			return 0, "", false
		}
		n = n*10 + uint64(s[i]-'0')
	}
	if i == 0 || s[0] == '0' && i > 1 || n > max {
		return 0, "", false
	}
	return n, s[i:], true
}

// slowParse is the state of one parse on the slow path.
type slowParse struct {
	p        *Parser
	maxDepth int
	wrapped  []string
	warnings []string
	reasons  []Reason // against wrappers
}

func (st *slowParse) warn(format string, args ...any) {
	st.note(fmt.Sprintf(format, args...))
}

// note records a warning that needs no formatting.
func (st *slowParse) note(w string) {
	st.warnings = append(st.warnings, w)
}

// unwrap records one layer of wrapping removed, and the warning that says
// so.
func (st *slowParse) unwrap(kind, warning string) error {
	if len(st.wrapped) >= st.maxDepth {
		return fmt.Errorf("%w: more than %d layers", ErrTooDeep, st.maxDepth)
	}
	st.wrapped = append(st.wrapped, kind)
	st.note(warning)
	return nil
}

func (p *Parser) depth() int {
	switch {
	case p.MaxDepth <= 0:
		return DefaultMaxDepth
	case p.MaxDepth > maxDepthLimit:
		return maxDepthLimit
	}
	return p.MaxDepth
}

func (p *Parser) parseSlow(s string) (Link, error) {
	st := slowParse{p: p, maxDepth: p.depth()}
	text := st.trim(s)
	if text == "" {
		return Link{}, ErrEmpty
	}
	for {
		// Escapes may be doubled (&amp;amp;); each pass is one layer.
		for t, ok := decodeJSONEscapes(text); ok; t, ok = decodeJSONEscapes(text) {
			if err := st.unwrap("json", `decoded JSON escapes (\/, \u0026 …)`); err != nil {
				return Link{}, err
			}
			text = st.trim(t)
		}
		for t, ok := decodeHTMLEntities(text); ok; t, ok = decodeHTMLEntities(text) {
			if err := st.unwrap("html", warnHTML); err != nil {
				return Link{}, err
			}
			text = st.trim(t)
		}
		if hasTabNewline(text) {
			text = trimC0Space(removeTabNewline(text))
			st.note("removed line breaks or tabs inside the link")
		}
		if t, ok := removeQuerySpaces(text); ok {
			text = t
			st.note("removed spaces around '?', '=' or '&'")
		}
		u := splitBrowser(text)
		if hasParam(u.query, "authMethods") {
			return st.link(s, &u)
		}
		if name, target, ok := redirect(u.query); ok {
			var err error
			if strings.EqualFold(name, "url") && isSafeLinksHost(u.host) {
				err = st.unwrap("safelinks", warnSafeLinks(u.host))
			} else {
				err = st.unwrap("redirect:"+short(name), fmt.Sprintf("unwrapped the link carried in parameter %q of %s", short(name), short(u.host)))
			}
			if err != nil {
				return Link{}, err
			}
			st.judgeWrapper(&u)
			text = st.trim(target)
			continue
		}
		t, ok := decodeLink(&u)
		if !ok {
			return Link{}, ErrNoAuthMethods
		}
		if err := st.unwrap("percent", "decoded a percent-encoded link"); err != nil {
			return Link{}, err
		}
		text = t
	}
}

// trim removes what surrounds a link and warns about anything more than
// white space.
func (st *slowParse) trim(s string) string {
	link, before, after := trimSurrounding(s)
	switch {
	case before != "" && after != "":
		st.warn("removed %q before and %q after the link", short(before), short(after))
	case before != "":
		st.warn("removed %q before the link", short(before))
	case after != "":
		st.warn("removed %q after the link", short(after))
	}
	return link
}

// decodeLink percent-decodes a link whose query did not read. A link
// encoded whole (https%3A%2F%2F…) has lost its scheme to the encoding and
// is decoded whole; otherwise only the part after the host is, so that an
// encoded host stays visible to the verdict.
func decodeLink(u *browserURL) (string, bool) {
	if u.scheme == "" && strings.ContainsAny(percentDecode(u.rawHost), ":/%") {
		t := percentDecode(u.text)
		return t, t != u.text
	}
	head, tail := u.text[:u.authEnd], u.text[u.authEnd:]
	t := percentDecode(tail)
	return head + t, t != tail
}

// param is one name=value pair of a query; the name is percent-decoded.
type param struct{ name, value string }

// nextParam splits the first pair off a query. Parameters are read by
// walking the query again for each purpose, which costs less than
// collecting them.
func nextParam(q string) (p param, rest string) {
	kv, rest, _ := strings.Cut(q, "&")
	name, value, _ := strings.Cut(kv, "=")
	return param{percentDecode(name), value}, rest
}

func hasParam(q, name string) bool {
	for q != "" {
		var p param
		if p, q = nextParam(q); strings.EqualFold(p.name, name) {
			return true
		}
	}
	return false
}

// redirect finds a parameter that carries a register link, such as Safe
// Links' url or a sign-in page's redirect_uri, ru or returnUrl, and returns
// its name and decoded value. Any parameter whose value holds authMethods
// counts: redirectors name theirs freely. Percent-encoding leaves the
// letters of authMethods as they are, so values are decoded only when no
// value shows them plainly.
func redirect(q string) (name, target string, ok bool) {
	for _, decode := range [...]bool{false, true} {
		for rest := q; rest != ""; {
			var p param
			p, rest = nextParam(rest)
			v := p.value
			if decode {
				if strings.IndexByte(v, '%') < 0 {
					continue
				}
				v = percentDecode(v)
			}
			if containsFold(v, "authmethods") {
				return p.name, percentDecode(p.value), true
			}
		}
	}
	return "", "", false
}

// link finishes a Link from the level of unwrapping that holds authMethods.
func (st *slowParse) link(input string, u *browserURL) (Link, error) {
	l := Link{
		Input:  input,
		URL:    u.text,
		Scheme: u.scheme,
		Host:   u.host,
		Port:   u.port,
		Path:   u.path,
	}
	if u.scheme == "" {
		st.note(warnNoScheme)
	}
	if u.rawPort != "" && u.port == "" && u.portErr == "" {
		st.warn("explicit default port %q: harmless, but Entra never writes it", ":"+u.rawPort)
	}
	if u.path != "/register" {
		st.warn("path %q is not /register", short(u.path))
	}
	mask, _, err := st.readParams(u.query, "authMethods", true, math.MaxUint32)
	if err != nil {
		return Link{}, err
	}
	l.Mask = bitmask.Mask(mask)
	count, n, err := st.readParams(u.query, "authMethodCount", false, MaxCount)
	switch {
	case err != nil:
		return Link{}, fmt.Errorf("%w: %w", ErrCount, err)
	case n == 0:
		st.note("no authMethodCount: Entra writes authMethodCount=1")
	case count == 0:
		st.note("authMethodCount=0 asks for no method at all")
	}
	l.Count, l.HasCount = int(count), n > 0
	const listed = 5
	others, empty := 0, 0
	for q := u.query; q != ""; {
		var p param
		p, q = nextParam(q)
		switch {
		case p.name == "" && p.value == "":
			empty++
		case strings.EqualFold(p.name, "authMethods"), strings.EqualFold(p.name, "authMethodCount"):
		default:
			if others++; others <= listed {
				st.warn("ignored parameter %q", short(p.name))
			}
		}
	}
	if others > listed {
		st.warn("ignored %d more parameters", others-listed)
	}
	if empty > 0 {
		st.warn("ignored %d empty parameters (\"&&\")", empty)
	}
	if u.hasFrag {
		st.warn("ignored the fragment %q", "#"+short(u.fragment))
	}
	l.Verdict = st.p.verdict(u, st.reasons)
	l.Wrapped = st.wrapped
	l.Warnings = st.warnings
	return l, nil
}

// readParams reads every occurrence of one parameter in query q and
// returns its value and how often it appears: equal duplicates are a
// warning, different ones an error.
func (st *slowParse) readParams(q, canonical string, hex bool, max uint64) (value uint64, n int, err error) {
	for q != "" {
		var p param
		if p, q = nextParam(q); !strings.EqualFold(p.name, canonical) {
			continue
		}
		if p.name != canonical {
			st.warn("parameter %q is not spelled %s; the wizard's handling of that spelling is unknown", p.name, canonical)
		}
		v := p.value
		if strings.IndexByte(v, '%') >= 0 {
			v = percentDecode(v)
			st.warn("decoded the percent-encoded value %s=%q", canonical, short(p.value))
		}
		x, err := st.readNumber(canonical, v, hex, max)
		if err != nil {
			return 0, 0, fmt.Errorf("%s=%q: %w", canonical, short(v), err)
		}
		if n++; n == 1 {
			value = x
		} else if x != value {
			return 0, 0, fmt.Errorf("%s=%d and %s=%d: %w", canonical, value, canonical, x, ErrConflict)
		}
	}
	if n > 1 {
		st.warn("%s appears %d times, with the same value", canonical, n)
	}
	return value, n, nil
}

// readNumber reads one value. Besides decimal it takes screenshot slips
// (O or o for 0, l or I for 1) in a number with at least one real digit or
// of a single character, and, if hex is set, a 0x-prefixed hex number, each
// with a warning. "ll" or "OI" is more likely a word than a number.
func (st *slowParse) readNumber(name, v string, hex bool, max uint64) (uint64, error) {
	if t := strings.TrimSpace(v); t != v {
		st.warn("removed spaces around the value of %s", name)
		v = t
	}
	if v == "" {
		return 0, ErrEmpty
	}
	digits, negative := v, false
	if digits[0] == '-' {
		digits, negative = digits[1:], true
	}
	base := uint64(10)
	if hex && len(digits) > 2 && digits[0] == '0' && digits[1]|0x20 == 'x' {
		base, digits = 16, digits[2:]
	}
	var n uint64
	real, slips, over := false, false, false
	for i := 0; i < len(digits); i++ {
		d := hexValue(digits[i])
		switch c := digits[i]; {
		case d < base:
			real = true
		case base == 10 && (c == 'O' || c == 'o'):
			d, slips = 0, true
		case base == 10 && (c == 'l' || c == 'I'):
			d, slips = 1, true
		default:
			return 0, ErrNotNumber
		}
		if n = n*base + d; n > max {
			over, n = true, max+1 // keep n bounded while checking the rest
		}
	}
	switch {
	case !real && len(digits) != 1:
		return 0, ErrNotNumber
	case negative:
		return 0, ErrNegative
	case over:
		if max == math.MaxUint32 {
			return 0, fmt.Errorf("%w (a mask is 0 to %d)", ErrRange, uint32(math.MaxUint32))
		}
		return 0, fmt.Errorf("%w (largest is %d)", ErrRange, max)
	}
	if slips {
		st.warn("read %s=%q as %d: took O or o for 0 and l or I for 1, as when retyping from a screenshot", name, short(v), n)
	}
	if base == 16 {
		st.warn("%s=%s is hex for %d; Entra writes decimal, and whether the wizard reads hex is unknown", name, short(v), n)
	} else if len(digits) > 1 && digits[0] == '0' {
		st.warn("%s=%s has leading zeros; read as %d", name, short(v), n)
	}
	return n, nil
}

// containsFold reports whether s contains word, which is lower-case ASCII
// letters, in any case, without allocating.
func containsFold(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		if s[i]|0x20 == word[0] && strings.EqualFold(s[i:i+len(word)], word) {
			return true
		}
	}
	return false
}
