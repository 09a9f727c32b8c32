package main

import (
	"fmt"
	"iter"
	"math/bits"
	"strings"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec"
	"github.com/authmethods/authmethods/urlcodec/sheet"

	"github.com/spf13/pflag"
)

var probeCmd = &command{
	name:    "probe",
	summary: "write a link sheet to try many masks in the wizard (research)",
	usage:   "(--subsets MASK | --range A-B | --bits LIST) [flags]",
	common:  withCatalog,
	help: `Write a link sheet for researching what the security-info wizard does with
authMethods values nobody documented: one row per mask, in ascending order,
with its methods, what the catalog knows of it (documented, observed or
unknown) and the register link to try. Open each link while signed in as a
test user and note what the wizard offered.

Choose the masks with exactly one of:
  --subsets MASK  every mask whose bits are all in MASK, 0 and MASK included:
                  2^(bits in MASK) rows (--subsets 1976: 128 rows)
  --range A-B     every mask from A to B, both included (A <= B): B-A+1 rows
  --bits LIST     each method of LIST alone, one row per bit: to see what the
                  wizard shows for every single method (--bits 1976: 7 rows)
MASK, A, B and LIST are written as everywhere else: 1976, 0x7b8, sms,fido2,
names and aliases (see 'authmethods list').

More than 65536 rows is refused before anything is written, naming the
number of rows; --max N raises the limit.

--format text (aligned columns), markdown (a table with an empty column for
notes), html (one standalone page with clickable links and a column you can
type into) or csv (a header row, then one row per mask). With --json, one
object per row instead: authMethods, authMethodCount, methods, unknownBits,
catalog ({provenance, source, note}) and link.

Record what you saw in a catalog file (format in 'authmethods help list')
and pass it with --catalog FILE (or AUTHMETHODS_CATALOG): the sheet shows
those values as observed, with FILE:LINE and your note as their source (in
HTML, as the tooltip of the catalog cell).

The links ask for authMethodCount=1, as in every observed link, unless
--count says otherwise.

Examples:
  authmethods probe --subsets 1976 --format html > 1976.html
  authmethods probe --subsets sms,fido2,softwareOath --format csv
  authmethods probe --range 0-255 --format markdown
  authmethods probe --bits 0xffff --catalog seen.tsv
  authmethods probe --range 0-99999 --max 100000 --format csv > first.csv
`,
	setup: setupProbe,
}

// defaultMaxRows is how many rows probe writes without --max.
const defaultMaxRows = 1 << 16

type probeJSON struct {
	AuthMethods     uint32      `json:"authMethods"`
	AuthMethodCount int         `json:"authMethodCount"`
	Methods         []string    `json:"methods"`
	UnknownBits     []uint32    `json:"unknownBits"`
	Catalog         catalogJSON `json:"catalog"`
	Link            string      `json:"link"`
}

func setupProbe(fs *pflag.FlagSet) runFunc {
	subsets := fs.String("subsets", "", "every mask whose bits are a subset of `MASK`")
	rng := fs.String("range", "", "every mask from A to B inclusive, e.g. `A-B` = 0-255")
	bitList := fs.String("bits", "", "each method of `LIST` alone: one row per bit")
	count := fs.IntP("count", "n", bitmask.ObservedCount, "authMethodCount of the links: how many methods (`N`) the\nwizard asks for (every observed link has 1)")
	format := fs.String("format", "text", "`FORMAT` of the sheet: text, markdown, html or csv")
	maxRows := fs.Uint64("max", defaultMaxRows, "refuse to write more than `N` rows")
	return func(c *invocation, args []string) int {
		if len(args) > 0 {
			return c.usagef("probe takes no arguments, got %s (choose masks with --subsets, --range or --bits)", quote(args[0]))
		}
		f, err := sheet.ParseFormat(*format)
		if err != nil {
			return c.usagef("--format %s: want text, markdown, html or csv", quote(*format))
		}
		if c.json && fs.Changed("format") {
			return c.usagef("--json and --format cannot be used together")
		}
		if *count < 0 || *count > urlcodec.MaxCount {
			return c.usagef("--count %d: must be 0 to %d", *count, urlcodec.MaxCount)
		}
		if *maxRows == 0 {
			return c.usagef("--max 0: must be at least 1")
		}
		var chosen []string
		for _, name := range []string{"subsets", "range", "bits"} {
			if fs.Changed(name) {
				chosen = append(chosen, "--"+name)
			}
		}
		if len(chosen) != 1 {
			if len(chosen) == 0 {
				return c.usagef("choose the masks with one of --subsets, --range or --bits")
			}
			return c.usagef("choose the masks with only one of %s", strings.Join(chosen, ", "))
		}

		given := map[string]string{"--subsets": *subsets, "--range": *rng, "--bits": *bitList}[chosen[0]]
		var masks iter.Seq[bitmask.Mask]
		var rows uint64
		var title string
		switch chosen[0] {
		case "--subsets":
			m, err := bitmask.Parse(*subsets)
			if err != nil {
				return c.usagef("--subsets %s: %s", quote(*subsets), errText(err))
			}
			masks, rows = m.Subsets, uint64(1)<<m.Count()
			title = fmt.Sprintf("authMethods link sheet: subsets of %d (%s)", uint32(m), m)
		case "--range":
			a, b, err := parseRange(*rng)
			if err != nil {
				return c.usagef("--range %s: %s", quote(*rng), errText(err))
			}
			masks, rows = maskRange(a, b), uint64(b)-uint64(a)+1
			title = fmt.Sprintf("authMethods link sheet: %d to %d", uint32(a), uint32(b))
		case "--bits":
			m, err := bitmask.Parse(*bitList)
			if err != nil {
				return c.usagef("--bits %s: %s", quote(*bitList), errText(err))
			}
			if m == 0 {
				return c.usagef("--bits %s: no method in it", quote(*bitList))
			}
			masks, rows = singleBits(m), uint64(m.Count())
			title = fmt.Sprintf("authMethods link sheet: each method of %d (%s) alone", uint32(m), m)
		}
		if rows > *maxRows {
			return c.usagef("%s %s gives %d rows, more than the limit of %d; to write them all, add --max %d", chosen[0], quote(given), rows, *maxRows, rows)
		}
		if w := countWarning(*count); w != "" {
			c.warnf("%s", w)
		}

		if c.json {
			for m := range masks {
				c.writeJSON(probeJSON{uint32(m), *count, names(m), unknownBits(m), c.catalogOf(m), urlcodec.Build(m, *count)})
				if c.broken() {
					break
				}
			}
			return c.done()
		}
		err = sheet.Write(c.stdout, f, title, func(yield func(sheet.Row) bool) {
			for m := range masks {
				if !yield(probeRow(c, m, *count)) {
					return
				}
			}
		})
		if err != nil && !c.broken() {
			panic(err) // the formats are fixed and checked above: a bug
		}
		return c.done()
	}
}

// probeRow is the sheet row of m. The catalog note is part of the source,
// so that the HTML tooltip shows what was seen and where.
func probeRow(c *invocation, m bitmask.Mask, count int) sheet.Row {
	e := c.catalog.Lookup(m)
	src := e.Source
	if e.Note != "" {
		if src != "" {
			src += ": "
		}
		src += e.Note
	}
	return sheet.Row{Mask: m, Status: e.Provenance, Source: src, Link: urlcodec.Build(m, count)}
}

// parseRange reads "A-B" with A <= B, each a mask as bitmask.Parse reads it.
// Since a name holds no '-', the first '-' separates them.
func parseRange(s string) (a, b bitmask.Mask, err error) {
	lo, hi, ok := strings.Cut(s, "-")
	if !ok || strings.TrimSpace(lo) == "" || strings.TrimSpace(hi) == "" {
		return 0, 0, fmt.Errorf("want A-B, e.g. 0-255 or 0x10-0x1f")
	}
	if a, err = bitmask.Parse(lo); err != nil {
		return 0, 0, err
	}
	if b, err = bitmask.Parse(hi); err != nil {
		return 0, 0, err
	}
	if a > b {
		return 0, 0, fmt.Errorf("%d is more than %d: write the smaller first", uint32(a), uint32(b))
	}
	return a, b, nil
}

// maskRange yields every mask from a to b inclusive.
func maskRange(a, b bitmask.Mask) iter.Seq[bitmask.Mask] {
	return func(yield func(bitmask.Mask) bool) {
		for m := uint64(a); m <= uint64(b); m++ {
			if !yield(bitmask.Mask(m)) {
				return
			}
		}
	}
}

// singleBits yields each bit of m alone, lowest first.
func singleBits(m bitmask.Mask) iter.Seq[bitmask.Mask] {
	return func(yield func(bitmask.Mask) bool) {
		for r := uint32(m); r != 0; r &= r - 1 {
			if !yield(bitmask.Mask(1) << bits.TrailingZeros32(r)) {
				return
			}
		}
	}
}
