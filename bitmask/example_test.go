package bitmask_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/authmethods/authmethods/bitmask"
)

func ExampleParse() {
	for _, s := range []string{"1976", "0x30", `"password,sms"`, "passkey | text", "tap"} {
		m, err := bitmask.Parse(s)
		fmt.Println(uint32(m), m, err)
	}
	// Output:
	// 1976 softwareOath,sms,fido2,microsoftAuthenticatorPush,deviceBasedPush,temporaryAccessPassOneTime,temporaryAccessPassMultiUse <nil>
	// 48 sms,fido2 <nil>
	// 17 password,sms <nil>
	// 48 sms,fido2 <nil>
	// 1536 temporaryAccessPassOneTime,temporaryAccessPassMultiUse <nil>
}

func ExampleParse_errors() {
	_, err := bitmask.Parse("passkee")
	fmt.Println(err)
	fmt.Println(errors.Is(err, bitmask.ErrUnknownName))
	_, err = bitmask.Parse("4294967296")
	fmt.Println(errors.Is(err, bitmask.ErrRange))
	// Output:
	// bitmask.Parse: parsing "passkee": unknown method name "passkee" (did you mean "passkey"?)
	// true
	// true
}

func ExampleMask_String() {
	fmt.Println(bitmask.Mask(48))
	fmt.Println(bitmask.Mask(0x40010)) // an unknown bit stays visible, in hex
	fmt.Println(bitmask.Mask(0))
	// Output:
	// sms,fido2
	// sms,0x40000
	// none
}

func ExampleMask_Append() {
	buf := make([]byte, 0, 64)
	buf = bitmask.Mask(17).Append(buf)
	fmt.Println(string(buf))
	// Output: password,sms
}

func ExampleMask_Methods() {
	for _, m := range bitmask.Mask(1720).Methods() {
		fmt.Printf("%-6d %-34s %s\n", m.Bit, m.Label, m.Access)
	}
	// Output:
	// 8      Authenticator app code             self
	// 16     SMS                                self
	// 32     FIDO2 key / passkey                self
	// 128    Authenticator push                 self
	// 512    Temporary Access Pass (one-time)   admin
	// 1024   Temporary Access Pass (multi-use)  admin
}

func ExampleMask_SelfService() {
	m := bitmask.Mask(1976)
	self := m.SelfService()
	fmt.Println("user can register:", self)
	fmt.Println("set up elsewhere:", m&^self)
	// Output:
	// user can register: softwareOath,sms,fido2,microsoftAuthenticatorPush
	// set up elsewhere: deviceBasedPush,temporaryAccessPassOneTime,temporaryAccessPassMultiUse
}

func ExampleDiff() {
	added, removed, common := bitmask.Diff(1720, 1976)
	fmt.Println("added:", added)
	fmt.Println("removed:", removed)
	fmt.Println("common:", common.Count(), "methods")
	// Output:
	// added: deviceBasedPush
	// removed: none
	// common: 6 methods
}

func ExampleCatalog_Lookup() {
	c := bitmask.NewCatalog()
	for _, m := range []bitmask.Mask{16, 1976, 48} {
		e := c.Lookup(m)
		fmt.Println(m.String(), "->", e.Provenance)
	}
	// Output:
	// sms -> documented
	// softwareOath,sms,fido2,microsoftAuthenticatorPush,deviceBasedPush,temporaryAccessPassOneTime,temporaryAccessPassMultiUse -> observed
	// sms,fido2 -> unknown
}

func ExampleCatalog_Load() {
	c := bitmask.NewCatalog()
	notes := "# mask<TAB>what the wizard showed\n48\tonly SMS and passkey\n"
	if err := c.Load(strings.NewReader(notes), "notes.tsv"); err != nil {
		fmt.Println(err)
	}
	e := c.Lookup(48)
	fmt.Println(e.Provenance, e.Source, e.Note)
	// Output: observed notes.tsv:2 only SMS and passkey
}
