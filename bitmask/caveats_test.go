package bitmask

import (
	"reflect"
	"testing"
)

// Each caveat is shown only for the masks it concerns.
func TestCaveats(t *testing.T) {
	for _, tt := range []struct {
		m    Mask
		want []string
	}{
		{0, nil},
		{16, []string{"sspr-hidden"}},
		{48, []string{"sspr-hidden", "windows-app-fido2"}},
		{1976, []string{"sspr-hidden", "windows-app-fido2"}},
		{8288, []string{"sspr-hidden", "guest-phishing-resistant", "windows-app-fido2"}},
		{64, []string{"sspr-hidden", "guest-phishing-resistant"}},
		{64 | 0x10000 | 0x40000, []string{"sspr-hidden", "guest-phishing-resistant"}}, // no-method bits change nothing
		{0x10000 | 0x40000, nil},
	} {
		var got []string
		for _, c := range Caveats(tt.m) {
			got = append(got, c.ID)
			if c.Text == "" || c.Source == "" {
				t.Errorf("caveat %s has no text or source", c.ID)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Caveats(%d) = %v; want %v", tt.m, got, tt.want)
		}
	}
}

// The copies of the table's bits agree with it.
func TestNamedMasks(t *testing.T) {
	if m, _ := Parse("tap"); m != TemporaryAccessPass {
		t.Errorf("TemporaryAccessPass = %d; tap is %d", TemporaryAccessPass, m)
	}
	if m, _ := Parse("fido2,windowsHelloForBusiness,x509CertificateMultiFactor"); m != PhishingResistant {
		t.Errorf("PhishingResistant = %d; want %d", PhishingResistant, m)
	}
}
