package urlcodec

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// reasonCodes is every code the package documents; TestJudge checks that
// each one is produced by some case.
var reasonCodes = []string{"http", "scheme", "port", "userinfo", "lookalike", "idn", "not-microsoft", "backslash", "slashes", "encoded-host", "ip", "trailing-dot", "invalid-host", "too-long", "wrapper"}

type judgeCase struct {
	name  string
	in    string
	codes []string // exactly these reason codes, in order; none means trusted
	host  string   // the host a browser reaches, when it matters
}

var judgeCases = []judgeCase{
	{name: "genuine", in: "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"},
	{name: "genuine, no path", in: "https://mysignins.microsoft.com"},
	{name: "genuine, query only", in: "https://mysignins.microsoft.com?authMethods=48"},
	{name: "genuine, fragment only", in: "https://mysignins.microsoft.com#x"},
	{name: "any case", in: "HTTPS://MYSIGNINS.Microsoft.Com/register"},
	{name: "no scheme", in: "mysignins.microsoft.com/register?authMethods=48"},
	{name: "explicit default port", in: "https://mysignins.microsoft.com:443/register"},
	{name: "empty port", in: "https://mysignins.microsoft.com:/register"},
	{name: "default port with zeros", in: "https://mysignins.microsoft.com:0443/register"},
	{name: "tab and newline inside, as a browser drops them", in: "https://mysig\tnins.micro\nsoft.com/register"},
	{name: "leading control and space", in: "\x00 \x1f https://mysignins.microsoft.com/register \x00"},
	{name: "empty userinfo", in: "https://@mysignins.microsoft.com/register", codes: []string{"userinfo"}},

	// Lookalike suffixes, prefixes and spellings.
	{name: "genuine as prefix", in: "https://mysignins.microsoft.com.evil.io/register", codes: []string{"lookalike"}},
	{name: "genuine as prefix, trailing dot", in: "https://mysignins.microsoft.com.evil.io./register", codes: []string{"lookalike"}},
	{name: "hyphen prefix", in: "https://evil-mysignins.microsoft.com/register", codes: []string{"lookalike"}},
	{name: "subdomain of genuine", in: "https://login.mysignins.microsoft.com/register", codes: []string{"lookalike"}},
	{name: "hyphen for dot", in: "https://mysignins-microsoft.com/register", codes: []string{"lookalike"}},
	{name: "rn for m", in: "https://mysignins.rnicrosoft.com/register", codes: []string{"lookalike"}},
	{name: "rn for m at the start", in: "https://rnysignins.microsoft.com/register", codes: []string{"lookalike"}},
	{name: "0 for o", in: "https://mysignins.micr0soft.com/register", codes: []string{"lookalike"}},
	{name: "1 for i", in: "https://mys1gnins.microsoft.com/register", codes: []string{"lookalike"}},
	{name: "l for i", in: "https://mysignlns.microsoft.com/register", codes: []string{"lookalike"}},
	{name: "letter missing", in: "https://mysignin.microsoft.com/register", codes: []string{"lookalike"}},
	{name: "letters swapped", in: "https://mysignins.micorsoft.com/register", codes: []string{"lookalike"}},
	{name: "other top-level domain", in: "https://mysignins.microsoft.co/register", codes: []string{"lookalike"}},
	{name: "misspelt word inside", in: "https://secure-micosoft-login.example/register", codes: []string{"lookalike"}},
	{name: "another Microsoft host", in: "https://login.microsoftonline.com/register", codes: []string{"lookalike"}},
	{name: "unrelated", in: "https://evil.io/register?authMethods=48", codes: []string{"not-microsoft"}},
	{name: "unrelated, no scheme", in: "evil.io/register", codes: []string{"not-microsoft"}},

	// Userinfo tricks.
	{name: "genuine as userinfo", in: "https://mysignins.microsoft.com@evil.io/register", codes: []string{"userinfo", "not-microsoft"}, host: "evil.io"},
	{name: "genuine as user:password", in: "https://mysignins.microsoft.com:443@evil.io/register", codes: []string{"userinfo", "not-microsoft"}, host: "evil.io"},
	{name: "last @ counts", in: "https://a@mysignins.microsoft.com@evil.io/", codes: []string{"userinfo", "not-microsoft"}, host: "evil.io"},
	{name: "userinfo before genuine", in: "https://evil.io@mysignins.microsoft.com/register", codes: []string{"userinfo"}},
	{name: "userinfo, no scheme", in: "mysignins.microsoft.com@evil.io/register", codes: []string{"userinfo", "not-microsoft"}, host: "evil.io"},

	// Backslash: where net/url and a browser part ways.
	{name: "backslash ends the authority", in: `https://evil.io\@mysignins.microsoft.com/register`, codes: []string{"backslash", "not-microsoft"}, host: "evil.io"},
	{name: "backslashes for slashes", in: `https:\\mysignins.microsoft.com\register`, codes: []string{"backslash"}},
	{name: "mixed slashes", in: `https:/\mysignins.microsoft.com/register`, codes: []string{"backslash"}},
	{name: "backslash after genuine host", in: `https://mysignins.microsoft.com\@evil.io/`, codes: []string{"backslash"}, host: Host},
	{name: "backslash in path only", in: `https://mysignins.microsoft.com/register\x`},
	{name: "one slash", in: "https:/mysignins.microsoft.com/register", codes: []string{"slashes"}},
	{name: "three slashes", in: "https:///mysignins.microsoft.com/register", codes: []string{"slashes"}},
	{name: "no slashes", in: "https:mysignins.microsoft.com/register", codes: []string{"slashes"}},
	{name: "scheme-relative", in: "//mysignins.microsoft.com/register", codes: []string{"slashes"}},

	// Encoded hosts.
	{name: "percent-encoded dot", in: "https://mysignins%2Emicrosoft.com/register", codes: []string{"encoded-host"}, host: Host},
	{name: "percent-encoded letters", in: "https://%6D%79signins.microsoft.com/register", codes: []string{"encoded-host"}, host: Host},
	{name: "percent-encoded, another host", in: "https://mysignins.microsoft.com%2eevil.io/register", codes: []string{"encoded-host", "lookalike"}, host: "mysignins.microsoft.com.evil.io"},
	{name: "percent-encoded slash", in: "https://mysignins.microsoft.com%2F@evil.io/", codes: []string{"userinfo", "not-microsoft"}, host: "evil.io"},
	{name: "percent-encoded slash in host", in: "https://mysignins.microsoft.com%2F.evil.io/", codes: []string{"invalid-host"}},
	{name: "percent-encoded invalid UTF-8", in: "https://mysignins%FF.microsoft.com/", codes: []string{"invalid-host"}},

	// IDN and punycode homoglyphs.
	{name: "Cyrillic і", in: "https://mysіgnins.microsoft.com/register", codes: []string{"idn", "lookalike"}, host: "xn--mysgnins-vhh.microsoft.com"},
	{name: "Cyrillic о", in: "https://mysignins.micrоsoft.com/register", codes: []string{"idn", "lookalike"}},
	{name: "Greek ο and Cyrillic с", in: "https://mysignins.mіcrοsοft.cоm/register", codes: []string{"idn", "lookalike"}},
	{name: "punycode homoglyph", in: "https://xn--mysgnins-vhh.microsoft.com/register", codes: []string{"idn", "lookalike"}},
	{name: "accented letter", in: "https://mysígnins.microsoft.com/register", codes: []string{"idn", "lookalike"}},
	{name: "fullwidth letters map to genuine", in: "https://ｍｙｓｉｇｎｉｎｓ.microsoft.com/register", codes: []string{"idn"}, host: Host},
	{name: "ideographic full stop", in: "https://mysignins。microsoft.com/register", codes: []string{"idn"}, host: Host},
	{name: "soft hyphen vanishes", in: "https://mysig\u00adnins.microsoft.com/register", codes: []string{"idn"}, host: Host},
	{name: "invalid punycode", in: "https://xn--zz-.microsoft.com/register", codes: []string{"invalid-host"}},
	{name: "unrelated IDN", in: "https://bücher.example/register", codes: []string{"idn", "not-microsoft"}, host: "xn--bcher-kva.example"},

	// IP addresses, in the forms the WHATWG IPv4 parser takes.
	{name: "IPv4", in: "https://20.190.128.1/register", codes: []string{"ip"}},
	{name: "IPv4 hex and short", in: "https://0x7f.1/register", codes: []string{"ip"}, host: "127.0.0.1"},
	{name: "IPv4 one number", in: "https://2130706433/register", codes: []string{"ip"}, host: "127.0.0.1"},
	{name: "IPv4 octal", in: "https://0177.0.0.01/register", codes: []string{"ip"}, host: "127.0.0.1"},
	{name: "IPv4 trailing dot", in: "https://127.0.0.1./register", codes: []string{"ip"}, host: "127.0.0.1"},
	{name: "IPv4 as a last label", in: "https://mysignins.microsoft.0x10/", codes: []string{"invalid-host"}},
	{name: "IPv4 out of range", in: "https://1.2.3.256/register", codes: []string{"invalid-host"}},
	{name: "IPv6", in: "https://[::1]/register", codes: []string{"ip"}},
	{name: "IPv6 unclosed", in: "https://[::1/register", codes: []string{"invalid-host"}},

	// Ports and schemes.
	{name: "port", in: "https://mysignins.microsoft.com:8443/register", codes: []string{"port"}},
	{name: "port 80 on https", in: "https://mysignins.microsoft.com:80/register", codes: []string{"port"}},
	{name: "port not a number", in: "https://mysignins.microsoft.com:44x/register", codes: []string{"port"}},
	{name: "port too large", in: "https://mysignins.microsoft.com:65536/register", codes: []string{"port"}},
	{name: "port, no scheme", in: "mysignins.microsoft.com:8443/register", codes: []string{"port"}},
	{name: "plain http", in: "http://mysignins.microsoft.com/register", codes: []string{"http"}},
	{name: "http with port 80", in: "HTTP://mysignins.microsoft.com:80/register", codes: []string{"http"}},
	{name: "ftp", in: "ftp://mysignins.microsoft.com/register", codes: []string{"scheme"}},
	{name: "javascript", in: "javascript:alert(1)//mysignins.microsoft.com", codes: []string{"scheme", "invalid-host"}},
	{name: "non-special scheme with host", in: "web+x://mysignins.microsoft.com/register", codes: []string{"scheme"}},

	{name: "trailing dot", in: "https://mysignins.microsoft.com./register", codes: []string{"trailing-dot"}},
	{name: "empty host", in: "https:///", codes: []string{"slashes", "invalid-host"}},
	{name: "empty", in: "", codes: []string{"invalid-host"}},
	{name: "space in host", in: "https://mysignins .microsoft.com/", codes: []string{"invalid-host"}},
	{name: "too long", in: "https://mysignins.microsoft.com/register?" + strings.Repeat("x", MaxInput), codes: []string{"too-long"}},
}

func TestJudge(t *testing.T) {
	seen := map[string]bool{"wrapper": true} // TestParseWrapperVerdict
	for _, tt := range judgeCases {
		t.Run(tt.name, func(t *testing.T) {
			v := defaultParser.Judge(tt.in)
			var codes []string
			for _, r := range v.Reasons {
				codes = append(codes, r.Code)
				seen[r.Code] = true
				if r.Message == "" {
					t.Errorf("reason %q has no message", r.Code)
				}
			}
			if !slices.Equal(codes, tt.codes) {
				t.Errorf("Judge(%.80q) codes = %q, want %q\n%v", tt.in, codes, tt.codes, v.Reasons)
			}
			if v.Trusted != (len(v.Reasons) == 0) {
				t.Errorf("Trusted = %v with %d reasons", v.Trusted, len(v.Reasons))
			}
			if tt.host != "" {
				if u := splitBrowser(tt.in); u.host != tt.host {
					t.Errorf("browser host = %q, want %q", u.host, tt.host)
				}
			}
		})
	}
	for _, c := range reasonCodes {
		if !seen[c] {
			t.Errorf("no case produces reason %q", c)
		}
	}
}

// net/url splits these inputs differently from a browser; the verdict
// follows the browser.
func TestJudgeIsNotNetURL(t *testing.T) {
	for _, in := range []string{
		`https://evil.io\@mysignins.microsoft.com/register`,
		"https://mysignins.microsoft.com%2eevil.io/register",
		"https://0x7f.1/register",
	} {
		u, err := url.Parse(in)
		if err == nil && u.Hostname() == splitBrowser(in).host {
			t.Errorf("%q: net/url and the browser agree on %q; the case shows nothing", in, u.Hostname())
		}
		if defaultParser.Judge(in).Trusted {
			t.Errorf("%q trusted", in)
		}
	}
}

func TestTrustHosts(t *testing.T) {
	p := &Parser{TrustHosts: []string{"MySignIns.Microsoft.US.", "nam.safelinks.example"}}
	for _, tt := range []struct {
		in    string
		codes []string
	}{
		{"https://mysignins.microsoft.us/register", nil},
		{"https://mysignins.microsoft.us./register", []string{"trailing-dot"}},
		{"http://mysignins.microsoft.us/register", []string{"http"}},
		{"https://mysignins.microsoft.com/register", nil},
		{"https://mysignins.microsoft.us.evil.io/register", []string{"lookalike"}},
	} {
		var codes []string
		for _, r := range p.Judge(tt.in).Reasons {
			codes = append(codes, r.Code)
		}
		if !slices.Equal(codes, tt.codes) {
			t.Errorf("Judge(%q) = %q, want %q", tt.in, codes, tt.codes)
		}
	}
	if v := defaultParser.Judge("https://mysignins.microsoft.us/register"); v.Trusted {
		t.Error("a sovereign-cloud host is trusted without TrustHosts")
	}
	// A trusted host also counts as a wrapper.
	l, err := p.Parse("https://nam.safelinks.example/?url=https%3A%2F%2Fmysignins.microsoft.us%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1")
	if err != nil || !l.Verdict.Trusted || l.Host != "mysignins.microsoft.us" {
		t.Errorf("Parse with TrustHosts = %+v, %v", l, err)
	}
}

func TestParseWrapperVerdict(t *testing.T) {
	inner := "https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1"
	tests := []struct {
		in      string
		codes   []string
		wrapped string
	}{
		{"https://nam12.safelinks.protection.outlook.com/?url=" + inner, nil, "safelinks"},
		{"nam12.safelinks.protection.outlook.com/?url=" + inner, nil, "safelinks"},
		// Not Safe Links: the browser opens these hosts, which only carry
		// the register link (issue 10).
		{"https://nam12.safelinks.protection.outlook.com.evil.io/?url=" + inner, []string{"embedded"}, "inside:url"},
		{"https://safelinks.protection.outlook.com/?url=" + inner, []string{"embedded"}, "inside:url"},
		{"http://nam12.safelinks.protection.outlook.com/?url=" + inner, []string{"wrapper"}, "safelinks"},
		{"https://nam12.safelinks.protection.outlook.com@evil.io/?url=" + inner, []string{"userinfo", "embedded"}, "inside:url"},
		{"https://evil.io/?ru=" + inner, []string{"embedded"}, "inside:ru"},
		{"https://mysignins.microsoft.com/?returnUrl=" + inner, []string{"embedded"}, "inside:returnUrl"},
		// The inner link is judged as well as the wrapper.
		{"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.io%2Fregister%3FauthMethods%3D48", []string{"not-microsoft"}, "safelinks"},
		{"https://evil.io/?url=http%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48", []string{"http", "embedded"}, "inside:url"},
		// Safe Links follows url only: a register link elsewhere is bait.
		{"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.io%2F&data=" + inner, []string{"embedded"}, "safelinks inside:data"},
		{"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.io%2F&url=" + inner, []string{"wrapper"}, "inside:url"},
	}
	for _, tt := range tests {
		l, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		var codes []string
		for _, r := range l.Verdict.Reasons {
			codes = append(codes, r.Code)
		}
		if !slices.Equal(codes, tt.codes) || strings.Join(l.Wrapped, " ") != tt.wrapped {
			t.Errorf("Parse(%q): codes %q wrapped %q, want %q %q\n%v", tt.in, codes, l.Wrapped, tt.codes, tt.wrapped, l.Verdict.Reasons)
		}
	}
}

func TestSkeleton(t *testing.T) {
	for _, h := range []string{"mysignins-microsoft.com", "mysignins.rnicrosoft.com", "rnysignins.micr0soft.corn", "mysіgnіns.mісrоsоft.соm", "MYS1GN1NS.MICROSOFT.COM"} {
		if got := skeleton(h); got != genuineSkeleton {
			t.Errorf("skeleton(%q) = %q, want %q", h, got, genuineSkeleton)
		}
	}
}
