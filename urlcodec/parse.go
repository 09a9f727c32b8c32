package urlcodec

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
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

func warnSafeLinks(host string) string { return warnFollowed(Wrappers[0].Service, host) }

// warnFollowed is the warning for a wrapper followed.
func warnFollowed(service, host string) string {
	return "followed " + service + " at " + short(host) + " to the link it opens"
}

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
	afterAmp := false // the parameter follows "&amp;"
	for {
		var n uint64
		var ok bool
		switch {
		case !haveMask && strings.HasPrefix(q, "authMethods=") && !afterAmp:
			// After "&amp;", a browser given the text sends "amp;authMethods":
			// the slow path says so.
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
		afterAmp = false
		if q = q[1:]; strings.HasPrefix(q, "amp;") {
			q, amp, afterAmp = q[len("amp;"):], true, true
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
	if isQuotedPrintable(s) {
		return Link{}, false // the slow path decodes quoted-printable mail
	}
	for q != "" {
		var p param
		// A second url is ambiguous, and authMethods of the wrapper's own
		// is a decoy: the slow path says so.
		if p, q = nextParam(q); strings.EqualFold(p.name, "authMethods") || strings.EqualFold(p.name, "url") {
			return Link{}, false
		}
	}
	// &amp; inside the target reaches the server as it is: the slow path
	// says what the wizard then receives.
	l, noScheme, amp, ok := readSimple(percentDecode(v))
	if !ok || amp || noScheme {
		return Link{}, false
	}
	host := s[len(scheme) : len(scheme)+len(region)+len(suffix)-len("/?url=")]
	l.Input = s
	l.setNotes(host, noScheme, false)
	l.hops = []Hop{{URL: s, Host: host, Via: ViaClicked, Safe: true}, {URL: l.URL, Host: Host, Via: Wrappers[0].Name, Safe: true}}
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
	reasons  []Reason // against the hops before the register link
	hops     []Hop    // the browser's path so far
	carried  bool     // the browser's path ended: the link read now is only carried inside the last hop
	shown    string   // the text a link shows, when it opens another href
	markup   string   // the markup the href was read from: "html", "markdown", "slack" or ""
	// clickedUnsafe: what the person clicks is not the URL read from it as
	// a browser would open it (a relative href, a host made by decoding)
	clickedUnsafe bool
	literal       *Hop // where the browser goes from the text as shown, when decoding changed the host
	// lastWarning says how the last layer was unwrapped.
	lastWarning string
	decoyRead   bool // the register link was read from a wrapper that does not follow it
	landed      int  // 1 + the index of the reason that says where the browser's path ended
	// maskForm says why authMethods as written is not the number read
	// ("hex", "a screenshot slip"); maskText is the value as written.
	maskForm, maskText string
	exactName          bool // a parameter is spelled authMethods exactly
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

// parseSlow follows what a browser does with s: the URL the person clicks
// (after what mail and chat do to it), each wrapper by the one parameter it
// follows, to where the browser lands. The register link is read there; a
// register link found only inside the URL the browser lands on (in its path
// or a parameter no wrapper follows) is read for its mask, but the browser
// does not open it, and the verdict says so.
func (p *Parser) parseSlow(s string) (Link, error) {
	st := slowParse{p: p, maxDepth: p.depth()}
	l, err := st.parse(s)
	if st.shown == "" || !containsFold(st.shown, "authmethods") {
		return l, err
	}
	// The link shows a register link over its href.
	shown, serr := p.Parse(st.shown)
	switch {
	case err != nil && serr != nil:
		return l, err
	case err != nil:
		// The href carries no register link at all: the text is bait.
		hops := st.hops
		if len(hops) == 0 {
			hops = []Hop{{Via: ViaClicked}} // an empty or unreadable href
		}
		opens := hops[0].Host
		if opens == "" {
			opens = "no page at all (the link has no usable target)"
		}
		l = shown
		l.Input, l.hops = s, hops
		msg := fmt.Sprintf("the link SHOWS a register link but OPENS %s: treat it as phishing", short(opens))
		if strings.TrimSuffix(opens, ".") == Host {
			msg = fmt.Sprintf("the link shows a register link but opens %s, which is not a register link as Microsoft writes one", short(hops[0].URL))
		}
		l.Verdict = Verdict{Reasons: append([]Reason{{"link-text", msg}}, shown.Verdict.Reasons...)}
		return l, nil
	case shown.Host != l.Host || shown.Mask != l.Mask:
		if !l.Verdict.Trusted || shown.Host != Host {
			l.Verdict.Trusted = false
			l.Verdict.Reasons = append([]Reason{{"link-text", fmt.Sprintf("the link shows %s but opens %s", short(shown.URL), short(l.Hops()[0].URL))}}, l.Verdict.Reasons...)
		} else {
			l.Warnings = append(l.Warnings, fmt.Sprintf("the link shows %s but opens %s", short(shown.URL), short(l.URL)))
		}
	}
	return l, nil
}

func (st *slowParse) parse(s string) (Link, error) {
	text, err := st.clicked(s)
	if err != nil {
		return Link{}, err
	}
	via := ViaClicked
	var decoy *browserURL // a wrapper with authMethods in a parameter it does not follow
	for {
		u := splitBrowser(text)
		var w *Wrapper
		if !st.carried {
			st.hops = append(st.hops, Hop{URL: u.text, Host: u.host, Via: via})
		}
		has := hasParam(u.query, "authMethods")
		if !st.carried {
			w = st.wrapperFor(&u, has)
		}
		if has && w == nil {
			return st.link(s, &u)
		}
		if w != nil && decoy == nil && containsFold(percentDecode(u.text), "authmethods") {
			decoy = &u
		}
		next, kind, err := st.next(&u, w)
		if errors.Is(err, ErrNoAuthMethods) && decoy != nil && !st.decoyRead {
			// The browser's path leads to no register link; the one in
			// the wrapper is bait.
			st.decoyRead, st.carried = true, true
			if st.landed > 0 {
				st.reasons = st.reasons[:st.landed-1] // not carried inside where it landed after all
			}
			st.reasons = append(st.reasons, Reason{"embedded", fmt.Sprintf("the register link sits in a part of the %s link that it does not follow: the browser goes to %s", short(decoy.host), short(st.hops[len(st.hops)-1].Host))})
			if hasParam(decoy.query, "authMethods") {
				return st.link(s, decoy)
			}
			next, kind, err = st.inside(decoy)
		}
		if err != nil {
			return Link{}, err
		}
		if err := st.unwrap(kind, st.lastWarning); err != nil {
			return Link{}, err
		}
		via = kind
		if st.carried {
			text = st.trim(next) // a link written inside another: cut it out
		} else {
			// A wrapper sends the browser to its target as it is: what a
			// paste adds around a link (punctuation, quotes) is part of it.
			text = trimC0Space(next)
		}
	}
}

// clicked returns the URL a person clicks or copies from s: white space,
// brackets and quotes around it removed, and what mail and chat do to a link
// undone (a JSON string, HTML and Markdown link syntax, quoted-printable,
// defanging, HTML references, line breaks).
func (st *slowParse) clicked(s string) (string, error) {
	t := trimC0Space(s)
	if js, ok := jsonString(t); ok {
		if err := st.unwrap("json", `decoded the JSON string around the link (\/, \u0026 …)`); err != nil {
			return "", err
		}
		t = trimC0Space(js)
	}
	if href, shown, kind, ok := linkMarkup(t); ok {
		if err := st.unwrap(kind, "read the link's target (href) from its "+kind+" markup"); err != nil {
			return "", err
		}
		st.shown = shown
		st.markup = kind
		t = href
	}
	trim := st.trim
	if st.markup == "html" {
		// A browser trims only C0 controls and spaces from an href: a
		// bracket or quote left in it ("&lt;https://…") makes it relative
		// to the page, which is not the link it shows.
		trim = trimC0Space
	}
	text := trim(t)
	if text == "" {
		return "", ErrEmpty
	}
	if qp, ok := decodeQuotedPrintable(text); ok {
		if err := st.unwrap("quoted-printable", "decoded quoted-printable mail text (=3D, soft line breaks)"); err != nil {
			return "", err
		}
		raw := text
		text = trim(qp)
		st.decodedHost(raw, text, "quoted-printable escapes (=2F, =40 …)", plainText)
	}
	if t, ok := refang(text); ok {
		if err := st.unwrap("defanged", "refanged a defanged link (hxxp, [.]) to read it"); err != nil {
			return "", err
		}
		// Someone defanged it so that nobody opens it: as written, no
		// browser does, and what it reads as must be checked first.
		st.reasons = append(st.reasons, Reason{"defanged", "the link is defanged (hxxp, [.]) so that nobody opens it by accident: a browser does not open it as written"})
		text = t
	}
	// Escapes may be doubled (&amp;amp;); each pass is one layer. The
	// browser opens what it decodes: in an href (HTML, Markdown) one pass,
	// in plain text none. Any pass beyond that must not make the host.
	shown, where := text, plainText
	defer func() {
		if shown != text {
			st.decodedHost(shown, text, "HTML character references (&sol;, &commat; …)", where)
		}
	}()
	if st.markup == "html" {
		// The browser's one pass: every reference of HTML's table ("&ac;"
		// is "∾"), those without ';' only where attributes allow, not
		// just the few decodeHTMLEntities knows.
		if b, ok := attrValue(text); ok && b != text {
			if err := st.unwrap("html", warnHTML); err != nil {
				return "", err
			}
			text = trim(b)
		}
		shown, where = text, "in an href, which a browser decodes only once,"
	}
	for t, ok := decodeHTMLEntities(text); ok; t, ok = decodeHTMLEntities(text) {
		if err := st.unwrap("html", warnHTML); err != nil {
			return "", err
		}
		text = trim(t)
		if (st.markup == "html" || st.markup == "markdown") && where == plainText {
			shown, where = text, "in an href, which a browser decodes only once,"
		}
	}
	if shown != text {
		st.decodedMask(shown, text, where)
	}
	if hasTabNewline(text) {
		text = trimC0Space(removeTabNewline(text))
		st.note("removed line breaks or tabs inside the link, as a browser does")
	}
	if t, ok := removeQuerySpaces(text); ok {
		text = t
		st.note("removed spaces around '?', '=' or '&'")
	}
	if (st.markup == "html" || st.markup == "markdown") && text != "" {
		if _, n := schemePrefix(text); n == 0 || text[0] == '/' {
			// An href is never completed with https:// as a chat paste is:
			// the browser resolves it against the page or its <base>.
			st.reasons = append(st.reasons, Reason{"relative", fmt.Sprintf("the link's href %q has no scheme: a browser resolves it against the page it is on (or the page's <base href>), so it does not open %s", short(text), Host)})
			st.clickedUnsafe = true
		}
	}
	return text, nil
}

// plainText is where, for decodedHost, nothing decodes a link.
const plainText = "shown as plain text, where nothing decodes them,"

// decodedMask records that decoding raw into text changed the authMethods
// parameters a browser sends from it: as written, "=4&#56;" sends 4 (the
// rest is a fragment), and "&amp;authMethods=" names another parameter.
// "…=48&amp;authMethodCount=1" sends authMethods=48 either way.
func (st *slowParse) decodedMask(raw, text, where string) {
	r, d := maskParams(splitBrowser(raw).query), maskParams(splitBrowser(text).query)
	if r == d {
		return
	}
	sends := "no authMethods"
	if r != "" {
		sends = short(strings.TrimSuffix(r, "&"))
	}
	st.reasons = append(st.reasons, Reason{"mask-form", fmt.Sprintf("the link names its authMethods only once HTML character references are decoded; %s a browser sends %s instead", where, sends)})
	st.clickedUnsafe = true
}

// maskParams lists the authMethods parameters of query q, in any case, as
// a server reads them: for comparing two readings of one link.
func maskParams(q string) string {
	var b strings.Builder
	for q != "" {
		var p param
		if p, q = nextParam(q); strings.EqualFold(p.name, "authMethods") {
			b.WriteString(p.name + "=" + p.value + "&")
		}
	}
	return b.String()
}

// decodedHost records that decoding raw into text changed the host a
// browser reaches: where the text is shown as it is (plain-text mail, chat),
// nothing decodes it, and a browser opens raw's host; where says so, or
// how else the browser decodes raw. Only a host that can be reached (a
// plain name or an IP address) matters; one left with '&' or '=' in it
// reaches nothing.
func (st *slowParse) decodedHost(raw, text, what, where string) {
	ru, du := splitBrowser(raw), splitBrowser(text)
	if ru.host == du.host && ru.hostErr == du.hostErr {
		return
	}
	reachable := ru.hostErr == "" && ru.host != ""
	for i := 0; i < len(ru.host); i++ {
		if c := ru.host[i]; !isHostByte(c) && c != '[' && c != ']' && c != ':' {
			reachable = false
		}
	}
	if !reachable {
		// As written the host is none a browser reaches ("mys=" and a soft
		// line break, then "ignins…"): no attacker's page, but not the
		// register page either.
		st.reasons = append(st.reasons, Reason{"decoded-host", fmt.Sprintf("the link names its host only once %s are decoded; %s a browser cannot open it", what, where)})
		st.clickedUnsafe = true
		return
	}
	st.reasons = append(st.reasons, Reason{"decoded-host", fmt.Sprintf("the link names its host only once %s are decoded; %s a browser goes to %s instead", what, where, short(ru.host))})
	st.clickedUnsafe = true
	st.literal = &Hop{URL: ru.text, Host: ru.host, Via: ViaClicked}
}

// next finds the URL after u: the wrapper's target, or, where the browser's
// path ends at u, a register link carried inside u. It records what makes
// the path unsafe.
func (st *slowParse) next(u *browserURL, w *Wrapper) (next, kind string, err error) {
	if w != nil {
		return st.follow(u, w)
	}
	if !st.carried {
		st.land(u)
	}
	return st.inside(u)
}

// wrapperFor returns the wrapper u is, if any. A host the user trusts that
// carries no authMethods of its own is taken for a Safe Links of its cloud:
// it sends the browser on by its url parameter.
func (st *slowParse) wrapperFor(u *browserURL, hasAuthMethods bool) *Wrapper {
	if w := wrapperFor(u); w != nil {
		return w
	}
	if !hasAuthMethods && u.hostErr == "" && slices.Contains(st.p.trustHosts(), strings.TrimSuffix(u.host, ".")) {
		return &Wrapper{Name: "trusted-host", Service: "a host you trust", Host: u.host, Param: []string{"url"}, Encoding: "query", Trusted: true}
	}
	return nil
}

// setWarning sets the warning for the layer next found.
func (st *slowParse) setWarning(w string) { st.lastWarning = w }

// follow reads where wrapper w sends the browser from u.
func (st *slowParse) follow(u *browserURL, w *Wrapper) (string, string, error) {
	hop := &st.hops[len(st.hops)-1]
	form := formReasons(u)
	hop.Safe = len(form) == 0 && (w.Trusted || slices.Contains(st.p.trustHosts(), u.host))
	for _, r := range form {
		st.reasons = append(st.reasons, Reason{"wrapper", fmt.Sprintf("the link opens %s (%s) first, and it is not safe: %s", short(u.host), w.Service, r.Message)})
	}
	if len(form) == 0 && !hop.Safe {
		st.reasons = append(st.reasons, Reason{"wrapper", fmt.Sprintf("the link opens %s (%s) first, which is not Microsoft's; trust it with --trust-host %s if your organization uses it", short(u.host), w.Service, short(u.host))})
	}
	target, why, detail := w.target(u)
	if why == "" {
		if t := trimC0Space(target); schemeLen([]byte(t)) == 0 {
			why, detail = whyBad, "the link it carries has no scheme (https://), and the service opens only whole links"
		}
	}
	switch why {
	case "":
		st.setWarning(warnFollowed(w.Service, u.host))
		return target, w.Name, nil
	case whyHidden:
		if !containsFold(u.text, "authmethods") {
			return "", "", fmt.Errorf("%w: %s (%s) keeps the link it opens on its own servers; ask the user for the original link, or where the browser went", ErrHidden, w.Service, short(u.host))
		}
		st.reasons = append(st.reasons, Reason{"hidden", fmt.Sprintf("%s (%s) keeps the link it opens on its own servers: where it goes cannot be read from the link, and the register link in it is not what it opens", w.Service, short(u.host))})
	case whyConsent:
		hop.Safe = false
		st.reasons = append(st.reasons, Reason{"consent", fmt.Sprintf("CONSENT PHISHING: the link opens Microsoft's sign-in at %s to grant an application access to the account: %s. Whatever comes after it, the user must not accept", short(u.host), detail)})
		if t, why, _ := queryTarget(u.query, []string{"redirect_uri"}); why == "" && containsFold(t, "authmethods") {
			st.setWarning("read the link carried as redirect_uri of the consent request")
			return t, w.Name, nil
		}
	default:
		st.reasons = append(st.reasons, Reason{"wrapper", fmt.Sprintf("%s (%s): %s, so where it goes is not known", w.Service, short(u.host), detail)})
	}
	st.carried = true
	return st.inside(u)
}

// land records that the browser's path ends at u, which is not the
// register link.
func (st *slowParse) land(u *browserURL) {
	st.carried = true
	if u.hostErr == "" {
		st.reasons = append(st.reasons, formReasons(u)...)
	}
	st.landed = len(st.reasons) + 1
	if len(st.hops) > 0 {
		st.hops[len(st.hops)-1].Safe = false
	}
	host := u.host
	if host == "" || u.hostErr != "" {
		host = strconv.Quote(short(u.rawHost))
	}
	msg := fmt.Sprintf("the browser opens %s, not the register link: the register link is only carried inside that link", host)
	if u.host == Host {
		msg = fmt.Sprintf("the browser opens %s, the genuine host, but not the register page (path %q): the register link is only carried inside that link", Host, short(slashPath(u.path)))
	}
	switch {
	case u.hostErr != "" && u.scheme == "" && strings.Contains(strings.ToLower(u.text[:min(len(u.text), 12)]), "%3a"):
		msg = "the whole link is percent-encoded: a browser does not open it as a link (it came from a log or another link's parameter)"
	case u.hostErr != "":
		msg = fmt.Sprintf("the text around the register link is not a link a browser opens (%s); the register link is only part of it", u.hostErr)
	}
	st.reasons = append(st.reasons, Reason{"embedded", msg})
}

// inside finds a register link carried inside u: in a parameter, else the
// last link written in u before authMethods.
func (st *slowParse) inside(u *browserURL) (string, string, error) {
	if name, target, ok := redirect(u.query); ok {
		st.setWarning(fmt.Sprintf("read the link carried in parameter %q of %s", short(name), short(u.host)))
		return linkIn(target), "inside:" + short(name), nil
	}
	text := u.text
	for decoded := 0; ; decoded++ {
		if i := indexFold(text, "authmethods"); i > 0 {
			j := lastScheme(text[:i])
			if j < 0 {
				j = hostStart(text, i)
			}
			switch {
			case j < 0:
			case j == 0 && u.host == Host:
				// The same link, with its query percent-encoded: the
				// wizard gets no authMethods of its own.
				return "", "", fmt.Errorf("%w: %s", ErrNotReceived, notReceivedWhy(u))
			case j == 0 && decoded > 0:
				st.setWarning("decoded a percent-encoded link")
				return text, "percent", nil
			case text[j:] != u.text:
				st.setWarning("read the register link written inside another link")
				return text[j:], "inside", nil
			}
		}
		d := percentDecode(text)
		if d == text {
			break
		}
		if len(st.wrapped)+decoded >= st.maxDepth {
			return "", "", fmt.Errorf("%w: more than %d layers", ErrTooDeep, st.maxDepth)
		}
		text = d
	}
	if u.host == Host && containsFold(u.text, "authmethods") {
		return "", "", fmt.Errorf("%w: %s", ErrNotReceived, notReceivedWhy(u))
	}
	return "", "", ErrNoAuthMethods
}

// linkIn returns the register link in text that carries one after other
// text (";mysignins.microsoft.com/register?…"): from its scheme, or its
// host when it has none.
func linkIn(text string) string {
	t := trimC0Space(text)
	if schemeLen([]byte(t)) > 0 {
		return t
	}
	i := indexFold(t, "authmethods")
	if i <= 0 {
		return t
	}
	j := lastScheme(t[:i])
	if j < 0 {
		j = hostStart(t, i)
	}
	if j > 0 {
		return t[j:]
	}
	return t
}

// notReceivedWhy says why a link on the genuine host with authMethods in it
// gives the wizard no authMethods parameter.
func notReceivedWhy(u *browserURL) string {
	switch {
	case containsFold(u.path, "authmethods"):
		return "it is in the path, not the query: the '?' before it is missing or percent-encoded (%3F)"
	case containsFold(u.fragment, "authmethods"):
		return "it is in the fragment after '#', which the browser does not send"
	}
	return "the '=' or '&' around it is percent-encoded (%3D, %26), so it is no parameter of its own"
}

// hostStart finds where a link without a scheme starts in s, whose
// authMethods is at i: the host before the path that leads to the '?' of
// its query. It returns -1 when there is no such host.
func hostStart(s string, i int) int {
	q := strings.LastIndexByte(s[:i], '?')
	if q < 0 {
		return -1
	}
	// The path's first '/' after the host: walk back over path segments to
	// a run of host bytes before a '/'.
	for k := strings.LastIndexByte(s[:q], '/'); k > 0; k = strings.LastIndexByte(s[:k], '/') {
		h := k
		for h > 0 && isHostByte(s[h-1]) {
			h--
		}
		if h < k && strings.IndexByte(s[h:k], '.') >= 0 && (h == 0 || s[h-1] != '/') {
			return h
		}
	}
	return -1
}

func isHostByte(c byte) bool {
	return isASCIILetter(c) || '0' <= c && c <= '9' || c == '.' || c == '-'
}

// lastScheme returns the index of the last "http:" or "https:" in s, or -1.
func lastScheme(s string) int {
	for i := len(s) - 5; i >= 0; i-- {
		if s[i]|0x20 == 'h' && schemeLen([]byte(s[i:])) > 0 && (i == 0 || !isASCIILetter(s[i-1])) {
			return i
		}
	}
	return -1
}

// indexFold returns the index of word (lower-case ASCII) in s in any case,
// or -1.
func indexFold(s, word string) int {
	for i := 0; i+len(word) <= len(s); i++ {
		if s[i]|0x20 == word[0] && strings.EqualFold(s[i:i+len(word)], word) {
			return i
		}
	}
	return -1
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

// hasParam reports whether query q has a parameter name, in any case, as a
// server reads the query.
func hasParam(q, name string) bool {
	for q != "" {
		var p param
		if p, q = nextParam(q); strings.EqualFold(p.name, name) {
			return true
		}
	}
	return false
}

// redirect finds a parameter that carries a register link and returns its
// name and decoded value. Percent-encoding leaves the letters of
// authMethods as they are, so values are decoded only when no value shows
// them plainly.
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
	// What makes this link itself other than the one Entra writes, whatever
	// its host: the wizard must get the page and the mask it names.
	var own []Reason
	if bp := browserPath(u.path); bp != "/register" {
		own = append(own, Reason{"path", "the link opens the page " + strconv.Quote(short(bp)) + ", not /register: Entra writes /register"})
	}
	mask, _, err := st.readParams(u.query, "authMethods", true, math.MaxUint32)
	if err != nil {
		return Link{}, err
	}
	if !st.exactName {
		own = append(own, Reason{"mask-form", "no parameter is spelled authMethods exactly; whether the wizard reads another spelling is unknown"})
	}
	if st.maskForm != "" {
		own = append(own, Reason{"mask-form", fmt.Sprintf("as written, the wizard receives authMethods=%s, which is not the number %d it was read as (%s)", short(st.maskText), mask, st.maskForm)})
	}
	st.reasons = append(st.reasons, own...)
	l.Mask = bitmask.Mask(mask)
	count, n, err := st.readParams(u.query, "authMethodCount", false, MaxCount)
	switch {
	case err != nil && !st.p.verdict(u, st.reasons).Trusted:
		// A broken count must not turn a link that is not genuine into a
		// mere error: what matters is where it goes.
		st.warn("ignored authMethodCount: %v", err)
		count, n = 0, 0
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
	if !st.carried {
		// The hop is safe when the link itself is, whatever came before:
		// verdict(u, own).Trusted, known without judging the host again,
		// since the verdict's reasons are u's own, then those given.
		st.hops[len(st.hops)-1].Safe = len(own) == 0 && len(l.Verdict.Reasons) == len(st.reasons)
	}
	if st.clickedUnsafe && len(st.hops) > 0 {
		st.hops[0].Safe = false
	}
	if st.literal != nil {
		// The browser's path is the text as shown: it goes there and no
		// further than this package can tell.
		st.hops = []Hop{*st.literal}
	}
	if len(st.hops) != 1 || st.hops[0].URL != l.URL || st.hops[0].Safe != l.Verdict.Trusted {
		l.hops = st.hops
	}
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
			st.note("parameter " + strconv.Quote(p.name) + " is not spelled " + canonical + "; the wizard's handling of that spelling is unknown")
		} else if canonical == "authMethods" {
			st.exactName = true
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
		if name == "authMethods" {
			st.maskText, st.maskForm = v, "spaces around it"
		}
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
	if name == "authMethods" && (slips || base == 16) {
		st.maskText, st.maskForm = v, "a screenshot slip"
		if base == 16 {
			st.maskForm = "hex"
		}
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
