package strength_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/strength"
)

func ExampleBuiltIn() {
	for _, s := range strength.BuiltIn() {
		fmt.Printf("%s  %-26s %2d combinations, union %5d  aliases: %s\n", s.ID, s.Name, len(s.Combinations), s.Union(), strings.Join(s.Aliases, ", "))
	}
	// Output:
	// 00000000-0000-0000-0000-000000000002  Multifactor authentication 19 combinations, union 63487  aliases: mfa, multifactor
	// 00000000-0000-0000-0000-000000000003  Passwordless MFA            4 combinations, union  8544  aliases: passwordless
	// 00000000-0000-0000-0000-000000000004  Phishing-resistant MFA      3 combinations, union  8288  aliases: phishing-resistant, phr
}

func ExampleStrength_Union() {
	phr, _ := strength.Find(strength.BuiltIn(), "phishing-resistant")
	for _, c := range phr.Combinations {
		fmt.Println(uint32(c), c)
	}
	u := phr.Union()
	fmt.Println("union:", uint32(u), u)
	fmt.Println(strength.UnionNote)
	// Output:
	// 64 windowsHelloForBusiness
	// 32 fido2
	// 8192 x509CertificateMultiFactor
	// union: 8288 fido2,windowsHelloForBusiness,x509CertificateMultiFactor
	// derived: the OR of the strength's combinations; which mask Entra puts in the link for a strength is not documented
}

func ExampleDecode() {
	// A custom strength as GET /policies/authenticationStrengthPolicies/{id}
	// returns it (shortened); a list response {"value": [...]} works too.
	const policy = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationStrengthPolicies/$entity",
  "id": "5a4b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
  "displayName": "Contoso keys or Hello",
  "policyType": "custom",
  "allowedCombinations": ["fido2", "password,sms", "windowsHelloForBusiness"],
  "combinationConfigurations": []
}`
	list, err := strength.Decode(strings.NewReader(policy), "policy.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	s := list[0]
	fmt.Println(s.Name, s.Combinations)
	fmt.Println(uint32(s.Union()), s.Union())
	fmt.Println(s.Source)
	// Output:
	// Contoso keys or Hello [fido2 password,sms windowsHelloForBusiness]
	// 113 password,sms,fido2,windowsHelloForBusiness
	// policy.json:1:1 (Graph authenticationStrengthPolicy JSON)
}

func ExampleDecode_errors() {
	const policy = `{
  "displayName": "My strength",
  "allowedCombinations": ["fido2", "password,sms", "passkey", "password,smss"]
}`
	_, err := strength.Decode(strings.NewReader(policy), "policy.json")
	fmt.Println(err)
	fmt.Println(errors.Is(err, bitmask.ErrUnknownName))

	_, err = strength.Decode(strings.NewReader(`{"value": [{"id": "x", "allowedCom`), "-")
	fmt.Println(err)
	fmt.Println(errors.Is(err, strength.ErrTruncated))
	// Output:
	// policy.json:3:52 (offset 85): allowedCombinations[2] of "My strength": unknown mode "passkey" (did you mean "fido2"?)
	// true
	// -:1:35 (offset 34): unexpected end of input (truncated JSON?)
	// true
}

func ExampleRelate() {
	list := strength.BuiltIn()
	for _, m := range []bitmask.Mask{8288, 1976, 2048} {
		fits, closest := strength.Relate(m, list)
		fmt.Printf("%d:\n", m)
		for i, f := range fits {
			note := ""
			if i == closest {
				note = "  <- closest"
			}
			fmt.Printf("  %-26s exact=%-5v not allowed: %v%s\n", f.Strength.Name, f.Exact, f.NotAllowed, note)
		}
	}
	// Output:
	// 8288:
	//   Multifactor authentication exact=false not allowed: none
	//   Passwordless MFA           exact=false not allowed: none
	//   Phishing-resistant MFA     exact=true  not allowed: none  <- closest
	// 1976:
	//   Multifactor authentication exact=false not allowed: none  <- closest
	//   Passwordless MFA           exact=false not allowed: softwareOath,sms,microsoftAuthenticatorPush,temporaryAccessPassOneTime,temporaryAccessPassMultiUse
	//   Phishing-resistant MFA     exact=false not allowed: softwareOath,sms,microsoftAuthenticatorPush,deviceBasedPush,temporaryAccessPassOneTime,temporaryAccessPassMultiUse
	// 2048:
	//   Multifactor authentication exact=false not allowed: email
	//   Passwordless MFA           exact=false not allowed: email
	//   Phishing-resistant MFA     exact=false not allowed: email
}

func ExampleFind() {
	list := strength.BuiltIn()
	for _, key := range []string{"PHR", "Phishing resistant MFA", "00000000-0000-0000-0000-000000000003"} {
		s, _ := strength.Find(list, key)
		fmt.Println(s.Name)
	}
	_, err := strength.Find(list, "pasword-less")
	fmt.Println(err)
	// Output:
	// Phishing-resistant MFA
	// Phishing-resistant MFA
	// Passwordless MFA
	// authentication strength "pasword-less": no such authentication strength (did you mean "passwordless"?); known: Multifactor authentication (mfa, multifactor), Passwordless MFA (passwordless), Phishing-resistant MFA (phishing-resistant, phr)
}
