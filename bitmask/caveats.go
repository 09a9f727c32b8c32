package bitmask

// A Caveat is a known trap of the security-info interrupt wizard that a
// register link opens, with its source and the masks it applies to.
type Caveat struct {
	ID     string // short and stable, for scripts: "sspr-hidden"
	Text   string // one or two sentences for a helpdesk
	Source string // where it was reported
	// Any: the caveat applies when the mask has any of these bits.
	// Only: it applies when every method bit of the mask is one of these
	// (and there is at least one). A zero field is no condition.
	Any, Only Mask
}

// Applies reports whether the caveat concerns a link with mask m. Unknown
// bits and Graph's sentinel are no methods: they neither add nor remove a
// caveat.
func (c Caveat) Applies(m Mask) bool {
	methods := m &^ m.Unknown() &^ sentinels
	if c.Any != 0 && methods&c.Any == 0 {
		return false
	}
	if c.Only != 0 && (methods == 0 || methods&^c.Only != 0) {
		return false
	}
	return true
}

// sentinels are the bits of the table that are no method.
var sentinels = func() Mask {
	var s Mask
	for _, m := range table {
		if m.Status == Sentinel {
			s |= m.Bit
		}
	}
	return s
}()

// PhishingResistant are the methods of Entra's built-in Phishing-resistant
// MFA authentication strength: Windows Hello for Business, FIDO2 key or
// passkey, multifactor certificate. Package strength holds the strength
// itself and tests that the two agree.
const PhishingResistant Mask = 64 | 32 | 8192

// caveats are the traps Bakker2025 reports, each with the masks it concerns.
// Adding one is adding a line.
var caveats = []Caveat{
	{
		ID:     "sspr-hidden",
		Text:   "This wizard asks for one method and hides the password-reset (SSPR) methods, email and security questions, even when the SSPR policy asks for two. Stripping the query from the link brings back the combined wizard, but the post advises against telling users to do that.",
		Source: Bakker2025 + ", caveat 1",
		Any:    ^Mask(0),
	},
	{
		ID:     "guest-phishing-resistant",
		Text:   "A B2B guest whose MFA is trusted from the home tenant registers in the home tenant; when only phishing-resistant methods are asked for, a guest with no method yet can register nothing there.",
		Source: Bakker2025 + ", caveat 2",
		Only:   PhishingResistant,
	},
	{
		ID:     "windows-app-fido2",
		Text:   "In the Windows App (Cloud PC, Azure Virtual Desktop) registering a FIDO2 key or passkey from this wizard failed (\"Passkey not registered …\"); in a browser it worked.",
		Source: Bakker2025 + ", caveat 3",
		Any:    32,
	},
}

// Caveats returns the caveats that apply to a link with mask m, in the
// order of the post. A mask with no method has none: the wizard has nothing
// to register.
func Caveats(m Mask) []Caveat {
	var out []Caveat
	for _, c := range caveats {
		if c.Applies(m) {
			out = append(out, c)
		}
	}
	return out
}

// TemporaryAccessPass are both Temporary Access Pass methods (one-time and
// multi-use): what an admin usually issues first to a user who has no
// method.
const TemporaryAccessPass Mask = 512 | 1024
