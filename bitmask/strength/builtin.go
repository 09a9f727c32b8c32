package strength

import (
	"bytes"
	_ "embed"
)

// Ids of Entra's built-in authentication strengths.
const (
	MultifactorID       = "00000000-0000-0000-0000-000000000002"
	PasswordlessID      = "00000000-0000-0000-0000-000000000003"
	PhishingResistantID = "00000000-0000-0000-0000-000000000004"
)

// aliases are the names people type for the built-ins; Decode gives them
// to a policy of policyType builtIn with one of these ids.
var aliases = map[string][]string{
	MultifactorID:       {"mfa", "multifactor"},
	PasswordlessID:      {"passwordless"},
	PhishingResistantID: {"phishing-resistant", "phr"},
}

// builtinJSON is the table of built-in strengths as Graph lists them, read
// by Decode. It cites srcBuiltIn, whose two documents differ slightly on
// Multifactor's password + certificate pairs (Graph's example is used).
// Graph names …0004 "Phishing resistant MFA", which Find matches too.
//
//go:embed builtin.json
var builtinJSON []byte

const srcBuiltIn = "Microsoft Graph docs, List authenticationStrengthPolicies (api-reference/v1.0/api/authenticationstrengthroot-list-policies.md, response example); Microsoft Entra docs, concept-authentication-strengths.md"

var builtIns = func() []Strength {
	list, err := Decode(bytes.NewReader(builtinJSON), "builtin.json")
	if err != nil {
		panic("strength: " + err.Error())
	}
	for i := range list {
		list[i].Source = srcBuiltIn
	}
	return list
}()

// BuiltIn returns Entra's built-in authentication strengths: Multifactor
// authentication, Passwordless MFA and Phishing-resistant MFA, in id order.
// The slice and everything in it are copies.
func BuiltIn() []Strength { return Merge(builtIns, nil) }
