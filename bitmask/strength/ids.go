package strength

// Ids of Entra's built-in authentication strengths (Microsoft Graph,
// authenticationStrengthPolicy, policyType builtIn), for callers that single
// one out.
const (
	MultifactorID       = "00000000-0000-0000-0000-000000000002"
	PasswordlessID      = "00000000-0000-0000-0000-000000000003"
	PhishingResistantID = "00000000-0000-0000-0000-000000000004"
)
