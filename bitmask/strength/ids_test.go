package strength

import (
	"testing"

	"github.com/authmethods/authmethods/bitmask"
)

// The ids name the built-ins they say, and bitmask's copy of the
// phishing-resistant methods (for its caveats) is this table's.
func TestBuiltInIDs(t *testing.T) {
	for id, name := range map[string]string{
		MultifactorID:       "Multifactor authentication",
		PasswordlessID:      "Passwordless MFA",
		PhishingResistantID: "Phishing-resistant MFA",
	} {
		s, err := Find(BuiltIn(), id)
		if err != nil || s.Name != name {
			t.Errorf("Find(%s) = %q, %v; want %q", id, s.Name, err, name)
		}
	}
	s, _ := Find(BuiltIn(), PhishingResistantID)
	if s.Union() != bitmask.PhishingResistant {
		t.Errorf("bitmask.PhishingResistant = %d, the built-in strength's methods are %d", bitmask.PhishingResistant, s.Union())
	}
}
