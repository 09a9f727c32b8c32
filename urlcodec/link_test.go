package urlcodec

import (
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/authmethods/authmethods/bitmask"
)

const canonical = "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"

// A Safe Links wrapper as Outlook writes it (tenant data shortened).
const safeLinks = "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1&data=05%7C02%7Cuser%40contoso.com%7C1b2c%7C0%7C0%7C638&sdata=Zm9v%2Bbar%3D&reserved=0"

func TestParseMessy(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		mask    bitmask.Mask
		count   int    // -1: authMethodCount absent
		wrapped string // Wrapped joined by " "
		warn    []string
		url     string // Link.URL when it differs from in
		// untrusted is the first reason code when the browser does not
		// land on the register link (issue 10: judge what it opens).
		untrusted string
	}{
		{name: "canonical", in: canonical, mask: 1976, count: 1},
		{name: "canonical, count first", in: "https://mysignins.microsoft.com/register?authMethodCount=1&authMethods=48", mask: 48, count: 1},
		{name: "largest mask", in: "https://mysignins.microsoft.com/register?authMethods=4294967295&authMethodCount=1", mask: 1<<32 - 1, count: 1},
		{name: "mask 0", in: "https://mysignins.microsoft.com/register?authMethods=0&authMethodCount=1", mask: 0, count: 1},
		{name: "no scheme", in: "mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", mask: 1976, count: 1, warn: []string{"no scheme"}},
		{name: "upper-case scheme and host", in: "HTTPS://MySignIns.Microsoft.COM/register?authMethods=1976&authMethodCount=1", mask: 1976, count: 1},
		{name: "upper-case, slow path", in: "HTTPS://MYSIGNINS.MICROSOFT.COM/register?authMethods=48&authMethodCount=1#", mask: 48, count: 1, warn: []string{"fragment"}},
		{name: "parameter names in other case", in: "https://mysignins.microsoft.com/register?AUTHMETHODS=1976&authmethodcount=1", mask: 1976, count: 1,
			warn: []string{`"AUTHMETHODS" is not spelled authMethods`, `"authmethodcount" is not spelled authMethodCount`}, untrusted: "mask-form"},
		{name: "&amp;", in: "https://mysignins.microsoft.com/register?authMethods=1976&amp;authMethodCount=1", mask: 1976, count: 1, wrapped: "html", warn: []string{"HTML"}, url: canonical},
		{name: "&AMP; numeric &#38; and &#x26;", in: "https://mysignins.microsoft.com/register?authMethods=1976&#x26;authMethodCount=1&#38;x=1&AMP;y=2", mask: 1976, count: 1, wrapped: "html", warn: []string{"HTML", `ignored parameter "x"`}},
		{name: "&amp;amp; twice encoded", in: "https://mysignins.microsoft.com/register?authMethods=1976&amp;amp;authMethodCount=1", mask: 1976, count: 1, wrapped: "html html", url: canonical},
		{name: "percent-encoded whole", in: "https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1", mask: 1976, count: 1, wrapped: "percent", warn: []string{"percent"}, url: canonical, untrusted: "embedded"},
		{name: "percent-encoded twice", in: "https%253A%252F%252Fmysignins.microsoft.com%252Fregister%253FauthMethods%253D1976%2526authMethodCount%253D1", mask: 1976, count: 1, wrapped: "percent percent", url: canonical, untrusted: "embedded"},
		{name: "percent-encoded value", in: "https://mysignins.microsoft.com/register?authMethods=%31%39%37%36&authMethodCount=1", mask: 1976, count: 1, warn: []string{"percent-encoded value"}},
		{name: "Safe Links", in: safeLinks, mask: 1976, count: 1, wrapped: "safelinks", warn: []string{"Safe Links (mail) at nam12.safelinks.protection.outlook.com"}, url: canonical},
		{name: "Safe Links in HTML mail", in: strings.ReplaceAll(safeLinks, "&", "&amp;"), mask: 1976, count: 1, wrapped: "html safelinks", url: canonical},
		// Safe Links sends the browser to its url as it is: the &amp; reaches the wizard.
		{name: "Safe Links of a link from HTML mail", in: "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26amp%3BauthMethodCount%3D1&data=x", mask: 48, count: -1, wrapped: "safelinks", warn: []string{`ignored parameter "amp;authMethodCount"`}},
		{name: "Safe Links, value encoded twice", in: "https://nam02.safelinks.protection.outlook.com/?url=https%253A%252F%252Fmysignins.microsoft.com%252Fregister%253FauthMethods%253D48&reserved=0", mask: 48, count: -1, wrapped: "safelinks percent", warn: []string{"no authMethodCount"}, untrusted: "embedded"},
		{name: "sign-in of My Sign-Ins", in: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=19db86c3-b2b9-44cc-b339-36da233a3be2&scope=openid%20profile&redirect_uri=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1", mask: 48, count: 1, wrapped: "signin", warn: []string{`Microsoft Entra sign-in (login.microsoftonline.com) at login.microsoftonline.com`}},
		{name: "sign-in of another app: consent", in: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=x&redirect_uri=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1", mask: 48, count: 1, wrapped: "signin", warn: []string{"redirect_uri of the consent request"}, untrusted: "consent"},
		{name: "ru", in: "https://login.microsoftonline.com/?ru=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1", mask: 48, count: 1, wrapped: "inside:ru", untrusted: "embedded"},
		{name: "returnUrl, unencoded inner query", in: "https://portal.example.com/login?returnUrl=https://mysignins.microsoft.com/register?authMethods=48", mask: 48, count: -1, wrapped: "inside:returnUrl", untrusted: "embedded"},
		{name: "url", in: "https://example.com/go?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1", mask: 48, count: 1, wrapped: "inside:url", untrusted: "embedded"},
		{name: "Safe Links around a redirect", in: "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fexample.com%2F%3Fnext%3Dhttps%253A%252F%252Fmysignins.microsoft.com%252Fregister%253FauthMethods%253D16%2526authMethodCount%253D1&data=x", mask: 16, count: 1, wrapped: "safelinks inside:next", untrusted: "embedded"},
		{name: "angle brackets", in: "<" + canonical + ">", mask: 1976, count: 1, warn: []string{`removed "<" before and ">" after`}, url: canonical},
		{name: "quotes", in: `"` + canonical + `"`, mask: 1976, count: 1, warn: []string{"removed"}, url: canonical},
		{name: "typographic quotes", in: "“" + canonical + "”", mask: 1976, count: 1, warn: []string{"removed"}, url: canonical},
		{name: "single quotes", in: "'" + canonical + "'", mask: 1976, count: 1, warn: []string{"removed"}, url: canonical},
		{name: "parentheses and full stop", in: "(" + canonical + ").", mask: 1976, count: 1, warn: []string{`removed "(" before and ")." after`}, url: canonical},
		{name: "square brackets", in: "[" + canonical + "]", mask: 1976, count: 1, warn: []string{"removed"}, url: canonical},
		{name: "trailing punctuation", in: canonical + "!?,;:", mask: 1976, count: 1, warn: []string{`removed "!?,;:" after`}, url: canonical},
		{name: "surrounding white space", in: "  \t" + canonical + " \n", mask: 1976, count: 1, url: canonical},
		{name: "spaces around ? = &", in: "https://mysignins.microsoft.com/register ? authMethods = 1976 & authMethodCount = 1", mask: 1976, count: 1, warn: []string{"spaces around"}, url: canonical},
		{name: "O for 0", in: "https://mysignins.microsoft.com/register?authMethods=2O48&authMethodCount=1", mask: 2048, count: 1, warn: []string{`read authMethods="2O48" as 2048`}, untrusted: "mask-form"},
		{name: "o for 0", in: "https://mysignins.microsoft.com/register?authMethods=2o48&authMethodCount=1", mask: 2048, count: 1, warn: []string{"screenshot"}, untrusted: "mask-form"},
		{name: "l for 1", in: "https://mysignins.microsoft.com/register?authMethods=l976&authMethodCount=l", mask: 1976, count: 1, warn: []string{`authMethods="l976" as 1976`}, untrusted: "mask-form"},
		{name: "I for 1", in: "https://mysignins.microsoft.com/register?authMethods=I976&authMethodCount=1", mask: 1976, count: 1, warn: []string{"screenshot"}, untrusted: "mask-form"},
		{name: "slips in the count", in: "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=l", mask: 48, count: 1, warn: []string{`authMethodCount="l" as 1`}},
		// JSON escapes are decoded only in a JSON string: a browser
		// decodes none.
		{name: "JSON string", in: `"https:\/\/mysignins.microsoft.com\/register?authMethods=1976\u0026authMethodCount=1"`, mask: 1976, count: 1, wrapped: "json", warn: []string{"JSON"}, url: canonical},
		{name: "JSON HTML-safe escapes", in: `"\u003chttps://mysignins.microsoft.com/register?authMethods=1976\u0026authMethodCount=1\u003e"`, mask: 1976, count: 1, wrapped: "json", warn: []string{"JSON", "removed"}, url: canonical},
		{name: "line break inside", in: "https://mysignins.microsoft.com/regis\nter?authMethods=1976&authMethod\r\nCount=1", mask: 1976, count: 1, warn: []string{"line breaks"}, url: canonical},
		{name: "equal duplicates", in: "https://mysignins.microsoft.com/register?authMethods=48&authMethods=048&authMethodCount=1&authMethodCount=1", mask: 48, count: 1,
			warn: []string{"authMethods appears 2 times", "authMethodCount appears 2 times", "leading zeros"}},
		{name: "duplicates in other case", in: "https://mysignins.microsoft.com/register?authMethods=48&AuthMethods=48&authMethodCount=1", mask: 48, count: 1, warn: []string{"appears 2 times", `"AuthMethods" is not spelled`}},
		{name: "hex", in: "https://mysignins.microsoft.com/register?authMethods=0x7B8&authMethodCount=1", mask: 1976, count: 1, warn: []string{"hex for 1976"}, untrusted: "mask-form"},
		{name: "leading zeros", in: "https://mysignins.microsoft.com/register?authMethods=0048&authMethodCount=01", mask: 48, count: 1, warn: []string{"authMethods=0048 has leading zeros", "authMethodCount=01 has leading zeros"}},
		{name: "no authMethodCount", in: "https://mysignins.microsoft.com/register?authMethods=48", mask: 48, count: -1, warn: []string{"no authMethodCount"}},
		{name: "authMethodCount=0", in: "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=0", mask: 48, count: 0, warn: []string{"no method at all"}},
		{name: "largest count", in: "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=32", mask: 48, count: 32},
		{name: "value with spaces, encoded", in: "https://mysignins.microsoft.com/register?authMethods=%2048%20&authMethodCount=1", mask: 48, count: 1, warn: []string{"percent-encoded value", "spaces around the value"}, untrusted: "mask-form"},
		{name: "other path", in: "https://mysignins.microsoft.com/?authMethods=48&authMethodCount=1", mask: 48, count: 1, untrusted: "path"},
		{name: "extra and empty parameters", in: "https://mysignins.microsoft.com/register?a=1&&authMethods=48&b&authMethodCount=1&c&d&e&f", mask: 48, count: 1,
			warn: []string{`ignored parameter "a"`, `ignored parameter "e"`, "ignored 1 more parameters", "empty parameters"}},
		{name: "explicit :443", in: "https://mysignins.microsoft.com:443/register?authMethods=48&authMethodCount=1", mask: 48, count: 1, warn: []string{`explicit default port ":443"`}},
		{name: "no host, just the query", in: "?authMethods=48&authMethodCount=1", mask: 48, count: 1, warn: []string{"no scheme"}, untrusted: "path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			count, hasCount := tt.count, tt.count >= 0
			if !hasCount {
				count = 0
			}
			if l.Mask != tt.mask || l.Count != count || l.HasCount != hasCount {
				t.Errorf("Parse(%q) = mask %d count %d (present %v), want %d %d (%v)", tt.in, l.Mask, l.Count, l.HasCount, tt.mask, count, hasCount)
			}
			if got := strings.Join(l.Wrapped, " "); got != tt.wrapped {
				t.Errorf("Wrapped = %q, want %q", got, tt.wrapped)
			}
			if l.Input != tt.in {
				t.Errorf("Input = %q, want the input", l.Input)
			}
			if tt.url != "" && l.URL != tt.url {
				t.Errorf("URL = %q, want %q", l.URL, tt.url)
			}
			for _, w := range tt.warn {
				if !slices.ContainsFunc(l.Warnings, func(s string) bool { return strings.Contains(s, w) }) {
					t.Errorf("no warning containing %q in %q", w, l.Warnings)
				}
			}
			// No repair is silent: a link that was changed, unwrapped or
			// read from anything but the canonical form says so.
			if strings.TrimSpace(tt.in) != l.URL || len(l.Wrapped) > 0 {
				if len(l.Warnings) == 0 {
					t.Errorf("URL %q differs from the input but there is no warning", l.URL)
				}
			}
			if len(l.Warnings) < len(l.Wrapped) {
				t.Errorf("%d layers unwrapped but %d warnings: %q", len(l.Wrapped), len(l.Warnings), l.Warnings)
			}
			switch {
			case tt.untrusted == "" && !l.Verdict.Trusted:
				t.Errorf("untrusted: %v", l.Verdict.Reasons)
			case tt.untrusted != "" && (l.Verdict.Trusted || !slices.ContainsFunc(l.Verdict.Reasons, func(r Reason) bool { return r.Code == tt.untrusted })):
				t.Errorf("verdict %+v, want untrusted with reason %q", l.Verdict, tt.untrusted)
			}
		})
	}
}

func TestParseLinkFields(t *testing.T) {
	l, err := Parse("mysignins.microsoft.com:443/register?authMethods=48")
	if err != nil {
		t.Fatal(err)
	}
	want := Link{
		Input:    "mysignins.microsoft.com:443/register?authMethods=48",
		URL:      "mysignins.microsoft.com:443/register?authMethods=48",
		Scheme:   "",
		Host:     "mysignins.microsoft.com",
		Port:     "",
		Path:     "/register",
		Mask:     48,
		Verdict:  Verdict{Trusted: true},
		Warnings: l.Warnings,
	}
	if !linkEqual(l, want) {
		t.Errorf("Parse = %+v\nwant   %+v", l, want)
	}
	l, err = Parse("HTTP://Evil.IO:8080/register?authMethods=48&authMethodCount=1")
	if err != nil {
		t.Fatal(err)
	}
	if l.Scheme != "http" || l.Host != "evil.io" || l.Port != "8080" || l.Path != "/register" {
		t.Errorf("Parse = %+v", l)
	}
}

func linkEqual(a, b Link) bool {
	return a.Input == b.Input && a.URL == b.URL && a.Scheme == b.Scheme && a.Host == b.Host &&
		a.Port == b.Port && a.Path == b.Path && a.Mask == b.Mask && a.Count == b.Count &&
		a.HasCount == b.HasCount && slices.Equal(a.Wrapped, b.Wrapped) &&
		a.Verdict.Trusted == b.Verdict.Trusted && slices.Equal(a.Verdict.Reasons, b.Verdict.Reasons) &&
		slices.Equal(a.Warnings, b.Warnings)
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		errs []error
	}{
		{"", []error{ErrEmpty}},
		{"  <> ", []error{ErrEmpty}},
		{"https://mysignins.microsoft.com/register", []error{ErrNoAuthMethods}},
		{"https://mysignins.microsoft.com/register?authMethodCount=1", []error{ErrNoAuthMethods}},
		// The genuine host, but the wizard receives no authMethods: an
		// error, never a plain mask (issue 10).
		{"https://mysignins.microsoft.com/register#authMethods=48", []error{ErrNotReceived}},
		{"https://mysignins.microsoft.com/register?authMethods%3D1976%26authMethodCount%3D1", []error{ErrNotReceived}},
		{"https://mysignins.microsoft.com/register%3FauthMethods=1976&authMethodCount=1", []error{ErrNotReceived}},
		{"https://mysignins.microsoft.com/register?authMethods=48,1976&authMethodCount=1", []error{ErrNotNumber}},
		{"https://mysignins.microsoft.com/register?authMethods=48%26authMethodCount%3D1", []error{ErrNotNumber}},
		{"https://protect-eu.mimecast.com/s/AbCdEfGh?domain=mysignins.microsoft.com", []error{ErrHidden}},
		{"hello world", []error{ErrNoAuthMethods}},
		{"https://mysignins.microsoft.com/register?authMethods=", []error{ErrEmpty}},
		{"https://mysignins.microsoft.com/register?authMethods&authMethodCount=1", []error{ErrEmpty}},
		{"https://mysignins.microsoft.com/register?authMethods=abc", []error{ErrNotNumber}},
		{"https://mysignins.microsoft.com/register?authMethods=1,976", []error{ErrNotNumber}},
		{"https://mysignins.microsoft.com/register?authMethods=sms", []error{ErrNotNumber}},
		{"https://mysignins.microsoft.com/register?authMethods=ll", []error{ErrNotNumber}},
		{"https://mysignins.microsoft.com/register?authMethods=0x", []error{ErrNotNumber}},
		{"https://mysignins.microsoft.com/register?authMethods=19 76", []error{ErrNotNumber}},
		{"https://mysignins.microsoft.com/register?authMethods=-", []error{ErrNotNumber}},
		{"https://mysignins.microsoft.com/register?authMethods=-48", []error{ErrNegative}},
		{"https://mysignins.microsoft.com/register?authMethods=-99999999999999999999", []error{ErrNegative}},
		{"https://mysignins.microsoft.com/register?authMethods=4294967296", []error{ErrRange}},
		{"https://mysignins.microsoft.com/register?authMethods=99999999999999999999999999", []error{ErrRange}},
		{"https://mysignins.microsoft.com/register?authMethods=0x100000000", []error{ErrRange}},
		{"https://mysignins.microsoft.com/register?authMethods=48&authMethods=16", []error{ErrConflict}},
		{"https://mysignins.microsoft.com/register?authMethods=48&AUTHMETHODS=0x31", []error{ErrConflict}},
		{"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1&authMethodCount=2", []error{ErrCount, ErrConflict}},
		{"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=", []error{ErrCount, ErrEmpty}},
		{"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=one", []error{ErrCount, ErrNotNumber}},
		{"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=0x1", []error{ErrCount, ErrNotNumber}},
		{"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=-1", []error{ErrCount, ErrNegative}},
		{"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=33", []error{ErrCount, ErrRange}},
		{"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=99999999999999999999999", []error{ErrCount, ErrRange}},
		{canonical + strings.Repeat(" ", MaxInput), []error{ErrTooLong}},
		{strings.Repeat("a", MaxInput+1), []error{ErrTooLong}},
		{"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D-1", []error{ErrNegative}},
	}
	every := []error{ErrNoAuthMethods, ErrEmpty, ErrNotNumber, ErrNegative, ErrRange, ErrConflict, ErrCount, ErrTooLong, ErrTooDeep, ErrNotReceived, ErrHidden}
	for _, tt := range tests {
		l, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%.80q) = %+v, want an error", tt.in, l)
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Op != "parse" {
			t.Errorf("Parse(%.80q): %T %v, want an *Error from parse", tt.in, err, err)
		}
		for _, target := range every {
			if want := slices.Contains(tt.errs, target); errors.Is(err, target) != want {
				t.Errorf("Parse(%.80q): %v; errors.Is(%q) = %v, want %v", tt.in, err, target, !want, want)
			}
		}
		if len(e.Input) > 3*shownInput {
			t.Errorf("Error.Input holds %d bytes of input", len(e.Input))
		}
	}
}

func TestErrorString(t *testing.T) {
	_, err := Parse("https://mysignins.microsoft.com/register")
	if got, want := err.Error(), `urlcodec: parse "https://mysignins.microsoft.com/register": no authMethods parameter`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	_, err = Parse("https://mysignins.microsoft.com/register?authMethods=4294967296")
	if got, want := err.Error(), `urlcodec: parse "https://mysignins.microsoft.com/register?authMethods=4294967296": authMethods="4294967296": out of range (a mask is 0 to 4294967295)`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	long := "https://mysignins.microsoft.com/register?x=" + strings.Repeat("é", 200)
	_, err = Parse(long)
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Input, "…") || !strings.HasPrefix(long, strings.Split(e.Input, "…")[0]) {
		t.Errorf("long input shown as %q", e.Input)
	}
	if !strings.HasSuffix(long, strings.Split(e.Input, "…")[1]) || strings.ContainsRune(e.Input, '\uFFFD') {
		t.Errorf("long input shown as %q", e.Input)
	}
	_, err = Strip("nothing here")
	if !errors.As(err, &e) || e.Op != "strip" || !errors.Is(err, ErrNoAuthMethods) {
		t.Errorf("Strip error = %v", err)
	}
}

func TestMaxDepth(t *testing.T) {
	nested := "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fexample.com%2F%3Fnext%3Dhttps%253A%252F%252Fmysignins.microsoft.com%252Fregister%253FauthMethods%253D16"
	if _, err := (&Parser{MaxDepth: 1}).Parse(nested); !errors.Is(err, ErrTooDeep) {
		t.Errorf("MaxDepth 1: %v, want ErrTooDeep", err)
	}
	if l, err := (&Parser{MaxDepth: 2}).Parse(nested); err != nil || l.Mask != 16 {
		t.Errorf("MaxDepth 2: %v", err)
	}
	// Percent-encoding nested far deeper than the default bound.
	s := "https://mysignins.microsoft.com/register?authMethods=16"
	for range 2 * maxDepthLimit {
		s = strings.ReplaceAll(s, "%", "%25")
		s = strings.NewReplacer(":", "%3A", "/", "%2F", "?", "%3F", "=", "%3D").Replace(s)
	}
	for _, p := range []*Parser{{}, {MaxDepth: -1}, {MaxDepth: 1 << 30}} {
		if _, err := p.Parse(s); !errors.Is(err, ErrTooDeep) {
			t.Errorf("MaxDepth %d: %v, want ErrTooDeep", p.MaxDepth, err)
		}
	}
}

func TestBuild(t *testing.T) {
	tests := []struct {
		m     bitmask.Mask
		count int
		want  string
	}{
		{48, 1, "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"},
		{0, 1, "https://mysignins.microsoft.com/register?authMethods=0&authMethodCount=1"},
		{1976, 0, "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=0"},
		{1<<32 - 1, MaxCount, "https://mysignins.microsoft.com/register?authMethods=4294967295&authMethodCount=32"},
	}
	for _, tt := range tests {
		got := Build(tt.m, tt.count)
		if got != tt.want {
			t.Errorf("Build(%d, %d) = %q, want %q", tt.m, tt.count, got, tt.want)
		}
		l, err := Parse(got)
		if err != nil || l.Mask != tt.m || l.Count != tt.count || !l.Verdict.Trusted || (len(l.Warnings) != 0) != (tt.count == 0) {
			t.Errorf("Parse(Build(%d, %d)) = %+v, %v", tt.m, tt.count, l, err)
		}
	}
}

func TestStrip(t *testing.T) {
	for _, in := range []string{canonical, safeLinks, "mysignins.microsoft.com/register?authMethods=48"} {
		got, err := Strip(in)
		if err != nil || got != "https://mysignins.microsoft.com/register" {
			t.Errorf("Strip(%q) = %q, %v", in, got, err)
		}
	}
	// The genuine link, never the host of the input.
	if got, err := Strip("https://evil.io/register?authMethods=48"); err != nil || got != RegisterURL {
		t.Errorf("Strip(evil) = %q, %v", got, err)
	}
}

// Inputs built to make a naive parser quadratic, at two sizes: the bytes
// Parse and Judge allocate may grow with the input, but only in proportion
// (linear code measures about 4× at 4× the size, quadratic copying 16×).
// Allocation is counted, not time, so the test is exact on a loaded
// machine; a quadratic loop that allocates nothing is the benchmarks' job.
func TestHugeInputIsLinear(t *testing.T) {
	inputs := []func(n int) string{
		func(n int) string {
			return "https://mysignins.microsoft.com/register?" + strings.Repeat("&", n-100) + "authMethods=1"
		},
		func(n int) string {
			return "https://mysignins.microsoft.com/register?authMethods=1" + strings.Repeat(")", n-100)
		},
		func(n int) string {
			return strings.Repeat("(", n/2) + "https://mysignins.microsoft.com/register?authMethods=1" + strings.Repeat(")", n/2-100)
		},
		func(n int) string {
			return "https://mysignins.microsoft.com/register?authMethods=1&" + strings.Repeat("a=authmethods&", n/15)
		},
		func(n int) string { return "https://" + strings.Repeat("mysignins.", n/11) + "/register?authMethods=1" },
		func(n int) string {
			return "https://mysignins.microsoft.com/register?authMethods=" + strings.Repeat("9", n-100)
		},
		func(n int) string {
			return "https://mysignins.microsoft.com/register?authMethods=1" + strings.Repeat("&amp;", n/6)
		},
		func(n int) string { return strings.Repeat(`\u0026`, n/7) + "?authMethods=1" },
		func(n int) string { return "https://x/?" + strings.Repeat("%25", n/4) },
		func(n int) string { return "https://" + strings.Repeat("ı", n/3) + "/register?authMethods=1" },
	}
	const ratio, slack = 6, 16 << 10
	for i, input := range inputs {
		small, large := input(MaxInput/4), input(MaxInput)
		for _, f := range []struct {
			name string
			call func(string)
		}{
			{"Parse", func(s string) { _, _ = Parse(s) }},
			{"Judge", func(s string) { _ = defaultParser.Judge(s) }},
		} {
			a, b := allocated(func() { f.call(small) }), allocated(func() { f.call(large) })
			if b > ratio*a+slack {
				t.Errorf("input %d: %s allocates %d bytes for %d bytes of input, %d for %d: not linear",
					i, f.name, a, len(small), b, len(large))
			}
		}
	}
}

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A Parser is shared by goroutines (go test -race checks it).
func TestParserConcurrent(t *testing.T) {
	p := &Parser{TrustHosts: []string{"mysignins.microsoft.us"}}
	done := make(chan bool)
	for range 4 {
		go func() {
			for _, s := range benchInputs {
				if _, err := p.Parse(s); err != nil {
					t.Error(err)
				}
				p.Judge(s)
			}
			done <- true
		}()
	}
	for range 4 {
		<-done
	}
}
