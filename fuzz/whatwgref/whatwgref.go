// Package whatwgref is the reference the adversarial tests and the
// differential fuzz targets check urlcodec against: where a browser goes,
// by an independent implementation of the WHATWG URL Standard
// (github.com/nlnwa/whatwg-url), and how Proofpoint writes its wrappers,
// each written without reading or calling urlcodec's own code. It is
// imported by tests only, so the reference parser is never part of the
// tool.
package whatwgref

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	whatwg "github.com/nlnwa/whatwg-url/url"

	"github.com/authmethods/authmethods/urlcodec"
)

// MySignInsClient is Microsoft's first-party "My Signins" application, the
// client id of the mysignins.microsoft.com single-page app (listed in public
// first-party app-id tables, e.g. AADInternals).
const MySignInsClient = "19db86c3-b2b9-44cc-b339-36da233a3be2"

// Open parses what a person clicks or pastes into the address bar as a
// browser does. Text without a scheme is completed with https://, as the
// address bar and chat clients do; "host:port/…" has no scheme either,
// though the URL parser would read "host" as one.
func Open(s string) (*whatwg.Url, error) {
	// The URL parser removes tabs and newlines first (WHATWG, basic URL
	// parser); so does the address bar, before it looks for a scheme.
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	t := strings.TrimLeft(s, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	// "host:443/…" is a host and port, as the address bar reads it, not
	// the scheme "host:" the URL parser alone would see.
	if m := refScheme.FindString(t); m == "" || strings.Contains(m, ".") || len(t) > len(m) && '0' <= t[len(m)] && t[len(m)] <= '9' {
		t = "https://" + t
	}
	return whatwg.Parse(t)
}

var refScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]*:`)

// Hop is one URL the browser opens, and whether opening it is safe: a
// hop the person may open without harm, reached the plain way.
type Hop struct {
	u   *whatwg.Url
	via string // "" for the URL clicked
}

// Path follows what the person clicks through the wrappers that are
// trusted to send the browser on (Safe Links for mail and Teams, Entra
// sign-in for the My Sign-Ins client), each only by its one documented
// parameter, read as a server reads a form-urlencoded query. It stops at the
// first URL that is not such a wrapper: that is where the browser lands as
// far as the rule is concerned.
func Path(s string) ([]Hop, error) {
	u, err := Open(s)
	if err != nil {
		return nil, err
	}
	path := []Hop{{u: u}}
	for len(path) <= 8 {
		via, next := next(u)
		if via == "" {
			break
		}
		if u, err = whatwg.Parse(next); err != nil {
			break // the wrapper sends the browser to no URL: it lands on the wrapper
		}
		path = append(path, Hop{u: u, via: via})
	}
	return path, nil
}

// PlainHTTPS reports whether u is reached the plain way: https, the default
// port, no userinfo.
func PlainHTTPS(u *whatwg.Url) bool {
	return u.Scheme() == "https" && u.Port() == "" && u.Username() == "" && u.Password() == ""
}

var (
	refSafeLinksHost = regexp.MustCompile(`^[a-z0-9-]+\.safelinks\.protection\.outlook\.com$`)
	refTeamsPath     = regexp.MustCompile(`^/evergreen-assets/safelinks/[^/]+/atp-safelinks\.html$`)
	refAuthorizePath = regexp.MustCompile(`^/[^/]+/oauth2/(v2\.0/)?authorize$`)
)

// next returns the wrapper u is and the URL it sends the browser to, or
// "" when u is no trusted wrapper (or one the browser cannot be sure to pass
// through: a parameter given twice, another scheme, a port, userinfo).
func next(u *whatwg.Url) (via, next string) {
	if !PlainHTTPS(u) {
		return "", ""
	}
	q := u.SearchParams()
	one := func(name string) (string, bool) {
		vs := q.GetAll(name)
		return strings.Join(vs, ""), len(vs) == 1
	}
	host, path := u.Hostname(), u.Pathname()
	switch {
	case refSafeLinksHost.MatchString(host) && path == "/":
		if v, ok := one("url"); ok {
			return "safelinks", v
		}
	case host == "statics.teams.cdn.office.net" && refTeamsPath.MatchString(path):
		if v, ok := one("url"); ok {
			return "safelinks-teams", v
		}
	case (host == "login.microsoftonline.com" || host == "login.microsoft.com") && refAuthorizePath.MatchString(path):
		client, ok1 := one("client_id")
		redirect, ok2 := one("redirect_uri")
		if ok1 && ok2 && client == MySignInsClient && SignInScopesOnly(q.GetAll("scope")) {
			return "entra-signin", redirect
		}
	}
	return "", ""
}

// SignInScopesOnly reports whether scope asks for nothing beyond signing in
// (OpenID Connect's scopes); anything more is a consent request.
func SignInScopesOnly(scopes []string) bool {
	for _, s := range scopes {
		for _, f := range strings.Fields(s) {
			switch f {
			case "openid", "profile", "email", "offline_access":
			default:
				return false
			}
		}
	}
	return true
}

// Lands reports whether the browser, opening what the person clicks and
// passing the trusted wrappers, lands on the genuine register page, and with
// which authMethods as the server receives it. Every server reading of the
// query must give the same number: each parameter named authMethods in any
// case is a decimal number, all equal, and one is spelled authMethods.
func Lands(s string) (mask uint32, ok bool) {
	path, err := Path(s)
	if err != nil {
		return 0, false
	}
	for _, h := range path[:len(path)-1] {
		if !PlainHTTPS(h.u) {
			return 0, false
		}
	}
	u := path[len(path)-1].u
	if !PlainHTTPS(u) || u.Hostname() != urlcodec.Host || u.Pathname() != "/register" {
		return 0, false
	}
	exact, bad, n := false, false, 0
	var value uint64
	u.SearchParams().Iterate(func(p *whatwg.NameValuePair) {
		if !strings.EqualFold(p.Name, "authMethods") {
			return
		}
		exact = exact || p.Name == "authMethods"
		v, err := strconv.ParseUint(p.Value, 10, 32) // digits only: no sign, space or 0x
		bad = bad || err != nil || n > 0 && v != value
		value, n = v, n+1
	})
	if !exact || bad {
		return 0, false
	}
	return uint32(value), true
}

// ProofpointV2 writes a link the way Proofpoint URL Defense v2 does: percent
// encoding with '-' for '%' and '_' for '/'.
func ProofpointV2(target string) string {
	var b strings.Builder
	for i := 0; i < len(target); i++ {
		c := target[i]
		switch {
		case c == '/':
			b.WriteByte('_')
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "-%02X", c)
		}
	}
	return "https://urldefense.proofpoint.com/v2/url?u=" + b.String() + "&d=DwMFaQ&c=euGZstcaTDllvimEN8b7jXrwqOf-v5A_CdpgnVfiiMM&r=abc&m=def&s=ghi&e="
}

// ProofpointV3 writes a link the way URL Defense v3 does: the link between
// "__" and "__;", each character of replace shown as '*' (a run of them as
// "**" and a letter for its length, as URLDefenseDecode.py reads them) and
// listed, base64url encoded, after the ';'.
func ProofpointV3(target, replace string) string {
	var masked, listed strings.Builder
	rs := []rune(target)
	for i := 0; i < len(rs); {
		if !strings.ContainsRune(replace, rs[i]) {
			masked.WriteRune(rs[i])
			i++
			continue
		}
		n := 1 // a run of listed characters: "*" for one, "**" and a length for 2 to 65
		for i+n < len(rs) && n < 65 && strings.ContainsRune(replace, rs[i+n]) {
			n++
		}
		if n == 1 {
			masked.WriteByte('*')
		} else {
			masked.WriteString("**")
			masked.WriteByte(v3Runs[n-2])
		}
		listed.WriteString(string(rs[i : i+n]))
		i += n
	}
	return "https://urldefense.com/v3/__" + masked.String() + "__;" + base64.RawURLEncoding.EncodeToString([]byte(listed.String())) + "!!ABCdef!GhIjKl$"
}

// v3Runs codes the length of a run of listed characters, 2 for 'A' on.
const v3Runs = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
