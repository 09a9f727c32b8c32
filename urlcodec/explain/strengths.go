package explain

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/strength"
)

// Strengths relates the mask to Conditional Access authentication
// strengths. It is worked out here from each strength's methods: which mask
// Entra puts in the link for a strength is not documented (see Note).
type Strengths struct {
	Note string `json:"note"`
	// Closest is the strength closest to the mask, nil when none allows
	// any of its methods.
	Closest   *Closest `json:"closest"`
	Strengths []Fit    `json:"strengths"`
	// LeftOut are the bits of the mask that are no method (Graph's
	// sentinel, unknown bits): they are related to no strength.
	LeftOut []string `json:"leftOut"`
	// SelfService and NotSelfService split the mask: the methods a user can
	// register alone in the wizard, and the others (Graph names).
	SelfService    []string `json:"selfService"`
	NotSelfService []string `json:"notSelfService"`
	// Lines say it in words, one sentence each.
	Lines []string `json:"lines"`
}

// Closest names the closest strength.
type Closest struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Exact bool   `json:"exact"` // the mask is every method of the strength
}

// Fit relates the mask to one strength.
type Fit struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	BuiltIn bool   `json:"builtIn"`
	Union   uint32 `json:"union"` // every method of every combination
	// Exact: the mask is Union. AllowsAll: every method of the mask is in
	// some combination (NotAllowed is empty).
	Exact      bool     `json:"exact"`
	AllowsAll  bool     `json:"allowsAll"`
	Allowed    []string `json:"allowed"`
	NotAllowed []string `json:"notAllowed"`
	Closest    bool     `json:"closest"`
	// Stricter: its methods are a strict subset of the closest one's.
	Stricter bool `json:"stricter"`
}

// relateNote is what every relation here is, in words for a person.
const relateNote = "worked out here from the methods each strength accepts; which link Entra sends for a strength is not documented"

func relate(m, real bitmask.Mask, list []strength.Strength) *Strengths {
	junk := m &^ real
	fits, closest := strength.Relate(real, list)
	self := real.SelfService()
	other := real &^ self
	x := &Strengths{
		Note:           relateNote,
		Strengths:      make([]Fit, 0, len(fits)),
		LeftOut:        names(junk),
		SelfService:    names(self),
		NotSelfService: names(other),
	}
	var cu bitmask.Mask
	if closest >= 0 {
		s := fits[closest].Strength
		x.Closest = &Closest{s.ID, s.Name, fits[closest].Exact && junk == 0}
		cu = s.Union()
	}
	for i, f := range fits {
		u := f.Strength.Union()
		x.Strengths = append(x.Strengths, Fit{
			ID: f.Strength.ID, Name: f.Strength.Name, BuiltIn: f.Strength.BuiltIn, Union: uint32(u),
			Exact: f.Exact && junk == 0, AllowsAll: f.NotAllowed == 0, Allowed: names(f.Allowed), NotAllowed: names(f.NotAllowed),
			Closest: i == closest, Stricter: closest >= 0 && i != closest && cu.Has(u) && u != cu,
		})
	}

	name := func(s strength.Strength) string { return strconv.Quote(s.Name) }
	var lines []string
	switch {
	case closest < 0:
		lines = append(lines, "No authentication strength accepts any of these methods.")
	case fits[closest].Exact:
		s := fits[closest].Strength
		lines = append(lines, fmt.Sprintf("These are exactly the methods of the strength %s (%s).", name(s), s.ID))
	case fits[closest].NotAllowed == 0:
		lines = append(lines, fmt.Sprintf("Closest strength: %s (%s) accepts every method here, and more.", name(fits[closest].Strength), fits[closest].Strength.ID))
	default:
		f := fits[closest]
		lines = append(lines, fmt.Sprintf("Closest strength: %s (%s) accepts %d of the %d methods here, the most of any; not: %s.", name(f.Strength), f.Strength.ID, f.Allowed.Count(), real.Count(), labels(f.NotAllowed)))
	}
	for i, f := range fits {
		if i == closest {
			continue
		}
		fj := x.Strengths[i]
		switch {
		case fj.AllowsAll:
			lines = append(lines, fmt.Sprintf("%s also accepts every method here.", name(f.Strength)))
		case fj.Stricter:
			what := "would not accept"
			if strings.EqualFold(f.Strength.ID, strength.PhishingResistantID) {
				what += " these, which are not phishing-resistant"
			}
			lines = append(lines, fmt.Sprintf("%s is stricter and %s: %s.", name(f.Strength), what, labels(f.NotAllowed)))
		default:
			lines = append(lines, fmt.Sprintf("%s does not accept: %s.", name(f.Strength), labels(f.NotAllowed)))
		}
	}
	if junk != 0 {
		lines = append(lines, fmt.Sprintf("No strength has %s: no method.", labels(junk)))
	}
	lines = append(lines, "All this is "+relateNote+".")
	x.Lines = lines
	return x
}

// names returns the Graph names of m in bit order with each unknown bit in
// hex, as Mask.String writes them; empty (not nil) for 0.
func names(m bitmask.Mask) []string {
	if m == 0 {
		return []string{}
	}
	return strings.Split(m.String(), ",")
}

// labels names the methods of m for a person, joined by ", "; unknown bits
// in hex.
func labels(m bitmask.Mask) string {
	out := labelList(m)
	for _, b := range m.UnknownBits() {
		out = append(out, fmt.Sprintf("0x%x", uint32(b)))
	}
	return strings.Join(out, ", ")
}
