package main

// Conditional Access authentication strengths, related to the link's mask:
// the strengths command, build --strength/--policy and explain's strengths
// section. The facts are package strength's; what this file adds is how
// they are said. Every union mask shown is labelled as derived: which mask
// Entra puts in the link for a strength is not documented.

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/strength"

	"github.com/spf13/pflag"
)

var strengthsCmd = &command{
	name:    "strengths",
	summary: "list authentication strengths and the mask each one derives",
	usage:   "[flags] [NAME|ID...]",
	help: `List Conditional Access authentication strengths: the combinations of methods
each one accepts, and its union mask, the OR of every method of every
combination. Entra's three built-in strengths are always listed (Multifactor
authentication, Passwordless MFA, Phishing-resistant MFA); --policy FILE adds
your tenant's custom strengths. With NAMEs or IDs, only those are listed.

The union mask is derived here, not observed: which mask Entra puts in the
register link for a strength is not documented. It says which methods the
strength accepts at all. 'authmethods build --strength NAME' writes a link
with it; 'authmethods explain LINK' relates a link to every strength.

FILE is the JSON Microsoft Graph returns for authenticationStrengthPolicy:
the list, one policy, or a bare array ("-" reads stdin). This tool never goes
to the network; fetch the file yourself, for example with the Azure CLI:
  az rest --url https://graph.microsoft.com/v1.0/policies/authenticationStrengthPolicies > policies.json
A strength in FILE replaces the built-in table's with the same id (the file
is newer). A FILE that cannot be read or is not Graph's JSON is an error
naming the file, line and column (status 1); nothing is listed.

A NAME matches in any case, ignoring spaces and punctuation; the built-ins
also answer to mfa, passwordless and phishing-resistant (phr).

The text output is a table with a row per combination, written as Graph
writes it: "password,sms" is password and SMS together; "fido2" alone.

With --json, one object per strength: id, name, description, builtIn,
aliases, source (where the data comes from: FILE, or this tool's table and
the documents it was taken from), combinations (one array of Graph method
names per combination, e.g. [["fido2"],["password","sms"]]), union (the
union mask, a number), unionMethods (its Graph names), unionNote (what the
union is and is not) and selfService (the methods of the union a user can
register alone in the wizard).

Exit status: 0 ok, 1 a NAME matches no strength or FILE is bad, 2 usage.

Examples:
  authmethods strengths
  authmethods strengths phishing-resistant
  az rest --url https://graph.microsoft.com/v1.0/policies/authenticationStrengthPolicies > policies.json
  authmethods strengths --policy policies.json
  authmethods strengths --json --policy policies.json | jq -r 'select(.builtIn | not) | "\(.union)\t\(.name)"'
`,
	setup: setupStrengths,
}

// policyUsage is the help of --policy, the same for every command.
const policyUsage = "read authentication strengths from Microsoft Graph JSON in `FILE`\n(\"-\" for stdin); see 'authmethods help strengths'"

// builtInSource is the Source of the built-in table's strengths, to tell
// them from strengths read from a file.
var builtInSource = strength.BuiltIn()[0].Source

// readPolicy reads the strengths of a Graph authenticationStrengthPolicy file,
// stdin for "-". The error names the file and, for bad JSON, the line and
// column, in text safe for a terminal.
func readPolicy(c *ctx, file string) ([]strength.Strength, error) {
	r, name := c.stdin, "stdin"
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, fmt.Errorf("%s: %v", safeText(file), err)
		}
		defer f.Close()
		r, name = f, safeText(file)
	}
	if r == nil {
		r = strings.NewReader("")
	}
	list, err := strength.Decode(r, name)
	if err != nil {
		return nil, errors.New(safeText(err.Error()))
	}
	return list, nil
}

// strengthList returns the built-in strengths with those of file over them
// (none when file is ""), and the strengths of the file alone. ok is false
// when the file was bad; that is reported (status 1).
func strengthList(c *ctx, file string) (list, imported []strength.Strength, ok bool) {
	list = strength.BuiltIn()
	if file == "" {
		return list, nil, true
	}
	imported, err := readPolicy(c, file)
	if err != nil {
		c.invalid("--policy", err)
		return nil, nil, false
	}
	if len(imported) == 0 {
		c.warnf("--policy %s: no authentication strength in it", quote(file))
	}
	return strength.Merge(list, imported), imported, true
}

// findStrength is strength.Find, reporting a miss (status 1) as given by
// flag, or as the argument itself when flag is "".
func findStrength(c *ctx, list []strength.Strength, flag, key string) (strength.Strength, bool) {
	s, err := strength.Find(list, key)
	if err != nil {
		// Find's error quotes the key and lists what exists.
		if flag == "" {
			fmt.Fprintf(c.stderr, "%s%s\n", c.prefix(), safeText(err.Error()))
			c.fail(exitInvalid)
		} else {
			c.invalid(flag, errors.New(safeText(err.Error())))
		}
		return strength.Strength{}, false
	}
	return s, true
}

// strengthJSON is one strength in strengths --json.
type strengthJSON struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	Description  string     `json:"description"`
	BuiltIn      bool       `json:"builtIn"`
	Aliases      []string   `json:"aliases"`
	Source       string     `json:"source"`
	Combinations [][]string `json:"combinations"`
	Union        uint32     `json:"union"`
	UnionMethods []string   `json:"unionMethods"`
	UnionNote    string     `json:"unionNote"`
	SelfService  []string   `json:"selfService"`
}

func strengthRecord(s strength.Strength) strengthJSON {
	u := s.Union()
	self, _ := strength.SelfService(u)
	r := strengthJSON{
		ID: s.ID, Name: s.Name, Description: s.Description, BuiltIn: s.BuiltIn,
		Aliases: append([]string{}, s.Aliases...), Source: s.Source,
		Combinations: [][]string{}, Union: uint32(u), UnionMethods: names(u),
		UnionNote: strength.UnionNote, SelfService: names(self),
	}
	for _, comb := range s.Combinations {
		r.Combinations = append(r.Combinations, names(comb))
	}
	return r
}

func setupStrengths(fs *pflag.FlagSet) runFunc {
	policy := fs.String("policy", "", policyUsage)
	return func(c *ctx, args []string) int {
		if fs.Changed("policy") && *policy == "" {
			return c.usagef("--policy needs a file name (\"-\" for stdin)")
		}
		list, _, ok := strengthList(c, *policy)
		if !ok {
			return c.done()
		}
		if len(args) > 0 {
			var picked []strength.Strength
			seen := map[string]bool{}
			for _, a := range args {
				s, ok := findStrength(c, list, "", a)
				if ok && !seen[s.ID+"\x00"+s.Name] {
					seen[s.ID+"\x00"+s.Name] = true
					picked = append(picked, s)
				}
			}
			list = picked
		}
		if c.json {
			for _, s := range list {
				c.writeJSON(strengthRecord(s))
			}
			return c.done()
		}
		if len(list) > 0 {
			writeStrengths(c, list)
		}
		return c.done()
	}
}

// writeStrengths writes the text form: a row per combination, the name, id,
// type and union mask on a strength's first row only.
func writeStrengths(c *ctx, list []strength.Strength) {
	var notes footnotes
	var rows [][]string
	for _, s := range list {
		kind := "custom"
		if s.BuiltIn {
			kind = "built-in"
		}
		src := safeText(s.Source)
		if s.Source == builtInSource {
			src = "this tool's table of Entra's built-in strengths, from " + src
		}
		first := []string{safeText(s.Name), safeText(s.ID), kind, strconv.FormatUint(uint64(s.Union()), 10)}
		for i, comb := range s.Combinations {
			row := []string{"", "", "", ""}
			if i == 0 {
				row = first
			}
			ref := ""
			if i == 0 {
				ref = notes.ref(src)
			}
			rows = append(rows, append(row, comb.String(), ref))
		}
	}
	c.printf("%s", c.table([]string{"strength", "id", "type", "union", "combinations", "source"}, rows))
	c.println("A user meets a strength with any one combination; \"password,sms\" is both together.")
	c.println(c.paint(c.st.dim, "Union: "+strength.UnionNote+"."))
	c.println()

	c.println(c.paint(c.st.head, "What a user can register alone in the wizard"))
	for _, s := range list {
		self, other := strength.SelfService(s.Union())
		line := "nothing: an admin, the device or the home identity provider has to provide every method"
		if self != 0 {
			line = labels(self)
			if other != 0 {
				line = "only " + line
			}
		}
		c.printf("  - %s: %s\n", c.paint(c.st.name, safeText(s.Name)), line)
	}
	c.println()
	c.println(c.paint(c.st.head, "Sources"))
	c.printf("%s", notes.String())
}

// labels names the methods of m for a person, in bit order, joined by ", ";
// unknown bits in hex.
func labels(m bitmask.Mask) string {
	var out []string
	for _, meth := range m.Methods() {
		out = append(out, meth.Label)
	}
	for _, b := range m.UnknownBits() {
		out = append(out, fmt.Sprintf("0x%x", uint32(b)))
	}
	return strings.Join(out, ", ")
}

// derivedJSON is build --json's derivedFrom: the strength whose union mask
// is in the link.
type derivedJSON struct {
	Strength string `json:"strength"`
	ID       string `json:"id"`
	BuiltIn  bool   `json:"builtIn"`
	Source   string `json:"source"`
	Union    uint32 `json:"union"`
	Note     string `json:"note"`
}

// buildStrengthFlags adds --strength and --policy to build.
func buildStrengthFlags(fs *pflag.FlagSet) func(c *ctx) (bitmask.Mask, bool, any, error) {
	key := fs.String("strength", "", "the union mask of authentication strength `NAME|ID`\n(derived, see 'authmethods help strengths')")
	policy := fs.String("policy", "", policyUsage)
	return func(c *ctx) (bitmask.Mask, bool, any, error) {
		byKey, byPolicy := fs.Changed("strength"), fs.Changed("policy")
		if !byKey && !byPolicy {
			return 0, false, nil, nil
		}
		if byPolicy && *policy == "" {
			c.usagef("--policy needs a file name (\"-\" for stdin)")
			return 0, true, nil, nil
		}
		list, imported, ok := strengthList(c, *policy)
		if !ok {
			return 0, true, nil, nil
		}
		var s strength.Strength
		if byKey {
			if s, ok = findStrength(c, list, "--strength", *key); !ok {
				return 0, true, nil, nil
			}
		} else if s, ok = onlyStrength(c, *policy, imported); !ok {
			return 0, true, nil, nil
		}
		u := s.Union()
		if !c.json && c.status == exitOK {
			self, other := strength.SelfService(u)
			fmt.Fprintf(c.stderr, "%snote: %d is the union mask of %s (%s), %s\n", c.prefix(), u, strconv.Quote(s.Name), safeText(s.ID), strength.UnionNote)
			switch {
			case self == 0:
				fmt.Fprintf(c.stderr, "%snote: a user can register none of these methods alone in the wizard\n", c.prefix())
			case other != 0:
				fmt.Fprintf(c.stderr, "%snote: of these, a user can register alone in the wizard only: %s\n", c.prefix(), labels(self))
			}
		}
		return u, true, derivedJSON{s.Name, s.ID, s.BuiltIn, s.Source, uint32(u), strength.UnionNote}, nil
	}
}

// onlyStrength picks the strength of a --policy file given without
// --strength: its one custom strength, or its one strength. Otherwise it is
// a usage error listing what the file holds.
func onlyStrength(c *ctx, file string, imported []strength.Strength) (strength.Strength, bool) {
	var custom []strength.Strength
	for _, s := range imported {
		if !s.BuiltIn {
			custom = append(custom, s)
		}
	}
	switch {
	case len(custom) == 1:
		return custom[0], true
	case len(custom) == 0 && len(imported) == 1:
		return imported[0], true
	case len(imported) == 0:
		c.usagef("--policy %s holds no authentication strength: name a built-in one with --strength", quote(file))
		return strength.Strength{}, false
	}
	what, cands := "custom strengths", custom
	if len(custom) == 0 {
		what, cands = "strengths, none custom", imported
	}
	var b strings.Builder
	for i, s := range cands {
		if i == 20 {
			fmt.Fprintf(&b, " and %d more", len(cands)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(s.Name))
	}
	c.usagef("--policy %s holds %d %s; choose one with --strength NAME|ID: %s", quote(file), len(cands), what, b.String())
	return strength.Strength{}, false
}

// explainPolicyFlag adds --policy to explain.
func explainPolicyFlag(fs *pflag.FlagSet) func(c *ctx, args []string) int {
	policy := fs.String("policy", "", "also relate each mask to the authentication strengths in\nMicrosoft Graph JSON `FILE` (\"-\" for stdin)")
	return func(c *ctx, args []string) int {
		if !fs.Changed("policy") {
			return exitOK
		}
		if *policy == "" {
			return c.usagef("--policy needs a file name (\"-\" for stdin)")
		}
		if *policy == "-" && (len(args) == 0 || containsString(args, "-")) {
			return c.usagef("--policy - and the inputs cannot both be read from stdin: give the inputs as arguments, or the policy as a file")
		}
		list, _, ok := strengthList(c, *policy)
		if !ok {
			return c.done()
		}
		c.strengths = list
		return exitOK
	}
}

func containsString(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// relateJSON is explain --json's sections.strengths.
type relateJSON struct {
	Note string `json:"note"`
	// Closest is the strength of Strengths closest to the mask, null when
	// none allows any of its methods.
	Closest   *closestJSON `json:"closest"`
	Strengths []fitJSON    `json:"strengths"`
	// LeftOut are the bits of the mask that are no method (Graph's
	// sentinel, unknown bits): they are not related to any strength.
	LeftOut []string `json:"leftOut"`
	// SelfService and NotSelfService split the mask: the methods a user can
	// register alone in the wizard, and the others (Graph names).
	SelfService    []string `json:"selfService"`
	NotSelfService []string `json:"notSelfService"`
}

type closestJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Exact bool   `json:"exact"` // the mask is the strength's union mask
}

// fitJSON relates the mask to one strength.
type fitJSON struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	BuiltIn bool   `json:"builtIn"`
	Union   uint32 `json:"union"`
	// Exact: the mask equals the union mask. AllowsAll: every method of the
	// mask is in some combination (NotAllowed is empty).
	Exact      bool     `json:"exact"`
	AllowsAll  bool     `json:"allowsAll"`
	Allowed    []string `json:"allowed"`
	NotAllowed []string `json:"notAllowed"`
	Closest    bool     `json:"closest"`
	// Stricter: its union mask is a strict subset of the closest one's.
	Stricter bool `json:"stricter"`
}

// phishingResistantID is the id of the built-in Phishing-resistant MFA.
const phishingResistantID = "00000000-0000-0000-0000-000000000004"

// explainStrengths is explain's "strengths" section: how the mask relates to
// each strength. A link whose host is not genuine gets none: its mask is
// whatever the sender chose.
func explainStrengths(c *ctx, it item) *explainSection {
	if it.Link != nil && !it.Link.Verdict.Trusted {
		return nil
	}
	list := c.strengths
	if list == nil {
		list = strength.BuiltIn()
	}
	// Bits that are no method (Graph's sentinel, unknown bits) are left out:
	// no strength has them, and "Not documented" already names them.
	m := it.Mask
	var real bitmask.Mask
	for _, meth := range m.Methods() {
		if meth.Status != bitmask.Sentinel {
			real |= meth.Bit
		}
	}
	junk := m &^ real
	fits, closest := strength.Relate(real, list)
	self, other := strength.SelfService(real)
	x := relateJSON{
		Note:           strength.UnionNote,
		Strengths:      make([]fitJSON, 0, len(fits)),
		LeftOut:        names(junk),
		SelfService:    names(self),
		NotSelfService: names(other),
	}
	var cu bitmask.Mask
	if closest >= 0 {
		s := fits[closest].Strength
		x.Closest = &closestJSON{s.ID, s.Name, fits[closest].Exact && junk == 0}
		cu = s.Union()
	}
	for i, f := range fits {
		u := f.Strength.Union()
		x.Strengths = append(x.Strengths, fitJSON{
			ID: f.Strength.ID, Name: f.Strength.Name, BuiltIn: f.Strength.BuiltIn, Union: uint32(u),
			Exact: f.Exact && junk == 0, AllowsAll: f.NotAllowed == 0, Allowed: names(f.Allowed), NotAllowed: names(f.NotAllowed),
			Closest: i == closest, Stricter: closest >= 0 && i != closest && cu.Has(u) && u != cu,
		})
	}

	var lines []string
	name := func(s strength.Strength) string { return strconv.Quote(s.Name) }
	switch {
	case real == 0:
		lines = append(lines, fmt.Sprintf("%d names no method: it relates to no strength.", m))
	case closest < 0:
		lines = append(lines, "No authentication strength allows any method in this mask.")
	case fits[closest].Exact && junk == 0:
		s := fits[closest].Strength
		lines = append(lines, fmt.Sprintf("%d is exactly the union mask of %s (%s): every method of its combinations, and no other.", m, name(s), safeText(s.ID)))
	case fits[closest].Exact:
		s := fits[closest].Strength
		lines = append(lines, fmt.Sprintf("Its methods are exactly the union mask of %s (%s), %d.", name(s), safeText(s.ID), cu))
	case fits[closest].NotAllowed == 0:
		s := fits[closest].Strength
		lines = append(lines, fmt.Sprintf("Closest: %s (%s) allows every method in this mask; its union mask is %d, not %d.", name(s), safeText(s.ID), cu, m))
	default:
		f := fits[closest]
		lines = append(lines, fmt.Sprintf("Closest: %s (%s) allows %d of the %d methods in this mask, the most of any strength; it does not allow: %s.", name(f.Strength), safeText(f.Strength.ID), f.Allowed.Count(), real.Count(), labels(f.NotAllowed)))
	}
	for i, f := range fits {
		if i == closest || real == 0 {
			continue
		}
		fj := x.Strengths[i]
		switch {
		case fj.AllowsAll:
			lines = append(lines, fmt.Sprintf("%s also allows every method in this mask (union mask %d).", name(f.Strength), fj.Union))
		case fj.Stricter:
			what := "would not allow"
			if strings.EqualFold(f.Strength.ID, phishingResistantID) {
				what += " these, which are not phishing-resistant"
			}
			lines = append(lines, fmt.Sprintf("%s, stricter, %s: %s.", name(f.Strength), what, labels(f.NotAllowed)))
		default:
			lines = append(lines, fmt.Sprintf("%s does not allow: %s.", name(f.Strength), labels(f.NotAllowed)))
		}
	}
	if junk != 0 && real != 0 {
		lines = append(lines, fmt.Sprintf("Left out: %s, which no strength has (see \"Not documented\").", labels(junk)))
	}
	if self != 0 && other != 0 {
		lines = append(lines, fmt.Sprintf("Of these methods the user can register alone only: %s. The others come from an admin, the device or the home identity provider, not from the wizard (Microsoft Entra docs): %s.", labels(self), labels(other)))
	}
	lines = append(lines, "Relating a mask to a strength is a derivation: a union mask is the OR of a strength's combinations, and which mask Entra puts in the link for a strength is not documented.")
	for i := range lines {
		lines[i] = safeText(lines[i])
	}
	return &explainSection{Key: "strengths", Title: "Authentication strengths (derived, not documented)", Lines: lines, JSON: x}
}
