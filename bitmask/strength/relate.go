package strength

import (
	"slices"

	"github.com/authmethods/authmethods/bitmask"
)

// Fit relates a mask to one strength.
type Fit struct {
	Strength Strength
	// Allowed holds the bits of the mask that appear in some combination of
	// the strength, NotAllowed the others (unknown bits are never allowed).
	// NotAllowed == 0 means the strength allows every method in the mask.
	Allowed, NotAllowed bitmask.Mask
	// Exact is true when the strength's union mask equals the mask (and the
	// mask is not 0). A derivation, not an observation: see UnionNote.
	Exact bool
}

// Relate relates m, the mask of a register link, to each strength of list,
// in list order, and returns the index in fits of the closest strength, -1
// when none is close. The rule, first match wins:
//
//  1. exact: the first strength whose union mask equals m;
//  2. among the strengths that allow every bit of m, the one whose union
//     has the fewest bits (the tightest; the first in list order on a tie);
//  3. the strength allowing the most bits of m (fewer union bits, then list
//     order, on a tie), if it allows any.
//
// m == 0 has no closest strength. For 8288 the closest built-in is
// Phishing-resistant MFA (exact); for 1976 it is Multifactor
// authentication, the only built-in allowing SMS, softwareOath, Authenticator
// push and Temporary Access Pass. Closest is a reading aid: Entra does not
// document which mask it puts in the link for a strength.
func Relate(m bitmask.Mask, list []Strength) (fits []Fit, closest int) {
	fits = make([]Fit, len(list))
	closest = -1
	var best [4]int
	for i, s := range list {
		u := s.Union()
		f := Fit{Strength: clone(s), Allowed: m & u, NotAllowed: m &^ u, Exact: m != 0 && u == m}
		fits[i] = f
		// The rule as a key, larger is closer: exact, allows every bit,
		// allows more bits, fewer union bits. Only a later strength with a
		// larger key replaces the closest, so list order breaks ties.
		key := [4]int{0, 0, f.Allowed.Count(), -u.Count()}
		if f.Exact {
			key[0] = 1
		}
		if f.NotAllowed == 0 {
			key[1] = 1
		}
		if f.Allowed != 0 && slices.Compare(key[:], best[:]) > 0 {
			closest, best = i, key
		}
	}
	return fits, closest
}
