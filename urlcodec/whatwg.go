package urlcodec

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/authmethods/authmethods/bitmask/echo"

	"golang.org/x/net/idna"
)

// This file splits a URL the way a browser does (WHATWG URL Standard,
// https://url.spec.whatwg.org/), as far as the host verdict needs: net/url
// follows RFC 3986 and reaches a different host for exactly the inputs
// phishing uses, such as https://evil.io\@mysignins.microsoft.com/.

// browserURL is a URL split by the WHATWG rules, with the oddities met on
// the way. Offsets are into text.
type browserURL struct {
	text      string // the input, C0 and space trimmed, tab and newline removed
	scheme    string // lower case; "" when the text had none
	special   bool   // scheme is one of the WHATWG special schemes, or none
	slashes   string // the run of '/' and '\' after "scheme:"
	userinfo  string // before the last '@' of the authority
	atSign    bool   // the authority had an '@'
	rawHost   string // host as written
	host      string // as the browser reaches it: decoded, mapped, lower case
	hostErr   string // why a browser refuses the host; "" when it accepts it
	rawPort   string // port as written, without ':'
	port      string // "" for the scheme's default
	portErr   string
	authEnd   int  // offset just past the authority
	backslash bool // a '\' in the slashes or ending the authority
	encoded   bool // the host had percent-encoded bytes
	unicode   bool // the host had non-ASCII characters or punycode labels
	ip        bool // the host is an IPv4 or IPv6 address
	path      string
	query     string // after '?', before '#'
	fragment  string
	hasFrag   bool
}

// defaultPorts of the special schemes; "file" has none.
var defaultPorts = map[string]string{"http": "80", "https": "443", "ws": "80", "wss": "443", "ftp": "21", "file": ""}

// splitBrowser splits s as a browser would. Text without a scheme is split
// as if "https://" preceded it, which is what browsers and chat clients make
// of a pasted host name.
func splitBrowser(s string) browserURL {
	var u browserURL
	s = trimC0Space(s)
	if hasTabNewline(s) {
		s = removeTabNewline(s)
	}
	u.text = s
	rest := s
	if scheme, n := schemePrefix(s); n > 0 {
		u.scheme = scheme
		rest = s[n:]
		_, u.special = defaultPorts[scheme]
	} else {
		u.special = true
	}
	off := len(s) - len(rest)
	if u.special {
		n := 0
		for n < len(rest) && (rest[n] == '/' || rest[n] == '\\') {
			n++
		}
		u.slashes = rest[:n]
	} else if strings.HasPrefix(rest, "//") {
		u.slashes = "//"
	} else {
		// An opaque path such as mailto:… or javascript:… has no host.
		u.authEnd = off
		u.hostErr = "the link has no host"
		u.splitPathQuery(rest)
		return u
	}
	u.backslash = strings.IndexByte(u.slashes, '\\') >= 0
	off += len(u.slashes)
	rest = rest[len(u.slashes):]

	end := 0
	for end < len(rest) && !endsAuthority(rest[end], u.special) {
		end++
	}
	if end < len(rest) && rest[end] == '\\' {
		u.backslash = true
	}
	authority := rest[:end]
	u.authEnd = off + end
	u.splitPathQuery(rest[end:])

	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		u.atSign = true
		u.userinfo = authority[:i]
		authority = authority[i+1:]
	}
	hostPort := authority
	if strings.HasPrefix(hostPort, "[") {
		if i := strings.IndexByte(hostPort, ']'); i >= 0 {
			u.rawHost = hostPort[:i+1]
			hostPort = hostPort[i+1:]
			if hostPort != "" && hostPort[0] != ':' {
				u.hostErr = "text after the IPv6 address"
			}
		} else {
			u.rawHost = hostPort
			hostPort = ""
			u.hostErr = "an IPv6 address without ']'"
		}
	} else if i := strings.IndexByte(hostPort, ':'); i >= 0 {
		u.rawHost = hostPort[:i]
		hostPort = hostPort[i:]
	} else {
		u.rawHost = hostPort
		hostPort = ""
	}
	if strings.HasPrefix(hostPort, ":") {
		u.rawPort = hostPort[1:]
		u.port, u.portErr = browserPort(u.rawPort, u.scheme)
	}
	if u.hostErr == "" {
		u.host, u.hostErr = u.browserHost(u.rawHost)
	} else {
		u.host = strings.ToLower(u.rawHost)
	}
	return u
}

// endsAuthority reports whether c ends the authority: '/', '?', '#', and
// for special schemes '\\'.
func endsAuthority(c byte, special bool) bool {
	return c == '/' || c == '?' || c == '#' || c == '\\' && special
}

func (u *browserURL) splitPathQuery(rest string) {
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		u.fragment, u.hasFrag = rest[i+1:], true
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		u.query = rest[i+1:]
		rest = rest[:i]
	}
	u.path = rest
}

// schemePrefix returns the lower-case scheme of s and the length of
// "scheme:", or 0 when s has none. A "scheme" with a dot followed by a digit,
// as in mysignins.microsoft.com:443/register, is a host and port typed
// without a scheme, which is how a person means it.
func schemePrefix(s string) (string, int) {
	if s == "" || !isASCIILetter(s[0]) {
		return "", 0
	}
	dot := false
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case isASCIILetter(c) || '0' <= c && c <= '9' || c == '+' || c == '-':
		case c == '.':
			dot = true
		case c == ':':
			if dot || i+1 < len(s) && '0' <= s[i+1] && s[i+1] <= '9' {
				return "", 0
			}
			return strings.ToLower(s[:i]), i + 1
		default:
			return "", 0
		}
	}
	return "", 0
}

// browserPort returns the port as a browser keeps it: "" for the scheme's
// default.
func browserPort(raw, scheme string) (port, failure string) {
	if raw == "" {
		return "", ""
	}
	n := 0
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c < '0' || c > '9' {
			return raw, "port " + strconv.Quote(short(raw)) + " is not a number"
		}
		if n = n*10 + int(c-'0'); n > 65535 {
			return raw, "port " + short(raw) + " is larger than 65535"
		}
	}
	p := strconv.Itoa(n)
	def := "443" // text without a scheme is taken as https
	if scheme != "" {
		def = defaultPorts[scheme]
	}
	if p == def {
		return "", ""
	}
	return p, ""
}

// whatwgIDNA is the WHATWG "domain to ASCII" with beStrict false:
// UTS #46 non-transitional mapping, CheckBidi and CheckJoiners on,
// CheckHyphens, UseSTD3ASCIIRules and VerifyDnsLength off.
var whatwgIDNA = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.CheckHyphens(false),
	idna.VerifyDNSLength(false),
)

// browserHost turns a special URL's host as written into the host a browser
// connects to, or says why the browser refuses it.
func (u *browserURL) browserHost(raw string) (host, failure string) {
	if raw == "" {
		return "", "the link has no host"
	}
	if raw[0] == '[' {
		u.ip = true
		return strings.ToLower(raw), ""
	}
	if !u.special {
		// An opaque host (a scheme that is not http(s)): untrusted anyway,
		// but named as a browser names it.
		return opaqueHost(raw), ""
	}
	h := raw
	if strings.IndexByte(h, '%') >= 0 {
		u.encoded = true
		h = percentDecode(h)
	}
	if !utf8.ValidString(h) {
		return strings.ToLower(h), "the host is not valid UTF-8"
	}
	if isASCII(h) && !hasPunycodeLabel(h) {
		h = strings.ToLower(h)
	} else {
		u.unicode = true
		a, err := whatwgIDNA.ToASCII(h)
		if err != nil || a == "" {
			return strings.ToLower(h), "a browser refuses the internationalized host " + strconv.Quote(short(h))
		}
		h = a
	}
	for i := 0; i < len(h); i++ {
		if forbiddenInDomain[h[i]] {
			return h, "the host has the character " + strconv.QuoteRune(rune(h[i])) + ", which a browser refuses"
		}
	}
	if endsInNumber(h) {
		u.ip = true
		v4, ok := parseIPv4(h)
		if !ok {
			return h, "the host " + strconv.Quote(short(h)) + " is neither a name nor a valid IPv4 address"
		}
		return v4, ""
	}
	return h, ""
}

// opaqueHost is the WHATWG opaque-host parser's output for raw: invalid
// UTF-8 replaced by U+FFFD, then bytes outside printable ASCII (the C0
// control percent-encode set) percent-encoded.
func opaqueHost(raw string) string {
	raw = strings.ToValidUTF8(raw, "\uFFFD")
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c < 0x20 || c > 0x7e {
			b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c)>>4, 16)+strconv.FormatUint(uint64(c)&15, 16)))
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// forbiddenInDomain marks the forbidden domain code points (WHATWG): C0
// controls, space, DEL and # / : < > ? @ [ \ ] ^ | %. A host holds only
// ASCII after IDNA, so a byte table suffices.
var forbiddenInDomain = func() (t [256]bool) {
	for c := range 0x21 {
		t[c] = true
	}
	for _, c := range []byte("#/:<>?@[\\]^|%\x7f") {
		t[c] = true
	}
	return t
}()

// hasPunycodeLabel reports whether a label of h starts with "xn--".
func hasPunycodeLabel(h string) bool {
	if !strings.Contains(h, "--") {
		return false
	}
	for i := 0; i+4 <= len(h); i++ {
		if (i == 0 || h[i-1] == '.') && strings.EqualFold(h[i:i+4], "xn--") {
			return true
		}
	}
	return false
}

// endsInNumber is the WHATWG "ends in a number" checker: a host whose last
// label is a number is parsed as IPv4.
func endsInNumber(h string) bool {
	h = strings.TrimSuffix(h, ".")
	last := h[strings.LastIndexByte(h, '.')+1:]
	if last == "" {
		return false
	}
	if allDigits(last) {
		return true
	}
	if len(last) >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X') {
		for i := 2; i < len(last); i++ {
			if !isHexDigit(last[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// parseIPv4 is the WHATWG IPv4 parser: one to four parts, each decimal,
// 0x hex or 0-prefixed octal, the last filling the remaining bytes.
func parseIPv4(h string) (string, bool) {
	h = strings.TrimSuffix(h, ".")
	parts := strings.Split(h, ".")
	if len(parts) > 4 {
		return "", false
	}
	var nums [4]uint64
	for i, p := range parts {
		n, ok := parseIPv4Number(p)
		if !ok {
			return "", false
		}
		nums[i] = n
	}
	last := len(parts) - 1
	for _, n := range nums[:last] {
		if n > 255 {
			return "", false
		}
	}
	if nums[last] >= 1<<(8*(5-len(parts))) {
		return "", false
	}
	v := nums[last]
	for i, n := range nums[:last] {
		v += n << (8 * (3 - i))
	}
	return strconv.Itoa(int(v>>24)) + "." + strconv.Itoa(int(v>>16&255)) + "." +
		strconv.Itoa(int(v>>8&255)) + "." + strconv.Itoa(int(v&255)), true
}

func parseIPv4Number(p string) (uint64, bool) {
	if p == "" {
		return 0, false
	}
	base := uint64(10)
	switch {
	case len(p) >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'):
		base, p = 16, p[2:]
	case len(p) >= 2 && p[0] == '0':
		base, p = 8, p[1:]
	}
	var n uint64
	for i := 0; i < len(p); i++ {
		d := hexValue(p[i])
		if d >= base {
			return 0, false
		}
		if n = n*base + d; n > math.MaxUint32 {
			return 0, false // too large for any part
		}
	}
	return n, true
}

// trimC0Space removes leading and trailing C0 controls and spaces, as the
// WHATWG parser does first.
func trimC0Space(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= 0x20 {
		i++
	}
	for j > i && s[j-1] <= 0x20 {
		j--
	}
	return s[i:j]
}

// hasTabNewline reports a tab, LF or CR in s; three byte searches beat one
// search for any of three bytes.
func hasTabNewline(s string) bool {
	return strings.IndexByte(s, '\n') >= 0 || strings.IndexByte(s, '\t') >= 0 || strings.IndexByte(s, '\r') >= 0
}

// removeTabNewline removes every tab, LF and CR, as the WHATWG parser does
// before anything else.
func removeTabNewline(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '\t' && c != '\n' && c != '\r' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// percentDecode decodes every %XX; a '%' not followed by two hex digits
// stays, as in the WHATWG percent-decode.
func percentDecode(s string) string {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		if i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]) {
			b.WriteByte(byte(hexValue(s[i+1])<<4 | hexValue(s[i+2])))
			s = s[i+3:]
		} else {
			b.WriteByte('%')
			s = s[i+1:]
		}
		i = strings.IndexByte(s, '%')
	}
	b.WriteString(s)
	return b.String()
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isHexDigit(c byte) bool { return hexValue(c) < 16 }

// hexValue returns the value of a hex digit, or 16 for anything else.
func hexValue(c byte) uint64 {
	switch {
	case '0' <= c && c <= '9':
		return uint64(c - '0')
	case 'a' <= c|0x20 && c|0x20 <= 'f':
		return uint64(c|0x20-'a') + 10
	}
	return 16
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// short shortens s for a message.
func short(s string) string { return echo.Clip(s, 40) }
