package main

// Conditional Access authentication strengths, related to the link's mask:
// the strengths command, build --strength/--policy and explain's strengths
// section. The facts are package strength's; what this file adds is how
// they are said. Every union mask shown is labelled as derived: which mask
// Entra puts in the link for a strength is not documented.

import (
	"errors"
	"fmt"
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
is newer). A FILE that cannot be read or is not Graph's JSON is a usage
error naming the file, line and column (status 2, as for a bad catalog
file); nothing is listed.

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

Exit status: 0 ok, 1 a NAME matches no strength, 2 usage or a bad FILE.

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

// findStrength is strength.Find, reporting a miss (status 1) as given by
// flag, or as the argument itself when flag is "".
func findStrength(c *invocation, list []strength.Strength, flag, key string) (strength.Strength, bool) {
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
	self := u.SelfService()
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
	return func(c *invocation, args []string) int {
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
func writeStrengths(c *invocation, list []strength.Strength) {
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
	c.prose(0, "A user meets a strength with any one combination; \"password,sms\" is both together.")
	c.println(c.paintLines(c.st.dim, wrap("Union: "+strength.UnionNote+".", c.width, 0)))
	c.println()

	c.println(c.paint(c.st.head, "What a user can register alone in the wizard"))
	for _, s := range list {
		self := s.Union().SelfService()
		line := "nothing: an admin, the device or the home identity provider has to provide every method"
		if self != 0 {
			line = labels(self)
			if self != s.Union() {
				line = "only " + line
			}
		}
		c.prose(4, "  - "+c.paint(c.st.name, safeText(s.Name))+": "+line)
	}
	c.println()
	c.println(c.paint(c.st.head, "Sources"))
	notes.write(c)
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
func buildStrengthFlags(fs *pflag.FlagSet) func(c *invocation) (bitmask.Mask, bool, any, error) {
	key := fs.String("strength", "", "the union mask of authentication strength `NAME|ID`\n(derived, see 'authmethods help strengths')")
	policy := fs.String("policy", "", policyUsage)
	return func(c *invocation) (bitmask.Mask, bool, any, error) {
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
			self := u.SelfService()
			fmt.Fprintf(c.stderr, "%snote: %d is the union mask of %s (%s), %s\n", c.prefix(), u, strconv.Quote(s.Name), safeText(s.ID), strength.UnionNote)
			switch {
			case self == 0:
				fmt.Fprintf(c.stderr, "%snote: a user can register none of these methods alone in the wizard\n", c.prefix())
			case self != u:
				fmt.Fprintf(c.stderr, "%snote: of these, a user can register alone in the wizard only: %s\n", c.prefix(), labels(self))
			}
		}
		return u, true, derivedJSON{s.Name, s.ID, s.BuiltIn, s.Source, uint32(u), strength.UnionNote}, nil
	}
}

// onlyStrength picks the strength of a --policy file given without
// --strength: its one custom strength, or its one strength. Otherwise it is
// a usage error listing what the file holds.
func onlyStrength(c *invocation, file string, imported []strength.Strength) (strength.Strength, bool) {
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
func explainPolicyFlag(fs *pflag.FlagSet) func(c *invocation, args []string) int {
	policy := fs.String("policy", "", "also relate each mask to the authentication strengths in\nMicrosoft Graph JSON `FILE` (\"-\" for stdin)")
	return func(c *invocation, args []string) int {
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
