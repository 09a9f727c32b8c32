// Package explain says what a register link or an authMethods mask means,
// for a helpdesk: whether the link is Microsoft's, what the wizard asks the
// user to register and who sets each method up, one sentence to tell the
// user, what is unusual, and, for those who want more, what is documented,
// how the mask relates to authentication strengths and the caveats that
// apply to it.
//
// It is computed once, as an [Explanation]; a terminal, JSON and a web page
// are printers of that value. The facts come from package bitmask (methods,
// who sets them up, catalog, caveats, sources) and package strength; the
// verdict comes from urlcodec's Link. This package only decides, for the
// mask in hand, which sentences apply.
package explain

import (
	"fmt"
	"strings"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/strength"
	"github.com/authmethods/authmethods/urlcodec"
)

// Options are what an explanation is computed against.
type Options struct {
	// Catalog says which values are documented or observed; nil means
	// bitmask.NewCatalog().
	Catalog *bitmask.Catalog
	// Strengths are the authentication strengths the mask is related to;
	// nil means strength.BuiltIn().
	Strengths []strength.Strength
}

// An Explanation is everything explain says about one link or mask. Its
// JSON form is what "authmethods explain --json" writes.
type Explanation struct {
	Kind string `json:"kind"` // "link" or "mask"

	// For a link: the register link, the host the browser opens, the
	// verdict and its reasons, and how the link was wrapped.
	URL     string `json:"url,omitempty"`
	Host    string `json:"host,omitempty"`
	Trusted *bool  `json:"trusted,omitempty"`
	// Unconfirmed: the link reads as genuine, but it was read from a
	// screenshot (reason "image"), so it is not trusted; the methods are
	// those of the link as read.
	Unconfirmed bool     `json:"unconfirmed,omitempty"`
	Reasons     []Reason `json:"reasons,omitempty"`
	Wrapped     []string `json:"wrapped,omitempty"`
	// Path is the browser's way from the URL clicked to where it lands
	// (urlcodec.Link.Hops).
	Path []Hop `json:"path,omitempty"`

	AuthMethods uint32 `json:"authMethods"`
	// AuthMethodCount is nil when the link has none, and for a mask.
	AuthMethodCount *int `json:"authMethodCount"`
	// Register is how many methods the wizard asks for: AuthMethodCount,
	// or bitmask.ObservedCount when there is none.
	Register    int      `json:"register"`
	Methods     []Method `json:"methods"`
	UnknownBits []uint32 `json:"unknownBits"`
	Catalog     Catalog  `json:"catalog"`

	// The short answer, in this order.
	Headline string   `json:"headline"` // the verdict in one sentence
	Asks     string   `json:"asks"`     // what the wizard asks for; "" when not genuine
	Tell     string   `json:"tell"`     // one sentence the helpdesk can say to the user
	Unusual  []string `json:"unusual"`  // what is odd about this value or link

	// The long answer.
	Notes     []string   `json:"notes"`     // what is documented, observed or inferred about it
	Warnings  []string   `json:"warnings"`  // the link's repairs and oddities, from urlcodec
	Caveats   []Caveat   `json:"caveats"`   // known traps of the wizard that apply to this mask
	Strengths *Strengths `json:"strengths"` // nil when not genuine or no method
}

// Reason is one cause of an untrusted verdict (urlcodec.Reason).
type Reason struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Hop is one URL on the browser's way (urlcodec.Hop).
type Hop struct {
	URL  string `json:"url"`
	Host string `json:"host"`
	Via  string `json:"via"` // "clicked", or the wrapper that sent the browser on
	Safe bool   `json:"safe"`
}

// Method is one method of the mask.
type Method struct {
	Bit    uint32 `json:"bit"`
	Name   string `json:"name"`   // Graph's name
	Label  string `json:"label"`  // what people see
	Access string `json:"access"` // self, admin, device, app, federated, none
	Advice string `json:"advice"` // who sets it up, in words
	Status string `json:"status"` // stable, beta, sentinel
}

// Catalog is what the catalog knows of the whole value.
type Catalog struct {
	Provenance string `json:"provenance"` // documented, observed or unknown
	Source     string `json:"source,omitempty"`
	Note       string `json:"note,omitempty"`
}

// Caveat is a bitmask.Caveat that applies to the mask.
type Caveat struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Source string `json:"source"`
}

// Link explains a register link: the verdict first; what the link asks for
// only when it is genuine.
func Link(l urlcodec.Link, o Options) Explanation {
	trusted := l.Verdict.Trusted
	// Genuine as read from an image: the answer of a genuine link, under a
	// headline that says to check it.
	unconfirmed := !trusted && len(l.Verdict.Reasons) == 1 && l.Verdict.Reasons[0].Code == "image"
	x := explain(l.Mask, countOf(l), o, true, trusted || unconfirmed)
	x.Unconfirmed = unconfirmed
	x.Kind = "link"
	x.URL, x.Host, x.Trusted, x.Wrapped = l.URL, l.Host, &trusted, l.Wrapped
	hops := l.Hops()
	for _, h := range hops {
		x.Path = append(x.Path, Hop{h.URL, h.Host, h.Via, h.Safe})
	}
	x.Warnings = append(x.Warnings, l.Warnings...)
	codes := map[string]bool{}
	for _, r := range l.Verdict.Reasons {
		x.Reasons = append(x.Reasons, Reason{r.Code, r.Message})
		codes[r.Code] = true
	}
	if trusted || unconfirmed {
		x.Headline = "Genuine: the link opens " + urlcodec.Host + ", Microsoft's security-info page."
		if len(hops) > 1 {
			x.Headline = "Genuine: " + services(hops[1:]) + ", the link opens " + urlcodec.Host + ", Microsoft's security-info page."
		}
		// Being wrapped (Safe Links, a redirect) is how links arrive, not
		// unusual: urlcodec words it "followed …", and -v lists it with
		// the link. Repairs and oddities are unusual.
		for _, w := range l.Warnings {
			if !strings.HasPrefix(w, "followed ") && !strings.HasPrefix(w, "unwrapped ") {
				x.Unusual = append(x.Unusual, w)
			}
		}
		if unconfirmed {
			x.Headline = "CHECK THE SCREENSHOT: the host reads as " + urlcodec.Host + ", Microsoft's security-info page, but text recognition can read a look-alike (rnicrosoft, mysignlns, microsoft.corn) as it."
			x.Tell = `Tell the user: "I cannot confirm the link from a picture alone: please copy the link itself and send it to me as text before you open it."`
		}
		return x
	}
	// The headline names the first host the browser opens: what the user
	// is about to visit, which is not always the host the link names.
	first := hops[0].Host
	switch {
	case codes["consent"]:
		x.Headline = "WARNING: CONSENT PHISHING. The link opens Microsoft's sign-in to give an application access to the user's account."
	case codes["link-text"] && strings.TrimSuffix(first, ".") == urlcodec.Host:
		x.Headline = "WARNING: this link shows one Microsoft address but opens another, which is not written the way Microsoft writes it: do not trust it."
	case codes["link-text"]:
		x.Headline = "WARNING: THIS LINK SHOWS A MICROSOFT ADDRESS BUT OPENS " + strings.ToUpper(orUnknown(first)) + "."
	case codes["relative"]:
		x.Headline = "WARNING: THIS LINK DOES NOT GO TO MICROSOFT. Its address has no https://, so the browser opens it on the site of the page it is on (or the page's <base href>), not " + urlcodec.Host + "."
	case strings.TrimSuffix(first, ".") == urlcodec.Host:
		x.Headline = "WARNING: this link names " + urlcodec.Host + " but is not written the way Microsoft writes it: do not trust it."
	case first == "":
		x.Headline = "WARNING: THIS IS NOT A LINK TO MICROSOFT. A browser cannot open it as the register link."
	case len(hops) > 1 && hops[0].Safe && hops[len(hops)-1].Host != urlcodec.Host:
		// Through Safe Links (or sign-in), which looks like Microsoft's:
		// name where it sends the browser.
		x.Headline = "WARNING: THIS LINK DOES NOT GO TO MICROSOFT. Through " + first + " the browser opens " + orUnknown(hops[len(hops)-1].Host) + ", not " + urlcodec.Host + "."
	default:
		x.Headline = "WARNING: THIS LINK DOES NOT GO TO MICROSOFT. The browser opens " + first + ", not " + urlcodec.Host + "."
	}
	x.Tell = `Tell the user: "Do not open this link and do not type anything into it: Microsoft does not send links like it. Please forward it to us and delete it."`
	if codes["consent"] {
		x.Tell = `Tell the user: "Do not open this link, and if a Microsoft page asks you to accept permissions for an app, do not accept: it is a trick to get into your account. Please forward it to us and delete it."`
	}
	return x
}

// services says which trusted wrappers the browser went through, for
// people: "behind Safe Links", "through Microsoft's sign-in".
func services(hops []urlcodec.Hop) string {
	var names []string
	safeLinks := true
	for _, h := range hops {
		switch h.Via {
		case "safelinks", "safelinks-teams":
			names = append(names, "Safe Links")
		case "signin":
			names, safeLinks = append(names, "Microsoft's sign-in"), false
		default:
			names, safeLinks = append(names, "a host you trust"), false
		}
	}
	if safeLinks {
		return "behind Safe Links"
	}
	return "through " + strings.Join(names, ", then ")
}

func orUnknown(h string) string {
	if h == "" {
		return "an unknown host"
	}
	return h
}

// Mask explains a mask given alone, with no link around it.
func Mask(m bitmask.Mask, o Options) Explanation {
	x := explain(m, nil, o, false, true)
	x.Kind = "mask"
	x.Headline = fmt.Sprintf("authMethods %d, given without a link: there is no host to check.", m)
	return x
}

func countOf(l urlcodec.Link) *int {
	if !l.HasCount {
		return nil
	}
	n := l.Count
	return &n
}

// explain fills in what depends on the mask and count. For a link that is
// not genuine it says nothing that reads like advice about registering.
func explain(m bitmask.Mask, count *int, o Options, isLink, genuine bool) Explanation {
	cat := o.Catalog
	if cat == nil {
		cat = bitmask.NewCatalog()
	}
	e := cat.Lookup(m)
	x := Explanation{
		AuthMethods:     uint32(m),
		AuthMethodCount: count,
		Register:        bitmask.ObservedCount,
		Methods:         []Method{},
		UnknownBits:     []uint32{},
		Catalog:         Catalog{e.Provenance.String(), e.Source, e.Note},
		Unusual:         []string{},
		Notes:           []string{},
		Warnings:        []string{},
		Caveats:         []Caveat{},
	}
	if count != nil {
		x.Register = *count
	}
	for _, meth := range m.Methods() {
		x.Methods = append(x.Methods, Method{uint32(meth.Bit), meth.Name, meth.Label, meth.Access.String(), meth.Access.Who(), meth.Status.String()})
	}
	for _, b := range m.UnknownBits() {
		x.UnknownBits = append(x.UnknownBits, uint32(b))
	}
	if !genuine {
		return x
	}
	real := methodBits(m)
	x.Asks = asks(m, real, count, x.Register, isLink)
	x.Tell = tell(real, x.Register, isLink)
	x.Unusual = unusual(m, e, count)
	x.Notes = notes(m, real, e, count, isLink)
	for _, c := range bitmask.Caveats(m) {
		x.Caveats = append(x.Caveats, Caveat{c.ID, c.Text, c.Source})
	}
	if real != 0 {
		list := o.Strengths
		if list == nil {
			list = strength.BuiltIn()
		}
		x.Strengths = relate(m, real, list)
	}
	return x
}

// methodBits are the bits of m that are methods: not unknown, not Graph's
// sentinel.
func methodBits(m bitmask.Mask) bitmask.Mask {
	var real bitmask.Mask
	for _, meth := range m.Methods() {
		if meth.Status != bitmask.Sentinel {
			real |= meth.Bit
		}
	}
	return real
}

func asks(m, real bitmask.Mask, count *int, register int, isLink bool) string {
	n := real.Count()
	subject := "A link with this value"
	if isLink {
		subject = "The link"
	}
	switch {
	case n == 0 && m == 0:
		return `authMethods is 0: it names no method ("none" in Jan Bakker's table); what the wizard shows for it is not documented.`
	case n == 0:
		return "It names no method the wizard knows; what the wizard shows for it is not known."
	case count != nil && *count == 0:
		return "authMethodCount is 0, and nobody knows what the wizard does with 0. The link names:"
	case n == 1 && register <= 1:
		return subject + " asks the user to register this method:"
	case register == 1:
		return fmt.Sprintf("%s asks the user to register one of these %d methods:", subject, n)
	}
	return fmt.Sprintf("%s asks the user to register %d of these %d methods (authMethodCount is %d; every observed link has %d):", subject, register, n, register, bitmask.ObservedCount)
}

// tell is the one sentence for the user, decided by who can set up the
// methods of the mask.
func tell(real bitmask.Mask, register int, isLink bool) string {
	open := "Open the link and set up "
	if isLink {
		open = "The link is Microsoft's own: open it and set up "
	}
	self := real.SelfService()
	switch labels := labelList(self); {
	case real == 0:
		return `Tell the user: "This link names nothing to set up; please wait for a new link from us."`
	case len(labels) == 1:
		return `Tell the user: "` + open + labels[0] + `."`
	case len(labels) > 1:
		what := "one of the methods it offers"
		if register > 1 {
			what = fmt.Sprintf("%d of the methods it offers", register)
		}
		return fmt.Sprintf(`Tell the user: "%s%s, for example %s or %s."`, open, what, labels[0], labels[1])
	}
	// Nothing the user can set up alone: say who can, first for a
	// Temporary Access Pass, which is what admins hand out to start with.
	meth := real.Methods()[0]
	if tap := real & bitmask.TemporaryAccessPass; tap != 0 {
		meth = tap.Methods()[0]
	}
	switch meth.Access {
	case bitmask.Admin:
		return `Tell the user: "You cannot set this up alone: an admin will first give you a ` + short(meth.Label) + `. We will be in touch."`
	case bitmask.Device:
		return `Tell the user: "This is set up on your Windows device (` + meth.Label + `), not through this link."`
	case bitmask.App:
		return `Tell the user: "Set up ` + meth.Label + ` in the Microsoft Authenticator app; this link cannot do it."`
	case bitmask.Federated:
		return `Tell the user: "This comes from your home organization's sign-in; ask its helpdesk."`
	}
	return `Tell the user: "There is nothing you can set up with this link; we will help you."`
}

// short drops a label's parenthesis: "Temporary Access Pass (one-time)" is
// "Temporary Access Pass" in a sentence.
func short(label string) string {
	head, _, _ := strings.Cut(label, " (")
	return head
}

func labelList(m bitmask.Mask) []string {
	var out []string
	for _, meth := range m.Methods() {
		out = append(out, meth.Label)
	}
	return out
}

// unusual names what is odd about the value, for the one line under the
// short answer.
func unusual(m bitmask.Mask, e bitmask.Entry, count *int) []string {
	var out []string
	switch {
	case m == 0:
		// asks says it already.
	case e.Provenance == bitmask.Observed:
		out = append(out, fmt.Sprintf("%d was observed in real links, not documented by Microsoft (%s)", m, cite(e.Source)))
	case e.Provenance == bitmask.Unknown && m.Unknown() == 0 && methodBits(m) == m:
		out = append(out, fmt.Sprintf("%d as a whole was never recorded: each method is documented, what the wizard shows for this set is not", m))
	}
	for _, meth := range m.Methods() {
		if meth.Status == bitmask.Sentinel {
			out = append(out, fmt.Sprintf("bit %d is Graph's placeholder for future values, never a method: a link carrying it is suspicious", meth.Bit))
		}
	}
	if u := m.Unknown(); u != 0 {
		out = append(out, fmt.Sprintf("bits %s are no Graph method: nobody knows what the wizard does with them", hexBits(u)))
	}
	if count != nil && *count != bitmask.ObservedCount && *count != 0 {
		out = append(out, fmt.Sprintf("authMethodCount is %d, but every observed link has %d", *count, bitmask.ObservedCount))
	}
	return out
}

// cite shortens a source that quotes Jan Bakker's post to its author and
// title; other sources (a user's catalog file) stay as they are.
func cite(src string) string {
	if strings.HasPrefix(src, bitmask.Bakker2025) {
		return `Jan Bakker, "Security Info Registration. Entra ID's rabbit hole."`
	}
	return src
}

// notes say what is documented, what observed and what inferred about this
// value, each once.
func notes(m, real bitmask.Mask, e bitmask.Entry, count *int, isLink bool) []string {
	out := []string{"Microsoft documents neither authMethods nor authMethodCount; what they do was observed by " + bitmask.Bakker2025 + "."}
	_, single := bitmask.ByBit(m)
	switch {
	case m == 0:
		out = append(out, "0 is \"none\" in the table of that post; Microsoft Graph has no member for 0, so it is not documented by Microsoft.")
	case single && e.Provenance == bitmask.Documented:
		out = append(out, fmt.Sprintf("%d is one Graph method: %s.", m, bitmask.SingleBitNote))
	case e.Provenance == bitmask.Observed:
		s := fmt.Sprintf("%d was observed in real links, not documented by Microsoft. Source: %s.", m, e.Source)
		if e.Note != "" {
			s += " " + capital(e.Note) + "."
		}
		out = append(out, s)
	case m.Unknown() == 0 && real == m:
		out = append(out, fmt.Sprintf("%d was never recorded. Each of its bits is a documented Graph method whose use in the link is observed; what the wizard shows for this set is not known.", m))
	default:
		out = append(out, fmt.Sprintf("%d was never recorded, and not every bit of it is a method.", m))
	}
	if real.Count() > 1 {
		out = append(out, "That the user may pick any one of these methods is inferred: an authentication strength accepts any one of its combinations, and the wizard lets the user choose another method.")
	}
	switch {
	case real == 0:
	case count == nil && isLink:
		out = append(out, fmt.Sprintf("The link has no authMethodCount: %d is assumed, as in every observed link.", bitmask.ObservedCount))
	case count == nil:
		out = append(out, fmt.Sprintf("A mask alone has no authMethodCount: %d is assumed, as in every observed link.", bitmask.ObservedCount))
	case *count != bitmask.ObservedCount:
		out = append(out, fmt.Sprintf("That the wizard asks for %d methods when authMethodCount is %d is inferred from the parameter's name only.", *count, *count))
	}
	return out
}

func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// hexBits writes each bit of m as "0x40000 (262144)", joined by ", ".
func hexBits(m bitmask.Mask) string {
	var parts []string
	for b := m; b != 0; b &= b - 1 {
		bit := b & -b
		parts = append(parts, fmt.Sprintf("0x%x (%d)", uint32(bit), uint32(bit)))
	}
	return strings.Join(parts, ", ")
}
