package main

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/strength"
	"github.com/authmethods/authmethods/urlcodec"
)

var explainCmd = &command{
	name:    "explain",
	summary: "explain a link in plain words, for a helpdesk",
	usage:   "[flags] [INPUT...]",
	common:  withTrust | withCatalog,
	help: `Explain each register link (or mask) in plain words, for a helpdesk reading
what a user sees: first whether the link really goes to Microsoft, then what
the wizard asks the user to register and who can set each method up (the user
alone, an admin, the device, the home identity provider), then what is not
documented about it, and the known caveats of this wizard.

INPUTs are read like decode's: masks, links, text holding links, screenshots
(image files, read with OCR); stdin when there is none or for "-".

With --json, one object per link or mask with the fields input, kind, url,
host, trusted, reasons, wrapped, authMethods, authMethodCount, register (how
many methods the wizard asks for: authMethodCount, or 1 when absent), methods
([{bit, name, label, access, advice, status}]), unknownBits, catalog,
inferred, undocumented, caveats and warnings (lists of sentences), and
sections.strengths.

For a genuine link or a mask, explain also relates the mask to Conditional
Access authentication strengths (the built-ins, and those of --policy FILE,
Graph JSON as 'authmethods help strengths' shows how to get): the closest
strength, whether each strength allows every method in the mask, and which
methods a stricter strength would not allow. This is a derivation: which mask
Entra puts in the link for a strength is not documented. Its --json form,
sections.strengths, has note, closest ({id, name, exact} or null),
strengths ([{id, name, builtIn, union, exact, allowsAll, allowed,
notAllowed, closest, stricter}]), leftOut (bits that are no method, related
to nothing), selfService and notSelfService (the mask's methods a user can or
cannot register alone).

Exit status: 0 ok, 1 an INPUT was invalid or nothing was found, 2 usage,
3 a link's host is not the genuine mysignins.microsoft.com.

Examples:
  authmethods explain 'https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1'
  authmethods explain 48
  pbpaste | authmethods explain
  authmethods explain --json 'mysignins.microsoft.com/register?authMethods=8288'
  authmethods explain --policy policies.json 1976
`,
	setup: setupExplain,
}

func setupExplain(fs *pflag.FlagSet) runFunc {
	loadPolicy := explainPolicyFlag(fs) // --policy FILE (strengths.go)
	return func(c *ctx, args []string) int {
		if status := loadPolicy(c, args); status != exitOK {
			return status
		}
		return runExplain(c, args)
	}
}

// An explainSection is a part of explain's output built in another file
// (strengths.go: which authentication strengths the mask matches).
type explainSection struct {
	Key   string   // key under "sections" in --json output
	Title string   // heading in text output
	Lines []string // sentences in text output
	JSON  any      // structured --json form; Lines when nil
}

// Sources of explain's sentences.
const (
	srcSeed = "seed: Jan Bakker, security-info-registration, 2025-08-29"
)

// methodJSON is one method of the mask in explain --json.
type methodJSON struct {
	Bit    uint32 `json:"bit"`
	Name   string `json:"name"`
	Label  string `json:"label"`
	Access string `json:"access"` // self, admin, device, federated, none
	Advice string `json:"advice"`
	Status string `json:"status"` // stable, beta, sentinel
}

// explainJSON is one explained item in --json output.
type explainJSON struct {
	Input           string         `json:"input"`
	Line            int64          `json:"line,omitempty"`
	Kind            string         `json:"kind"`
	URL             string         `json:"url,omitempty"`
	Host            string         `json:"host,omitempty"`
	Trusted         *bool          `json:"trusted,omitempty"`
	Reasons         []reasonJSON   `json:"reasons,omitempty"`
	Wrapped         []string       `json:"wrapped,omitempty"`
	AuthMethods     uint32         `json:"authMethods"`
	AuthMethodCount *int           `json:"authMethodCount"`
	Register        int            `json:"register"`
	Methods         []methodJSON   `json:"methods"`
	UnknownBits     []uint32       `json:"unknownBits"`
	Catalog         catalogJSON    `json:"catalog"`
	Inferred        []string       `json:"inferred"`
	Undocumented    []string       `json:"undocumented"`
	Caveats         []string       `json:"caveats"`
	Warnings        []string       `json:"warnings"`
	Sections        map[string]any `json:"sections,omitempty"`
	imageJSON                      // source, image: a link read from a screenshot (image.go)
}

// advice says who sets a method up, for a helpdesk.
func advice(a bitmask.Access) string {
	switch a {
	case bitmask.Self:
		return "the user can set it up alone"
	case bitmask.Admin:
		return "needs an admin, who issues it"
	case bitmask.Device:
		return "set up on the Windows device, not in this wizard"
	case bitmask.Federated:
		return "comes from the user's home identity provider"
	}
	return "not something a user registers"
}

func runExplain(c *ctx, args []string) int {
	first := true
	eachInput(c, args, func(it item) {
		x, sections := explainItem(c, it)
		if x.Trusted != nil && !*x.Trusted {
			c.notGenuine()
		}
		if c.json {
			c.writeJSON(x)
			return
		}
		if !first {
			c.println()
		}
		first = false
		writeExplain(c, x, it, sections)
	})
	return c.done()
}

// phishingResistant are the methods of the built-in Phishing-resistant MFA
// strength, from the strength table rather than written again here.
var phishingResistant = func() bitmask.Mask {
	s, err := strength.Find(strength.BuiltIn(), phishingResistantID)
	if err != nil {
		panic(err) // the built-in table lost a strength: a bug caught by every test
	}
	return s.Union()
}()

func explainItem(c *ctx, it item) (explainJSON, []*explainSection) {
	m := it.Mask
	x := explainJSON{
		Input:           it.Input,
		Line:            it.Line,
		Kind:            it.kind(),
		AuthMethods:     uint32(m),
		AuthMethodCount: countOf(it),
		Register:        1,
		Methods:         []methodJSON{},
		UnknownBits:     unknownBits(m),
		Catalog:         c.catalogOf(m),
		Warnings:        []string{},
		imageJSON:       it.imageJSON(),
	}
	if l := it.Link; l != nil {
		trusted := l.Verdict.Trusted
		x.URL, x.Host, x.Trusted, x.Wrapped = l.URL, l.Host, &trusted, l.Wrapped
		if !trusted {
			x.Reasons = reasonsOf(l.Verdict)
		}
		x.Warnings = append(x.Warnings, l.Warnings...)
	}
	if x.AuthMethodCount != nil {
		x.Register = *x.AuthMethodCount
	}
	for _, meth := range m.Methods() {
		x.Methods = append(x.Methods, methodJSON{
			Bit: uint32(meth.Bit), Name: meth.Name, Label: meth.Label,
			Access: meth.Access.String(), Advice: advice(meth.Access), Status: meth.Status.String(),
		})
	}

	x.Inferred = []string{
		"Microsoft documents neither authMethods nor authMethodCount; what they do was observed (" + srcSeed + ").",
		"That the user may pick any one of the methods is an inference: authentication strengths accept any one of their combinations, and the wizard lets the user choose another method.",
	}
	switch {
	case x.AuthMethodCount == nil && it.Link != nil:
		x.Inferred = append(x.Inferred, "authMethodCount is absent from the link: 1 is assumed, as in every observed link.")
	case x.AuthMethodCount == nil:
		x.Inferred = append(x.Inferred, "A mask alone has no authMethodCount: 1 is assumed, as in every observed link.")
	case *x.AuthMethodCount != 1:
		x.Inferred = append(x.Inferred, fmt.Sprintf("authMethodCount is %d, but every observed link has 1; that the wizard then asks for %d methods is inferred from the name only.", *x.AuthMethodCount, *x.AuthMethodCount))
	}

	x.Undocumented = undocumented(c, m)
	x.Caveats = caveats(m)

	var sections []*explainSection
	if s := explainStrengths(c, it); s != nil {
		sections = append(sections, s)
		x.Sections = map[string]any{}
		if s.JSON != nil {
			x.Sections[s.Key] = s.JSON
		} else {
			x.Sections[s.Key] = s.Lines
		}
	}
	return x, sections
}

// undocumented lists what no Microsoft document says about m.
func undocumented(c *ctx, m bitmask.Mask) []string {
	out := []string{}
	e := c.catalog.Lookup(m)
	_, single := bitmask.ByBit(m)
	switch {
	case e.Provenance == bitmask.Observed:
		s := fmt.Sprintf("%d is undocumented: it was observed in real links. Source: %s.", m, e.Source)
		if e.Note != "" {
			s += " Note: " + e.Note + "."
		}
		if m.Unknown() == 0 {
			s += " Each of its bits is a documented method; what the combination makes the wizard show is not documented."
		}
		out = append(out, s)
	case e.Provenance == bitmask.Unknown && m.Unknown() == 0 && !single:
		out = append(out, fmt.Sprintf("%d as a whole is in no document and was never recorded; each of its bits is a documented method.", m))
	case e.Provenance == bitmask.Unknown:
		out = append(out, fmt.Sprintf("%d is in no document and was never recorded.", m))
	}
	for _, meth := range m.Methods() {
		switch meth.Status {
		case bitmask.Sentinel:
			out = append(out, fmt.Sprintf("Bit %d is %s, Graph's placeholder for values added later, never a real method: a link carrying it is suspicious.", meth.Bit, meth.Name))
		case bitmask.Beta:
			out = append(out, fmt.Sprintf("Bit %d is %s (%s): only Graph beta has it, and returns it only with the header \"Prefer: include-unknown-enum-members\".", meth.Bit, meth.Name, meth.Label))
		}
	}
	if u := m.Unknown(); u != 0 {
		out = append(out, fmt.Sprintf("Bits %s are not Graph methods at all: nobody knows what the wizard does with them.", hexBits(u)))
	}
	return out
}

// caveats returns the seed's caveats that apply to m.
func caveats(m bitmask.Mask) []string {
	out := []string{
		"This wizard hides the password-reset (SSPR) methods, email and security questions, even when the SSPR policy asks for two methods. Stripping the link to " + urlcodec.RegisterURL + " brings back the combined registration wizard, but the seed advises against telling users to do that (" + srcSeed + ").",
	}
	fido2, _ := bitmask.Lookup("fido2")
	if m.Has(fido2) {
		out = append(out, "In the Windows App (Cloud PC, Azure Virtual Desktop) registering a FIDO2 key or passkey from this wizard failed (\"Passkey not registered …\"); in a browser it worked (seed).")
	}
	if k := m &^ m.Unknown(); k != 0 && phishingResistant.Has(k) {
		out = append(out, "If the user is a B2B guest whose MFA is trusted from the home tenant, this wizard runs in the home tenant; with only phishing-resistant methods asked for, a guest who has no method yet can register nothing there (seed).")
	}
	return out
}

// writeExplain writes the text form: verdict first, loud when not genuine.
func writeExplain(c *ctx, x explainJSON, it item, sections []*explainSection) {
	head := func(s string) { c.println(c.paint(c.st.head, s)) }
	bullet := func(s string) { c.println("  - " + s) }

	if x.Trusted != nil && !*x.Trusted {
		c.println(c.paint(c.st.bad, "WARNING: THIS LINK DOES NOT GO TO THE GENUINE MICROSOFT SITE."))
		c.println(c.paint(c.st.bad, fmt.Sprintf("It opens %s, not %s:", safeText(x.Host), urlcodec.Host)))
		for _, r := range x.Reasons {
			c.println(c.paint(c.st.bad, "  - "+safeText(r.Message)+" ["+r.Code+"]"))
		}
		c.println(c.paint(c.st.bad, "Tell the user not to open it and not to type anything into it; treat it as phishing."))
		c.println()
	}
	switch {
	case it.Link != nil:
		c.println("Link: " + safeText(x.URL))
		if len(x.Wrapped) > 0 {
			c.println("Unwrapped from: " + strings.Join(x.Wrapped, ", "))
		}
		if *x.Trusted {
			c.println("Host: " + x.Host + ", " + c.paint(c.st.ok, "the genuine Microsoft host.") + c.paint(c.st.warn, imageVerdict(it)))
		} else {
			c.println("Host: " + safeText(x.Host) + ", " + c.paint(c.st.bad, "NOT genuine.") + c.paint(c.st.warn, imageVerdict(it)))
		}
	default:
		c.println(fmt.Sprintf("Mask: %d (%s)", x.AuthMethods, bitmask.Mask(x.AuthMethods)))
	}
	c.println()

	if x.Trusted != nil && !*x.Trusted {
		head("What the link asks for, were it genuine")
	} else {
		head("What the wizard asks for")
	}
	switch {
	case len(x.Methods) == 0:
		c.println("No method the wizard knows: it has nothing to offer.")
	case x.Register == 0:
		c.println("authMethodCount is 0 (nobody knows what the wizard does with 0). The methods it names:")
	default:
		n := fmt.Sprint(x.Register)
		if x.AuthMethodCount == nil && it.Link != nil {
			n += " (authMethodCount is absent: 1 assumed)"
		}
		if len(x.Methods) == 1 {
			c.printf("Register %s method:\n", n)
		} else {
			c.printf("Register %s of these %d methods:\n", n, len(x.Methods))
		}
	}
	width := 0
	for _, mj := range x.Methods {
		width = max(width, len(mj.Label))
	}
	self := 0
	for _, mj := range x.Methods {
		style := c.st.warn
		if mj.Access == bitmask.Self.String() {
			style = c.st.ok
			self++
		}
		c.printf("  - %s  %s  %s\n", c.paint(c.st.name, fmt.Sprintf("%-*s", width, mj.Label)),
			c.paint(style, mj.Advice), c.paint(c.st.dim, "["+mj.Name+"]"))
	}
	if len(x.Methods) > 0 && self == 0 {
		c.println(c.paint(c.st.warn, "None of these can the user set up alone: an admin has to help."))
	}
	for _, s := range x.Inferred {
		c.println(c.paint(c.st.dim, "Note: "+s))
	}
	c.println()

	head("Not documented")
	if len(x.Undocumented) == 0 {
		c.println("Nothing beyond the parameter itself: every value here is documented.")
	}
	for _, s := range x.Undocumented {
		bullet(s)
	}
	if len(x.Warnings) > 0 {
		c.println()
		head("About the link itself")
		for _, s := range x.Warnings {
			bullet(safeText(s))
		}
	}

	for _, s := range sections {
		c.println()
		head(s.Title)
		for _, l := range s.Lines {
			bullet(l)
		}
	}

	c.println()
	head("Keep in mind")
	for _, s := range x.Caveats {
		bullet(s)
	}
}
