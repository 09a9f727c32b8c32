package urlcodec_test

import (
	"errors"
	"fmt"

	"github.com/authmethods/authmethods/urlcodec"
)

// A link as Outlook delivers it: wrapped by Safe Links. Parse follows the
// wrapper by its url parameter, as the browser does, reads the mask and
// says what it did; Hops is the browser's path.
func ExampleParse() {
	l, err := urlcodec.Parse("https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1&data=05%7C02&reserved=0")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.URL)
	fmt.Println(uint32(l.Mask), l.Mask)
	fmt.Println(l.Count, l.HasCount)
	fmt.Println(l.Wrapped, l.Verdict.Trusted)
	for _, h := range l.Hops() {
		fmt.Println("hop:", h.Via, h.Host, h.Safe)
	}
	for _, w := range l.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1
	// 1976 softwareOath,sms,fido2,microsoftAuthenticatorPush,deviceBasedPush,temporaryAccessPassOneTime,temporaryAccessPassMultiUse
	// 1 true
	// [safelinks] true
	// hop: clicked nam12.safelinks.protection.outlook.com true
	// hop: safelinks mysignins.microsoft.com true
	// warning: followed Microsoft Defender Safe Links (mail) at nam12.safelinks.protection.outlook.com to the link it opens
}

// A register link carried inside another link is not where the browser
// goes: the verdict names the host it opens.
func ExampleParse_embedded() {
	l, err := urlcodec.Parse("https://evil.example/login?next=https://mysignins.microsoft.com/register?authMethods=48%26authMethodCount=1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(uint32(l.Mask), l.Verdict.Trusted, l.Hops()[0].Host)
	for _, r := range l.Verdict.Reasons {
		fmt.Println(r.Code+":", r.Message)
	}
	// Output:
	// 48 false evil.example
	// embedded: the browser opens evil.example, not the register link: the register link is only carried inside that link
}

// Retyped from a screenshot: spaces around the separators, an l for a 1.
// Parse reads the mask but never silently, and never trusts it.
func ExampleParse_retyped() {
	l, err := urlcodec.Parse("mysignins.microsoft.com/register ? authMethods = l960 & authMethodCount = 1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(uint32(l.Mask), l.Verdict.Trusted)
	for _, w := range l.Warnings {
		fmt.Println("warning:", w)
	}
	// The host is genuine, but the link as written gives the wizard "l960":
	// not the link Entra wrote, so not trusted.
	for _, r := range l.Verdict.Reasons {
		fmt.Println(r.Code+":", r.Message)
	}
	// Output:
	// 1960 false
	// warning: removed spaces around '?', '=' or '&'
	// warning: no scheme: judged as if https:// was meant
	// warning: read authMethods="l960" as 1960: took O or o for 0 and l or I for 1, as when retyping from a screenshot
	// mask-form: as written, the wizard receives authMethods=l960, which is not the number 1960 it was read as (a screenshot slip)
}

// A phishing link reads like a register link; the verdict says why not.
func ExampleParse_lookalike() {
	l, err := urlcodec.Parse("https://mysignins.microsoft.com@mysignins-microsoft.com/register?authMethods=48&authMethodCount=1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.Host, l.Verdict.Trusted)
	for _, r := range l.Verdict.Reasons {
		fmt.Printf("%s: %s\n", r.Code, r.Message)
	}
	// Output:
	// mysignins-microsoft.com false
	// userinfo: the text before '@' ("mysignins.microsoft.com") is not where the link goes: the browser opens mysignins-microsoft.com
	// lookalike: host mysignins-microsoft.com is not mysignins.microsoft.com but looks like it: the same letters, with look-alike characters or separators
}

// Errors have the shape of *url.Error; the cause is testable with
// errors.Is.
func ExampleError() {
	_, err := urlcodec.Parse("https://mysignins.microsoft.com/register?authMethods=48&authMethods=16")
	fmt.Println(err)
	fmt.Println(errors.Is(err, urlcodec.ErrConflict))

	_, err = urlcodec.Parse("https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=-1")
	fmt.Println(errors.Is(err, urlcodec.ErrCount), errors.Is(err, urlcodec.ErrNegative))
	// Output:
	// urlcodec: parse "https://mysignins.microsoft.com/register?authMethods=48&authMethods=16": authMethods=48 and authMethods=16: conflicting duplicate parameters
	// true
	// true true
}

func ExampleBuild() {
	fmt.Println(urlcodec.Build(48, 1))
	// Output:
	// https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1
}

// Strip gives the plain register link, which Jan Bakker's post found brings
// back the combined MFA and SSPR wizard. The post advises against telling
// users to do this: the authentication strength still applies at sign-in.
func ExampleStrip() {
	s, err := urlcodec.Strip("mysignins.microsoft.com/register?authMethods=1976&amp;authMethodCount=1")
	fmt.Println(s, err)
	// Output:
	// https://mysignins.microsoft.com/register <nil>
}

// Judge looks at a URL the way a browser does: here net/url would report
// the host mysignins.microsoft.com, but a browser reads the backslash as a
// slash and opens evil.io.
func ExampleParser_Judge() {
	var p urlcodec.Parser
	for _, u := range []string{
		"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1",
		`https://evil.io\@mysignins.microsoft.com/register`,
		"http://mysignins.microsoft.com:8080/register",
		"https://xn--mysgnins-vhh.microsoft.com/register",
	} {
		v := p.Judge(u)
		fmt.Println(v.Trusted)
		for _, r := range v.Reasons {
			fmt.Printf("  %s: %s\n", r.Code, r.Message)
		}
	}
	// Output:
	// true
	// false
	//   backslash: a '\' where '/' belongs: browsers read it as '/', other tools do not, and that difference can hide the real host
	//   not-microsoft: host evil.io is not mysignins.microsoft.com
	// false
	//   http: plain http, not https: the page is not encrypted and anyone on the way can change it
	//   port: port 8080: the genuine link uses the default port
	// false
	//   idn: host xn--mysgnins-vhh.microsoft.com is punycode for "mysіgnins.microsoft.com": letters from other scripts can look like Latin ones
	//   lookalike: host xn--mysgnins-vhh.microsoft.com is not mysignins.microsoft.com but looks like it: the same letters, with look-alike characters or separators
}

// TrustHosts adds hosts a user trusts, e.g. a sovereign cloud's; the
// package does not trust any host but mysignins.microsoft.com on its own.
func ExampleParser_Parse() {
	p := urlcodec.Parser{TrustHosts: []string{"mysignins.microsoft.us"}}
	l, err := p.Parse("https://mysignins.microsoft.us/register?authMethods=32&authMethodCount=1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.Host, uint32(l.Mask), l.Verdict.Trusted)
	// Output:
	// mysignins.microsoft.us 32 true
}
