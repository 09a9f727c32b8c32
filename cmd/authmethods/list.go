package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authmethods/authmethods/bitmask"

	"github.com/spf13/pflag"
)

var listCmd = &command{
	name:    "list",
	summary: "list the methods (bits) and the catalog of known values",
	usage:   "[flags]",
	common:  withCatalog,
	help: `List the bits of authMethods (Microsoft Graph authenticationMethodModes) with
how a user comes to hold each method, then the catalog of known mask values:
documented ones, and those only observed in real links.

How a user gets a method ("user gets it"):
` + accessLegend() + `
The text output lists each method's aliases; every command reads names,
aliases and labels, in any case.

A catalog FILE (--catalog, or AUTHMETHODS_CATALOG) adds values you have seen,
one per line, as "observed" with FILE:LINE as their source:

  # comments and blank lines are ignored
  MASK<TAB>what was seen
  1976	wizard offered SMS, Authenticator and passkey (tenant A, 2025-09)
  sms,fido2	only SMS shown

A bad line stops with an error naming FILE and line (status 2).

With --json, one object per line: first each method, with "kind": "method"
and the fields bit, name, label, description, access, status, aliases,
source; then each catalog value with "kind": "value" and the fields
authMethods, methods, provenance, source, note. Single documented bits are
listed once, as methods, unless a catalog file says more about them.

Examples:
  authmethods list
  authmethods list --json | jq -r 'select(.kind == "method") | .name'
  authmethods list --catalog seen.tsv
`,
	setup: func(fs *pflag.FlagSet) runFunc { return runList },
}

// accessLegend lists the ways a user gets a method, from bitmask's facts,
// for the help.
func accessLegend() string {
	var b strings.Builder
	for _, a := range bitmask.Accesses() {
		fmt.Fprintf(&b, "  %-10s %s\n", a, a.Who())
	}
	return b.String()
}

type listMethodJSON struct {
	Kind        string   `json:"kind"`
	Bit         uint32   `json:"bit"`
	Name        string   `json:"name"`
	Label       string   `json:"label"`
	Description string   `json:"description"`
	Access      string   `json:"access"`
	Status      string   `json:"status"`
	Aliases     []string `json:"aliases"`
	Source      string   `json:"source"`
}

type listValueJSON struct {
	Kind        string   `json:"kind"`
	AuthMethods uint32   `json:"authMethods"`
	Methods     []string `json:"methods"`
	Provenance  string   `json:"provenance"`
	Source      string   `json:"source"`
	Note        string   `json:"note"`
}

// catalogValues are the catalog entries list shows: all but the single
// documented bits that say nothing beyond the method table.
func catalogValues(cat *bitmask.Catalog) []bitmask.Entry {
	var out []bitmask.Entry
	for _, e := range cat.Entries() {
		if meth, ok := bitmask.ByBit(e.Mask); ok && e.Source == meth.Source {
			continue
		}
		out = append(out, e)
	}
	return out
}

func runList(c *invocation, args []string) int {
	if len(args) > 0 {
		return c.usagef("list takes no arguments, got %s", quote(args[0]))
	}
	methods := bitmask.Methods()
	values := catalogValues(c.catalog)
	if c.json {
		for _, m := range methods {
			aliases := append([]string{}, m.Aliases...)
			c.writeJSON(listMethodJSON{"method", uint32(m.Bit), m.Name, m.Label, m.Description, m.Access.String(), m.Status.String(), aliases, m.Source})
		}
		for _, e := range values {
			c.writeJSON(listValueJSON{"value", uint32(e.Mask), names(e.Mask), e.Provenance.String(), e.Source, e.Note})
		}
		return c.done()
	}

	var notes footnotes
	rows := make([][]string, 0, len(methods))
	for _, m := range methods {
		status := ""
		if m.Status != bitmask.Stable {
			status = m.Status.String()
		}
		rows = append(rows, []string{strconv.FormatUint(uint64(m.Bit), 10), m.Name, m.Label, strings.Join(m.Aliases, " "), m.Access.String(), status, notes.ref(m.Source)})
	}
	c.println(c.paint(c.st.head, "Methods: the bits of authMethods"))
	c.printf("%s", c.table([]string{"bit", "name", "label", "aliases", "user gets it", "status", "source"}, rows))
	var legend []string
	for _, a := range bitmask.Accesses() {
		legend = append(legend, a.String()+" = "+a.Who())
	}
	c.prose(0, "User gets it: "+strings.Join(legend, "; ")+".")
	c.prose(0, "Names, aliases and labels are read in any case: 'authmethods build \"Temporary Access Pass\"'.")
	c.println()

	rows = rows[:0]
	for _, e := range values {
		rows = append(rows, []string{strconv.FormatUint(uint64(e.Mask), 10), strings.ReplaceAll(e.Mask.String(), ",", ", "), e.Provenance.String(), notes.ref(e.Source), e.Note})
	}
	c.println(c.paint(c.st.head, "Known values (catalog)"))
	c.printf("%s", c.table([]string{"value", "methods", "provenance", "source", "note"}, rows))
	c.println()
	c.println(c.paint(c.st.head, "Sources"))
	notes.write(c)
	return c.done()
}

// footnotes numbers long source texts so that tables stay narrow.
type footnotes struct{ texts []string }

func (f *footnotes) ref(text string) string {
	for i, t := range f.texts {
		if t == text {
			return fmt.Sprintf("[%d]", i+1)
		}
	}
	f.texts = append(f.texts, text)
	return fmt.Sprintf("[%d]", len(f.texts))
}

// write writes the numbered sources, each wrapped to the width.
func (f *footnotes) write(c *invocation) {
	for i, t := range f.texts {
		c.prose(4, fmt.Sprintf("[%d] %s", i+1, safeText(t)))
	}
}
