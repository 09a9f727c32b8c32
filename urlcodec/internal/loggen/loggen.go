// Package loggen generates deterministic, proxy-style log text with Entra ID
// security-info register links planted in it, for tests and benchmarks of the
// link extractor. It is test support: the CLI does not use it.
//
// A generated log is a sequence of access-log lines of about 250 to 400 bytes
// (timestamp, client address, user, method, URL with a query, status, size,
// user agent, referrer, cache verdict). About one line in [Config.LinkEvery]
// holds a register link in one of the forms users meet:
//
//   - plain:      https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1
//   - Safe Links: https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2F…&data=05%7C…&reserved=0
//   - upper case: HTTPS://MYSIGNINS.MICROSOFT.COM/REGISTER?AUTHMETHODS=48&AUTHMETHODCOUNT=1
//   - no scheme:  mysignins.microsoft.com/register?authMethods=48
//   - HTML:       <a href="https://…register?authMethods=1720&amp;authMethodCount=1">
//   - JSON:       "https:\/\/mysignins.microsoft.com\/register?authMethods=1960\u0026authMethodCount=1"
//
// occasionally two on one line, and sometimes on a lookalike host. Other lines
// are near misses: they contain authMethodCount without authMethods, or the word
// authmethods in prose or in a path, without a register link.
//
// Every token that contains the anchor "authmethods" (in any case) is returned
// as a [Planted] value with its exact byte offset, so that a test can assert
// that a scanner finds exactly the planted tokens and nothing else. Background
// text never contains the anchor.
package loggen

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Kind says what a planted token is.
type Kind int

const (
	// Link is a register link on the genuine host mysignins.microsoft.com
	// (possibly wrapped in Safe Links).
	Link Kind = iota
	// Lookalike is a register link whose host is not mysignins.microsoft.com
	// (for example mysignins.microsoft.com.account-verify.example).
	Lookalike
	// Prose is a token that contains the anchor but is no register link
	// (the word in a message, a documentation path).
	Prose
)

func (k Kind) String() string {
	switch k {
	case Link:
		return "link"
	case Lookalike:
		return "lookalike"
	case Prose:
		return "prose"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Planted is one token of the generated log that contains the anchor.
//
// The token is delimited on both sides by a space, a double quote, a line
// boundary or the start or end of the log, and is shorter than 2 KiB, so a
// scanner that expands an anchor hit to the surrounding URL-ish token reports
// exactly Text at Offset.
type Planted struct {
	Offset int64  // byte offset of the token's first byte in the log
	Line   int64  // 1-based line number of the token
	Text   string // the token exactly as written
	Kind   Kind
	Form   string // plain, upper, mixed, noscheme, html, json, safelinks, countfirst, prose
	Host   string // host of the register link (after unwrapping); "" for Prose
	Mask   uint64 // value of authMethods; 0 for Prose
	Count  int    // value of authMethodCount, -1 when the link has none
	// Wrapped is true when the link is inside a Safe Links wrapper.
	Wrapped bool
}

// Config controls a generated log. The zero value of every field but Size
// means its default.
type Config struct {
	// Size is the exact number of bytes to generate.
	Size int64
	// Seed selects the pseudo-random sequence; equal configs give equal logs.
	Seed uint64
	// LinkEvery is the mean number of lines per line that holds a register
	// link (default 2000).
	LinkEvery int
	// NearMissEvery is the mean number of lines per near-miss line (default
	// 1000): authMethodCount without authMethods, or the anchor in prose.
	NearMissEvery int
	// WrappedPercent is the share of links wrapped in Safe Links (default 30;
	// a negative value means 0).
	WrappedPercent int
}

func (c Config) withDefaults() Config {
	if c.LinkEvery <= 0 {
		c.LinkEvery = 2000
	}
	if c.NearMissEvery <= 0 {
		c.NearMissEvery = 1000
	}
	if c.WrappedPercent == 0 {
		c.WrappedPercent = 30
	} else if c.WrappedPercent < 0 {
		c.WrappedPercent = 0
	}
	return c
}

// Generate returns a log of exactly c.Size bytes and the tokens planted in it,
// in order of offset.
func Generate(c Config) ([]byte, []Planted) {
	var buf bytes.Buffer
	if c.Size > 0 {
		buf.Grow(int(c.Size))
	}
	planted, err := Write(&buf, c)
	if err != nil { // bytes.Buffer does not fail but by panicking
		panic(err)
	}
	return buf.Bytes(), planted
}

// Write writes a log of exactly c.Size bytes to w and returns the tokens
// planted in it, in order of offset. Memory use does not grow with c.Size
// beyond the returned slice.
func Write(w io.Writer, c Config) ([]Planted, error) {
	c = c.withDefaults()
	g := &gen{
		c:    c,
		rng:  rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15)),
		line: 1,
	}
	bw := bufio.NewWriterSize(w, int(min(1<<20, max(4096, c.Size))))
	for g.off < c.Size {
		g.buf = g.buf[:0]
		g.pending = g.pending[:0]
		rest := c.Size - g.off
		if rest < maxLine {
			g.padLine(int(rest))
		} else {
			g.logLine()
		}
		for _, p := range g.pending {
			p.Offset += g.off
			p.Line = g.line
			g.planted = append(g.planted, p)
		}
		if _, err := bw.Write(g.buf); err != nil {
			return g.planted, err
		}
		g.off += int64(len(g.buf))
		g.line++
	}
	return g.planted, bw.Flush()
}

// maxLine bounds the length of a generated line (the longest user agent,
// URL and two wrapped links fit); the last line is a padding line when less
// than this is left, so that the log has exactly Config.Size bytes.
const maxLine = 2048

type gen struct {
	c       Config
	rng     *rand.Rand
	buf     []byte
	pending []Planted // tokens of the current line, Offset relative to the line
	planted []Planted
	off     int64
	line    int64
	clock   int64 // seconds since the start of the log
}

func (g *gen) intn(n int) int { return g.rng.IntN(n) }

func (g *gen) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *gen) str(s string) { g.buf = append(g.buf, s...) }

func (g *gen) num(n int) { g.buf = strconv.AppendInt(g.buf, int64(n), 10) }

func (g *gen) hex(n int) {
	const digits = "0123456789abcdef"
	for range n {
		g.buf = append(g.buf, digits[g.rng.IntN(16)])
	}
}

func (g *gen) alnum(n int) {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	for range n {
		g.buf = append(g.buf, chars[g.rng.IntN(len(chars))])
	}
}

// padLine fills the last n bytes of the log: a comment line when there is
// room for its newline, otherwise spaces.
func (g *gen) padLine(n int) {
	if n == 1 {
		g.str("\n")
		return
	}
	g.str("#")
	for len(g.buf) < n-1 {
		g.buf = append(g.buf, '-')
	}
	g.str("\n")
}

// plant appends a token that contains the anchor and records it.
func (g *gen) plant(p Planted) {
	p.Offset = int64(len(g.buf))
	g.pending = append(g.pending, p)
	g.str(p.Text)
}

func (g *gen) logLine() {
	g.clock += int64(g.intn(3))
	t := g.clock
	// 2025-08-29T10:15:32.123Z, advancing through the day.
	g.str("2025-08-29T")
	h, m, s := (t/3600)%24, (t/60)%60, t%60
	g.buf = fmt.Appendf(g.buf, "%02d:%02d:%02d.%03dZ ", h, m, s, g.intn(1000))
	g.ip()
	g.str(" ")
	g.user()
	g.str(" ")
	g.str(g.pick(methods))
	g.str(" ")

	link := g.intn(g.c.LinkEvery) == 0
	near := !link && g.intn(g.c.NearMissEvery) == 0
	// Where a link goes: the request URL, the referrer, or a message field;
	// HTML and JSON forms only go to the message field.
	var l, l2 linkToken
	where := -1
	if link {
		l = g.makeLink()
		where = g.intn(3)
		if l.pre != "" {
			where = 2
		}
		if g.intn(20) == 0 {
			l2 = g.makeLink() // occasionally a second link on the line
		}
	}
	if where == 0 {
		g.plant(l.p)
	} else {
		g.url()
	}
	g.str(" ")
	g.str(g.pick(statuses))
	g.str(" ")
	g.num(200 + g.intn(90000))
	g.str(" \"")
	g.str(g.pick(agents))
	g.str("\" \"")
	if where == 1 {
		g.plant(l.p)
	} else if g.intn(4) == 0 {
		g.str("-")
	} else {
		g.url()
	}
	g.str("\" ")
	g.str(g.pick(verdicts))
	g.str(" ")
	g.num(1 + g.intn(3000))
	g.str("ms")
	if where == 2 {
		g.str(" msg=")
		g.wrapped(l)
	}
	if l2.p.Text != "" {
		g.str(" next=")
		g.wrapped(l2)
	}
	if near {
		g.nearMiss()
	}
	g.str("\n")
}

func (g *gen) ip() {
	if g.intn(5) == 0 {
		g.buf = fmt.Appendf(g.buf, "2001:db8:%x::%x", g.intn(0x10000), 1+g.intn(0xffff))
		return
	}
	g.buf = fmt.Appendf(g.buf, "10.%d.%d.%d", g.intn(256), g.intn(256), 1+g.intn(254))
}

func (g *gen) user() {
	if g.intn(6) == 0 {
		g.str("-")
		return
	}
	g.str(g.pick(firstNames))
	g.str(".")
	g.str(g.pick(lastNames))
	g.str("@")
	g.str(g.pick(tenants))
}

// url writes an ordinary URL with a path and a query.
func (g *gen) url() {
	g.str("https://")
	g.str(g.pick(hosts))
	n := 1 + g.intn(4)
	for range n {
		g.str("/")
		if g.intn(4) == 0 {
			g.hex(8 + g.intn(24))
		} else {
			g.str(g.pick(segments))
		}
	}
	if g.intn(5) == 0 {
		g.str(g.pick(extensions))
	}
	if g.intn(3) == 0 {
		return
	}
	q := 1 + g.intn(5)
	for i := range q {
		if i == 0 {
			g.str("?")
		} else {
			g.str("&")
		}
		g.str(g.pick(params))
		g.str("=")
		switch g.intn(4) {
		case 0:
			g.num(g.intn(100000))
		case 1:
			g.hex(16 + g.intn(24))
		case 2:
			g.alnum(8 + g.intn(24))
		default:
			g.str(g.pick(segments))
		}
	}
}

var maskPool = []uint64{1720, 1960, 1976, 1976, 1976, 48, 8288, 8544, 128, 32, 2, 16, 24, 136, 168}

func (g *gen) mask() uint64 {
	if g.intn(4) == 0 {
		// any combination of the 16 documented bits, sometimes a higher one
		m := uint64(1 + g.intn(0xffff))
		if g.intn(50) == 0 {
			m |= 1 << (16 + g.intn(4))
		}
		return m
	}
	return maskPool[g.intn(len(maskPool))]
}

// linkToken is a register link and the text around it in a message field.
type linkToken struct {
	p         Planted
	pre, post string // HTML or JSON around the token; "" for bare forms
}

// wrapped writes a link token into a message field, quoted unless its form
// brings its own delimiters.
func (g *gen) wrapped(l linkToken) {
	if l.pre == "" {
		l.pre, l.post = "\"", "\""
	}
	g.str(l.pre)
	g.plant(l.p)
	g.str(l.post)
}

// makeLink makes one register link token in one of its forms.
func (g *gen) makeLink() linkToken {
	p := Planted{Kind: Link, Host: "mysignins.microsoft.com", Mask: g.mask(), Count: 1}
	if g.intn(40) == 0 {
		p.Kind = Lookalike
		p.Host = g.pick(lookalikes)
	}
	mask := strconv.FormatUint(p.Mask, 10)
	count := "1"
	if g.intn(50) == 0 {
		p.Count = 2
		count = "2"
	}
	raw := "https://" + p.Host + "/register?authMethods=" + mask + "&authMethodCount=" + count
	p.Form = "plain"
	if g.intn(100) < g.c.WrappedPercent {
		p.Form, p.Wrapped = "safelinks", true
		var b strings.Builder
		b.WriteString("https://")
		b.WriteString(g.pick(safelinkRegions))
		b.WriteString(".safelinks.protection.outlook.com/?url=")
		b.WriteString(percentEncode(raw))
		b.WriteString("&data=05%7C02%7C")
		b.WriteString(g.pick(firstNames))
		b.WriteString(".")
		b.WriteString(g.pick(lastNames))
		b.WriteString("%40")
		b.WriteString(g.pick(tenants))
		b.WriteString("%7C")
		b.WriteString(g.hexString(32))
		b.WriteString("%7C")
		b.WriteString(g.hexString(32))
		b.WriteString("%7C0%7C0%7C638")
		b.WriteString(strconv.FormatInt(100000000000000+g.rng.Int64N(900000000000000), 10)) // int64: 32-bit ints overflow
		b.WriteString("%7CUnknown%7CTWFpbGZsb3d8eyJFbXB0eU1hcGkiOnRydWV9%7C0%7C%7C%7C&sdata=")
		b.WriteString(g.base64String(43))
		b.WriteString("%3D&reserved=0")
		p.Text = b.String()
		return linkToken{p: p}
	}
	switch r := g.intn(100); {
	case r < 10:
		// Scheme and host in upper case, as some logs write them; the path
		// and query are case-sensitive to the wizard, so they stay.
		p.Form = "upper"
		n := len("https://") + len(p.Host)
		p.Text = strings.ToUpper(raw[:n]) + raw[n:]
	case r < 18:
		// Mixed case where it does not change the link: scheme and host.
		p.Form = "mixed"
		p.Text = "Https://" + mixedCase(p.Host) + "/register?authMethods=" + mask + "&authMethodCount=" + count
	case r < 30:
		p.Form, p.Count = "noscheme", -1
		p.Text = p.Host + "/register?authMethods=" + mask
	case r < 40:
		p.Form = "html"
		p.Text = "https://" + p.Host + "/register?authMethods=" + mask + "&amp;authMethodCount=" + count
		return linkToken{p, "<a href=\"", "\">link</a>"}
	case r < 50:
		p.Form = "json"
		p.Text = "https:\\/\\/" + p.Host + "\\/register?authMethods=" + mask + "\\u0026authMethodCount=" + count
		return linkToken{p, "{\"redirect\":\"", "\"}"}
	case r < 55:
		p.Form = "countfirst"
		p.Text = "https://" + p.Host + "/register?authMethodCount=" + count + "&authMethods=" + mask
	default:
		p.Text = raw
	}
	return linkToken{p: p}
}

func (g *gen) hexString(n int) string {
	start := len(g.buf)
	g.hex(n)
	s := string(g.buf[start:])
	g.buf = g.buf[:start]
	return s
}

func (g *gen) base64String(n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var b strings.Builder
	for range n {
		switch g.intn(40) {
		case 0:
			b.WriteString("%2B") // '+' escaped, as in real sdata values
		case 1:
			b.WriteString("%2F")
		default:
			b.WriteByte(chars[g.intn(len(chars))])
		}
	}
	return b.String()
}

// nearMiss appends a field that looks related but holds no register link.
func (g *gen) nearMiss() {
	switch g.intn(5) {
	case 0:
		// a register link without the mask: no anchor at all
		g.str(" ref=https://mysignins.microsoft.com/register?authMethodCount=1")
	case 1:
		g.str(" ref=https://mysignins.microsoft.com/security-info?authMethodCount=2&tenant=")
		g.hex(8)
	case 2:
		g.str(" msg=\"the ")
		g.plant(Planted{Kind: Prose, Form: "prose", Count: -1, Text: g.pick([]string{"authmethods", "authMethods", "AUTHMETHODS"})})
		g.str(" parameter is undocumented\"")
	case 3:
		g.str(" doc=\"")
		g.plant(Planted{Kind: Prose, Form: "prose", Count: -1, Text: "https://learn.example.com/docs/" + g.pick([]string{"authmethods-overview", "AuthMethodsPolicy", "list-authmethods"})})
		g.str("\"")
	default:
		g.str(" q=\"")
		g.plant(Planted{Kind: Prose, Form: "prose", Count: -1, Text: "authMethodsPolicy=" + g.pick(segments)})
		g.str("\"")
	}
}

// percentEncode escapes like encodeURIComponent, as Safe Links does.
func percentEncode(s string) string {
	const hexdig = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdig[c>>4])
		b.WriteByte(hexdig[c&15])
	}
	return b.String()
}

var (
	methods  = []string{"GET", "GET", "GET", "GET", "POST", "POST", "CONNECT", "HEAD", "PUT", "OPTIONS"}
	statuses = []string{"200", "200", "200", "200", "204", "301", "302", "304", "304", "403", "404", "500", "502"}
	verdicts = []string{"TCP_MISS/200", "TCP_HIT/200", "TCP_MISS/304", "TCP_TUNNEL/200", "TCP_DENIED/403", "TCP_REFRESH_MODIFIED/200"}
	hosts    = []string{
		"www.contoso.com", "login.microsoftonline.com", "outlook.office365.com", "graph.microsoft.com",
		"teams.microsoft.com", "cdn.jsdelivr.net", "www.google.com", "fonts.gstatic.com", "api.github.com",
		"s3.eu-west-1.amazonaws.com", "static.xx.fbcdn.net", "www.bing.com", "update.googleapis.com",
		"officeclient.microsoft.com", "portal.azure.com", "intranet.fabrikam.local", "news.ycombinator.com",
		"en.wikipedia.org", "ajax.googleapis.com", "clients4.google.com", "r3.o.lencr.org", "aadcdn.msftauth.net",
		"mysignins.microsoft.com", "myaccount.microsoft.com", "eur01.safelinks.protection.outlook.com",
	}
	segments = []string{
		"api", "v1", "v2", "v1.0", "beta", "users", "me", "messages", "mail", "inbox", "search", "assets", "static",
		"js", "css", "img", "images", "index", "login", "oauth2", "authorize", "token", "common", "organizations",
		"security-info", "signin", "logout", "docs", "wiki", "news", "item", "products", "cart", "checkout",
		"calendar", "events", "files", "drive", "sites", "teams", "chats", "channels", "config", "health",
		"metrics", "telemetry", "collect", "beacon", "pixel", "ads", "track", "register", "profile", "settings",
	}
	extensions = []string{".js", ".css", ".png", ".jpg", ".svg", ".woff2", ".json", ".html", ".ico", ".map"}
	params     = []string{
		"id", "q", "page", "limit", "offset", "utm_source", "utm_medium", "utm_campaign", "client_id",
		"response_type", "redirect_uri", "scope", "state", "nonce", "sid", "session", "v", "ver", "lang",
		"locale", "tenant", "ref", "t", "ts", "sig", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
		"format", "fields", "sort", "filter", "cb", "_",
	}
	agents = []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
		"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17726; Pro)",
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36",
		"curl/8.8.0",
		"python-requests/2.32.3",
		"Microsoft-Delivery-Optimization/10.0",
		"Teams/24165.1410.2974.6689 Chrome/120.0.6099.291 Electron/28.3.1 Safari/537.36",
	}
	firstNames = []string{"alex", "maria", "jan", "li", "sam", "fatima", "noah", "olga", "ravi", "emma", "yuki", "omar"}
	lastNames  = []string{"smith", "bakker", "chen", "garcia", "kowalski", "nguyen", "okafor", "schmidt", "rossi", "tanaka"}
	tenants    = []string{"contoso.com", "fabrikam.onmicrosoft.com", "northwind.example", "woodgrove.example"}

	safelinkRegions = []string{"eur01", "eur02", "eur03", "eur04", "nam02", "nam04", "nam10", "nam12", "apc01", "gbr01"}
	lookalikes      = []string{
		"mysignins.microsoft.com.account-verify.example", "mysignins-microsoft.com", "mysignins.rnicrosoft.com",
		"mysignins.microsoft.co", "login-mysignins.example.net",
	}
)

// mixedCase capitalizes every other letter of s.
func mixedCase(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); i += 2 {
		if 'a' <= b[i] && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}
