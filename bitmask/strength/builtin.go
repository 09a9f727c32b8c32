package strength

import "github.com/authmethods/authmethods/bitmask"

// srcBuiltIn cites where the built-in table comes from. The two documents
// disagree slightly on which password + certificate pairs the Multifactor
// strength lists; the Graph response example is used.
const srcBuiltIn = "Microsoft Graph docs, List authenticationStrengthPolicies (api-reference/v1.0/api/authenticationstrengthroot-list-policies.md, response example); Microsoft Entra docs, concept-authentication-strengths.md"

// builtIn is the one declarative table of built-in strengths. Each
// combination is written exactly as Graph's JSON writes it, and parsed by
// the same code that reads Graph JSON, so this table reads like the
// reference and an error in it fails every test. Names and ids are Entra's;
// Graph's own displayName for …0004 is "Phishing resistant MFA", which Find
// matches too.
var builtIn = []struct {
	id, name, description string
	aliases               []string
	combinations          []string
}{
	{
		"00000000-0000-0000-0000-000000000002", "Multifactor authentication",
		"Built-in: combinations of methods that satisfy multifactor authentication, such as password + SMS.",
		[]string{"mfa", "multifactor"},
		[]string{
			"windowsHelloForBusiness",
			"fido2",
			"x509CertificateMultiFactor",
			"deviceBasedPush",
			"temporaryAccessPassOneTime",
			"temporaryAccessPassMultiUse",
			"password,microsoftAuthenticatorPush",
			"password,softwareOath",
			"password,hardwareOath",
			"password,x509CertificateSingleFactor",
			"password,x509CertificateMultiFactor",
			"password,sms",
			"password,voice",
			"federatedMultiFactor",
			"federatedSingleFactor,microsoftAuthenticatorPush",
			"federatedSingleFactor,softwareOath",
			"federatedSingleFactor,hardwareOath",
			"federatedSingleFactor,sms",
			"federatedSingleFactor,voice",
		},
	},
	{
		"00000000-0000-0000-0000-000000000003", "Passwordless MFA",
		"Built-in: passwordless methods that satisfy multifactor authentication, such as phone sign-in with Microsoft Authenticator.",
		[]string{"passwordless"},
		[]string{
			"windowsHelloForBusiness",
			"fido2",
			"x509CertificateMultiFactor",
			"deviceBasedPush",
		},
	},
	{
		"00000000-0000-0000-0000-000000000004", "Phishing-resistant MFA",
		"Built-in: phishing-resistant passwordless methods, the strongest, such as a FIDO2 security key.",
		[]string{"phishing-resistant", "phr"},
		[]string{
			"windowsHelloForBusiness",
			"fido2",
			"x509CertificateMultiFactor",
		},
	},
}

// builtIns is builtIn parsed once; BuiltIn hands out copies.
var builtIns = func() []Strength {
	out := make([]Strength, 0, len(builtIn))
	for _, b := range builtIn {
		s := Strength{ID: b.id, Name: b.name, Description: b.description, BuiltIn: true, Aliases: b.aliases, Source: srcBuiltIn}
		for _, c := range b.combinations {
			m, err := parseCombination(c)
			if err != nil {
				panic("strength: built-in " + b.name + ": " + err.Error())
			}
			s.Combinations = append(s.Combinations, m)
		}
		out = append(out, s)
	}
	return out
}()

// BuiltIn returns Entra's built-in authentication strengths: Multifactor
// authentication, Passwordless MFA and Phishing-resistant MFA, in id order.
// The slice and everything in it are copies.
func BuiltIn() []Strength {
	return Merge(builtIns, nil) // copies; the ids differ, so all of them in order
}

// modes is the method table, for reading Graph's mode names.
var modes = bitmask.Methods()
