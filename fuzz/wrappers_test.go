package fuzz

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/fuzz/whatwgref"
	"github.com/authmethods/authmethods/urlcodec"
)

// One target per wrapper decoder (issue 10): each builds the wrapper's form,
// as the service writes it, around a fuzzed payload and checks Parse: it
// never panics, its output is bounded by its input, it trusts only through
// a trusted wrapper and only where the WHATWG reference lands on the
// register page; and the same wrapper around a genuine register link is
// read for its mask (and trusted exactly when the wrapper is a trusted hop).

// A wrapperForm writes a target URL in one wrapper's form.
type wrapperForm struct {
	name    string
	host    string // the host the browser opens first
	trusted bool   // a hop the rule trusts
	wrap    func(target string) string
}

// queryWrappers carry the target percent-encoded in one query parameter.
var queryWrappers = []wrapperForm{
	{"safelinks", "nam12.safelinks.protection.outlook.com", true, func(s string) string {
		return "https://nam12.safelinks.protection.outlook.com/?url=" + url.QueryEscape(s) + "&data=05%7C02%7C&sdata=x&reserved=0"
	}},
	{"safelinks-teams", "statics.teams.cdn.office.net", true, func(s string) string {
		return "https://statics.teams.cdn.office.net/evergreen-assets/safelinks/1/atp-safelinks.html?url=" + url.QueryEscape(s) + "&locale=en-us"
	}},
	{"proofpoint-v1", "urldefense.proofpoint.com", false, func(s string) string {
		return "https://urldefense.proofpoint.com/v1/url?u=" + url.QueryEscape(s) + "&k=abc%3D%3D%0A&r=x&m=y&s=z"
	}},
	{"barracuda", "linkprotect.cudasvc.com", false, func(s string) string {
		return "https://linkprotect.cudasvc.com/url?a=" + url.QueryEscape(s) + "&c=E,1,x&typo=1"
	}},
	{"symantec", "clicktime.symantec.com", false, func(s string) string {
		return "https://clicktime.symantec.com/3AbC?u=" + url.QueryEscape(s)
	}},
	{"trendmicro", "imsva91-ctp.trendmicro.com", false, func(s string) string {
		return "https://imsva91-ctp.trendmicro.com/wis/clicktime/v1/query?url=" + url.QueryEscape(s) + "&umid=1"
	}},
	{"google", "www.google.com", false, func(s string) string {
		return "https://www.google.com/url?q=" + url.QueryEscape(s) + "&sa=D"
	}},
	{"slack", "slack-redir.net", false, func(s string) string {
		return "https://slack-redir.net/link?url=" + url.QueryEscape(s)
	}},
	{"facebook", "l.facebook.com", false, func(s string) string {
		return "https://l.facebook.com/l.php?u=" + url.QueryEscape(s) + "&h=AT0"
	}},
	{"linkedin", "www.linkedin.com", false, func(s string) string {
		return "https://www.linkedin.com/redir/redirect?url=" + url.QueryEscape(s)
	}},
}

// checkWrapped checks Parse on in, built by w around a fuzzed payload.
func checkWrapped(t *testing.T, w wrapperForm, in string) (urlcodec.Link, error) {
	t.Helper()
	l, err := urlcodec.Parse(in)
	if err != nil {
		var e *urlcodec.Error
		if !errors.As(err, &e) || !isSentinel(err) || len(err.Error()) > 1024 {
			t.Fatalf("%s: Parse(%q): error %T %v", w.name, in, err, err)
		}
		return l, err
	}
	checkVerdict(t, in, l.Verdict)
	hops := l.Hops()
	// Bounded: a few hops, and nothing much longer than the input.
	if len(hops) > urlcodec.DefaultMaxDepth+2 || len(l.Warnings) > 64 || len(l.Verdict.Reasons) > 64 {
		t.Fatalf("%s: Parse(%q): %d hops, %d warnings, %d reasons", w.name, in, len(hops), len(l.Warnings), len(l.Verdict.Reasons))
	}
	size := len(l.URL)
	for _, h := range hops {
		size += len(h.URL) + len(h.Host) + len(h.Via)
	}
	for _, m := range l.Warnings {
		size += len(m)
	}
	for _, r := range l.Verdict.Reasons {
		size += len(r.Message)
	}
	if limit := 16*len(in) + 8192; size > limit {
		t.Fatalf("%s: Parse(%q): %d bytes of output for %d of input", w.name, in, size, len(in))
	}
	if len(hops) > 0 && hops[0].Host != w.host {
		t.Fatalf("%s: Parse(%q): first hop %q, the browser opens %q", w.name, in, hops[0].Host, w.host)
	}
	if l.Verdict.Trusted {
		if !w.trusted {
			t.Fatalf("%s: Parse(%q): trusted through a wrapper that is no trusted hop: hops %+v", w.name, in, hops)
		}
		if len(hops) == 0 {
			t.Fatalf("%s: Parse(%q): trusted without hops", w.name, in)
		}
		if mask, ok := whatwgref.Lands(hops[0].URL); !ok || mask != uint32(l.Mask) {
			t.Fatalf("%s: Parse(%q): trusted with mask %d; the reference lands on the register page: %v, mask %d", w.name, in, l.Mask, ok, mask)
		}
	}
	return l, nil
}

// checkGenuine checks w around the genuine register link for mask m: Parse
// reads the mask through the wrapper, trusts it exactly when w is a trusted
// hop, and the browser lands on the genuine host.
func checkGenuine(t *testing.T, w wrapperForm, m uint32) {
	t.Helper()
	in := w.wrap(urlcodec.Build(bitmask.Mask(m), 1))
	l, err := checkWrapped(t, w, in)
	if err != nil {
		t.Fatalf("%s: Parse(%q): %v", w.name, in, err)
	}
	if uint32(l.Mask) != m || l.Verdict.Trusted != w.trusted {
		t.Fatalf("%s: Parse(%q) = mask %d trusted %v; want %d %v: %v", w.name, in, l.Mask, l.Verdict.Trusted, m, w.trusted, l.Verdict.Reasons)
	}
	if hops := l.Hops(); len(hops) < 2 || hops[len(hops)-1].Host != urlcodec.Host {
		t.Fatalf("%s: Parse(%q): hops %+v do not end on %s", w.name, in, hops, urlcodec.Host)
	}
}

// urlBytes reports whether s holds only bytes that stay inside one URL
// written as it is into a wrapper's path or query: printable ASCII without
// space, quotes, brackets, '<', '>', '|' or '\', which would end or
// surround a link in text.
func urlBytes(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || strings.IndexByte("\"'`<>()[]{}|\\^", c) >= 0 {
			return false
		}
	}
	return true
}

// FuzzRedirectParam: the wrappers that carry the target percent-encoded in
// one query parameter (Safe Links for mail and Teams, Proofpoint v1,
// Barracuda, Symantec, Trend Micro, Google, Slack, Facebook, LinkedIn).
func FuzzRedirectParam(f *testing.F) {
	for i := range queryWrappers {
		f.Add(uint8(i), uint32(48), "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1")
		f.Add(uint8(i), uint32(1976), "https://evil.example/?u=https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1")
	}
	f.Fuzz(func(t *testing.T, which uint8, mask uint32, payload string) {
		w := queryWrappers[int(which)%len(queryWrappers)]
		checkWrapped(t, w, w.wrap(payload))
		checkGenuine(t, w, mask)
	})
}

// FuzzEntraSignIn: Entra's sign-in with the register link as redirect_uri
// is a trusted hop only for Microsoft's My Sign-Ins client asking for no
// more than signing in; anything else is consent phishing and says so.
func FuzzEntraSignIn(f *testing.F) {
	f.Add("19db86c3-b2b9-44cc-b339-36da233a3be2", "openid profile", uint32(48), "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1")
	f.Add("4765445b-32c6-49b0-83e6-1d93765276ca", "openid", uint32(1976), "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1")
	f.Add("19db86c3-b2b9-44cc-b339-36da233a3be2", "Mail.Read offline_access", uint32(16), "https://evil.example/")
	f.Fuzz(func(t *testing.T, client, scope string, mask uint32, payload string) {
		wrap := func(target string) string {
			return "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=" + url.QueryEscape(client) +
				"&response_type=code&redirect_uri=" + url.QueryEscape(target) + "&scope=" + url.QueryEscape(scope)
		}
		// The scope ends the link, and a '.' that ends a pasted link is the
		// sentence's (urlcodec.Parse's rule, which FuzzTrustedLandsOnRegister
		// models too): the browser gets the scope without it.
		sent := strings.TrimRight(scope, ".")
		signInOnly := client == whatwgref.MySignInsClient && whatwgref.SignInScopesOnly([]string{sent})
		w := wrapperForm{"entra-signin", "login.microsoftonline.com", signInOnly, wrap}
		checkWrapped(t, w, wrap(payload))
		in := wrap(urlcodec.Build(bitmask.Mask(mask), 1))
		l, err := checkWrapped(t, w, in)
		switch {
		case signInOnly && (err != nil || !l.Verdict.Trusted || uint32(l.Mask) != mask):
			t.Fatalf("Parse(%q): My Sign-Ins sign-in to the register link: mask %d trusted %v err %v; want %d trusted", in, l.Mask, l.Verdict.Trusted, err, mask)
		case !signInOnly && err == nil && !hasConsentReason(l.Verdict):
			t.Fatalf("Parse(%q): a consent request (client %q, scope %q) without a reason saying so: %v", in, client, scope, l.Verdict.Reasons)
		}
	})
}

func hasConsentReason(v urlcodec.Verdict) bool {
	for _, r := range v.Reasons {
		if strings.Contains(strings.ToLower(r.Code+" "+r.Message), "consent") {
			return true
		}
	}
	return false
}

// FuzzProofpointV2: URL Defense v2's -XX and _ encoding in parameter u.
func FuzzProofpointV2(f *testing.F) {
	f.Add(uint32(48), "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1")
	f.Add(uint32(0), "https://evil.example/-3A_")
	f.Fuzz(func(t *testing.T, mask uint32, payload string) {
		w := wrapperForm{"proofpoint-v2", "urldefense.proofpoint.com", false, whatwgref.ProofpointV2}
		checkWrapped(t, w, whatwgref.ProofpointV2(payload))
		if urlBytes(payload) { // the payload in u as it is, not encoded
			checkWrapped(t, w, "https://urldefense.proofpoint.com/v2/url?u="+payload+"&d=x&e=")
		}
		checkGenuine(t, w, mask)
	})
}

// FuzzProofpointV3: URL Defense v3's __<url>__;<base64url> form, with the
// fuzzed characters replaced by '*'.
func FuzzProofpointV3(f *testing.F) {
	f.Add(uint32(48), "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", "&")
	f.Add(uint32(1976), "https://evil.example/__;**", "*_")
	f.Fuzz(func(t *testing.T, mask uint32, payload, replace string) {
		w := wrapperForm{"proofpoint-v3", "urldefense.com", false, func(s string) string { return whatwgref.ProofpointV3(s, replace) }}
		// v3 carries the link as it is: only payloads that stay one URL.
		if !urlBytes(payload) {
			return
		}
		checkWrapped(t, w, whatwgref.ProofpointV3(payload, replace))
		if urlBytes(replace) { // a list that does not match the stars
			checkWrapped(t, w, "https://urldefense.com/v3/__"+payload+"__;"+replace+"!!x$")
		}
		if !strings.ContainsAny(replace, "*_") { // '*' and '_' in the list would not round-trip
			checkGenuine(t, w, mask)
		}
	})
}

// FuzzCisco: Cisco Secure Email's last path segment.
func FuzzCisco(f *testing.F) {
	f.Add(uint32(48), "AbCdEf", "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1")
	f.Fuzz(func(t *testing.T, mask uint32, token, payload string) {
		wrap := func(s string) string {
			return "https://secure-web.cisco.com/1" + url.PathEscape(token) + "/" + url.PathEscape(s)
		}
		w := wrapperForm{"cisco", "secure-web.cisco.com", false, wrap}
		checkWrapped(t, w, wrap(payload))
		checkGenuine(t, w, mask)
	})
}

// FuzzSophos: Sophos's base64 target in parameter u.
func FuzzSophos(f *testing.F) {
	f.Add(uint32(48), "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1")
	f.Add(uint32(8), "aHR0cHM6Ly9ldmlsLmV4YW1wbGUv")
	f.Fuzz(func(t *testing.T, mask uint32, payload string) {
		wrap := func(s string) string {
			return "https://eu-central-1.protection.sophos.com?d=microsoft.com&u=" + url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(s))) + "&i=NjA&t=x&h=y"
		}
		w := wrapperForm{"sophos", "eu-central-1.protection.sophos.com", false, wrap}
		checkWrapped(t, w, wrap(payload))
		// u not base64 at all.
		checkWrapped(t, w, "https://eu-central-1.protection.sophos.com?d=microsoft.com&u="+url.QueryEscape(payload))
		checkGenuine(t, w, mask)
	})
}

// FuzzMimecast: Mimecast hides the target behind a token. Whatever the
// token and the domain hint say, the link is never trusted and no mask is
// guessed from the domain hint.
func FuzzMimecast(f *testing.F) {
	f.Add("AbCdEfGh", "mysignins.microsoft.com")
	f.Add("https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", "mysignins.microsoft.com/register?authMethods=48")
	f.Fuzz(func(t *testing.T, token, domain string) {
		w := wrapperForm{"mimecast", "protect-eu.mimecast.com", false, nil}
		ins := []string{"https://protect-eu.mimecast.com/s/" + url.PathEscape(token) + "?domain=" + url.QueryEscape(domain)}
		if urlBytes(token) && urlBytes(domain) {
			ins = append(ins, "https://protect-eu.mimecast.com/s/"+token+"?domain="+domain)
		}
		for _, in := range ins {
			l, err := checkWrapped(t, w, in)
			if err == nil && l.Verdict.Trusted {
				t.Fatalf("Parse(%q): a Mimecast link is trusted", in)
			}
		}
	})
}
