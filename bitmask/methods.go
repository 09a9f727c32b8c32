package bitmask

import "strings"

// Access says how a user comes to hold a method, which decides whether the
// security-info wizard can offer it at all.
type Access uint8

const (
	// Self: the user can register the method alone in the security-info wizard.
	Self Access = iota + 1
	// Admin: an administrator issues or provisions it (Temporary Access Pass,
	// hardware OATH token, certificate, QR code + PIN).
	Admin
	// Device: it is set up on the device (Windows Hello for Business).
	Device
	// Federated: it comes from the user's home identity provider.
	Federated
	// NotCredential: not a credential a user registers (password, the
	// unknownFutureValue sentinel).
	NotCredential
	// App: set up in the Microsoft Authenticator app, not in the interrupt
	// wizard (Authenticator phone sign-in).
	App
)

// accessFacts says, for each Access, the word of the reference table and who
// sets such a method up, in words for a helpdesk. Sources: Microsoft Entra
// docs, concept-registration-mfa-sspr-combined.md and
// concept-authentication-strength-how-it-works.md (phone sign-in "can't be
// registered as part of Interrupt mode").
var accessFacts = [...]struct{ word, who string }{
	Self:          {"self", "the user sets it up alone"},
	Admin:         {"admin", "an admin has to issue it"},
	Device:        {"device", "set up on the Windows device"},
	Federated:     {"federated", "from the home identity provider"},
	NotCredential: {"none", "not something a user registers"},
	App:           {"app", "in the Authenticator app, not the wizard"},
}

// String returns the word used in the reference table: self, admin, device,
// federated, app or none.
func (a Access) String() string {
	if int(a) < len(accessFacts) && accessFacts[a].word != "" {
		return accessFacts[a].word
	}
	return "unknown"
}

// Accesses returns every Access in the order of the reference table's
// explanation: self, admin, device, app, federated, none.
func Accesses() []Access { return []Access{Self, Admin, Device, App, Federated, NotCredential} }

// Who says who sets up a method of this kind, for a helpdesk:
// "an admin has to issue it".
func (a Access) Who() string {
	if int(a) < len(accessFacts) && accessFacts[a].who != "" {
		return accessFacts[a].who
	}
	return "nobody knows who sets it up"
}

// Status says how firmly Microsoft stands behind a bit.
type Status uint8

const (
	// Stable: documented in Microsoft Graph v1.0.
	Stable Status = iota + 1
	// Beta: only in Graph beta. No method of the table is beta today:
	// qrCodePin, the last one, is in v1.0 since 2026-03.
	Beta
	// Sentinel: Graph's evolvable-enum marker, never a real method.
	Sentinel
)

var statusNames = [...]string{Stable: "stable", Beta: "beta", Sentinel: "sentinel"}

func (s Status) String() string {
	if int(s) < len(statusNames) && statusNames[s] != "" {
		return statusNames[s]
	}
	return "unknown"
}

// Method is one bit of the mask: a member of Microsoft Graph's
// authenticationMethodModes flags enum.
type Method struct {
	Bit         Mask
	Name        string   // Graph member name, exact spelling
	Label       string   // short words for people
	Description string   // one line
	Access      Access   // how a user gets it
	Status      Status   // stable, beta or sentinel
	Aliases     []string // what people type; an alias on several rows selects all of them
	Source      string   // where the fact comes from
}

// Bakker2025 cites the one public description of the register link and its
// authMethods values, by author and title, as users should read it.
const Bakker2025 = `Jan Bakker, "Security Info Registration. Entra ID's rabbit hole." (janbakker.tech, 2025-08-29)`

// Sources cited in the table below.
const (
	srcGraph     = "Microsoft Graph authenticationMethodModes (v1.0 docs, msgraph-metadata CSDL); the table in " + Bakker2025
	srcGraphOnly = "Microsoft Graph authenticationMethodModes (v1.0 docs)"
	srcPhone     = srcGraph + "; Microsoft Entra docs, concept-authentication-strength-how-it-works.md (\"can't be registered as part of Interrupt mode\")"
	srcQR        = "Microsoft Graph authenticationMethodModes (v1.0 since 2026-03, msgraph-metadata clean_v10_metadata; beta before); an evolvable-enum member, returned only with the header Prefer: include-unknown-enum-members"
)

// table is the one declarative list every feature derives from. Bits and
// names: Microsoft Graph's authenticationMethodModes (v1.0 and beta docs,
// the CSDL in microsoftgraph/msgraph-metadata); how a user gets each
// (Access): Microsoft Entra docs, concept-registration-mfa-sspr-combined.md,
// concept-authentication-strength-how-it-works.md and
// concept-authentication-oath-tokens.md (see accessFacts). Each row names its
// source in Source. Adding a method is adding a line.
var table = []Method{
	{1, "password", "Password", "password", NotCredential, Stable, []string{"pwd", "pw"}, srcGraph},
	{2, "voice", "Voice call", "voice call to a phone", Self, Stable, []string{"call", "phonecall", "phone"}, srcGraph},
	{4, "hardwareOath", "Hardware token", "hardware OATH token (code from a key fob)", Admin, Stable, []string{"hardwaretoken", "hardwareotp", "hwoath", "fob", "oath"}, srcGraph},
	{8, "softwareOath", "Authenticator app code", "software OATH token (code from an authenticator app, Microsoft or third party)", Self, Stable, []string{"softwaretoken", "softwareotp", "totp", "authenticatorapp", "oath"}, srcGraph},
	{16, "sms", "SMS", "SMS text message to a phone", Self, Stable, []string{"text", "textmessage", "phone"}, srcGraph},
	{32, "fido2", "FIDO2 key / passkey", "FIDO2 security key or passkey", Self, Stable, []string{"passkey", "securitykey", "fido", "webauthn"}, srcGraph},
	{64, "windowsHelloForBusiness", "Windows Hello for Business", "Windows Hello for Business (portal: Windows Hello for Business / Platform Credential)", Device, Stable, []string{"whfb", "hello", "windowshello", "platformcredential"}, srcGraph},
	{128, "microsoftAuthenticatorPush", "Authenticator push", "Microsoft Authenticator push notification (approve a sign-in)", Self, Stable, []string{"authenticator", "push", "msauth", "authenticatorpush"}, srcGraph},
	{256, "deviceBasedPush", "Authenticator phone sign-in", "device-based push: Microsoft Authenticator passwordless phone sign-in", App, Stable, []string{"phonesignin", "passwordlessphone", "authenticatorpasswordless"}, srcPhone},
	{512, "temporaryAccessPassOneTime", "Temporary Access Pass (one-time)", "Temporary Access Pass, one-time use", Admin, Stable, []string{"tap", "taponetime"}, srcGraph},
	{1024, "temporaryAccessPassMultiUse", "Temporary Access Pass (multi-use)", "Temporary Access Pass, multi-use", Admin, Stable, []string{"tap", "tapmultiuse"}, srcGraph},
	{2048, "email", "Email code", "email one-time passcode", Self, Stable, []string{"mail", "emailotp"}, srcGraph},
	{4096, "x509CertificateSingleFactor", "Certificate (single factor)", "certificate-based authentication, single factor", Admin, Stable, []string{"cba", "certificate", "cert", "x509", "cbasinglefactor"}, srcGraph},
	{8192, "x509CertificateMultiFactor", "Certificate (multifactor)", "certificate-based authentication, multifactor", Admin, Stable, []string{"cba", "certificate", "cert", "x509", "cbamultifactor"}, srcGraph},
	{16384, "federatedSingleFactor", "Federated sign-in (single factor)", "federated identity provider, single factor", Federated, Stable, []string{"federated", "federatedsinglefactor"}, srcGraph},
	{32768, "federatedMultiFactor", "Federated sign-in (multifactor)", "federated identity provider, multifactor", Federated, Stable, []string{"federated", "federatedmfa"}, srcGraph},
	{65536, "unknownFutureValue", "Placeholder (not a method)", "Graph's evolvable-enum sentinel, not a method: a mask carrying it is suspicious", NotCredential, Sentinel, nil, srcGraphOnly},
	{131072, "qrCodePin", "QR code + PIN", "QR code plus PIN (frontline workers)", Admin, Stable, []string{"qr", "qrpin", "qrcode"}, srcQR},
}

var (
	byIndex   [32]*Method     // bit position -> row
	nameAt    [32]string      // bit position -> Graph name
	commaName [32]string      // bit position -> "," + Graph name, for Append
	byName    map[string]Mask // normalized name or alias -> bits
	byLabel   map[string]Mask // labelKey of a label, or of its words before '(' -> bits
	known     Mask            // every bit in the table
	names     []string        // every normalized name and alias, for suggestions
)

func init() {
	byName = make(map[string]Mask, 4*len(table))
	byLabel = make(map[string]Mask, 2*len(table))
	for i := range table {
		m := &table[i]
		if m.Bit == 0 || m.Bit&(m.Bit-1) != 0 || known&m.Bit != 0 {
			panic("bitmask: table row " + m.Name + " must be one new bit")
		}
		byIndex[m.Bit.index()] = m
		nameAt[m.Bit.index()] = m.Name
		commaName[m.Bit.index()] = "," + m.Name
		known |= m.Bit
		add := func(s string) {
			k := normalize(s)
			if _, ok := byName[k]; !ok {
				names = append(names, k)
			}
			byName[k] |= m.Bit
		}
		add(m.Name)
		for _, a := range m.Aliases {
			add(a)
		}
		// "Temporary Access Pass (one-time)" is also read as "Temporary
		// Access Pass", which names both passes.
		byLabel[labelKey(m.Label)] |= m.Bit
		if head, _, ok := strings.Cut(m.Label, "("); ok {
			byLabel[labelKey(head)] |= m.Bit
		}
	}
}

// labelKey folds a label as people type it: lower case letters and digits
// only, so "FIDO2 key / passkey" and "fido2 key/passkey" meet.
func labelKey(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b = append(b, c)
		}
	}
	return string(b)
}

// normalize folds what people type into a lookup key: lower case, without
// '-', '_' and '.', so "Windows-Hello" and "windowsHello" meet.
func normalize(s string) string {
	k, _ := fold(make([]byte, 0, len(s)), s)
	return string(k)
}

// Methods returns the method table in bit order. The slice is a copy.
func Methods() []Method {
	out := make([]Method, len(table))
	copy(out, table)
	return out
}

// Lookup returns the bits a name or alias stands for, in any case: "sms",
// "passkey", "TAP" (both Temporary Access Pass bits). ok is false for a name
// nobody knows.
func Lookup(name string) (bits Mask, ok bool) {
	var buf [64]byte
	k, fits := fold(buf[:0], name)
	if !fits {
		return 0, false
	}
	bits, ok = byName[string(k)]
	return bits, ok
}

// LookupMode returns the bit of a member name of Graph's
// authenticationMethodModes in any ASCII case ("FIDO2" is 32), the way Graph
// data names a method. ok is false for anything else: an alias, a label, a
// number, or a word that only Unicode folding makes a member ("ſms").
func LookupMode(name string) (bit Mask, ok bool) {
	for i := range table {
		// Equal lengths keep the folding to ASCII.
		if len(name) == len(table[i].Name) && strings.EqualFold(name, table[i].Name) {
			return table[i].Bit, true
		}
	}
	return 0, false
}

// ByBit returns the table row of a single bit.
func ByBit(bit Mask) (Method, bool) {
	if bit == 0 || bit&(bit-1) != 0 {
		return Method{}, false
	}
	if m := byIndex[bit.index()]; m != nil {
		return *m, true
	}
	return Method{}, false
}

// fold appends the normalized form of s to dst without allocating when dst
// has room; fits is false when s is too long to be any name.
func fold(dst []byte, s string) (out []byte, fits bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-' || c == '_' || c == '.':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if len(dst) == cap(dst) {
			return dst, false
		}
		dst = append(dst, c)
	}
	return dst, true
}
