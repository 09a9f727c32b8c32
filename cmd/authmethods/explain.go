package main

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/authmethods/authmethods/urlcodec/explain"

	"github.com/spf13/pflag"
)

var explainCmd = &command{
	name:    "explain",
	summary: "explain a link in plain words, for a helpdesk",
	usage:   "[flags] [INPUT...]",
	common:  withTrust | withCatalog | withMasks,
	help: `Explain each register link (or mask) in plain words, for a helpdesk talking
to a user. First whether the link really goes to Microsoft; for a genuine
link, what the wizard asks the user to register and who sets each method up,
one sentence to tell the user, and one line on anything unusual. For a link
that does not go to Microsoft: the warning, the host the browser opens and
what to tell the user, nothing more.

-v adds what is documented and what only observed, with sources, how the
link relates to Conditional Access authentication strengths (the built-ins,
and those of --policy FILE, Graph JSON as 'authmethods help strengths' shows
how to get), and the known caveats of the wizard that apply to this link.

INPUTs are read like decode's: masks, links, text holding links, a text or
mail file named by its path (a saved mail's parts are decoded, and HTML is
read whole; see 'authmethods help decode'), screenshots (image files, read
with OCR; the verdict then says to compare the host with the image); stdin
when there is none or for "-".

With more than one link or mask, the answer starts with a summary that
names those that are not genuine, and each answer says which input it is.

With --json, one object per link or mask, all of it whatever -v says:
input, line (stdin or file), part (of a mail), kind, url, host, trusted,
unconfirmed (true for a link read from a screenshot whose host reads as the
genuine one), reasons ([{code, message}]), wrapped, authMethods,
authMethodCount, register (how many methods the wizard asks for:
authMethodCount, or 1 when absent), methods ([{bit, name, label, access,
advice, status}]), unknownBits, catalog ({provenance, source, note}),
headline, asks, tell, unusual, notes, warnings, caveats ([{id, text,
source}]) and strengths (null when not genuine or no method; {note, closest,
strengths, leftOut, selfService, notSelfService, lines}).

Exit status: 0 ok, 1 an INPUT was invalid or nothing was found, 2 usage,
3 a link's host is not the genuine mysignins.microsoft.com, or a link was
read from a screenshot (the answer then says to check it: CHECK THE
SCREENSHOT, "unconfirmed":true in --json).

Examples:
  authmethods explain 'https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1'
  authmethods explain 48
  authmethods explain -v 'Temporary Access Pass'
  authmethods explain mail.eml
  pbpaste | authmethods explain
  authmethods explain --json 'mysignins.microsoft.com/register?authMethods=8288'
  authmethods explain -v --policy policies.json 1976
`,
	setup: setupExplain,
}

// explainJSON is one explained item in --json output: the explanation and
// where it was found.
type explainJSON struct {
	Input string `json:"input"`
	Line  int64  `json:"line,omitempty"`
	Part  string `json:"part,omitempty"`
	imageJSON
	explain.Explanation
}

func setupExplain(fs *pflag.FlagSet) runFunc {
	verbose := fs.BoolP("verbose", "v", false, "also sources, authentication strengths and caveats")
	loadPolicy := explainPolicyFlag(fs) // --policy FILE (strengths.go)
	return func(c *invocation, args []string) int {
		if status := loadPolicy(c, args); status != exitOK {
			return status
		}
		c.verbose = *verbose
		var held []explained // the text form is written once all are in
		readInputs(c, args, func(it item) {
			c.judge(it.Link)
			o := explain.Options{Catalog: c.catalog, Strengths: c.strengths}
			var x explain.Explanation
			if it.Link != nil {
				x = explain.Link(*it.Link, o)
			} else {
				x = explain.Mask(it.Mask, o)
			}
			// Never trusted on the strength of OCR alone: the verdict says
			// to compare the host with the image (image.go), and nothing
			// tells the user to open a link only OCR read as genuine.
			x.Headline += imageVerdict(it)
			if c.json {
				c.writeJSON(explainJSON{it.Input, it.Line, it.Part, it.imageJSON(), x})
				return
			}
			if held = append(held, explained{label(c, it), x}); len(held) == maxHeld {
				writeExplained(c, held) // bounded memory: a batch at a time
				held = held[:0]
			}
		})
		writeExplained(c, held)
		return c.done()
	}
}

// maxHeld bounds how many explanations are held for one summary: a
// helpdesk's mail or chat has a handful; a log belongs to scan.
const maxHeld = 1000

// explained is one input's explanation, held for the text form.
type explained struct {
	label string // which input it is, for a person
	x     explain.Explanation
}

// writeExplained writes the text form of several explanations. One that is
// not genuine must not hide behind one that is, so with more than one, a
// summary comes first and each answer says which input it is; a mail with
// a genuine link in its text part and an evil one in its HTML part starts
// with the warning. The same answer for the same link, which a mail repeats
// (the href, its title, the text shown), is written once, naming every
// place.
func writeExplained(c *invocation, list []explained) {
	var answers []explained // distinct, in order; label names every place
	at := map[string]int{}
	for _, e := range list {
		x := e.x
		// The same verdict on the same link by the same way; how it was
		// read (from an href, a title) may differ.
		key := fmt.Sprint(x.Kind, x.URL, x.Host, *cmp.Or(x.Trusted, new(bool)), x.Unconfirmed, x.AuthMethods, x.AuthMethodCount != nil, x.Headline, x.Reasons, x.Path)
		if i, ok := at[key]; ok {
			answers[i].label = joinPlaces(answers[i].label, e.label)
			continue
		}
		at[key] = len(answers)
		answers = append(answers, e)
	}
	var bad []string
	if len(answers) > 1 {
		what := "links"
		for _, e := range answers {
			if e.x.Kind != "link" {
				what = "links or masks"
			}
			if e.x.Trusted != nil && !*e.x.Trusted && !e.x.Unconfirmed {
				bad = append(bad, e.label)
			}
		}
		are := "are"
		if len(bad) == 1 {
			are = "is"
		}
		switch {
		case len(bad) > 0:
			c.println(c.paintLines(c.st.bad, wrap(safeText(fmt.Sprintf("WARNING: %d of the %d %s here %s NOT genuine (%s). Do not trust the message they came in.", len(bad), len(answers), what, are, strings.Join(bad, "; "))), c.width, 0)))
		default:
			c.println(c.paintLines(c.st.head, wrap(fmt.Sprintf("%d %s here; none of them is a warning.", len(answers), what), c.width, 0)))
		}
	}
	for i, e := range answers {
		if i > 0 || len(answers) > 1 {
			c.println()
		}
		if len(answers) > 1 {
			c.println(c.paint(c.st.head, safeText(fmt.Sprintf("%d of %d: %s", i+1, len(answers), e.label))))
		}
		if len(bad) > 0 && e.x.Trusted != nil && *e.x.Trusted {
			// Genuine, but in a message that also holds phishing: the
			// user is not to act on that message at all.
			e.x.Tell = `Tell the user: "That message also holds a link that does not go to Microsoft: do not open any link in it, and we will send you a safe one."`
		}
		writeExplain(c, e.x)
	}
}

// joinPlaces adds place to the places of one answer: "stdin line 4" and
// "stdin line 5" make "stdin lines 4, 5".
func joinPlaces(places, place string) string {
	head, n, ok := strings.Cut(place, " line ")
	if !ok {
		return places + "; " + place
	}
	if places == place || strings.HasSuffix(places, ", "+n) || strings.HasSuffix(places, " lines "+n) {
		return places // the same line again
	}
	if strings.HasPrefix(places, head+" line ") {
		return head + " lines " + strings.TrimPrefix(places, head+" line ") + ", " + n
	}
	if strings.HasPrefix(places, head+" lines ") && !strings.Contains(places, "; ") {
		return places + ", " + n
	}
	return places + "; " + place
}

// label names an input for a person, while it is read: its file or stdin
// and line, or the text given.
func label(c *invocation, it item) string {
	if it.Line > 0 {
		return fmt.Sprintf("%s line %d", cmp.Or(c.source, "stdin"), it.Line)
	}
	return quote(it.Input)
}

// writeExplain writes the text form: the short answer, then with -v the
// rest. Every sentence is the explanation's; this only lays them out.
func writeExplain(c *invocation, x explain.Explanation) {
	say := func(hang int, s string) { c.prose(hang, safeText(s)) }
	if x.Trusted != nil && !*x.Trusted && !x.Unconfirmed {
		c.println(c.paintLines(c.st.bad, wrap(safeText(x.Headline), c.width, 0)))
		for _, r := range x.Reasons {
			c.println(c.paintLines(c.st.bad, wrap("  - "+safeText(r.Message), c.width, 4)))
		}
		c.println()
		c.println(c.paintLines(c.st.head, wrap(x.Tell, c.width, 0)))
		if c.verbose {
			c.println()
			c.println(c.paint(c.st.head, "About the link"))
			writeLinkPart(c, x)
		}
		return
	}
	if x.Unconfirmed {
		c.println(c.paintLines(c.st.warn, wrap(safeText(x.Headline), c.width, 0)))
	} else {
		say(0, x.Headline)
	}
	c.println()
	say(0, x.Asks)
	width := 0
	var rows []explain.Method
	advice := 0
	for _, m := range x.Methods {
		if m.Status != "sentinel" { // no method: "Unusual" names it
			rows = append(rows, m)
			width = max(width, len(m.Label))
			advice = max(advice, len(m.Advice))
		}
	}
	// Two aligned columns when they fit, else "label: who" wrapped.
	format, hang := fmt.Sprintf("  %%-%ds  %%s", width), 2+width+2
	if hang+advice > c.width {
		format, hang = "  %s: %s", 4
	}
	for _, m := range rows {
		style := c.st.warn
		if m.Access == "self" {
			style = c.st.ok
		}
		row := wrap(fmt.Sprintf(format, m.Label, m.Advice), c.width, hang)
		label, rest, _ := strings.Cut(row, m.Label)
		c.println(label + c.paint(c.st.name, m.Label) + c.paintLines(style, rest))
	}
	c.println()
	c.println(c.paintLines(c.st.head, wrap(x.Tell, c.width, 0)))
	if len(x.Unusual) > 0 {
		c.println()
		c.println(c.paintLines(c.st.warn, wrap(safeText("Unusual: "+strings.Join(x.Unusual, "; ")+"."), c.width, 0)))
	}
	if !c.verbose {
		c.println(c.paint(c.st.dim, "More (sources, strengths, caveats): authmethods explain -v"))
		return
	}

	head := func(s string) { c.println(); c.println(c.paint(c.st.head, s)) }
	bullet := func(s string) { say(4, "  - "+s) }
	var notes footnotes
	head("What is documented")
	for _, s := range x.Notes {
		bullet(s)
	}
	if x.URL != "" {
		head("About the link")
		writeLinkPart(c, x)
	}
	if s := x.Strengths; s != nil {
		head("Authentication strengths (worked out here, not documented)")
		for _, l := range s.Lines {
			bullet(l)
		}
	}
	if len(x.Caveats) > 0 {
		head("Keep in mind")
		for _, cv := range x.Caveats {
			bullet(cv.Text + " " + notes.ref(cv.Source))
		}
		head("Sources")
		notes.write(c)
	}
}

// wrappers names how a link was wrapped (urlcodec.Link.Wrapped) for people.
var wrappers = map[string]string{
	"safelinks": "Microsoft Safe Links",
	"html":      "HTML text (&amp;)",
	"percent":   "percent-encoding",
	"json":      "JSON text",
}

// writeLinkPart writes the link itself, where it was found and what was
// repaired in it. The URL is never broken over lines.
func writeLinkPart(c *invocation, x explain.Explanation) {
	c.println("  Link: " + safeText(x.URL))
	if len(x.Wrapped) > 0 {
		var ws []string
		for _, w := range x.Wrapped {
			if name, ok := wrappers[w]; ok {
				w = name
			} else if p, ok := strings.CutPrefix(w, "redirect:"); ok {
				w = "a redirect (parameter " + p + ")"
			}
			ws = append(ws, w)
		}
		c.prose(4, "  Found inside: "+safeText(strings.Join(ws, ", ")))
	}
	for _, w := range x.Warnings {
		c.prose(4, "  - "+safeText(w))
	}
}
