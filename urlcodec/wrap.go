package urlcodec

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"
)

// A Wrapper is a service that sends the browser on from its own URL to
// another: a mail-security link rewriter, a redirect page, or Entra's own
// sign-in carrying the register link as where to go next. Parse follows a
// wrapper only by the one parameter or encoding the service itself follows,
// so that a register link placed anywhere else in a wrapper is not taken
// for where the browser goes.
type Wrapper struct {
	Name    string // Hop.Via and JSON: "safelinks", "proofpoint-v2" …
	Service string // for people: "Microsoft Defender Safe Links (mail)"
	// Host is the wrapper's host; a '*' stands for one run of letters,
	// digits and '-' inside a label (a region such as nam12 or eu).
	Host string
	// Path is the wrapper's path as the browser requests it: "" for any,
	// a '*' for one path segment, and a final "**" for anything after.
	Path string
	// Param names the query parameters that carry the target, in the order
	// the service reads them; empty when Encoding says where it is.
	Param []string
	// Encoding says how the target is written: "query" (a query parameter,
	// percent-encoded), "proofpoint-v2", "proofpoint-v3", "base64" (a query
	// parameter, base64), "path" (the last path segment, percent-encoded),
	// "signin" (Entra sign-in: redirect_uri, only for the My Sign-Ins app)
	// or "hidden" (the target is a token on the service's servers: it
	// cannot be read from the link).
	Encoding string
	// Trusted wrappers are Microsoft's own: a hop through one is safe.
	// Other services are followed to read the mask, but leave the verdict
	// untrusted unless the user trusts their host (Parser.TrustHosts).
	Trusted bool
	Source  string // where the form comes from
}

// MySignInsClientID is the application (client) id of Microsoft's first-party
// My Sign-Ins app, the single-page app at mysignins.microsoft.com. Entra's
// sign-in carries the register link as redirect_uri of a request for this
// app. Source: Microsoft's first-party application id lists (for example
// the "Verify first-party Microsoft applications in sign-in reports" page of
// Microsoft Learn) and tooling such as AADInternals.
const MySignInsClientID = "19db86c3-b2b9-44cc-b339-36da233a3be2"

// Wrappers is every wrapper Parse follows. Sources give the form each
// service writes; where a form is only observed, the source says so.
// Adding a wrapper is one row here and a test.
var Wrappers = []Wrapper{
	{Name: "safelinks", Service: "Microsoft Defender Safe Links (mail)", Host: "*.safelinks.protection.outlook.com", Path: "/", Param: []string{"url"}, Encoding: "query", Trusted: true,
		Source: "Microsoft Defender for Office 365 docs, safe-links-about.md: <DataCenterLocation>.safelinks.protection.outlook.com/?url=…"},
	{Name: "safelinks-teams", Service: "Microsoft Defender Safe Links (Teams)", Host: "statics.teams.cdn.office.net", Path: "/evergreen-assets/safelinks/*/atp-safelinks.html", Param: []string{"url"}, Encoding: "query", Trusted: true,
		Source: "observed in public reports of Teams messages; not in Microsoft's docs"},
	{Name: "signin", Service: "Microsoft Entra sign-in (login.microsoftonline.com)", Host: "login.microsoftonline.com", Encoding: "signin", Trusted: true,
		Source: "Microsoft identity platform docs, OAuth 2.0 authorization code flow: /{tenant}/oauth2/v2.0/authorize?client_id=…&redirect_uri=…"},
	{Name: "signin", Service: "Microsoft Entra sign-in (login.microsoft.com)", Host: "login.microsoft.com", Encoding: "signin", Trusted: true,
		Source: "Microsoft identity platform docs, OAuth 2.0 authorization code flow"},
	{Name: "proofpoint-v1", Service: "Proofpoint URL Defense v1", Host: "urldefense.proofpoint.com", Path: "/v1/url", Param: []string{"u"}, Encoding: "query",
		Source: "Proofpoint, URLDefenseDecode.py (2019), the vendor's published reference decoder"},
	{Name: "proofpoint-v2", Service: "Proofpoint URL Defense v2", Host: "urldefense.proofpoint.com", Path: "/v2/url", Param: []string{"u"}, Encoding: "proofpoint-v2",
		Source: "Proofpoint, URLDefenseDecode.py (2019): u, with -XX for %XX and _ for /"},
	{Name: "proofpoint-v3", Service: "Proofpoint URL Defense v3", Host: "urldefense.com", Path: "/v3/__**", Encoding: "proofpoint-v3",
		Source: "Proofpoint, URLDefenseDecode.py (2019): /v3/__<url>__;<base64url>!…"},
	{Name: "proofpoint-v3", Service: "Proofpoint URL Defense v3", Host: "urldefense.proofpoint.com", Path: "/v3/__**", Encoding: "proofpoint-v3",
		Source: "Proofpoint, URLDefenseDecode.py (2019)"},
	{Name: "mimecast", Service: "Mimecast URL Protect", Host: "protect-*.mimecast.com", Path: "/s/*", Encoding: "hidden",
		Source: "Mimecast URL Protect: /s/<token>?domain=<domain>; the target is kept on Mimecast's servers"},
	{Name: "cisco", Service: "Cisco Secure Email", Host: "secure-web.cisco.com", Encoding: "path",
		Source: "Cisco Secure Email URL rewriting: secure-web.cisco.com/<token>/<percent-encoded URL>"},
	{Name: "barracuda", Service: "Barracuda Link Protection", Host: "linkprotect.cudasvc.com", Path: "/url", Param: []string{"a"}, Encoding: "query",
		Source: "Barracuda Email Protection, Link Protection: linkprotect.cudasvc.com/url?a=<percent-encoded URL>"},
	{Name: "sophos", Service: "Sophos Email time-of-click", Host: "*.protection.sophos.com", Param: []string{"u"}, Encoding: "base64",
		Source: "Sophos Email time-of-click URL protection: <region>.protection.sophos.com?d=…&u=<base64 URL>"},
	{Name: "symantec", Service: "Symantec / Broadcom Click-time URL Protection", Host: "clicktime.symantec.com", Param: []string{"u"}, Encoding: "query",
		Source: "Broadcom Email Security.cloud Click-time URL Protection: clicktime.symantec.com/<token>?u=…"},
	{Name: "trendmicro", Service: "Trend Micro Email Security time-of-click", Host: "*.trendmicro.com", Path: "/wis/clicktime/v1/query", Param: []string{"url"}, Encoding: "query",
		Source: "Trend Micro Email Security, time-of-click protection: …/wis/clicktime/v1/query?url=…&umid=…"},
	{Name: "google", Service: "Google redirect", Host: "www.google.com", Path: "/url", Param: []string{"q", "url"}, Encoding: "query",
		Source: "observed: Google's /url?q=… (or url=) redirect in search results and Gmail"},
	{Name: "google", Service: "Google redirect", Host: "google.com", Path: "/url", Param: []string{"q", "url"}, Encoding: "query",
		Source: "observed: Google's /url?q=… redirect"},
	{Name: "slack", Service: "Slack link redirect", Host: "slack-redir.net", Path: "/link", Param: []string{"url"}, Encoding: "query",
		Source: "observed: slack-redir.net/link?url=…"},
	{Name: "facebook", Service: "Facebook link shim", Host: "l.facebook.com", Path: "/l.php", Param: []string{"u"}, Encoding: "query",
		Source: "Facebook engineering, \"Link Shim\" (2008, 2016): l.facebook.com/l.php?u=…"},
	{Name: "facebook", Service: "Facebook link shim (mobile)", Host: "lm.facebook.com", Path: "/l.php", Param: []string{"u"}, Encoding: "query",
		Source: "Facebook engineering, \"Link Shim\""},
	{Name: "linkedin", Service: "LinkedIn redirect", Host: "www.linkedin.com", Path: "/redir/redirect", Param: []string{"url"}, Encoding: "query",
		Source: "observed: www.linkedin.com/redir/redirect?url=…"},
}

// wrapperFor returns the wrapper whose host and path u has, or nil.
func wrapperFor(u *browserURL) *Wrapper {
	if u.hostErr != "" || u.ip {
		return nil
	}
	p := "" // the path, resolved once a host matches: most hosts are no wrapper's
	for i := range Wrappers {
		w := &Wrappers[i]
		if !hostMatches(w.Host, u.host) {
			continue
		}
		if p == "" {
			p = browserPath(u.path)
		}
		if pathMatches(w.Path, p) && (w.Encoding != "signin" || isAuthorize(p)) {
			return w
		}
	}
	return nil
}

// slashPath is the path as a browser sends it, with '\' read as '/'; an
// empty path is "/".
func slashPath(p string) string {
	if p == "" {
		return "/"
	}
	if strings.IndexByte(p, '\\') >= 0 {
		p = strings.ReplaceAll(p, `\`, "/")
	}
	return p
}

// browserPath is the path a browser requests for path p (WHATWG): '\\'
// read as '/', and "." and ".." segments, plain or percent-encoded,
// resolved. An empty path is "/".
func browserPath(p string) string {
	p = slashPath(p)
	if !strings.HasPrefix(p, "/") || !strings.Contains(p, ".") && !strings.Contains(p, "%2") {
		return p
	}
	segs := strings.Split(p[1:], "/")
	out := make([]string, 0, len(segs))
	for i, seg := range segs {
		last := i == len(segs)-1
		switch strings.ToLower(seg) {
		case ".", "%2e":
			if last {
				out = append(out, "")
			}
		case "..", ".%2e", "%2e.", "%2e%2e":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, seg)
		}
	}
	return "/" + strings.Join(out, "/")
}

// pathMatches reports whether path p matches pattern (see Wrapper.Path).
func pathMatches(pattern, p string) bool {
	if pattern == "" {
		return true
	}
	if prefix, ok := strings.CutSuffix(pattern, "**"); ok {
		return strings.HasPrefix(p, prefix)
	}
	before, after, wild := strings.Cut(pattern, "*")
	if !wild {
		return p == pattern
	}
	seg, ok := strings.CutPrefix(p, before)
	if !ok {
		return false
	}
	seg, ok = strings.CutSuffix(seg, after)
	return ok && seg != "" && !strings.Contains(seg, "/")
}

// hostMatches reports whether host h matches pattern, where a '*' matches
// one or more letters, digits or '-' within one label.
func hostMatches(pattern, h string) bool {
	before, after, wild := strings.Cut(pattern, "*")
	if !wild {
		return h == pattern
	}
	if len(h) <= len(before)+len(after) || !strings.HasPrefix(h, before) || !strings.HasSuffix(h, after) {
		return false
	}
	for _, c := range []byte(h[len(before) : len(h)-len(after)]) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Ways a wrapper can fail to give a target; each becomes a Reason.
const (
	whyHidden    = "hidden"
	whyMissing   = "missing"
	whyAmbiguous = "ambiguous"
	whyBad       = "undecodable"
	whyConsent   = "consent"
	whySpelling  = "spelling"
)

// target returns where wrapper w sends the browser from u, or why it
// cannot tell. detail adds to why for messages.
func (w *Wrapper) target(u *browserURL) (target, why, detail string) {
	switch w.Encoding {
	case "hidden":
		return "", whyHidden, ""
	case "path":
		p := slashPath(u.path)
		seg := p[strings.LastIndexByte(p, '/')+1:]
		if seg == "" {
			return "", whyMissing, "no target in the path"
		}
		return percentDecode(seg), "", ""
	case "proofpoint-v2":
		v, why, detail := queryTarget(u.query, w.Param)
		if why != "" {
			return "", why, detail
		}
		return proofpointV2(v), "", ""
	case "proofpoint-v3":
		t, ok := proofpointV3(u.text[u.authEnd:])
		if !ok {
			return "", whyBad, "the Proofpoint v3 encoding does not decode"
		}
		return t, "", ""
	case "base64":
		v, why, detail := queryTarget(u.query, w.Param)
		if why != "" {
			return "", why, detail
		}
		t, ok := decodeBase64(v)
		if !ok {
			return "", whyBad, "parameter " + w.Param[0] + " is not base64"
		}
		return t, "", ""
	case "signin":
		return signinTarget(u)
	}
	return queryTarget(u.query, w.Param)
}

// queryTarget returns the first of names present in query q, decoded as a
// server decodes a form value. A name given twice with different values is
// ambiguous: which one the service follows is not known.
func queryTarget(q string, names []string) (target, why, detail string) {
	for _, name := range names {
		found, n, exact := "", 0, false
		for rest := q; rest != ""; {
			var p param
			p, rest = nextParam(rest)
			// Any spelling of the name counts: a service that reads URL or
			// %75rl as url would otherwise follow a decoy.
			if !strings.EqualFold(p.name, name) {
				continue
			}
			v := formDecode(p.value)
			// Twice, even alike: which one the service follows, or whether
			// it refuses the request, is not documented.
			if n++; n > 1 && v != found {
				return "", whyAmbiguous, "parameter " + name + " appears twice with different links"
			} else if n > 1 {
				return "", whyAmbiguous, "parameter " + name + " appears twice"
			}
			found, exact = v, exact || p.name == name
		}
		if n > 0 && !exact {
			// Whether the service reads another spelling is not known.
			return found, whySpelling, "parameter " + name + " is spelled otherwise"
		}
		if n > 0 {
			return found, "", ""
		}
	}
	return "", whyMissing, "no parameter " + strings.Join(names, " or ")
}

// formDecode decodes a query value as application/x-www-form-urlencoded:
// '+' is a space, then percent-decoding.
func formDecode(v string) string {
	if strings.IndexByte(v, '+') >= 0 {
		v = strings.ReplaceAll(v, "+", " ")
	}
	return percentDecode(v)
}

// proofpointV2 undoes Proofpoint's v2 encoding: "-XX" is "%XX" and '_' is
// '/', then percent-decoding.
func proofpointV2(v string) string {
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '-' && i+2 < len(v) && isHexDigit(v[i+1]) && isHexDigit(v[i+2]):
			b.WriteByte('%')
		case c == '_':
			b.WriteByte('/')
		default:
			b.WriteByte(c)
		}
	}
	return percentDecode(b.String())
}

// proofpointV3 decodes "/v3/__<url>__;<base64url>!…": each '*' in the URL
// stands for the next character of the decoded base64url text, and "**"
// followed by a letter of runAlphabet for a run of them (A is 2, B is 3 …).
func proofpointV3(rest string) (string, bool) {
	const runAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	rest = strings.ReplaceAll(rest, `\`, "/")
	body, ok := strings.CutPrefix(rest, "/v3/__")
	if !ok {
		return "", false
	}
	enc, tail, ok := strings.Cut(body, "__;")
	if !ok {
		return "", false
	}
	enc = percentDecode(enc)
	chars, _, _ := strings.Cut(tail, "!")
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(chars, "="))
	if err != nil || !utf8.Valid(raw) {
		return "", false
	}
	subst := []rune(string(raw))
	var b strings.Builder
	for i := 0; i < len(enc); i++ {
		if enc[i] != '*' {
			b.WriteByte(enc[i])
			continue
		}
		n := 1
		if i+2 < len(enc) && enc[i+1] == '*' {
			k := strings.IndexByte(runAlphabet, enc[i+2])
			if k < 0 {
				return "", false
			}
			n, i = k+2, i+2
		}
		if n > len(subst) {
			return "", false
		}
		b.WriteString(string(subst[:n]))
		subst = subst[n:]
	}
	return b.String(), true
}

// decodeBase64 reads standard or URL-safe base64, padded or not, and
// requires text.
func decodeBase64(v string) (string, bool) {
	v = strings.TrimRight(v, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(v); err == nil && utf8.Valid(b) {
			return string(b), true
		}
	}
	return "", false
}

// isAuthorize reports an Entra authorize endpoint, a sign-in request:
// /{tenant}/oauth2/v2.0/authorize or /{tenant}/oauth2/authorize, with the
// tenant one path segment (Entra has no endpoint without one).
func isAuthorize(p string) bool {
	for _, suffix := range []string{"/oauth2/v2.0/authorize", "/oauth2/authorize"} {
		if tenant, ok := strings.CutSuffix(p, suffix); ok {
			tenant = strings.TrimPrefix(tenant, "/")
			return tenant != "" && !strings.Contains(tenant, "/")
		}
	}
	return false
}

// signinScopes are the OpenID Connect scopes that only sign the user in;
// any other scope asks the user to consent to an application's access.
var signinScopes = map[string]bool{"openid": true, "profile": true, "email": true, "offline_access": true}

// signinTarget reads an Entra authorize request. For the My Sign-Ins app it
// is a sign-in that continues to redirect_uri; for any other app, or with
// scopes or a consent prompt, it asks the user to grant an application
// access to their account: consent phishing, whatever comes after.
func signinTarget(u *browserURL) (target, why, detail string) {
	client, why, _ := queryTarget(u.query, []string{"client_id"})
	// Exactly as Entra writes it: another spelling of the id or of its
	// name is not taken for My Sign-Ins.
	if client != MySignInsClientID || why != "" {
		name := client
		if name == "" {
			name = "no client_id"
		}
		return "", whyConsent, "it asks you to sign in to the application " + short(name) + ", not Microsoft's My Sign-Ins (" + MySignInsClientID + ")"
	}
	scope, why, _ := queryTarget(u.query, []string{"scope"})
	if why != "" && why != whyMissing {
		return "", whyConsent, "its scope is given twice or spelled otherwise"
	}
	if why == "" {
		for _, s := range strings.Fields(scope) {
			if !signinScopes[s] { // scopes are case-sensitive (RFC 6749, 3.3)
				return "", whyConsent, "it asks for access (scope " + short(s) + ")"
			}
		}
	}
	// prompt is a space-separated list (OpenID Connect Core 3.1.2.1):
	// "select_account consent" asks for consent too, and Entra's
	// admin_consent asks an administrator to grant it for everyone.
	if prompt, why, _ := queryTarget(u.query, []string{"prompt"}); why != "" && why != whyMissing || why == "" && strings.Contains(strings.ToLower(prompt), "consent") {
		return "", whyConsent, "it asks for consent (prompt=" + short(prompt) + ")"
	}
	// The v1.0 endpoint names what it asks access to in resource, not in
	// scope.
	if resource, why, _ := queryTarget(u.query, []string{"resource"}); why != whyMissing {
		return "", whyConsent, "it asks for access (resource " + short(resource) + ")"
	}
	return queryTarget(u.query, []string{"redirect_uri"})
}
