package urlcodec

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"testing"
)

// wrapWith writes link c the way wrapper w does, for the tests: each row of
// Wrappers must be followed by its own rule.
func wrapWith(w Wrapper, c string) string {
	host := strings.Replace(w.Host, "*", "eur01", 1)
	path := strings.Replace(strings.TrimSuffix(w.Path, "**"), "*", "1", 1)
	base := "https://" + host + path
	param := func(name, v string) string {
		sep := "?"
		if strings.Contains(base, "?") {
			sep = "&"
		}
		return base + sep + name + "=" + v
	}
	switch w.Encoding {
	case "query":
		if w.Path == "" {
			base += "/"
		}
		return param(w.Param[0], url.QueryEscape(c)) + "&data=05%7C02"
	case "proofpoint-v2":
		r := strings.NewReplacer(":", "-3A", "?", "-3F", "=", "-3D", "&", "-26", "/", "_")
		return param("u", r.Replace(c)) + "&d=DwMFaQ&c=x&r=y&m=z&s=w&e="
	case "proofpoint-v3":
		return base + strings.ReplaceAll(c, "&", "*") + "__;" + base64.RawURLEncoding.EncodeToString([]byte("&")) + "!!ABC!def$"
	case "base64":
		return base + "/?d=microsoft.com&u=" + base64.StdEncoding.EncodeToString([]byte(c)) + "&p=m"
	case "path":
		return base + "/1AbCdEf/" + url.QueryEscape(c)
	case "signin":
		return base + "/common/oauth2/v2.0/authorize?client_id=" + MySignInsClientID + "&scope=openid+profile&redirect_uri=" + url.QueryEscape(c)
	case "hidden":
		return base + "AbCdEfGh?domain=mysignins.microsoft.com"
	}
	panic("no encoder for " + w.Encoding)
}

func TestWrappers(t *testing.T) {
	const c = "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"
	for _, w := range Wrappers {
		in := wrapWith(w, c)
		l, err := Parse(in)
		if w.Encoding == "hidden" {
			if !errors.Is(err, ErrHidden) {
				t.Errorf("%s: Parse(%q) = %v, want ErrHidden", w.Name, in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", w.Name, in, err)
			continue
		}
		hops := l.Hops()
		if l.Mask != 48 || len(hops) != 2 || hops[1].Via != w.Name || hops[1].Host != Host {
			t.Errorf("%s: Parse(%q) = mask %d hops %+v", w.Name, in, l.Mask, hops)
			continue
		}
		if l.Verdict.Trusted != w.Trusted || hops[0].Safe != w.Trusted {
			t.Errorf("%s: trusted %v, first hop safe %v, want %v: %v", w.Name, l.Verdict.Trusted, hops[0].Safe, w.Trusted, l.Verdict.Reasons)
		}
		if !w.Trusted {
			// A host the user trusts makes the hop safe.
			p := &Parser{TrustHosts: []string{hops[0].Host}}
			if l, err := p.Parse(in); err != nil || !l.Verdict.Trusted {
				t.Errorf("%s: with --trust-host %s: %v %v", w.Name, hops[0].Host, err, l.Verdict.Reasons)
			}
		}
		if w.Source == "" || w.Service == "" {
			t.Errorf("%s: a wrapper needs its service and source", w.Name)
		}
	}
}

// A wrapper is followed only by its own parameter: a register link in any
// other part of it is not where the browser goes.
func TestWrapperDecoys(t *testing.T) {
	const c = "https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1"
	for _, in := range []string{
		"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.example%2F&data=" + c,
		"https://nam12.safelinks.protection.outlook.com/?data=" + c + "&url=https%3A%2F%2Fevil.example%2F",
		"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.example%2F&url=" + c,
		"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.example%2F&%75rl=" + c,
		// Another spelling of the followed parameter, after the genuine one.
		"https://nam12.safelinks.protection.outlook.com/?url=" + c + "&URL=https%3A%2F%2Fevil.example%2F",
		"https://nam12.safelinks.protection.outlook.com/?url=" + c + "&%55rl=https%3A%2F%2Fevil.example%2F",
		// A scope or prompt given twice: which one Entra reads is not known.
		"https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=" + MySignInsClientID + "&scope=openid&SCOPE=Mail.Read&redirect_uri=" + c,
		"https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=" + MySignInsClientID + "&prompt=login&Prompt=consent&redirect_uri=" + c,
		"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.example%2F%3Fnext%3D" + c,
		"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.example%2F#url=" + c,
		"https://urldefense.proofpoint.com/v2/url?u=https-3A__evil.example_&x=" + c,
		"https://www.google.com/url?q=https://evil.example/&url=" + c,
		"https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=00000000-1111-2222-3333-444444444444&redirect_uri=" + c,
		"https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=" + MySignInsClientID + "&scope=Mail.Read&redirect_uri=" + c,
		"https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=" + MySignInsClientID + "&prompt=consent&redirect_uri=" + c,
		"https://statics.teams.cdn.office.net/evergreen-assets/safelinks/1/atp-safelinks.html?url=https%3A%2F%2Fevil.example&locale=" + c,
	} {
		l, err := Parse(in)
		if err == nil && l.Verdict.Trusted {
			t.Errorf("Parse(%q) is trusted; hops %+v", in, l.Hops())
		}
	}
}

func TestProofpointV3(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/v3/__https://example.com/?a=1*b=2__;Jg!!x$", "https://example.com/?a=1&b=2"},
		// "**A" is a run of two characters.
		{"/v3/__https://example.com/**Ax__;Pz0!!x$", "https://example.com/?=x"},
	}
	for _, tt := range tests {
		got, ok := proofpointV3(tt.in)
		if !ok || got != tt.want {
			t.Errorf("proofpointV3(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"/v3/__x", "/v3/__https://e/*__;!!", "/v3/__https://e/**~__;Jg!", "/v2/__x__;Jg!"} {
		if got, ok := proofpointV3(bad); ok {
			t.Errorf("proofpointV3(%q) = %q, want failure", bad, got)
		}
	}
}
