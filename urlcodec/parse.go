package urlcodec

import (
	"fmt"
	"math"
	"strings"

	"github.com/authmethods/authmethods/bitmask"
)

// Parse has two paths. The fast one reads the link exactly as Entra writes
// it, which is most of what people paste, without allocating beyond the
// Link. Anything else takes the slow path, which repairs and unwraps, and
// says so in Link.Warnings.

const canonicalPrefix = RegisterURL + "?"

// parseCanonical reads https://mysignins.microsoft.com/register?authMethods=N&authMethodCount=M
// with both parameters, in either order, spelled and written exactly as
// Entra does; scheme and host may be in any case. It reports false for
// anything else.
func parseCanonical(s string) (*Link, bool) {
	const hostEnd = len("https://" + Host)
	if len(s) < len(canonicalPrefix) || !strings.EqualFold(s[:hostEnd], canonicalPrefix[:hostEnd]) ||
		s[hostEnd:len(canonicalPrefix)] != canonicalPrefix[hostEnd:] {
		return nil, false
	}
	var mask, count uint64
	haveMask, haveCount := false, false
	for q := s[len(canonicalPrefix):]; ; {
		kv, rest, more := strings.Cut(q, "&")
		var ok bool
		switch {
		case !haveMask && strings.HasPrefix(kv, "authMethods="):
			mask, ok = canonicalNumber(kv[len("authMethods="):], math.MaxUint32)
			haveMask = true
		case !haveCount && strings.HasPrefix(kv, "authMethodCount="):
			// 0 asks for nothing and needs a warning: not canonical.
			count, ok = canonicalNumber(kv[len("authMethodCount="):], MaxCount)
			ok = ok && count > 0
			haveCount = true
		}
		if !ok {
			return nil, false
		}
		if !more {
			break
		}
		q = rest
	}
	if !haveMask || !haveCount {
		return nil, false
	}
	return &Link{
		Input:    s,
		URL:      s,
		Scheme:   "https",
		Host:     Host,
		Path:     "/register",
		Mask:     bitmask.Mask(mask),
		Count:    int(count),
		HasCount: true,
		Verdict:  Verdict{Trusted: true},
	}, true
}

// canonicalNumber reads a decimal number without sign or leading zeros, not
// above max.
func canonicalNumber(s string, max uint64) (uint64, bool) {
	if s == "" || len(s) > 10 || s[0] == '0' && len(s) > 1 {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, n <= max
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

// unwrap records one layer of wrapping removed.
func (st *slowParse) unwrap(kind, format string, args ...any) error {
	if len(st.wrapped) >= st.maxDepth {
		return fmt.Errorf("%w: more than %d layers", ErrTooDeep, st.maxDepth)
	}
	st.wrapped = append(st.wrapped, kind)
	st.warn(format, args...)
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

func (p *Parser) parseSlow(s string) (*Link, error) {
	st := slowParse{p: p, maxDepth: p.depth()}
	text := st.trim(s)
	if text == "" {
		return nil, ErrEmpty
	}
	for {
		// Escapes may be doubled (&amp;amp;); each pass is one layer.
		for t, ok := decodeJSONEscapes(text); ok; t, ok = decodeJSONEscapes(text) {
			if err := st.unwrap("json", `decoded JSON escapes (\/, \u0026 …)`); err != nil {
				return nil, err
			}
			text = st.trim(t)
		}
		for t, ok := decodeHTMLEntities(text); ok; t, ok = decodeHTMLEntities(text) {
			if err := st.unwrap("html", "decoded HTML character references (&amp; …)"); err != nil {
				return nil, err
			}
			text = st.trim(t)
		}
		if strings.ContainsAny(text, "\t\n\r") {
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
			kind := "redirect:" + short(name)
			what := fmt.Sprintf("unwrapped the link carried in parameter %q of %s", short(name), short(u.host))
			if strings.EqualFold(name, "url") && isSafeLinksHost(u.host) {
				kind, what = "safelinks", "unwrapped Safe Links ("+u.host+")"
			}
			if err := st.unwrap(kind, "%s", what); err != nil {
				return nil, err
			}
			st.judgeWrapper(&u)
			text = st.trim(target)
			continue
		}
		t, ok := decodeLink(&u)
		if !ok {
			return nil, ErrNoAuthMethods
		}
		if err := st.unwrap("percent", "decoded a percent-encoded link"); err != nil {
			return nil, err
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
// counts: redirectors name theirs freely.
func redirect(q string) (name, target string, ok bool) {
	for q != "" {
		var p param
		p, q = nextParam(q)
		if v := percentDecode(p.value); containsFold(v, "authmethods") {
			return p.name, v, true
		}
	}
	return "", "", false
}

// link finishes a Link from the level of unwrapping that holds authMethods.
func (st *slowParse) link(input string, u *browserURL) (*Link, error) {
	l := &Link{
		Input:  input,
		URL:    u.text,
		Scheme: u.scheme,
		Host:   u.host,
		Port:   u.port,
		Path:   u.path,
	}
	if u.scheme == "" {
		st.note("no scheme: judged as if https:// was meant")
	}
	if u.rawPort != "" && u.port == "" && u.portErr == "" {
		st.warn("explicit default port %q: harmless, but Entra never writes it", ":"+u.rawPort)
	}
	if u.path != "/register" {
		st.warn("path %q is not /register", short(u.path))
	}
	mask, _, err := st.readParams(u.query, "authMethods", true, math.MaxUint32)
	if err != nil {
		return nil, err
	}
	l.Mask = bitmask.Mask(mask)
	count, n, err := st.readParams(u.query, "authMethodCount", false, MaxCount)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: %w", ErrCount, err)
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

// containsFold reports whether s contains the lower-case ASCII word, in any
// case, without allocating.
func containsFold(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(word)], word) {
			return true
		}
	}
	return false
}
