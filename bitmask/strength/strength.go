// Package strength relates Conditional Access authentication strengths
// ("Phishing-resistant MFA") to the authMethods mask of Entra ID register
// links (https://mysignins.microsoft.com/register?authMethods=NNNN). A
// strength is a list of allowed combinations of Graph's
// authenticationMethodModes, any one of which satisfies it, so each
// combination is a [bitmask.Mask] ("password,sms" is 17).
//
// It carries the built-in strengths ([BuiltIn]), reads custom ones from
// Graph JSON ([Decode]) and relates a mask to them ([Relate]). Which mask
// Entra puts in the link for a strength is not documented: [Strength.Union]
// is derived, not observed, so print [UnionNote] next to it.
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

// UnionNote goes wherever a union mask is shown, so that nobody takes it
// for a value seen in a real link.
const UnionNote = "derived: the OR of the strength's combinations; which mask Entra puts in the link for a strength is not documented"

// Strength is an authentication strength: a named list of allowed
// combinations of authentication method modes.
type Strength struct {
	ID          string // Graph id; the built-ins are 00000000-0000-0000-0000-00000000000N
	Name        string // Graph displayName
	Description string
	BuiltIn     bool     // Graph policyType "builtIn"
	Aliases     []string // short names people type ("mfa", "phr")
	// Combinations, in Graph's order: any one satisfies the strength. Each
	// holds only known bits and is never 0.
	Combinations []bitmask.Mask
	Source       string // where the data comes from
}

// Union returns the OR of the combinations: each method that appears in
// one. It is derived, not observed: see [UnionNote].
func (s Strength) Union() bitmask.Mask {
	var u bitmask.Mask
	for _, c := range s.Combinations {
		u |= c
	}
	return u
}

// Fit relates a mask to one strength.
type Fit struct {
	Strength Strength
	// Allowed holds the bits of the mask in the strength's union, NotAllowed
	// the others, unknown bits among them. NotAllowed == 0 does not mean the
	// mask satisfies it: password + SMS is a combination, SMS alone is not.
	Allowed, NotAllowed bitmask.Mask
	// Exact: the union equals the mask, which is not 0. Derived: see UnionNote.
	Exact bool
}

// Relate relates m, a register link's mask, to each strength of list, in
// order, and returns the index in fits of the closest, or -1 (always for
// m == 0). Closest is a reading aid, as Entra does not document which mask
// it puts in the link for a strength; the first rule that matches wins:
//
//  1. the first strength whose union is m;
//  2. of those allowing every bit of m, the one with the fewest union bits;
//  3. the one allowing the most bits of m, if any.
//
// Fewer union bits, then list order, break the ties.
func Relate(m bitmask.Mask, list []Strength) (fits []Fit, closest int) {
	fits, closest = make([]Fit, len(list)), -1
	var best [4]int
	for i, s := range list {
		u := s.Union()
		f := Fit{Strength: clone(s), Allowed: m & u, NotAllowed: m &^ u, Exact: m != 0 && u == m}
		fits[i] = f
		// The rule as a key, larger is closer; only a larger key replaces
		// the closest, so list order breaks ties.
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

// Errors a caller can test with errors.Is on what [Find] returns.
var (
	ErrNotFound  = errors.New("no such authentication strength")
	ErrAmbiguous = errors.New("ambiguous authentication strength")
)

// Find returns the strength of list whose id, name or alias is key, in any
// case and ignoring spaces and punctuation ("phishing resistant mfa", "PHR"
// and its id select Phishing-resistant MFA); an id beats a name, a name an
// alias. The error wraps [ErrNotFound], listing what exists and the closest
// spelling, or [ErrAmbiguous] when two match equally.
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
		return Strength{}, fmt.Errorf("authentication strength %q: %w%s; known: %s", echo.Clip(key, maxEcho), ErrNotFound, didYouMean(list, k), known(list))
	case 1:
		return clone(hits[0]), nil
	}
	names := make([]string, len(hits))
	for i, s := range hits {
		names[i] = fmt.Sprintf("%q (%s)", s.Name, s.ID)
	}
	return Strength{}, fmt.Errorf("authentication strength %q: %w: %s", echo.Clip(key, maxEcho), ErrAmbiguous, strings.Join(names, ", "))
}

// Merge returns copies of base followed by more, where a strength takes the
// place of an earlier one with the same id (in any ASCII case): a tenant's
// Graph export, which lists the built-ins too, goes over [BuiltIn].
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

// idKey folds the ASCII case of an id, all that varies in a GUID, the same
// way for Find, Merge and Decode.
func idKey(id string) string {
	b := []byte(id)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// normalize folds a name for Find, keeping ASCII letters (lower-cased),
// digits and non-ASCII bytes: "Phishing-resistant MFA" is "phishingresistantmfa".
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

// known lists the names (and aliases) of up to 20 strengths of list, for an
// error message.
func known(list []Strength) string {
	var names []string
	for _, s := range list[:min(len(list), 20)] {
		name := echo.Clip(cmp.Or(s.Name, s.ID), maxEcho)
		if len(s.Aliases) > 0 {
			name += " (" + strings.Join(s.Aliases, ", ") + ")"
		}
		names = append(names, name)
	}
	if len(list) > 20 {
		return strings.Join(names, ", ") + fmt.Sprintf(" and %d more", len(list)-20)
	}
	return cmp.Or(strings.Join(names, ", "), "none")
}

// didYouMean suggests the name or alias of list closest to the normalized
// key k, or returns "" when nothing is close enough to be a typo.
func didYouMean(list []Strength, k string) string {
	var names, keys []string
	for _, s := range list {
		for _, name := range append([]string{s.Name}, s.Aliases...) {
			names, keys = append(names, name), append(keys, normalize(name))
		}
	}
	if c := suggest.Closest(k, keys); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", names[slices.Index(keys, c)])
	}
	return ""
}

// maxEcho bounds how much of an untrusted string an error repeats.
const maxEcho = 64
