package main

import (
	"fmt"

	"github.com/authmethods/authmethods/bitmask"

	"github.com/spf13/pflag"
)

var diffCmd = &command{
	name:    "diff",
	summary: "compare the methods of two masks or links",
	usage:   "[flags] A B",
	common:  withTrust | withCatalog | withMasks,
	help: `Compare two masks or register links: which methods B adds to A, which it
removes, and which both have. A and B are each a mask or a text holding
exactly one register link.

The text output is one line per method, in bit order:
  + NAME  LABEL   in B only (added)
  - NAME  LABEL   in A only (removed)
    NAME  LABEL   in both
Unknown bits are written in hex (0x40000).

With --json, one object: a, b (the two authMethods values), added, removed,
common (Graph names in bit order, unknown bits in hex).

Exit status: 0 ok, 1 A or B is invalid, 2 usage, 3 a link's host is not
genuine (the diff is still written).

Examples:
  authmethods diff 1720 1976
  authmethods diff "$old_link" "$new_link"
  authmethods diff --json 8288 8544
`,
	setup: func(fs *pflag.FlagSet) runFunc { return runDiff },
}

type diffJSON struct {
	A       uint32   `json:"a"`
	B       uint32   `json:"b"`
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
	Common  []string `json:"common"`
}

func runDiff(c *invocation, args []string) int {
	if len(args) != 2 {
		return c.usagef("diff takes two arguments, A and B; got %d", len(args))
	}
	var masks [2]bitmask.Mask
	ok := true
	for i, a := range args {
		items := classify(c.parser(), a)
		switch {
		case items[0].Err != nil:
			c.invalid(items[0].where(), items[0].Err)
			ok = false
		case len(items) > 1:
			c.invalid(quote(a), fmt.Errorf("holds %d register links; diff compares one with one", len(items)))
			ok = false
		default:
			masks[i] = items[0].Mask
			if l := items[0].Link; l != nil {
				cutHint(c, a, l)
			}
			if l := items[0].Link; !c.judge(l) {
				for _, r := range l.Verdict.Reasons {
					c.warnf("%s: host %s is not genuine: %s [%s]", quote(a), safeText(l.Host), safeText(r.Message), r.Code)
				}
			}
		}
	}
	if !ok {
		return c.done()
	}
	a, b := masks[0], masks[1]
	added, removed, common := bitmask.Diff(a, b)
	if c.json {
		c.writeJSON(diffJSON{uint32(a), uint32(b), names(added), names(removed), names(common)})
		return c.done()
	}
	c.printf("A: %d (%s): %s\n", a, provenanceWords(c.catalog.Lookup(a)), a)
	c.printf("B: %d (%s): %s\n", b, provenanceWords(c.catalog.Lookup(b)), b)
	if a == b {
		c.println("A and B ask for the same methods.")
	}
	width := 0
	for _, n := range names(a | b) {
		width = max(width, len(n))
	}
	for bit := bitmask.Mask(1); bit != 0; bit <<= 1 {
		var mark string
		switch {
		case added.Has(bit):
			mark = c.paint(c.st.ok, "+ ")
		case removed.Has(bit):
			mark = c.paint(c.st.bad, "- ")
		case common.Has(bit):
			mark = "  "
		default:
			continue
		}
		if meth, ok := bitmask.ByBit(bit); ok {
			c.printf("%s%-*s  %s\n", mark, width, meth.Name, c.paint(c.st.dim, meth.Label))
		} else {
			c.printf("%s%s\n", mark, bit)
		}
	}
	return c.done()
}
