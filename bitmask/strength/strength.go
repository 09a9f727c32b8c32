// Package strength relates Conditional Access authentication strengths to the
// authMethods mask of Microsoft Entra ID security-info register links
// (https://mysignins.microsoft.com/register?authMethods=NNNN&authMethodCount=1).
//
// Admins think in authentication strengths ("Phishing-resistant MFA"); the
// link carries a bitmask over Microsoft Graph's authenticationMethodModes. A
// strength is a list of allowed combinations, each a set of modes, and a user
// satisfies it with any one combination, so each combination is a
// [bitmask.Mask] ("password,sms" is 17).
//
// The package carries the three built-in strengths as data ([BuiltIn]), reads
// custom ones from Microsoft Graph JSON ([Decode]), and relates a link's mask
// to a list of strengths ([Relate]).
//
// Be careful what is claimed: which mask Entra puts in the link for a given
// strength is not documented. [Strength.Union] is a derivation (the OR of the
// strength's combinations), not an observation; print [UnionNote] next to it.
package strength

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/echo"
	"github.com/authmethods/authmethods/bitmask/suggest"
)

// UnionNote says what a union mask is and is not. Show it wherever a union
// mask is shown, so nobody takes it for a value seen in a real link.
const UnionNote = "derived: the OR of the strength's combinations; which mask Entra puts in the link for a strength is not documented"

// Strength is an authentication strength: a named list of allowed
// combinations of authentication method modes.
type Strength struct {
	ID          string // Graph id; the built-ins are 00000000-0000-0000-0000-00000000000N
	Name        string // Graph displayName
	Description string
	BuiltIn     bool     // Graph policyType "builtIn"
	Aliases     []string // short names people type ("mfa", "phr")
	// Combinations are the allowed combinations in Graph's order; a user
	// satisfies the strength with any one of them. Each holds only known
	// bits and is never 0.
	Combinations []bitmask.Mask
	Source       string // where the data comes from
}

// Union returns the OR of every bit of every combination: each method that
// appears in at least one combination. It is derived, not observed: see
// [UnionNote].
func (s Strength) Union() bitmask.Mask {
	var u bitmask.Mask
	for _, c := range s.Combinations {
		u |= c
	}
	return u
}

// Allowed splits m into the bits that appear in some combination of s and
// the bits that appear in none. notAllowed == 0 means every method in m is
// part of some way to satisfy s; it does not mean that m alone satisfies s
// (password + SMS is one combination: SMS alone is not).
func (s Strength) Allowed(m bitmask.Mask) (allowed, notAllowed bitmask.Mask) {
	u := s.Union()
	return m & u, m &^ u
}

// SelfService splits m into the methods a user can register alone in the
// security-info wizard (self) and all the others (other): methods an admin
// issues (Temporary Access Pass, hardware OATH, certificates, QR code + PIN),
// Windows Hello for Business (set up on the device), Authenticator phone
// sign-in (set up in the Authenticator app), federated methods (from
// the home identity provider), the password, the unknownFutureValue sentinel,
// and unknown bits. self|other == m. The facts are bitmask's Method.Access.
//
// SelfService(s.Union()) tells what a user can set up on their own to meet
// a strength: for Phishing-resistant MFA only a FIDO2 key or passkey.
func SelfService(m bitmask.Mask) (self, other bitmask.Mask) {
	for _, meth := range m.Methods() {
		if meth.Access == bitmask.Self {
			self |= meth.Bit
		}
	}
	return self, m &^ self
}

// Errors a caller can test with errors.Is on what [Find] returns.
var (
	ErrNotFound  = errors.New("no such authentication strength")
	ErrAmbiguous = errors.New("ambiguous authentication strength")
)

// Find returns the strength of list whose id, name or alias is key, in any
// case and ignoring spaces and punctuation ("Phishing-resistant MFA",
// "phishing resistant mfa", "PHR" and "00000000-0000-0000-0000-000000000004"
// select the same built-in). An id match wins over a name match, which wins
// over an alias match. The error wraps [ErrNotFound], listing what exists
// and the closest spelling, or [ErrAmbiguous] when two strengths match
// equally (combine lists with [Merge] to avoid duplicate ids).
func Find(list []Strength, key string) (Strength, error) {
	k := normalize(key)
	var hits []Strength // the strengths that match best
	best := 0           // how: 3 by id, 2 by name, 1 by alias
	for _, s := range list {
		how := 0
		switch {
		case s.ID != "" && idKey(strings.TrimSpace(key)) == idKey(s.ID):
			how = 3
		case k == "":
			// Only punctuation: no name or alias is meant, but an id
			// from a file may be anything.
		case normalize(s.Name) == k:
			how = 2
		case slices.ContainsFunc(s.Aliases, func(a string) bool { return normalize(a) == k }):
			how = 1
		}
		if how > best {
			best, hits = how, nil
		}
		if how == best && how > 0 {
			hits = append(hits, s)
		}
	}
	switch len(hits) {
	case 0:
		hint := ""
		if s := closestName(list, k); s != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", s)
		}
		return Strength{}, fmt.Errorf("authentication strength %q: %w%s; known: %s", echo.Clip(key, maxEcho), ErrNotFound, hint, known(list))
	case 1:
		return clone(hits[0]), nil
	}
	names := make([]string, len(hits))
	for i, s := range hits {
		names[i] = fmt.Sprintf("%q (%s)", s.Name, s.ID)
	}
	return Strength{}, fmt.Errorf("authentication strength %q: %w: %s", echo.Clip(key, maxEcho), ErrAmbiguous, strings.Join(names, ", "))
}

// Merge returns base followed by more, where a strength replaces an earlier
// one with the same id (ids compare in any ASCII case) in its place. Use it to put
// a tenant's Graph export over [BuiltIn]: the export lists the built-ins too,
// and it is newer than this package's table. The result holds copies.
func Merge(base, more []Strength) []Strength {
	out := make([]Strength, 0, len(base)+len(more))
	at := make(map[string]int, len(base)+len(more)) // idKey -> index in out
	for _, s := range slices.Concat(base, more) {
		k := idKey(s.ID)
		if i, ok := at[k]; ok {
			out[i] = clone(s)
			continue
		}
		if s.ID != "" {
			at[k] = len(out)
		}
		out = append(out, clone(s))
	}
	return out
}

// idKey folds an id for comparison. Graph ids are GUIDs: ASCII case is
// all that varies, and folding only ASCII keeps Find, Merge and Decode's
// duplicate check in agreement.
func idKey(id string) string {
	b := []byte(id)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// normalize folds a key for Find: lower-case ASCII letters and digits only,
// so "Phishing-resistant MFA" and "phishing resistant mfa" meet. Other
// bytes (non-ASCII letters) are kept, lower-cased where ASCII.
func normalize(s string) string {
	return string(slices.DeleteFunc([]byte(idKey(s)), func(c byte) bool {
		return c < 0x80 && !('a' <= c && c <= 'z' || '0' <= c && c <= '9')
	}))
}

func clone(s Strength) Strength {
	s.Aliases = append([]string(nil), s.Aliases...)
	s.Combinations = append([]bitmask.Mask(nil), s.Combinations...)
	return s
}

// maxKnown bounds how many strengths an error lists.
const maxKnown = 20

// known lists the names (and aliases) of list for an error message.
func known(list []Strength) string {
	if len(list) == 0 {
		return "none"
	}
	names := make([]string, 0, maxKnown)
	for _, s := range list[:min(len(list), maxKnown)] {
		name := echo.Clip(cmp.Or(s.Name, s.ID), maxEcho)
		if len(s.Aliases) > 0 {
			name += " (" + strings.Join(s.Aliases, ", ") + ")"
		}
		names = append(names, name)
	}
	if len(list) > maxKnown {
		return strings.Join(names, ", ") + fmt.Sprintf(" and %d more", len(list)-maxKnown)
	}
	return strings.Join(names, ", ")
}

// closestName returns the name or alias of list closest to the normalized key,
// or "" when nothing is close enough to be a typo.
func closestName(list []Strength, k string) string {
	if len(k) > 64 {
		return ""
	}
	best, bestD := "", suggest.Limit(len(k))+1 // a typo is at most Limit edits away
	for _, s := range list {
		for _, cand := range append([]string{s.Name}, s.Aliases...) {
			n := normalize(cand)
			if len(n) > 64 {
				continue
			}
			if d := suggest.Distance(k, n); d < bestD {
				best, bestD = cand, d
			}
		}
	}
	return best
}

// maxEcho bounds how much of an untrusted string an error repeats.
const maxEcho = 64
