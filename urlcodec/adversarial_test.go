package urlcodec_test

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/authmethods/authmethods/fuzz/whatwgref"
	"github.com/authmethods/authmethods/urlcodec"
)

// The adversarial table (issue 10): inputs crafted as an attacker or a mail
// client would, each with the host a browser opens first, written by hand and
// checked against an independent WHATWG URL parser (fuzz/whatwgref), and
// whether the verdict must be trusted. The rule: trusted only when every URL
// the browser passes is safe and it lands on
// https://mysignins.microsoft.com/register with the authMethods the server
// receives.

// Links the rows are built from.
const (
	g48   = "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"
	g1976 = "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"
	ns48  = "mysignins.microsoft.com/register?authMethods=48&authMethodCount=1" // chat: no scheme
	amp48 = "https://mysignins.microsoft.com/register?authMethods=48&amp;authMethodCount=1"
	evil  = "https://evil.example/login"
	msi   = "19db86c3-b2b9-44cc-b339-36da233a3be2" // My Sign-Ins
	other = "4765445b-32c6-49b0-83e6-1d93765276ca" // any other application
)

// pe percent-encodes s as a query value, as wrappers write their target.
func pe(s string) string { return url.QueryEscape(s) }

func safeLinks(target, rest string) string {
	return "https://nam12.safelinks.protection.outlook.com/?url=" + pe(target) + "&data=05%7C02%7Cuser%40contoso.com%7C&sdata=AbC%3D&reserved=0" + rest
}

func teams(target string) string {
	return "https://statics.teams.cdn.office.net/evergreen-assets/safelinks/1/atp-safelinks.html?url=" + pe(target) + "&locale=en-us&dest=https%3A%2F%2Fteams.microsoft.com&pc=x"
}

func signIn(host, path, client, redirect, scope string) string {
	s := "https://" + host + path + "?client_id=" + client + "&response_type=code&redirect_uri=" + pe(redirect)
	if scope != "" {
		s += "&scope=" + pe(scope)
	}
	return s + "&response_mode=fragment&state=abc&nonce=def"
}

const v2authorize = "/common/oauth2/v2.0/authorize"

// adv is one row of the table.
type adv struct {
	class string
	in    string // what the person clicks, copies or pastes
	// click is the URL the browser opens when it is not in itself: the href
	// under a link's text, the link of a mail once rebuilt. "" means in.
	click string
	// orClick is a second reading of a paste, line by line, when both are
	// fair: the URL a browser opens from the line alone. "" for none.
	orClick string
	// host is the host the browser opens first, written by hand; "" when it
	// opens none (no URL at all, or one without a host).
	host    string
	trusted bool
	mask    int64 // authMethods when the input must parse; -1 when it need not
	// land is the host of the last hop when it matters: where a wrapper,
	// followed, sends the browser. "" leaves it unchecked.
	land string
	// how the input is read: "url" with Parse and Extract, "parse" with
	// Parse only (one link the person clicks), "paste" with Extract only
	// (text from mail or chat).
	mode string
	warn bool // a trusted result must carry a warning (a repaired paste)
	// reason is a word some Reason's code or message must hold (e.g.
	// "consent"), "" for none.
	reason string
}

// advTable returns the adversarial inputs. The hosts, trusted and masks are
// written by hand; TestAdversarialReference checks them against the WHATWG
// reference before anything else is checked.
func advTable() []adv {
	const (
		safe   = "nam12.safelinks.protection.outlook.com"
		my     = urlcodec.Host
		ev     = "evil.example"
		teamsH = "statics.teams.cdn.office.net"
		login  = "login.microsoftonline.com"
	)
	long := strings.Repeat("a", 9000)
	tooLong := strings.Repeat("b", urlcodec.MaxInput)
	sophos := base64.StdEncoding.EncodeToString([]byte(g48))
	t := []adv{
		// Genuine links as Entra and people write them: trusted.
		{class: "genuine", in: g48, host: my, trusted: true, mask: 48, land: my, mode: "url"},
		{class: "genuine", in: g1976, host: my, trusted: true, mask: 1976, land: my, mode: "url"},
		{class: "genuine", in: ns48, host: my, trusted: true, mask: 48, land: my, mode: "url"},
		{class: "genuine", in: amp48, host: my, trusted: true, mask: 48, land: my, mode: "url"},
		{class: "genuine", in: "HTTPS://MYSIGNINS.MICROSOFT.COM/register?authMethods=48&authMethodCount=1", host: my, trusted: true, mask: 48, mode: "url"},
		{class: "genuine", in: "https://mysignins.microsoft.com:443/register?authMethods=48&authMethodCount=1", host: my, trusted: true, mask: 48, mode: "url", warn: true},

		// 1. Wrappers: the browser follows one parameter.
		{class: "wrapper/safelinks", in: safeLinks(g48, ""), host: safe, trusted: true, mask: 48, land: my, mode: "url"},
		{class: "wrapper/safelinks", in: safeLinks(g1976, ""), host: safe, trusted: true, mask: 1976, land: my, mode: "url"},
		{class: "wrapper/safelinks", in: "https://eur01.safelinks.protection.outlook.com/?url=" + pe(ns48) + "&data=05", host: "eur01.safelinks.protection.outlook.com", mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: safeLinks(safeLinks(g48, ""), ""), host: safe, trusted: true, mask: 48, land: my, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?url=" + pe(evil) + "&data=" + pe(g48) + "&reserved=0", host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?data=" + pe(g48) + "&url=" + pe(evil), host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?url=" + pe(g48) + "&url=" + pe(evil), host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?url=" + pe(evil) + "&url=" + pe(g48), host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?%75rl=" + pe(g48) + "&url=" + pe(evil), host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?url=" + pe(evil) + "&%75rl=" + pe(g48), host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?url=" + pe(evil) + "&u%72l=" + pe(g48), host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?URL=" + pe(g48) + "&url=" + pe(evil), host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?u=" + pe(g48) + "&data=05", host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?url=" + pe(evil+"?next="+g48) + "&data=05", host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?url=" + pe(evil+"/"+g48) + "&data=05", host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: safeLinks("https://www.google.com/url?q="+pe(g48), ""), host: safe, mask: 48, land: my, mode: "url"},
		{class: "wrapper/safelinks", in: "https://www.google.com/url?q=" + pe(safeLinks(g48, "")), host: "www.google.com", mask: 48, land: my, mode: "url"},
		{class: "wrapper/safelinks", in: safeLinks(evil, "") + "&x=" + pe(g48), host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?url=https://mysignins.microsoft.com/register?authMethodCount=1&authMethods=48&data=05", host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?url=" + pe("https://mysignins.microsoft.com/register?authMethods=48%2C8&authMethodCount=1") + "&data=05", host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com.evil.example/?url=" + pe(g48), host: "nam12.safelinks.protection.outlook.com.evil.example", mask: 48, mode: "url"},
		{class: "wrapper/safelinks", in: "https://safelinks.protection.outlook.com/?url=" + pe(g48), host: "safelinks.protection.outlook.com", mask: 48, mode: "url"},
		{class: "wrapper/safelinks", in: "https://a.nam12.safelinks.protection.outlook.com/?url=" + pe(g48), host: "a.nam12.safelinks.protection.outlook.com", mask: 48, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com./?url=" + pe(g48), host: "nam12.safelinks.protection.outlook.com.", mask: 48, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12-safelinks.protection.outlook.com/?url=" + pe(g48), host: "nam12-safelinks.protection.outlook.com", mask: 48, mode: "url"},
		{class: "wrapper/safelinks", in: "http://nam12.safelinks.protection.outlook.com/?url=" + pe(g48), host: safe, mask: 48, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com:8443/?url=" + pe(g48), host: safe, mask: 48, mode: "url"},
		{class: "wrapper/safelinks", in: "https://evil.example@nam12.safelinks.protection.outlook.com/?url=" + pe(g48), host: safe, mask: 48, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com@evil.example/?url=" + pe(g48), host: ev, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com\\@evil.example/?url=" + pe(g48), host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://evil.example\\@nam12.safelinks.protection.outlook.com/?url=" + pe(g48), host: ev, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?url=" + pe("https://evil.example@mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"), host: safe, mask: 48, land: my, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?url=" + pe("https://mysignins.microsoft.com@evil.example/register?authMethods=48&authMethodCount=1"), host: safe, mask: 48, land: ev, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?url=" + pe("http://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"), host: safe, mask: 48, land: my, mode: "url"},
		{class: "wrapper/safelinks", in: "https://NAM12.SAFELINKS.PROTECTION.OUTLOOK.COM/?url=" + pe(g48) + "&data=05", host: safe, trusted: true, mask: 48, land: my, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?url=" + pe(pe(g48)) + "&data=05", host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?data=05#url=" + pe(g48), host: safe, mask: -1, mode: "url"},
		{class: "wrapper/safelinks", in: "https://nam12.safelinks.protection.outlook.com/?url=" + pe("https://mysignins.microsoft.com/register?authMethods=48&authMethods=1&authMethodCount=1"), host: safe, mask: -1, mode: "url"},
		{class: "wrapper/teams", in: teams(g48), host: teamsH, trusted: true, mask: 48, land: my, mode: "url"},
		{class: "wrapper/teams", in: teams(g1976), host: teamsH, trusted: true, mask: 1976, land: my, mode: "url"},
		{class: "wrapper/teams", in: "https://statics.teams.cdn.office.net/evergreen-assets/safelinks/2/atp-safelinks.html?url=" + pe(g48) + "&locale=de-de", host: teamsH, trusted: true, mask: 48, land: my, mode: "url"},
		{class: "wrapper/teams", in: "https://statics.teams.cdn.office.net/evergreen-assets/safelinks/1/../../../redirect?url=" + pe(g48), host: teamsH, mask: -1, mode: "url"},
		{class: "wrapper/teams", in: "https://statics.teams.cdn.office.net/evergreen-assets/safelinks/%2e%2e/%2E%2E/x/atp-safelinks.html?url=" + pe(g48), host: teamsH, mask: -1, mode: "url"},
		{class: "wrapper/teams", in: "https://statics.teams.cdn.office.net.evil.example/evergreen-assets/safelinks/1/atp-safelinks.html?url=" + pe(g48), host: "statics.teams.cdn.office.net.evil.example", mask: 48, mode: "url"},
		{class: "wrapper/teams", in: "https://statics.teams.cdn.office.net/evergreen-assets/safelinks/1/atp-safelinks.html?url=" + pe(evil) + "&data=" + pe(g48), host: teamsH, mask: -1, mode: "url"},
		{class: "wrapper/teams", in: "https://statics.teams.cdn.office.net/evergreen-assets/safelinks/1/atp-safelinks.html?url=" + pe(evil) + "&url=" + pe(g48), host: teamsH, mask: -1, mode: "url"},
		{class: "wrapper/teams", in: "http://statics.teams.cdn.office.net/evergreen-assets/safelinks/1/atp-safelinks.html?url=" + pe(g48), host: teamsH, mask: 48, mode: "url"},
		{class: "wrapper/teams", in: "https://evil.example/evergreen-assets/safelinks/1/atp-safelinks.html?url=" + pe(g48), host: ev, mask: 48, mode: "url"},

		// 7. Entra's own sign-in: the My Sign-Ins client is a trusted hop;
		// any other client, or more scopes than signing in, is consent
		// phishing. Where the browser goes after consent (the app's
		// redirect_uri, which an attacker registers) is left unchecked:
		// the verdict and a reason naming consent are what matter.
		{class: "signin", in: signIn(login, v2authorize, msi, g48, "openid profile"), host: login, trusted: true, mask: 48, land: my, mode: "url"},
		{class: "signin", in: signIn(login, v2authorize, msi, g1976, "openid email"), host: login, trusted: true, mask: 1976, land: my, mode: "url"},
		{class: "signin", in: signIn("login.microsoft.com", v2authorize, msi, g48, "openid"), host: "login.microsoft.com", trusted: true, mask: 48, land: my, mode: "url"},
		{class: "signin", in: signIn(login, "/organizations/oauth2/authorize", msi, g48, ""), host: login, trusted: true, mask: 48, land: my, mode: "url"},
		{class: "signin", in: signIn(login, "/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize", msi, g48, "openid profile offline_access"), host: login, trusted: true, mask: 48, land: my, mode: "url"},
		{class: "signin", in: safeLinks(signIn(login, v2authorize, msi, g48, "openid"), ""), host: safe, trusted: true, mask: 48, land: my, mode: "url"},
		{class: "signin/consent", in: signIn(login, v2authorize, other, g48, "openid"), host: login, mask: -1, mode: "url", reason: "consent"},
		{class: "signin/consent", in: signIn(login, v2authorize, other, g48, "Mail.Read offline_access"), host: login, mask: -1, mode: "url", reason: "consent"},
		{class: "signin/consent", in: signIn(login, v2authorize, msi, g48, "openid Mail.ReadWrite"), host: login, mask: -1, mode: "url", reason: "consent"},
		{class: "signin/consent", in: signIn(login, v2authorize, msi, g48, "https://graph.microsoft.com/.default"), host: login, mask: -1, mode: "url", reason: "consent"},
		{class: "signin/consent", in: signIn("login.microsoft.com", "/common/oauth2/authorize", other, g48, ""), host: "login.microsoft.com", mask: -1, mode: "url", reason: "consent"},
		{class: "signin/consent", in: safeLinks(signIn(login, v2authorize, other, g48, "Files.ReadWrite.All"), ""), host: safe, mask: -1, mode: "url", reason: "consent"},
		// prompt is a list, and admin_consent asks an administrator; the
		// v1.0 endpoint asks for access in resource.
		{class: "signin/consent", in: signIn(login, v2authorize, msi, g48, "openid") + "&prompt=select_account%20consent", host: login, mask: -1, mode: "url", reason: "consent"},
		{class: "signin/consent", in: signIn(login, v2authorize, msi, g48, "openid") + "&prompt=admin_consent", host: login, mask: -1, mode: "url", reason: "consent"},
		{class: "signin/consent", in: signIn(login, "/common/oauth2/authorize", msi, g48, "") + "&resource=" + pe("https://graph.microsoft.com"), host: login, mask: -1, mode: "url", reason: "consent"},
		{class: "signin", in: signIn(login, v2authorize, msi, g48, "openid") + "&prompt=select_account", host: login, trusted: true, mask: 48, land: my, mode: "url"},
		{class: "signin/consent", in: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=" + other + "&client_id=" + msi + "&redirect_uri=" + pe(g48), host: login, mask: -1, mode: "url"},
		{class: "signin/consent", in: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=" + msi + "&client_id=" + other + "&redirect_uri=" + pe(g48), host: login, mask: -1, mode: "url"},
		{class: "signin", in: signIn(login, v2authorize, msi, evil, "openid") + "&state=" + pe(g48), host: login, mask: -1, mode: "url"},
		{class: "signin", in: signIn(login, v2authorize, msi, urlcodec.RegisterURL, "openid") + "&login_hint=" + pe(g48), host: login, mask: -1, mode: "url"},
		{class: "signin", in: "https://login.microsoftonline.com/common/oauth2/v2.0/logout?post_logout_redirect_uri=" + pe(g48), host: login, mask: -1, mode: "url"},
		{class: "signin", in: signIn("login.microsoftonline.com.evil.example", v2authorize, msi, g48, "openid"), host: "login.microsoftonline.com.evil.example", mask: -1, mode: "url"},
		{class: "signin", in: signIn("login.microsoftonline.us", v2authorize, msi, g48, "openid"), host: "login.microsoftonline.us", mask: -1, mode: "url"},
		{class: "signin", in: signIn("login.live.com", "/oauth20_authorize.srf", msi, g48, "openid"), host: "login.live.com", mask: -1, mode: "url"},
		{class: "signin", in: "http" + strings.TrimPrefix(signIn(login, v2authorize, msi, g48, "openid"), "https"), host: login, mask: -1, mode: "url"},
		{class: "signin", in: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=" + msi + "&redirect%5Furi=" + pe(evil) + "&redirect_uri=" + pe(g48), host: login, mask: -1, mode: "url"},
		{class: "signin", in: signIn(login, v2authorize, msi, "https://evil.example/register?authMethods=48&authMethodCount=1", "openid"), host: login, mask: -1, mode: "url"},
		{class: "signin", in: signIn(login, v2authorize, msi, ns48, "openid"), host: login, mask: -1, mode: "url"},
		{class: "signin", in: signIn(login, "/oauth2/v2.0/authorize", msi, g48, "openid"), host: login, mask: -1, mode: "url"},
		{class: "signin", in: signIn(login, "/common/oauth2/v2.0/authorize/../../../evil", msi, g48, "openid"), host: login, mask: -1, mode: "url"},

		// Other wrappers: followed to read the mask, never trusted hops.
		{class: "wrapper/proofpoint", in: "https://urldefense.proofpoint.com/v1/url?u=" + pe(g48) + "&k=oIvRg1%2BdGAgOoM1BIlLLqw%3D%3D%0A&r=x&m=y&s=z", host: "urldefense.proofpoint.com", mask: 48, land: my, mode: "url"},
		{class: "wrapper/proofpoint", in: whatwgref.ProofpointV2(g48), host: "urldefense.proofpoint.com", mask: 48, land: my, mode: "url"},
		{class: "wrapper/proofpoint", in: whatwgref.ProofpointV2(g1976), host: "urldefense.proofpoint.com", mask: 1976, land: my, mode: "url"},
		{class: "wrapper/proofpoint", in: whatwgref.ProofpointV2(evil) + "&x=" + pe(g48), host: "urldefense.proofpoint.com", mask: -1, mode: "url"},
		{class: "wrapper/proofpoint", in: whatwgref.ProofpointV3(g48, ""), host: "urldefense.com", mask: 48, land: my, mode: "url"},
		{class: "wrapper/proofpoint", in: whatwgref.ProofpointV3(g48, "&"), host: "urldefense.com", mask: 48, land: my, mode: "url"},
		{class: "wrapper/proofpoint", in: whatwgref.ProofpointV3("https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", "="), host: "urldefense.com", mask: 48, land: my, mode: "url"},
		{class: "wrapper/proofpoint", in: whatwgref.ProofpointV3(g1976, "=1976&"), host: "urldefense.com", mask: 1976, land: my, mode: "url"},
		{class: "wrapper/proofpoint", in: whatwgref.ProofpointV3("https://mysignins.microsoft.com.evil.example/register?authMethods=48&authMethodCount=1", "&"), host: "urldefense.com", mask: 48, land: "mysignins.microsoft.com.evil.example", mode: "url"},
		{class: "wrapper/proofpoint", in: "https://urldefense.proofpoint.com.evil.example/v2/url?u=" + strings.TrimPrefix(whatwgref.ProofpointV2(g48), "https://urldefense.proofpoint.com/v2/url?u="), host: "urldefense.proofpoint.com.evil.example", mask: -1, mode: "url"},
		{class: "wrapper/mimecast", in: "https://protect-eu.mimecast.com/s/AbCdEfGhIjKlMn?domain=mysignins.microsoft.com", host: "protect-eu.mimecast.com", mask: -1, mode: "url"},
		{class: "wrapper/mimecast", in: "https://protect-eu.mimecast.com/s/AbCdEfGhIjKlMn?domain=mysignins.microsoft.com&authMethods=48&authMethodCount=1", host: "protect-eu.mimecast.com", mask: -1, mode: "url"},
		{class: "wrapper/mimecast", in: "https://protect-us.mimecast.com/s/" + pe(g48) + "?domain=mysignins.microsoft.com", host: "protect-us.mimecast.com", mask: -1, mode: "url"},
		{class: "wrapper/cisco", in: "https://secure-web.cisco.com/1AbCdEfGhIjKlMnOpQ/" + url.PathEscape(g48), host: "secure-web.cisco.com", mask: 48, land: my, mode: "url"},
		{class: "wrapper/cisco", in: "https://secure-web.cisco.com/1" + url.PathEscape(g48) + "/" + url.PathEscape(evil), host: "secure-web.cisco.com", mask: -1, mode: "url"},
		{class: "wrapper/barracuda", in: "https://linkprotect.cudasvc.com/url?a=" + pe(g48) + "&c=E,1,AbCd&typo=1", host: "linkprotect.cudasvc.com", mask: 48, land: my, mode: "url"},
		{class: "wrapper/barracuda", in: "https://linkprotect.cudasvc.com/url?a=" + pe(evil) + "&c=" + pe(g48), host: "linkprotect.cudasvc.com", mask: -1, mode: "url"},
		{class: "wrapper/sophos", in: "https://eu-central-1.protection.sophos.com?d=microsoft.com&u=" + pe(sophos) + "&i=NjA&t=x&h=y&s=z", host: "eu-central-1.protection.sophos.com", mask: 48, land: my, mode: "url"},
		{class: "wrapper/symantec", in: "https://clicktime.symantec.com/3AbCdEf?u=" + pe(g48), host: "clicktime.symantec.com", mask: 48, land: my, mode: "url"},
		{class: "wrapper/trendmicro", in: "https://imsva91-ctp.trendmicro.com/wis/clicktime/v1/query?url=" + pe(g48) + "&umid=12AB&auth=x", host: "imsva91-ctp.trendmicro.com", mask: 48, land: my, mode: "url"},
		{class: "wrapper/google", in: "https://www.google.com/url?q=" + pe(g48) + "&sa=D&source=editors", host: "www.google.com", mask: 48, land: my, mode: "url"},
		{class: "wrapper/google", in: "https://www.google.com/url?url=" + pe(g1976) + "&sa=t", host: "www.google.com", mask: 1976, land: my, mode: "url"},
		{class: "wrapper/google", in: "https://www.google.com/url?q=" + pe(evil) + "&sa=D&url=" + pe(g48), host: "www.google.com", mask: -1, mode: "url"},
		{class: "wrapper/slack", in: "https://slack-redir.net/link?url=" + pe(g48), host: "slack-redir.net", mask: 48, land: my, mode: "url"},
		{class: "wrapper/facebook", in: "https://l.facebook.com/l.php?u=" + pe(g48) + "&h=AT0abc", host: "l.facebook.com", mask: 48, land: my, mode: "url"},
		{class: "wrapper/facebook", in: "https://l.facebook.com/l.php?u=" + pe(evil) + "&h=" + pe(g48), host: "l.facebook.com", mask: -1, mode: "url"},
		{class: "wrapper/linkedin", in: "https://www.linkedin.com/redir/redirect?url=" + pe(g48) + "&urlhash=Ab1", host: "www.linkedin.com", mask: 48, land: my, mode: "url"},
		{class: "wrapper/redirector", in: "https://evil.example/redirect?url=" + pe(g48), host: ev, mask: -1, mode: "url"},
		{class: "wrapper/redirector", in: "https://evil.example/?next=" + pe(g48) + "&returnUrl=" + pe(g48), host: ev, mask: -1, mode: "url"},
		{class: "wrapper/redirector", in: "https://www.microsoft.com/redirect?target=" + pe(g48), host: "www.microsoft.com", mask: -1, mode: "url"},

		// 2. A register link inside a longer URL: the browser opens the
		// outer one.
		{class: "embedded", in: "evil.example/" + ns48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "evil.example?" + ns48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "evil.example#" + ns48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "evil.example/x?u=" + ns48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/" + g48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/?u=" + g48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/path;" + g48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/path," + g48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/path|" + g48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/path(" + g48 + ")", host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/path[" + g48 + "]", host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/path{" + g48 + "}", host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/path`" + g48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/?q=;" + ns48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/?q=," + ns48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/?q=*" + ns48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/?q=!" + ns48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/?q=:" + ns48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/?q=%3B" + ns48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/?q=&" + ns48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "evil.example;" + ns48, host: "evil.example;mysignins.microsoft.com", mask: -1, mode: "url"},
		{class: "embedded", in: "evil.example," + ns48, host: "evil.example,mysignins.microsoft.com", mask: -1, mode: "url"},
		{class: "embedded", in: "evil.example*" + ns48, host: "evil.example*mysignins.microsoft.com", mask: -1, mode: "url"},
		{class: "embedded", in: "evil.example!" + ns48, host: "evil.example!mysignins.microsoft.com", mask: -1, mode: "url"},
		{class: "embedded", in: "evil.example=" + ns48, host: "evil.example=mysignins.microsoft.com", mask: -1, mode: "url"},
		{class: "embedded", in: "evil.example~" + ns48, host: "evil.example~mysignins.microsoft.com", mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example\t" + ns48, host: "evil.examplemysignins.microsoft.com", mask: -1, mode: "parse"},
		{class: "embedded", in: "https://evil.example.\n" + ns48, host: "evil.example.mysignins.microsoft.com", mask: -1, mode: "parse"},
		{class: "embedded", in: "https://evil.example/\t" + g48, host: ev, mask: -1, mode: "parse"},
		{class: "embedded", in: "https://evil.example/?x=\n" + ns48, host: ev, mask: -1, mode: "parse"},
		{class: "embedded", in: "https://mysignins.microsoft.com\n.evil.example/register?authMethods=48&authMethodCount=1", host: "mysignins.microsoft.com.evil.example", mask: -1, mode: "parse"},
		{class: "embedded", in: "https://mysignins.microsoft.com\t@evil.example/register?authMethods=48&authMethodCount=1", host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/" + long + "/" + g48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/?" + long + "&x=" + ns48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "evil.example/" + long + ";" + ns48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "https://evil.example/" + tooLong + "?" + g48, host: ev, mask: -1, mode: "url"},
		{class: "embedded", in: "javascript:alert(1)//" + g48, host: "", mask: -1, mode: "url"},
		{class: "embedded", in: "data:text/html," + g48, host: "", mask: -1, mode: "url"},

		// 3. Link text over another target: the href is where it goes.
		{class: "text-vs-href", in: "[" + g48 + "](" + evil + ")", click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "Please register: [" + ns48 + "](https://evil.example/r)", click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "[" + g48 + "](<https://evil.example/a b>)", click: "https://evil.example/a b", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "[" + g48 + "](https://evil.example/ \"" + g48 + "\")", click: "https://evil.example/", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "[" + g48 + "][1]\n\n[1]: https://evil.example/r", click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		// Reference links as CommonMark reads them (checked with the
		// commonmark and markdown-it renderers): a definition before the
		// link, a label in another case or with spaces, an indented or
		// quoted definition, collapsed [text][] and shortcut [text] links.
		{class: "text-vs-href", in: "[r]: https://evil.example/r\n\nRegister: [" + g48 + "][r]", click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "[" + g48 + "][R]\n\n[r]: https://evil.example/r", click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "[" + g48 + "][r ]\n\n[r]: https://evil.example/r", click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "[" + g48 + "][r]\n\n   [r]: https://evil.example/r", click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "[" + g48 + "][r]\n\n> [r]: https://evil.example/r", click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "[" + g48 + "][]\n\n[" + g48 + "]: https://evil.example/r", click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "Register: [" + g48 + "]\n\n[" + g48 + "]: https://evil.example/r", click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		// Link text over lines of its paragraph, or with brackets in it.
		{class: "text-vs-href", in: "[Please register at\n" + g48 + "](https://evil.example/r)", click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "[step [1] " + g48 + "](https://evil.example/r)", click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		// Wiki and ticket link syntaxes (Textile in Redmine,
		// reStructuredText, MediaWiki): the text links to the href.
		{class: "text-vs-href", in: `"` + g48 + `":https://evil.example/r`, click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: `Ticket #12: "Register at ` + g48 + ` (MFA)":https://evil.example/r today`, click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "`" + g48 + " <https://evil.example/r>`_", click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "See `register " + g48 + " <https://evil.example/r>`__.", click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "[https://evil.example/r " + g48 + "]", click: "https://evil.example/r", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "Wiki: [//evil.example/r Register: " + g48 + " now]", click: "//evil.example/r", host: ev, mask: -1, mode: "paste"},
		// Quotes, backquotes and brackets that make no such link.
		{class: "text-vs-href", in: `"` + g48 + `": open it`, click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "text-vs-href", in: `{"url":"` + g48 + `","n":1}`, click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "text-vs-href", in: `{"` + g48 + `":"x"}`, click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "text-vs-href", in: "`" + g48 + "` <https://evil.example/r>", click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "text-vs-href", in: "[" + g48 + " register here]", click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "text-vs-href", in: "[see " + g48 + "]", click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		// Brackets that make no link leave the link as it is shown.
		{class: "text-vs-href", in: "[a]b " + g48 + "](https://evil.example/r)", click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "text-vs-href", in: "Register: [" + g48 + "] today", click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "text-vs-href", in: "[" + g48 + "]\n\n[" + g48 + "]: " + g48, click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "text-vs-href", in: "[" + g48 + "]()", host: "", mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "[" + g48 + "](#top)", click: "#top", host: "", mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "[Register here](" + g48 + ")", click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "text-vs-href", in: `<a href="https://evil.example/login">` + amp48 + `</a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: `<a href='https://evil.example/login'>` + amp48 + `</a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: `<a href=https://evil.example/login>` + amp48 + `</a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: `<A HREF="https://evil.example/login" target="_blank">` + amp48 + `</A>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: `<a href="https&#58;//evil.example/login">` + amp48 + `</a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: `<a title="` + amp48 + `" href="https://evil.example/login">Register</a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: `<a data-href="` + amp48 + `" href="https://evil.example/login">` + amp48 + `</a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		// Text that only looks like an attribute inside another's quoted
		// value, or a '>' inside one: an HTML parser reads neither.
		{class: "text-vs-href", in: `<a title="x href=` + g48 + `" href="https://evil.example/login">Register</a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: `<a href="https://evil.example/login" title="x href=` + g48 + `">Register</a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: `<a data-x=' href="` + g48 + `"' href="https://evil.example/login">Register</a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: `<a title="a>b ` + g48 + `" href="https://evil.example/login">Register</a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: `<a href="https://evil.example/login" title="<a  href=` + g48 + `">Register</a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: `<a href="https://evil.example/?u=` + amp48 + `">Register</a>`, click: "https://evil.example/?u=" + g48, host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: `<a href="` + amp48 + `">Register</a>`, click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "text-vs-href", in: `<a href="` + strings.ReplaceAll(safeLinks(g48, ""), "&", "&amp;") + `">` + amp48 + `</a>`, click: safeLinks(g48, ""), host: safe, trusted: true, mask: 48, mode: "paste"},
		{class: "text-vs-href", in: "<https://evil.example/login|" + amp48 + ">", click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "Register here <https://evil.example/x|" + ns48 + "> today", click: "https://evil.example/x", host: ev, mask: -1, mode: "paste"},
		{class: "text-vs-href", in: "<" + amp48 + "|Register here>", click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "text-vs-href", in: "<" + amp48 + ">", click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		// The <a> element as a browser's tokenizer reads it: across lines,
		// around other tags, not closed by "</a>" in a comment or an
		// attribute, not opened by <abbr> or by "<a" inside <script>.
		{class: "html-element", in: "<a href=\"https://evil.example/login\" style=\"color:#0563C1\">\n" + amp48 + "\n</a>", click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "html-element", in: "<a\nhref=\"https://evil.example/login\">" + amp48 + "</a>", click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "html-element", in: `<a href="https://evil.example/login"><abbr>` + amp48 + `</abbr></a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "html-element", in: `<a href="https://evil.example/login"><article>` + amp48 + `</article></a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "html-element", in: `<a href="https://evil.example/login"><!-- </a> -->` + amp48 + `</a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "html-element", in: `<a href="https://evil.example/login"><span title="</a>">` + amp48 + `</span></a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "html-element", in: `<a href="https://evil.example/login"><div style="` + strings.Repeat("x", 9000) + `">` + amp48 + `</div></a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "html-element", in: "<p><a href=\"https://evil.example/login\">Register\n<p>" + amp48, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "html-element", in: `<a href="https://evil.example/login">Register</a> or ` + amp48, click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "html-element", in: `<a href="https://evil.example/x">x</a><a>` + amp48 + `</a>`, click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "html-element", in: `<script>var s = '<a href="https://evil.example/login">';</script>` + amp48, click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "html-element", in: `<!-- <a href="https://evil.example/login"> -->` + amp48, click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "html-element", in: `<map><area href="https://evil.example/login" alt="` + amp48 + `"></map>`, click: evil, host: ev, mask: -1, mode: "paste"},
		// A calendar invite's text escapes its line breaks as \n.
		{class: "html-element", in: `DESCRIPTION:Register: ` + g48 + `\nThanks\, IT`, click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		// A scheme that runs what follows: the browser runs the script, and
		// the register link after it is only text in it.
		{class: "html-element", in: "javascript:location=atob`Ly9ldmlsLmV4YW1wbGU`;" + g48, host: "", mask: -1, mode: "paste"},
		// An href the browser reads otherwise than a plain decoder (&ac; is
		// "∾"), or that is no readable link: the text shown is not what opens.
		{class: "html-element", in: `<a href="https://mysignins.microsoft.com/register?authMethods=48&ac;1">` + amp48 + `</a>`, click: "https://mysignins.microsoft.com/register?authMethods=48∾1", host: my, mask: -1, mode: "paste"},
		{class: "html-element", in: `<a href="https://mysignins.microsoft.com/register?authMethods=x">` + amp48 + `</a>`, click: "https://mysignins.microsoft.com/register?authMethods=x", host: my, mask: -1, mode: "paste"},
		{class: "html-element", in: `<a href="https://evil.example/login"><map><area href="https://evil.example/x"></map>` + amp48 + `</a>`, click: evil, host: ev, mask: -1, mode: "paste"},
		// What mail programs show that a browser's tokenizer would not read
		// as markup: Outlook shows the content of its conditional comments
		// (and the VML buttons with an href in them), a program without
		// scripts the content of <noscript>, one that draws SVG its
		// <a xlink:href>. A plain comment stays a comment (above).
		{class: "mail-html", in: `<!--[if mso]><a href="https://evil.example/login">` + amp48 + `</a><![endif]-->`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "mail-html", in: "<!--[if gte mso 9]>\n<a href=\"https://evil.example/login\">\n" + amp48 + "\n</a>\n<![endif]--><!--[if !mso]><!-- --><a href=\"https://evil.example/x\">Set up</a><!--<![endif]-->", click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "mail-html", in: `<!--[if mso]><v:roundrect href="https://evil.example/login" arcsize="5%"><w:anchorlock/><center>` + amp48 + `</center></v:roundrect><![endif]-->`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "mail-html", in: `<!--[if mso]><v:roundrect href="` + amp48 + `"><center>Set up security info</center></v:roundrect><![endif]-->`, click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "mail-html", in: `<v:rect fillcolor="#0078D4"><center>` + amp48 + `</center></v:rect>`, click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "mail-html", in: `<v:roundrect href="https://evil.example/login"><center>x</center></v:roundrect> ` + amp48, click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "mail-html", in: `<noscript><a href="https://evil.example/login">` + amp48 + `</a></noscript>`, click: evil, host: ev, mask: -1, mode: "paste"},
		{class: "mail-html", in: `<svg><a xlink:href="https://evil.example/login"><text>` + amp48 + `</text></a></svg>`, click: evil, host: ev, mask: -1, mode: "paste"},

		// 4. JSON escapes inside an ordinary link: a browser decodes none.
		{class: "json", in: `https://mysignins.microsoft.co\u006d.evil.example/register?authMethods=48&authMethodCount=1`, host: "mysignins.microsoft.co", mask: -1, mode: "url"},
		{class: "json", in: `https://mysignins\u002emicrosoft.com/register?authMethods=48&authMethodCount=1`, host: "mysignins", mask: -1, mode: "url"},
		{class: "json", in: `https://evil.example\/mysignins.microsoft.com/register?authMethods=48&authMethodCount=1`, host: ev, mask: -1, mode: "url"},
		{class: "json", in: `https://evil.example\u002f@mysignins.microsoft.com/register?authMethods=48&authMethodCount=1`, host: ev, mask: -1, mode: "url"},
		{class: "json", in: `https://mysignins.microsoft.com\u0040evil.example/register?authMethods=48&authMethodCount=1`, host: my, mask: -1, mode: "url"},
		{class: "json", in: `https:\/\/mysignins.microsoft.com\/register?authMethods=48&authMethodCount=1`, host: my, mask: -1, mode: "url"},
		{class: "json", in: `https://mysignins.microsoft.com/register?authMethods=48\u0026authMethodCount=1`, host: my, mask: -1, mode: "url"},
		{class: "json", in: `https://mysignins.microsoft.com/register?authMethods=\u0034\u0038&authMethodCount=1`, host: my, mask: -1, mode: "url"},
		{class: "json", in: `{"url":"https:\/\/mysignins.microsoft.com\/register?authMethods=48\u0026authMethodCount=1"}`, click: g48, host: my, trusted: true, mask: 48, mode: "paste"},
		{class: "json", in: `{"url":"https:\/\/mysignins.microsoft.com\u002eevil.example\/register?authMethods=48\u0026authMethodCount=1"}`, click: "https://mysignins.microsoft.com.evil.example/register?authMethods=48&authMethodCount=1", host: "mysignins.microsoft.com.evil.example", mask: -1, mode: "paste"},
		{class: "json", in: `{"url":"https:\/\/evil.example\/?u=https:\/\/mysignins.microsoft.com\/register?authMethods=48"}`, click: "https://evil.example/?u=https://mysignins.microsoft.com/register?authMethods=48", host: ev, mask: -1, mode: "paste"},

		// 5. What the server receives: encoded ? = & and lists are not a
		// plain mask.
		{class: "mask", in: "https://mysignins.microsoft.com/register%3FauthMethods%3D48%26authMethodCount%3D1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register%3FauthMethods=48", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?authMethods%3D48&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?authMethods=48%26authMethodCount%3D1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?auth%3DMethods=48&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?x%26authMethods=48&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?authMethods%5B%5D=48&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?authMethods=48,8&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?authMethods=48%2C8&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?authMethods=48;authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?authMethods=48%23&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?authMethods=+48&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?authMethods=48&authMethods=16&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?authMethods=48&AUTHMETHODS=16&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?authMethods=0x30&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?authMethods=l976&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?authMethods=4294967344&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register?authMethodCount=1#&authMethods=48", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register#?authMethods=48&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register/?authMethods=48&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/Register?authMethods=48&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/evil/register?authMethods=48&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/?authMethods=48&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register/..?authMethods=48&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "mask", in: "https://mysignins.microsoft.com/register/%2e%2E/security-info?authMethods=48&authMethodCount=1", host: my, mask: -1, mode: "url"},

		// 6. Forms a browser reads differently from a quick look.
		{class: "trailing-dot", in: "https://mysignins.microsoft.com./register?authMethods=48&authMethodCount=1", host: "mysignins.microsoft.com.", mask: 48, mode: "url"},
		{class: "trailing-dot", in: "mysignins.microsoft.com./register?authMethods=48&authMethodCount=1", host: "mysignins.microsoft.com.", mask: 48, mode: "url"},
		{class: "trailing-dot", in: "https://MYSIGNINS.MICROSOFT.COM../register?authMethods=48&authMethodCount=1", host: "mysignins.microsoft.com..", mask: -1, mode: "url"},
		{class: "userinfo", in: "https://mysignins.microsoft.com@evil.example/register?authMethods=48&authMethodCount=1", host: ev, mask: 48, mode: "url"},
		{class: "userinfo", in: "https://mysignins.microsoft.com:443@evil.example/register?authMethods=48&authMethodCount=1", host: ev, mask: 48, mode: "url"},
		{class: "userinfo", in: "https://mysignins.microsoft.com%2F@evil.example/register?authMethods=48&authMethodCount=1", host: ev, mask: -1, mode: "url"},
		{class: "userinfo", in: "https://evil.example@mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", host: my, mask: 48, mode: "url"},
		{class: "userinfo", in: "mysignins.microsoft.com@evil.example/register?authMethods=48&authMethodCount=1", host: ev, mask: 48, mode: "url"},
		{class: "userinfo", in: "https://a:b@mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", host: my, mask: 48, mode: "url"},
		{class: "backslash", in: "https://mysignins.microsoft.com\\@evil.example/register?authMethods=48&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "backslash", in: "https://evil.example\\@mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", host: ev, mask: -1, mode: "url"},
		{class: "backslash", in: "https://evil.example\\.mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", host: ev, mask: -1, mode: "url"},
		{class: "backslash", in: "https:\\\\mysignins.microsoft.com\\register?authMethods=48&authMethodCount=1", host: my, mask: 48, mode: "url"},
		{class: "backslash", in: "https:/\\evil.example/" + g48, host: ev, mask: -1, mode: "url"},
		{class: "slashes", in: "https:mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", host: my, mask: 48, mode: "url"},
		{class: "slashes", in: "https:///mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", host: my, mask: 48, mode: "url"},
		{class: "idn", in: "https://mysіgnins.microsoft.com/register?authMethods=48&authMethodCount=1", host: "xn--mysgnins-vhh.microsoft.com", mask: 48, mode: "url"},
		{class: "idn", in: "https://xn--mysgnins-vhh.microsoft.com/register?authMethods=48&authMethodCount=1", host: "xn--mysgnins-vhh.microsoft.com", mask: 48, mode: "url"},
		{class: "idn", in: "https://ｍｙｓｉｇｎｉｎｓ.microsoft.com/register?authMethods=48&authMethodCount=1", host: my, mask: 48, mode: "url"},
		{class: "idn", in: "https://mysignins。microsoft。com/register?authMethods=48&authMethodCount=1", host: my, mask: 48, mode: "url"},
		{class: "idn", in: "https://mysig\u00adnins.microsoft.com/register?authMethods=48&authMethodCount=1", host: my, mask: 48, mode: "url"},
		{class: "idn", in: "https://mysignins.microsoft.com.xn--80ak6aa92e.com/register?authMethods=48&authMethodCount=1", host: "mysignins.microsoft.com.xn--80ak6aa92e.com", mask: 48, mode: "url"},
		{class: "encoded-host", in: "https://mysignins%2Emicrosoft.com/register?authMethods=48&authMethodCount=1", host: my, mask: 48, mode: "url"},
		{class: "encoded-host", in: "https://mysignins.microsoft.com%2Eevil.example/register?authMethods=48&authMethodCount=1", host: "mysignins.microsoft.com.evil.example", mask: 48, mode: "url"},
		{class: "port", in: "https://mysignins.microsoft.com:8443/register?authMethods=48&authMethodCount=1", host: my, mask: 48, mode: "url"},
		{class: "port", in: "https://mysignins.microsoft.com:80/register?authMethods=48&authMethodCount=1", host: my, mask: 48, mode: "url"},
		{class: "port", in: "mysignins.microsoft.com:8443/register?authMethods=48&authMethodCount=1", host: my, mask: 48, mode: "url"},
		{class: "http", in: "http://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", host: my, mask: 48, mode: "url"},
		{class: "http", in: "HTTP://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", host: my, mask: 48, mode: "url"},
		{class: "scheme", in: "ftp://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", host: my, mask: -1, mode: "url"},
		{class: "lookalike", in: "https://mysignins.microsoft.com.evil.example/register?authMethods=48&authMethodCount=1", host: "mysignins.microsoft.com.evil.example", mask: 48, mode: "url"},
		{class: "lookalike", in: "https://mysignins-microsoft.com/register?authMethods=48&authMethodCount=1", host: "mysignins-microsoft.com", mask: 48, mode: "url"},
		{class: "lookalike", in: "https://mysignlns.microsoft.com/register?authMethods=48&authMethodCount=1", host: "mysignlns.microsoft.com", mask: 48, mode: "url"},
		{class: "ip", in: "https://20.190.128.1/register?authMethods=48&authMethodCount=1", host: "20.190.128.1", mask: 48, mode: "url"},
		{class: "ip", in: "https://0x14be8001/register?authMethods=48&authMethodCount=1", host: "20.190.128.1", mask: 48, mode: "url"},

		// Mail clients: links broken over lines at 72-78 columns, in
		// quoted replies and angle brackets, are rebuilt and trusted with a
		// warning; a number cut by the break is never read short.
		{class: "mail-broken", in: "https://mysignins.microsoft.com/register?authMethods=19\n76&authMethodCount=1", click: g1976, host: my, trusted: true, mask: 1976, mode: "paste", warn: true},
		{class: "mail-broken", in: "https://mysignins.microsoft.com/register?authMethods=4\n8&authMethodCount=1", click: g48, host: my, trusted: true, mask: 48, mode: "paste", warn: true},
		{class: "mail-broken", in: "https://mysignins.microsoft.com/register?\nauthMethods=1976&authMethodCount=1", click: g1976, host: my, trusted: true, mask: 1976, mode: "paste", warn: true},
		{class: "mail-broken", in: "https://mysignins.microsoft.com/regi\nster?authMethods=1976&authMethodCount=1", click: g1976, host: my, trusted: true, mask: 1976, mode: "paste", warn: true},
		{class: "mail-broken", in: "Register here: https://mysignins.microsoft.com/register?authMethods=1976&aut\r\nhMethodCount=1\r\n\r\nThanks, IT", click: g1976, host: my, trusted: true, mask: 1976, mode: "paste", warn: true},
		{class: "mail-broken", in: "Your administrator asks you to register a method: https://mysignins.micros\noft.com/register?authMethods=1976&authMethodCount=1", click: g1976, host: my, trusted: true, mask: 1976, mode: "paste", warn: true},
		{class: "mail-broken", in: "> https://mysignins.microsoft.com/register?authMethods=19\n> 76&authMethodCount=1", click: g1976, host: my, trusted: true, mask: 1976, mode: "paste", warn: true},
		{class: "mail-broken", in: ">> Please register at https://mysignins.microsoft.com/register?authMetho\n>> ds=1976&authMethodCount=1\n>> Thanks", click: g1976, host: my, trusted: true, mask: 1976, mode: "paste", warn: true},
		{class: "mail-broken", in: "<https://mysignins.microsoft.com/register?authMethods=1976&\nauthMethodCount=1>", click: g1976, host: my, trusted: true, mask: 1976, mode: "paste", warn: true},
		{class: "mail-broken", in: "> <https://mysignins.microsoft.com/register?authMethods=\n> 1976&authMethodCount=1>", click: g1976, host: my, trusted: true, mask: 1976, mode: "paste", warn: true},
		{class: "mail-broken", in: "Register here <https://mysignins.microsoft.com/register?authMethods=1976&authMet\nhodCount=1> before Friday.", click: g1976, host: my, trusted: true, mask: 1976, mode: "paste", warn: true},
		{class: "mail-broken", in: "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.mic\nrosoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1&data=05%7C02", click: "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1&data=05%7C02", host: safe, trusted: true, mask: 1976, mode: "paste", warn: true},
		{class: "mail-broken", in: "https://mysignins.microsoft.com\n.evil.example/register?authMethods=48&authMethodCount=1", click: "https://mysignins.microsoft.com.evil.example/register?authMethods=48&authMethodCount=1", orClick: "evil.example/register?authMethods=48&authMethodCount=1", host: "mysignins.microsoft.com.evil.example", mask: -1, mode: "paste"},
		{class: "mail-broken", in: "> https://mysignins.microsoft.com\n> @evil.example/register?authMethods=48&authMethodCount=1", click: "https://mysignins.microsoft.com@evil.example/register?authMethods=48&authMethodCount=1", host: ev, mask: -1, mode: "paste"},
		{class: "mail-broken", in: "<https://evil.example/?x=\nhttps://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1>", click: "https://evil.example/?x=https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", host: ev, mask: -1, mode: "paste"},

		// Quoted-printable mail source: =3D is '=', '=' at a line end joins
		// lines.
		{class: "quoted-printable", in: "https://mysignins.microsoft.com/register?authMethods=3D1976&authMethodCount=3D1", click: g1976, host: my, trusted: true, mask: 1976, mode: "paste", warn: true},
		{class: "quoted-printable", in: "Register: https://mysignins.microsoft.com/register?authMethods=3D19=\n76&authMethodCount=3D1", click: g1976, host: my, trusted: true, mask: 1976, mode: "paste", warn: true},
		{class: "quoted-printable", in: "https://mysignins.microsoft.com/register?authMethods=3D48&authMeth=\r\nodCount=3D1", click: g48, host: my, trusted: true, mask: 48, mode: "paste", warn: true},
		{class: "quoted-printable", in: "https://mysignins.microsoft.com=2Eevil.example/register?authMethods=3D48&authMethodCount=3D1", click: "https://mysignins.microsoft.com.evil.example/register?authMethods=48&authMethodCount=1", host: "mysignins.microsoft.com.evil.example", mask: -1, mode: "paste"},
		{class: "quoted-printable", in: "https://mysignins.microsoft.com=\n.evil.example/register?authMethods=3D48&authMethodCount=3D1", click: "https://mysignins.microsoft.com.evil.example/register?authMethods=48&authMethodCount=1", host: "mysignins.microsoft.com.evil.example", mask: -1, mode: "paste"},
		{class: "quoted-printable", in: "<a href=3D\"https://evil.example/login\">https://mysignins.microsoft.com/register?authMethods=3D48&amp;authMethodCount=3D1</a>", click: evil, host: ev, mask: -1, mode: "paste"},

		// References or quoted-printable escapes that make the host: decoded
		// (HTML source) it is the genuine one, shown as plain text the
		// browser opens the host after '@'.
		{class: "decoded-host", in: "https://mysignins.microsoft.com&sol;register&quest;authMethods=48&amp;authMethodCount=1&amp;x=@evil.example/", click: g48 + "&x=@evil.example/", orClick: "https://mysignins.microsoft.com&sol;register&quest;authMethods=48&amp;authMethodCount=1&amp;x=@evil.example/", host: my, mask: 48, mode: "url", reason: "decoded-host"},
		{class: "decoded-host", in: "https://mysignins.microsoft.com=2Fregister=3FauthMethods=3D48&authMethodCount=3D1&x=3D@evil.example/", click: g48 + "&x=@evil.example/", orClick: "https://mysignins.microsoft.com=2Fregister=3FauthMethods=3D48&authMethodCount=3D1&x=3D@evil.example/", host: my, mask: 48, mode: "url", reason: "decoded-host"},

		// An href's references are decoded once, by the HTML rules (names
		// are case-sensitive: &SOL; is no reference), as Chromium does; one
		// decoded otherwise names another host than the browser opens.
		// References that make the authMethods parameter: as written, a
		// browser sends another value, or none ("&#56;" starts a fragment,
		// "&amp;authMethods" is a parameter "amp;authMethods").
		{class: "decoded-mask", in: "https://mysignins.microsoft.com/register?authMethods=4&#56;&authMethodCount=1", host: my, mask: 48, mode: "url", reason: "mask-form"},
		{class: "decoded-mask", in: "https://mysignins.microsoft.com/register?authMethods&equals;48&authMethodCount=1", host: my, mask: 48, mode: "url", reason: "mask-form"},
		{class: "decoded-mask", in: "https://mysignins.microsoft.com/register?authMethodCount=1&amp;authMethods=48", host: my, mask: 48, mode: "url", reason: "mask-form"},
		{class: "decoded-mask", in: "https://mysignins.microsoft.com/register&quest;authMethods=48&amp;authMethodCount=1", host: my, mask: 48, mode: "url", reason: "mask-form"},
		// "&amp;" between the parameters leaves authMethods as it is.
		{class: "decoded-mask", in: "https://mysignins.microsoft.com/register?authMethods=48&amp;authMethodCount=1", host: my, trusted: true, mask: 48, mode: "url"},
		{class: "decoded-mask", in: "https://mysignins.microsoft.com/register?authMethods=48&#x26;authMethodCount=1", host: my, trusted: true, mask: 48, mode: "url"},
		{class: "href-references", in: `<a href="https://mysignins.microsoft.com&SOL;register&QUEST;x=@evil.example/&amp;authMethods=48&amp;authMethodCount=1">` + amp48 + `</a>`, click: "https://mysignins.microsoft.com&SOL;register&QUEST;x=@evil.example/&authMethods=48&authMethodCount=1", host: ev, mask: -1, mode: "url"},
		{class: "href-references", in: `<a href="https://mysignins.microsoft.com&Sol;register&Quest;x=@evil.example/&amp;authMethods=48&amp;authMethodCount=1">x</a>`, click: "https://mysignins.microsoft.com&Sol;register&Quest;x=@evil.example/&authMethods=48&authMethodCount=1", host: ev, mask: -1, mode: "url"},
		{class: "href-references", in: `<a href="https://mysignins.microsoft.com&amp;sol;register&amp;quest;x=@evil.example/&amp;authMethods=48&amp;authMethodCount=1">` + amp48 + `</a>`, click: "https://mysignins.microsoft.com&sol;register&quest;x=@evil.example/&authMethods=48&authMethodCount=1", host: ev, mask: -1, mode: "url"},
		{class: "href-references", in: "[" + g48 + "](https://mysignins.microsoft.com&amp;sol;register&amp;quest;x=@evil.example/&authMethods=48&authMethodCount=1)", click: "https://mysignins.microsoft.com&sol;register&quest;x=@evil.example/&authMethods=48&authMethodCount=1", host: ev, mask: -1, mode: "url"},
		{class: "href-references", in: `<p>Register <a href="https://mysignins.microsoft.com&SOL;register&QUEST;x=@evil.example/&amp;authMethods=48&amp;authMethodCount=1">here</a></p>`, click: "https://mysignins.microsoft.com&SOL;register&QUEST;x=@evil.example/&authMethods=48&authMethodCount=1", host: ev, mask: -1, mode: "paste"},
		{class: "href-references", in: `<p>Register <a href="https://mysignins.microsoft.com&amp;sol;register&amp;quest;x=@evil.example/&amp;authMethods=48&amp;authMethodCount=1">here</a></p>`, click: "https://mysignins.microsoft.com&sol;register&quest;x=@evil.example/&authMethods=48&authMethodCount=1", host: ev, mask: -1, mode: "paste"},
		// The same references spelled as HTML spells them: the browser
		// decodes them to the genuine link.
		{class: "href-references", in: `<a href="https://mysignins.microsoft.com&sol;register&quest;authMethods=48&AMP;authMethodCount=1">x</a>`, click: g48, host: my, trusted: true, mask: 48, mode: "parse", warn: true},

		// Defanged links: read for the mask, but nothing a browser opens.
		{class: "defanged", in: "hxxps://mysignins[.]microsoft[.]com/register?authMethods=48&authMethodCount=1", click: g48, host: my, mask: -1, mode: "url"},
		{class: "defanged", in: "hxxps[:]//mysignins[.]microsoft[.]com/register?authMethods=48&authMethodCount=1", click: g48, host: my, mask: -1, mode: "url"},
		{class: "defanged", in: "mysignins[.]microsoft[.]com/register?authMethods=48&authMethodCount=1", click: g48, host: my, mask: -1, mode: "url"},
		{class: "defanged", in: "hxxps://mysignins[.]microsoft[.]com[.]evil[.]example/register?authMethods=48&authMethodCount=1", click: "https://mysignins.microsoft.com.evil.example/register?authMethods=48&authMethodCount=1", host: "mysignins.microsoft.com.evil.example", mask: -1, mode: "url"},
		{class: "defanged", in: "hxxp://evil[.]example/?u=" + g48, click: "http://evil.example/?u=" + g48, host: ev, mask: -1, mode: "url"},
		{class: "defanged", in: "https://mysignins.microsoft[.]com.evil[.]example/register?authMethods=48&authMethodCount=1", click: "https://mysignins.microsoft.com.evil.example/register?authMethods=48&authMethodCount=1", host: "mysignins.microsoft.com.evil.example", mask: -1, mode: "url"},
	}
	return t
}

// TestRelativeHref: an href without a scheme is relative to the page (or
// its <base href>), never completed with https:// as a chat paste is, so
// it does not open mysignins.microsoft.com.
func TestRelativeHref(t *testing.T) {
	for _, in := range []string{
		`<a href="` + strings.TrimPrefix(amp48, "https://") + `">Register</a>`,
		`<base href="https://evil.example/"><a href="` + strings.TrimPrefix(amp48, "https://") + `">Register</a>`,
		`Please open <a href="` + strings.TrimPrefix(amp48, "https://") + `">this link</a> today`,
		`<a href="/register?authMethods=48&amp;authMethodCount=1">` + amp48 + `</a>`,
		"[Register](" + ns48 + ")",
		"[" + ns48 + "](" + ns48 + ")",
		// A browser trims only spaces from an href (Chromium opens
		// https://attacker.example/dir/%3Chttps://… under such a <base>):
		// a bracket, quote or full stop around the link stays in it.
		`<base href="https://attacker.example/dir/"><a href="&lt;` + amp48 + `&gt;">` + amp48 + `</a>`,
		`<a href="'` + amp48 + `'">` + amp48 + `</a>`,
		`<a href="(` + amp48 + `).">` + amp48 + `</a>`,
		`<p>Register <a href="&lt;` + amp48 + `&gt;">here</a></p>`,
	} {
		if l, err := urlcodec.Parse(in); err == nil && l.Verdict.Trusted {
			t.Errorf("Parse(%q) is trusted; a browser resolves the href against the page", in)
		}
		for _, h := range urlcodec.Extract(in) {
			if h.Link != nil && h.Link.Verdict.Trusted {
				t.Errorf("Extract(%q): hit %q is trusted; a browser resolves the href against the page", in, h.Text)
			}
		}
	}
	// With a scheme, the href is the link.
	for _, in := range []string{`<a href="` + amp48 + `">Register</a>`, "[Register](" + g48 + ")"} {
		if l, err := urlcodec.Parse(in); err != nil || !l.Verdict.Trusted {
			t.Errorf("Parse(%q): %v %v, want trusted", in, err, l.Verdict.Reasons)
		}
	}
}

// TestAdversarialReference checks the table itself: the hand-written host
// is the one the WHATWG reference opens, and a row marked trusted lands on
// the register page with its mask by the reference rule.
func TestAdversarialReference(t *testing.T) {
	rows := advTable()
	if len(rows) < 150 {
		t.Fatalf("%d rows; the issue asks for at least 150", len(rows))
	}
	for i, r := range rows {
		click := r.in
		if r.click != "" {
			click = r.click
		}
		u, err := whatwgref.Open(click)
		got := ""
		if err == nil {
			got = u.Hostname()
		}
		if got != r.host {
			t.Errorf("row %d (%s) %.80q: the reference opens host %q first, the table says %q (err %v)", i, r.class, r.in, got, r.host, err)
		}
		if r.orClick != "" {
			if _, err := whatwgref.Open(r.orClick); err != nil {
				t.Errorf("row %d (%s): the second reading %q opens nothing: %v", i, r.class, r.orClick, err)
			}
			if _, lands := whatwgref.Lands(r.orClick); lands && !r.trusted {
				t.Errorf("row %d (%s): the second reading %q lands on the register page, but the row is untrusted", i, r.class, r.orClick)
			}
		}
		mask, lands := whatwgref.Lands(click)
		if r.trusted && (!lands || int64(mask) != r.mask) {
			t.Errorf("row %d (%s) %.80q: marked trusted with mask %d, but the reference lands on the register page: %v (mask %d)", i, r.class, r.in, r.mask, lands, mask)
		}
	}
}

// TestAdversarial checks urlcodec against the table.
func TestAdversarial(t *testing.T) {
	for i, r := range advTable() {
		t.Run(fmt.Sprintf("%03d-%s", i, r.class), func(t *testing.T) {
			if r.mode != "paste" {
				l, err := parseNoPanic(t, r.in)
				switch {
				case err != nil && (r.trusted || r.mask >= 0):
					t.Errorf("Parse(%.120q): %v; want mask %d trusted %v", r.in, err, r.mask, r.trusted)
				case err != nil:
				default:
					checkAdvLink(t, "Parse", r, &l)
					if l.Verdict.Trusted != r.trusted {
						t.Errorf("Parse(%.120q): trusted %v, want %v; hops %s; reasons %v", r.in, l.Verdict.Trusted, r.trusted, hopsString(l.Hops()), l.Verdict.Reasons)
					}
					if r.mask >= 0 && int64(l.Mask) != r.mask {
						t.Errorf("Parse(%.120q): mask %d, want %d", r.in, l.Mask, r.mask)
					}
					if r.trusted && r.warn && len(l.Warnings) == 0 {
						t.Errorf("Parse(%.120q): trusted without a warning about the repair", r.in)
					}
					if r.reason != "" && !hasReason(l.Verdict, r.reason) {
						t.Errorf("Parse(%.120q): no reason says %q: %v", r.in, r.reason, l.Verdict.Reasons)
					}
				}
			}
			if r.mode == "parse" {
				return
			}
			hits := extractNoPanic(t, r.in)
			found := false
			for _, h := range hits {
				if h.Link == nil {
					continue
				}
				checkAdvLink(t, "Extract", r, h.Link)
				if h.Link.Verdict.Trusted && (!r.trusted || int64(h.Link.Mask) != r.mask) {
					t.Errorf("Extract(%.120q): hit %.80q trusted with mask %d; want trusted %v mask %d; hops %s", r.in, h.Text, h.Link.Mask, r.trusted, r.mask, hopsString(h.Link.Hops()))
				}
				if int64(h.Link.Mask) != r.mask || h.Link.Verdict.Trusted != r.trusted {
					continue
				}
				found = true
				if r.trusted && r.warn && len(h.Link.Warnings) == 0 {
					t.Errorf("Extract(%.120q): hit %.80q trusted without a warning about the repair", r.in, h.Text)
				}
				if r.reason != "" && !hasReason(h.Link.Verdict, r.reason) {
					t.Errorf("Extract(%.120q): no reason says %q: %v", r.in, r.reason, h.Link.Verdict.Reasons)
				}
			}
			if (r.trusted || r.mode == "paste" && r.mask >= 0) && !found {
				t.Errorf("Extract(%.120q): no hit with mask %d trusted %v among %s", r.in, r.mask, r.trusted, hitsString(hits))
			}
		})
	}
}

// parseNoPanic is Parse, with a panic reported as a failure of this row
// rather than the end of the whole table.
func parseNoPanic(t *testing.T, s string) (l urlcodec.Link, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("Parse(%.120q) panics: %v", s, r)
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return urlcodec.Parse(s)
}

// extractNoPanic is Extract, with a panic reported as a failure of this row.
func extractNoPanic(t *testing.T, s string) (hits []urlcodec.Hit) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("Extract(%.120q) panics: %v", s, r)
			hits = nil
		}
	}()
	return urlcodec.Extract(s)
}

// checkAdvLink checks what every Link from a row must satisfy: its first hop
// is the host the browser opens, a trusted verdict agrees with the reference
// and every message names real hosts.
func checkAdvLink(t *testing.T, op string, r adv, l *urlcodec.Link) {
	t.Helper()
	hops := l.Hops()
	if len(hops) == 0 {
		t.Errorf("%s(%.120q): no hops", op, r.in)
		return
	}
	first := hops[0]
	host := r.host
	if u, err := whatwgref.Open(r.orClick); r.orClick != "" && err == nil && first.Host == u.Hostname() {
		host = u.Hostname() // the paste read line by line
	}
	if first.Host != host {
		t.Errorf("%s(%.120q): Hops[0].Host = %q, the browser opens %q first", op, r.in, first.Host, host)
	}
	if u, err := whatwgref.Open(first.URL); host != "" && (err != nil || u.Hostname() != host) {
		t.Errorf("%s(%.120q): Hops[0].URL %.120q does not open %q by the reference (err %v)", op, r.in, first.URL, host, err)
	}
	if last := hops[len(hops)-1]; r.land != "" && last.Host != r.land {
		t.Errorf("%s(%.120q): lands on %q, want %q; hops %s", op, r.in, last.Host, r.land, hopsString(hops))
	}
	if l.Verdict.Trusted {
		mask, ok := whatwgref.Lands(first.URL)
		if !ok || mask != uint32(l.Mask) {
			t.Errorf("%s(%.120q): trusted with mask %d, but by the reference %.120q lands on the register page: %v (mask %d)", op, r.in, l.Mask, first.URL, ok, mask)
		}
		for _, h := range hops {
			if !h.Safe {
				t.Errorf("%s(%.120q): trusted with an unsafe hop: %s", op, r.in, hopsString(hops))
			}
		}
	}
	checkMessages(t, op, r.in, l)
}

// checkMessages finds messages that contradict themselves ("It opens X, not
// X"), call a piece of the link a host ("It opens register") or name a
// host the browser does not pass.
func checkMessages(t *testing.T, op, in string, l *urlcodec.Link) {
	t.Helper()
	real := map[string]bool{urlcodec.Host: true}
	for _, h := range l.Hops() { // the hosts the browser passes
		real[h.Host] = true
		real[strings.TrimSuffix(h.Host, ".")] = true
	}
	msgs := slices.Clone(l.Warnings)
	for _, r := range l.Verdict.Reasons {
		msgs = append(msgs, r.Message)
	}
	for _, m := range msgs {
		for _, sm := range notSelf.FindAllStringSubmatch(m, -1) {
			if strings.EqualFold(sm[1], sm[2]) {
				t.Errorf("%s(%.120q): message contradicts itself: %q", op, in, m)
			}
		}
		for _, sm := range namedHost.FindAllStringSubmatch(m, -1) {
			word := strings.ToLower(strings.TrimLeft(strings.TrimRight(sm[2], `.,;:)"'`), `("'`))
			if strings.Contains(word, "://") { // a URL: the host in it
				if u, err := whatwgref.Open(word); err == nil {
					word = u.Hostname()
				}
			}
			switch {
			case sm[1] == "opens" && !strings.Contains(word, ".") && linkPiece(in, word):
				t.Errorf("%s(%.120q): message says it opens %q, a piece of the link, not a host: %q", op, in, word, m)
			case strings.Contains(word, ".") && !real[word] && !strings.ContainsAny(word, "*…"):
				t.Errorf("%s(%.120q): message names host %q, which the browser does not open (hops %s): %q", op, in, word, hopsString(l.Hops()), m)
			}
		}
	}
}

// linkPiece reports whether word is a path segment or parameter name of
// the input, such as "register".
func linkPiece(in, word string) bool {
	return word != "" && regexp.MustCompile(`(?i)[/?&=]`+regexp.QuoteMeta(word)+`([/?#&=.]|$)`).MatchString(in)
}

var (
	// notSelf finds "X, not X" and "X is not X" with X a whole host name.
	notSelf   = regexp.MustCompile(`(?:^|[\s("'])([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\.?),? (?:is )?not (?:the genuine )?([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\.?)(?:[\s,;:)"']|$)`)
	namedHost = regexp.MustCompile(`\b(host|opens)\s+(\S+)`)
)

func hasReason(v urlcodec.Verdict, word string) bool {
	for _, r := range v.Reasons {
		if strings.Contains(strings.ToLower(r.Code+" "+r.Message), word) {
			return true
		}
	}
	return false
}

func hopsString(hs []urlcodec.Hop) string {
	var b strings.Builder
	for i, h := range hs {
		if i > 0 {
			b.WriteString(" -> ")
		}
		fmt.Fprintf(&b, "%s(%s,safe=%v)", h.Host, h.Via, h.Safe)
	}
	return "[" + b.String() + "]"
}

func hitsString(hs []urlcodec.Hit) string {
	var b strings.Builder
	for _, h := range hs {
		if h.Link != nil {
			fmt.Fprintf(&b, "{%.60q mask %d trusted %v} ", h.Text, h.Link.Mask, h.Link.Verdict.Trusted)
		} else {
			fmt.Fprintf(&b, "{%.60q err %v} ", h.Text, h.Err)
		}
	}
	return "[" + b.String() + "]"
}

// TestCutNumber: a mask cut by a line end or a space, as mail and chat
// clients cut links, is never read as the shorter number with no more than
// the warnings the shorter link has alone, such as "no authMethodCount"
// (issue 10): such a hit is an error, untrusted, or says what happened.
func TestCutNumber(t *testing.T) {
	for _, c := range []struct {
		in   string
		full uint32
	}{
		{"https://mysignins.microsoft.com/register?authMethods=19\n76&authMethodCount=1", 1976},
		{"https://mysignins.microsoft.com/register?authMethods=19\r\n76&authMethodCount=1", 1976},
		{"https://mysignins.microsoft.com/register?authMethods=19 76&authMethodCount=1", 1976},
		{"mysignins.microsoft.com/register?authMethods=4\n8&authMethodCount=1", 48},
		{"> https://mysignins.microsoft.com/register?authMethods=19\n> 76&authMethodCount=1", 1976},
		{"Register: https://mysignins.microsoft.com/register?authMethods=4 8", 48},
	} {
		for _, h := range urlcodec.Extract(c.in) {
			if h.Link == nil || uint32(h.Link.Mask) == c.full || !h.Link.Verdict.Trusted {
				continue
			}
			alone, _ := urlcodec.Parse(h.Text)
			said := false
			for _, w := range h.Link.Warnings {
				said = said || !slices.Contains(alone.Warnings, w)
			}
			if !said {
				t.Errorf("Extract(%q): hit %q trusted with authMethods %d, the number cut short, warnings only %q", c.in, h.Text, h.Link.Mask, h.Link.Warnings)
			}
		}
	}
}
