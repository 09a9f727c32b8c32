package bitmask

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Mask
	}{
		{"0", 0},
		{"none", 0},
		{"NONE", 0},
		{"1976", 1976},
		{"  1976\n", 1976},
		{"+16", 16},
		{"4294967295", 1<<32 - 1},
		{"0x7b8", 1976},
		{"0X7B8", 1976},
		{"0x0", 0},
		{"0xffffffff", 1<<32 - 1},
		{`"password,sms"`, 17},   // Graph JSON form, quoted
		{"password,sms", 17},     // unquoted
		{"'sms'", 16},            // single quotes from a shell habit
		{"SMS|FIDO2", 48},        // any case, pipe
		{"sms+fido2", 48},        // plus
		{"sms fido2\ttap", 1584}, // spaces and tabs; tap is both TAP bits
		{"sms, fido2", 48},       // comma and space
		{"sms,,fido2,", 48},      // empty tokens are skipped
		{"passkey", 32},          // alias
		{"security-key", 32},     // '-' folded
		{"Windows_Hello", 64},    // '_' folded
		{"text", 16},             // alias for sms
		{"phone", 18},            // voice and sms
		{"cba", 12288},           // both certificate bits
		{"federated", 49152},     // both federated bits
		{"oath", 12},             // hardware and software
		{"whfb", 64},             // alias
		{"authenticator", 128},   // push
		{"tap", 1536},            // both Temporary Access Pass bits
		{"sms,0x40000", 0x40010}, // what String writes for an unknown bit
		{"16,32", 48},            // numbers in a list
		{"unknownFutureValue", 65536},
		{"qrCodePin", 131072},
		{"none,sms", 16},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v; want %d, nil", tt.in, got, err, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in      string
		cause   error
		suggest string
	}{
		{"", ErrSyntax, ""},
		{"   ", ErrSyntax, ""},
		{`""`, ErrSyntax, ""},
		{",,", ErrSyntax, ""},
		{"4294967296", ErrRange, ""},
		{"99999999999999999999999", ErrRange, ""},
		{"-1", ErrRange, ""},
		{"0x100000000", ErrRange, ""},
		{"0x", ErrSyntax, ""},
		{"0xg", ErrSyntax, ""},
		{"12a", ErrSyntax, ""},
		{"1.5", ErrSyntax, ""},
		{"sms,-", ErrSyntax, ""},
		{"sms,4294967296", ErrRange, ""},
		{"smss", ErrUnknownName, "sms"},
		{"passkee", ErrUnknownName, "passkey"},
		{"fido", nil, ""}, // fido is an alias: not an error
		{"microsoftAuthenticatorPsuh", ErrUnknownName, "microsoftAuthenticatorPush"},
		{"sms,banana", ErrUnknownName, ""},
		{"x", ErrUnknownName, ""}, // too short to guess from
		{"smx", ErrUnknownName, "sms"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if tt.cause == nil {
			if err != nil {
				t.Errorf("Parse(%q): unexpected error %v", tt.in, err)
			}
			continue
		}
		if !errors.Is(err, tt.cause) {
			t.Errorf("Parse(%q) error = %v; want cause %v", tt.in, err, tt.cause)
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Func != "Parse" {
			t.Errorf("Parse(%q) error %T is not a *bitmask.Error from Parse", tt.in, err)
		}
		var ne *NameError
		if errors.As(err, &ne) && ne.Suggest != tt.suggest {
			t.Errorf("Parse(%q) suggests %q; want %q", tt.in, ne.Suggest, tt.suggest)
		}
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := Parse("smss")
	want := `bitmask.Parse: parsing "smss": unknown method name "smss" (did you mean "sms"?)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	// Untrusted input is not echoed whole.
	_, err = Parse(strings.Repeat("x", 100000))
	if err == nil || len(err.Error()) > 300 {
		t.Errorf("error for a huge input is %d bytes long", len(err.Error()))
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		m    Mask
		want string
	}{
		{0, "none"},
		{1, "password"},
		{48, "sms,fido2"},
		{1976, "softwareOath,sms,fido2,microsoftAuthenticatorPush,deviceBasedPush,temporaryAccessPassOneTime,temporaryAccessPassMultiUse"},
		{0x40010, "sms,0x40000"},
		{0x80000000, "0x80000000"},
		{65536 | 131072, "unknownFutureValue,qrCodePin"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("Mask(%d).String() = %q; want %q", tt.m, got, tt.want)
		}
	}
}

// The round trip must hold for every 32-bit value; test the edges, every
// single bit and a spread of others here, and all of them in the fuzz target.
func TestRoundTrip(t *testing.T) {
	vals := []Mask{0, 1<<32 - 1, 1720, 1960, 1976, 63487, 8288, 8544}
	for i := 0; i < 32; i++ {
		vals = append(vals, 1<<i, ^Mask(1<<i))
	}
	for v := Mask(1); v != 0 && v < 1<<31; v = v*3 + 7 {
		vals = append(vals, v)
	}
	for _, m := range vals {
		got, err := Parse(m.String())
		if err != nil || got != m {
			t.Errorf("Parse(%q) = %d, %v; want %d", m.String(), got, err, m)
		}
		b, _ := m.MarshalText()
		var u Mask
		if err := u.UnmarshalText(b); err != nil || u != m {
			t.Errorf("text round trip of %d gave %d, %v", m, u, err)
		}
	}
}

func TestMethodsAndUnknown(t *testing.T) {
	m := Mask(1976 | 0x40000 | 0x80000000)
	names := m.Names()
	want := []string{"softwareOath", "sms", "fido2", "microsoftAuthenticatorPush", "deviceBasedPush", "temporaryAccessPassOneTime", "temporaryAccessPassMultiUse"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("Names() = %v; want %v", names, want)
	}
	if ms := m.Methods(); len(ms) != len(want) || ms[1].Label != "SMS" || ms[1].Access != Self || ms[5].Access != Admin {
		t.Errorf("Methods() = %+v", ms)
	}
	u := m.UnknownBits()
	if len(u) != 2 || u[0] != 0x40000 || u[1] != 0x80000000 {
		t.Errorf("UnknownBits() = %v", u)
	}
	if m.Unknown() != 0x80040000 {
		t.Errorf("Unknown() = %#x", m.Unknown())
	}
}

func TestDiff(t *testing.T) {
	added, removed, common := Diff(1720, 1960)
	if added != 256 || removed != 16 || common != 1720&1960 {
		t.Errorf("Diff(1720, 1960) = %d, %d, %d", added, removed, common)
	}
}

func TestTable(t *testing.T) {
	// The table is Graph's authenticationMethodModes: every bit from 1 to 131072
	// once, in order, with its Graph name.
	want := []string{"password", "voice", "hardwareOath", "softwareOath", "sms", "fido2",
		"windowsHelloForBusiness", "microsoftAuthenticatorPush", "deviceBasedPush",
		"temporaryAccessPassOneTime", "temporaryAccessPassMultiUse", "email",
		"x509CertificateSingleFactor", "x509CertificateMultiFactor",
		"federatedSingleFactor", "federatedMultiFactor", "unknownFutureValue", "qrCodePin"}
	ms := Methods()
	if len(ms) != len(want) {
		t.Fatalf("%d methods; want %d", len(ms), len(want))
	}
	for i, m := range ms {
		if m.Bit != 1<<i || m.Name != want[i] {
			t.Errorf("row %d = %d %s; want %d %s", i, m.Bit, m.Name, 1<<i, want[i])
		}
		if m.Label == "" || m.Description == "" || m.Source == "" || m.Access == 0 || m.Status == 0 {
			t.Errorf("row %s is missing a field: %+v", m.Name, m)
		}
		if got, ok := Lookup(m.Name); !ok || got&m.Bit == 0 {
			t.Errorf("Lookup(%q) = %d, %v", m.Name, got, ok)
		}
	}
	// qrCodePin is in Graph v1.0 since 2026-03.
	if ms[16].Status != Sentinel || ms[17].Status != Stable {
		t.Errorf("65536 must be the sentinel and 131072 stable")
	}
	// Methods returns a copy: callers cannot change the table.
	ms[0].Name = "changed"
	if Methods()[0].Name != "password" {
		t.Error("Methods() exposes the table")
	}
}

func TestAccessString(t *testing.T) {
	for a, want := range map[Access]string{Self: "self", Admin: "admin", Device: "device", Federated: "federated", NotCredential: "none", 0: "unknown", 99: "unknown"} {
		if a.String() != want {
			t.Errorf("Access(%d) = %q; want %q", a, a.String(), want)
		}
	}
}

func TestSubsets(t *testing.T) {
	var got []Mask
	for s := range Mask(1976).Subsets {
		got = append(got, s)
	}
	if len(got) != 128 || got[0] != 0 || got[127] != 1976 {
		t.Fatalf("%d subsets of 1976, first %d last %d", len(got), got[0], got[len(got)-1])
	}
	for i, s := range got {
		if s&^1976 != 0 {
			t.Errorf("%d is not a subset of 1976", s)
		}
		if i > 0 && got[i-1] >= s {
			t.Errorf("not ascending at %d: %d then %d", i, got[i-1], s)
		}
	}
	n := 0
	for range Mask(1<<32 - 1).Subsets {
		if n++; n == 1000 {
			break // stopping early must work on a huge set
		}
	}
	if n != 1000 {
		t.Errorf("early stop after %d", n)
	}
	got = got[:0]
	for s := range Mask(0).Subsets {
		got = append(got, s)
	}
	if len(got) != 1 || got[0] != 0 {
		t.Errorf("subsets of 0 = %v", got)
	}
}

// The labels the tool prints are read back, in any case.
func TestParseLabels(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Mask
	}{
		{"Authenticator app code", 8},
		{"authenticator APP code", 8},
		{"Temporary Access Pass", 512 | 1024},
		{"Temporary Access Pass (one-time)", 512},
		{"FIDO2 key / passkey", 32},
		{"QR code + PIN", 131072},
		{"Certificate (multifactor)", 8192},
		{"sms fido2", 48}, // names, not a label
	} {
		if got, err := Parse(tt.in); err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	if _, err := Parse("-1"); !errors.Is(err, ErrNegative) || !errors.Is(err, ErrRange) {
		t.Errorf("Parse(-1) = %v; want ErrNegative, an ErrRange", err)
	}
}

func TestSelfService(t *testing.T) {
	tests := []struct {
		m, self Mask
	}{
		{1976, 184},        // both TAPs are admin-issued; phone sign-in is set up in the app
		{8288, 32},         // phishing-resistant: only a FIDO2 key or passkey
		{8544, 32},         // passwordless: phone sign-in is not registered in the wizard
		{63487, 186},       // MFA union (no email)
		{1, 0},             // password is not a credential to register
		{0x10000, 0},       // unknownFutureValue
		{0x20000, 0},       // qrCodePin: admin
		{0x40000 | 16, 16}, // an unknown bit is not self-service
		{0xFFFFFFFF, 2234}, // every self-service one: voice, softwareOath, sms, fido2, push, email
		{0, 0},
	}
	for _, tt := range tests {
		if got := tt.m.SelfService(); got != tt.self {
			t.Errorf("Mask(%d).SelfService() = %d (%v), want %d (%v)", tt.m, got, got, tt.self, tt.self)
		}
	}
	for _, meth := range Methods() {
		if got := meth.Bit.SelfService(); (got == meth.Bit) != (meth.Access == Self) || got&^meth.Bit != 0 {
			t.Errorf("%s (%v): SelfService() = %v", meth.Name, meth.Access, got)
		}
	}
}

func TestLookupMode(t *testing.T) {
	tests := []struct {
		name string
		bit  Mask
		ok   bool
	}{
		{"fido2", 32, true},
		{"FIDO2", 32, true},
		{"microsoftauthenticatorPUSH", 128, true},
		{"qrCodePin", 0x20000, true},
		{"unknownFutureValue", 0x10000, true},
		{" sms", 0, false},     // the caller trims
		{"passkey", 0, false},  // an alias
		{"SMS text", 0, false}, // a label
		{"16", 0, false},       // a number
		{"ſms", 0, false},      // long s folds to s only in Unicode
		{"paſsword", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		if bit, ok := LookupMode(tt.name); bit != tt.bit || ok != tt.ok {
			t.Errorf("LookupMode(%q) = %v, %v; want %v, %v", tt.name, bit, ok, tt.bit, tt.ok)
		}
	}
}

func TestSuggestMode(t *testing.T) {
	tests := []struct{ word, want string }{
		{"passkey", "fido2"}, // an alias of one member
		{"smss", "sms"},      // a slip
		{"Passkee", "fido2"}, // a slip of an alias
		{"tap", ""},          // an alias of two members
		{"federated", ""},    // likewise
		{"x", ""},            // Suggest would say "pw": too much of the word changes
		{"17", ""},           // not a name
		{"banana", ""},       // far from everything
	}
	for _, tt := range tests {
		if got := SuggestMode(tt.word); got != tt.want {
			t.Errorf("SuggestMode(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}
