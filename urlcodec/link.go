// Package urlcodec parses, builds, extracts and judges Microsoft Entra ID
// security-info register links:
//
//	https://mysignins.microsoft.com/register?authMethods=NNNN&authMethodCount=1
//
// When Conditional Access requires an authentication strength the user cannot
// yet satisfy, Entra sends the user to this link instead of the plain
// https://mysignins.microsoft.com/register. authMethods is the 32-bit mask of
// the methods the wizard offers (see package bitmask); authMethodCount is how
// many the wizard asks for (1 in every link observed). Neither parameter is
// documented by Microsoft; the one public description is Jan Bakker's blog
// post "Security Info Registration. Entra ID's rabbit hole." (2025-08-29).
//
// Parse takes one link as people paste it — from chat without a scheme, from
// HTML mail with &amp;, wrapped by Safe Links or a redirect parameter,
// percent-encoded, JSON-escaped, retyped from a screenshot — and reports the
// mask, the count, how the link was wrapped, every repair it made and a
// verdict on the host. Build writes the canonical link; Strip returns the
// plain register link.
//
// # Verdict
//
// The rule: judge the URL a browser opens from what the person clicks or
// copies, never a register link found somewhere inside it. Parse walks the
// browser's path (Link.Hops): the URL clicked, then each wrapper in
// Wrappers by the one parameter or encoding its service follows, to where
// the browser lands. Trusted means exactly: every hop is safe, and the
// browser lands on scheme https, host mysignins.microsoft.com in any case,
// the default port, no userinfo, with an authMethods parameter the wizard
// receives. A safe hop is a trusted wrapper (Microsoft's Safe Links; Entra
// sign-in for the My Sign-Ins app) or a host in Parser.TrustHosts, reached
// the plain way. Hosts are judged the way a browser reaches them (the
// WHATWG URL standard), not the way net/url splits them: a browser treats
// '\' like '/', drops tabs and newlines, decodes percent-encoded host
// bytes and maps Unicode hosts with UTS #46; each of these is a classic
// phishing trick and is named in the verdict. Every untrusted verdict
// carries at least one Reason.
//
// Decisions where the standard leaves room:
//   - No scheme (a chat paste): judged as if https was meant, since browsers
//     and chat clients complete it so; Parse warns "no scheme". Such a link
//     is trusted only when its host is exactly mysignins.microsoft.com.
//   - Trailing dot (mysignins.microsoft.com.): Entra never writes it, so it
//     is untrusted with reason "trailing-dot". A dot that ends the whole
//     pasted text is sentence punctuation and is removed with a warning.
//   - A host that only becomes mysignins.microsoft.com after percent-decoding,
//     Unicode mapping or backslash handling is untrusted: Entra writes none
//     of these, and a helpdesk cannot see the difference in a mail client.
//   - The explicit default port (:443) is trusted, with a warning.
//   - A register link carried inside the URL the browser lands on (in its
//     path or a parameter no wrapper follows), after other URL text in the
//     same token, or in a wrapper parameter the service does not follow, is
//     read for its mask but untrusted (reason "embedded"), naming the host
//     the browser opens. Wrappers of other services (Proofpoint, Mimecast,
//     Google …) are followed to read the mask, but leave the verdict
//     untrusted unless their host is in TrustHosts.
//   - An Entra sign-in request for another application than My Sign-Ins, or
//     one asking for scopes beyond sign-in, is consent phishing (reason
//     "consent"), whatever it leads to.
//   - A link whose text shows a register link over another href (Markdown,
//     HTML, Slack, Textile, reStructuredText, MediaWiki) is judged by its
//     href (reason "link-text"). Extract, which holds the whole text,
//     finds the HTML <a> element around a link as a browser's tokenizer
//     does, across lines and past other tags and comments. An href without a scheme is relative to the page or its
//     <base href> and is untrusted (reason "relative").
//   - Where a link is shown as plain text, nothing decodes HTML references
//     or quoted-printable escapes: when decoding them changes the host a
//     browser reaches from the text as shown, the link is untrusted
//     (reason "decoded-host").
//   - What mail and chat do to a link is undone before judging: a JSON
//     string around it, HTML character references, quoted-printable,
//     defanging (hxxps, [.]), and tabs and newlines inside it (a
//     line-wrapped mail), each with a warning. JSON escapes outside a JSON
//     string are left alone: a browser decodes none.
//   - The mask is what the wizard receives, the query as a server decodes
//     it: a '?', '=' or '&' that is percent-encoded, or authMethods in the
//     fragment, gives the wizard none (ErrNotReceived); a list of masks is
//     not a number.
//
// # Repairs
//
// Every repair is a warning in Link.Warnings, except removing white space
// around the whole paste, which is not part of the link. Parameter names
// are read in any case, with a warning when not spelled authMethods or
// authMethodCount, since the wizard's own handling is unknown. A duplicate
// parameter is a warning when its value is equal and ErrConflict when not.
// At most Parser.MaxDepth layers of wrapping are removed (ErrTooDeep).
//
// # Numbers
//
// authMethods is decimal, as Entra writes it. Hex with a 0x prefix is
// accepted with a warning, since the bitmask package and people's notes use
// it, but whether the wizard reads hex is unknown. Letters mistaken for
// digits in a screenshot (O or o for 0, l or I for 1) are accepted, with a
// warning, in a number that has at least one real digit or is a single
// character: "l976" is 1976 and "l" is 1, but "ll" is more likely a word.
// authMethodCount is decimal from 0 to MaxCount (32, the bits of a mask);
// 0 is accepted with a warning. An absent authMethodCount is a warning, and
// Link.HasCount is false.
//
// # Cost
//
// Parse returns a Link value, as net/netip's ParseAddr does, not a pointer:
// a link exactly as Entra writes it is then read without allocating at all,
// which matters when scanning logs full of them. The same link from chat or
// HTML mail, or inside a plain Safe Links wrapper, is read on the same fast
// path with an allocation or two for its warnings; anything else takes a
// slower path that repairs. Both are linear in the input, which is limited
// to MaxInput.
package urlcodec

import (
	"errors"
	"strconv"
	"unicode/utf8"

	"github.com/authmethods/authmethods/bitmask"
)

// Host is the genuine host of the register link (Jan Bakker, "Security
// Info Registration. Entra ID's rabbit hole."; Microsoft's My Sign-Ins
// documentation).
const Host = "mysignins.microsoft.com"

// RegisterURL is the register link without a query: the combined MFA and
// SSPR registration wizard.
const RegisterURL = "https://" + Host + "/register"

// Limits on untrusted input.
const (
	// MaxInput is the longest link Parse reads; longer input is ErrTooLong.
	MaxInput = 64 << 10
	// MaxCount is the largest authMethodCount accepted: a mask has 32 bits,
	// so asking for more methods than it can name has no meaning. Every
	// observed link has 1.
	MaxCount = 32
	// DefaultMaxDepth is how many layers of wrapping (Safe Links, redirect
	// parameters, HTML entities, percent-encoding, JSON escapes) Parse
	// removes when Parser.MaxDepth is 0.
	DefaultMaxDepth = 8
	// maxDepthLimit caps Parser.MaxDepth: each layer costs a pass over the
	// input, so an unbounded depth would make Parse quadratic.
	maxDepthLimit = 64
)

// A Link is one register link as Parse understood it.
type Link struct {
	Input    string       // the text given, as passed
	URL      string       // the register link itself after unwrapping and cleanup
	Scheme   string       // lower case; "" when the input had none
	Host     string       // host as a browser (WHATWG URL parser) reaches it, lower case, ASCII/punycode
	Port     string       // "" for the scheme's default
	Path     string       // as written, e.g. "/register"
	Mask     bitmask.Mask // authMethods
	HasCount bool         // whether authMethodCount was present
	Count    int          // authMethodCount; 0 when absent
	// Wrapped says how the link was wrapped, outermost first: "safelinks",
	// "redirect:<parameter>", "html", "percent", "json", or the markup it
	// was the href of ("markdown", "slack", "jira", "textile", …).
	Wrapped []string
	// hops is the browser's path when it has more than the one hop a
	// plain link has; see Hops.
	hops     []Hop
	Verdict  Verdict
	Warnings []string // every repair made and everything odd, in words for a person
}

// A Hop is one URL a browser opens on its way to the register link.
type Hop struct {
	URL  string // the URL as the browser opens it
	Host string // the host as the browser reaches it (WHATWG), lower case, ASCII
	// Via says how the browser got here: "clicked" for the first hop, else
	// the Name of the wrapper that sent it on.
	Via string
	// Safe reports whether this hop can be opened without risk: the genuine
	// register host, a trusted wrapper or a host the user trusts, each
	// reached the plain way (https, no port, no userinfo).
	Safe bool
}

// Hops returns the way a browser goes from what the person clicks to where
// it lands: the first hop is the URL clicked, each later hop is reached
// through a wrapper (see Wrappers), and the last one is where the browser
// lands. When the register link is only carried inside that last URL, not
// opened (a link inside another link's path or query), the last hop is not
// the register link and the Verdict says so. A plain link has one hop; it
// is built on demand, so that parsing one allocates nothing.
func (l *Link) Hops() []Hop {
	if l.hops != nil {
		return l.hops
	}
	return []Hop{{URL: l.URL, Host: l.Host, Via: ViaClicked, Safe: l.Verdict.Trusted}}
}

// Distrust takes the trust away from l for reason r, found outside the link
// itself: it was read from a screenshot, whose letters text recognition may
// have misread. The first hop of its path is no longer safe.
func (l *Link) Distrust(r Reason) {
	hops := append([]Hop(nil), l.Hops()...)
	hops[0].Safe = false
	l.hops = hops
	l.Verdict = Verdict{Reasons: append([]Reason{r}, l.Verdict.Reasons...)}
}

// ViaClicked is Hop.Via of the first hop: the URL the person clicks.
const ViaClicked = "clicked"

// A Reason is one cause of an untrusted verdict.
//
// Codes: "http" (plain http), "scheme" (another scheme), "port" (not the
// default port), "userinfo" (text before an '@' in the authority, which
// browsers hide), "lookalike" (a host resembling the genuine one),
// "idn" (a Unicode or punycode host), "not-microsoft" (an unrelated host),
// "backslash" ('\' in the authority part, which browsers read as '/'),
// "slashes" (not exactly "//" after the scheme), "encoded-host"
// (percent-encoded host bytes), "ip" (an IP address as host),
// "trailing-dot", "invalid-host" (a host browsers refuse), "too-long"
// (over MaxInput), and, from Parse only: "wrapper" (a wrapper on the way
// that is not Microsoft's or trusted, is itself malformed, or whose target
// is ambiguous), "embedded" (the browser opens another URL that only
// carries the register link), "hidden" (a wrapper that keeps its target on
// its servers), "consent" (an OAuth consent request), "link-text" (a
// link that shows a register link over another href), "relative" (an href
// without a scheme), "decoded-host" (a host that decoding made), "path"
// (a page other than /register), "mask-form" (as written, the wizard
// receives another authMethods than the one read: hex, a screenshot slip,
// or one that decoding made) and "defanged" (hxxp, [.]); and, given by a
// caller with Link.Distrust, "image" (read from a screenshot).
type Reason struct {
	Code    string
	Message string
}

// A Verdict says whether a link can be trusted to open the genuine wizard.
// Reasons is empty if and only if Trusted.
type Verdict struct {
	Trusted bool
	Reasons []Reason
}

// A Parser parses register links. The zero value is ready to use, and a
// Parser is safe for concurrent use: parsing never writes to it.
type Parser struct {
	// TrustHosts are extra hosts the user trusts as register or wrapper
	// hosts, e.g. for sovereign clouds, whose hosts were not verified here.
	// They are compared after IDNA mapping, in any case, without a trailing
	// dot.
	TrustHosts []string
	// MaxDepth bounds the layers of wrapping removed; 0 or less means
	// DefaultMaxDepth, and it is capped at 64.
	MaxDepth int
}

// Errors a caller can test with errors.Is. An error about authMethodCount
// matches ErrCount and, where one applies, the specific cause
// (ErrNotNumber, ErrNegative, ErrRange, ErrEmpty).
var (
	ErrNoAuthMethods = errors.New("no authMethods parameter")
	ErrEmpty         = errors.New("empty")
	ErrNotNumber     = errors.New("not a number")
	ErrNegative      = errors.New("negative")
	ErrRange         = errors.New("out of range")
	ErrConflict      = errors.New("conflicting duplicate parameters")
	ErrCount         = errors.New("bad authMethodCount (must be 0 to " + strconv.Itoa(MaxCount) + ")")
	ErrTooLong       = errors.New("too long (over " + strconv.Itoa(MaxInput>>10) + " KiB)")
	ErrTooDeep       = errors.New("wrapped too deeply")
	// ErrNotReceived: the link is on the genuine host and mentions
	// authMethods, but not as a parameter the wizard receives.
	ErrNotReceived = errors.New("the wizard receives no authMethods parameter")
	// ErrCut: the link is part of a text without white space longer than
	// Extract reads around it (8 KiB each way), so what a browser opens
	// from it cannot be told.
	ErrCut = errors.New("part of a text too long without a space to tell what a browser opens")
	// ErrHidden: the link is a wrapper that keeps its target on its own
	// servers (see Wrapper.Encoding "hidden"); nothing in it can be read.
	ErrHidden = errors.New("cannot be unwrapped")
)

// Error records a failed operation and the input that caused it, in the shape
// of *url.Error.
type Error struct {
	Op    string // "parse" or "strip"
	Input string // the input, shortened when long
	Err   error  // the cause, matching one of the Err variables
}

func (e *Error) Error() string {
	return "urlcodec: " + e.Op + " " + strconv.Quote(e.Input) + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// shownInput is how much of a long input an Error keeps, so that an error
// does not hold on to 64 KiB of untrusted text.
const shownInput = 96

func newError(op, input string, err error) *Error {
	if len(input) > shownInput {
		head, tail := input[:shownInput*2/3], input[len(input)-shownInput/3:]
		for len(head) > 0 && !utf8.RuneStart(head[len(head)-1]) {
			head = head[:len(head)-1]
		}
		if len(head) > 0 && !utf8.FullRuneInString(head[len(head)-1:]) {
			head = head[:len(head)-1]
		}
		for len(tail) > 0 && !utf8.RuneStart(tail[0]) {
			tail = tail[1:]
		}
		input = head + "…" + tail
	}
	return &Error{Op: op, Input: input, Err: err}
}

// Parse parses one register link with a zero Parser.
func Parse(s string) (Link, error) {
	return defaultParser.Parse(s)
}

// defaultParser is the zero Parser, shared so that Parse does not allocate
// one per call; Parse never writes to a Parser.
var defaultParser Parser

// Parse reads one pasted register link. It fails with an *Error, and a zero
// Link, when s holds no usable authMethods parameter; a link on an untrusted host is not an
// error but a Link whose Verdict says why.
func (p *Parser) Parse(s string) (Link, error) {
	if len(s) > MaxInput {
		return Link{}, newError("parse", s, ErrTooLong)
	}
	if l, ok := parseSimple(s); ok {
		return l, nil
	}
	if l, ok := parseSafeLinks(s); ok && len(l.Wrapped) <= p.depth() {
		return l, nil
	}
	l, err := p.parseSlow(s)
	if err != nil {
		return Link{}, newError("parse", s, err)
	}
	return l, nil
}

// Judge returns the verdict on the host of rawURL alone, which must already
// be unwrapped: it judges the URL a browser would open, not one carried in
// its parameters.
func (p *Parser) Judge(rawURL string) Verdict {
	return p.judge(rawURL)
}

// Build returns the canonical register link for mask m asking for count
// methods, exactly as Entra writes it:
//
//	https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1
//
// Parse rejects a count outside 0 … MaxCount.
func Build(m bitmask.Mask, count int) string {
	b := make([]byte, 0, len(RegisterURL)+len("?authMethods=&authMethodCount=")+10+20)
	b = append(b, RegisterURL+"?authMethods="...)
	b = strconv.AppendUint(b, uint64(m), 10)
	b = append(b, "&authMethodCount="...)
	b = strconv.AppendInt(b, int64(count), 10)
	return string(b)
}

// Strip parses s as a register link and returns RegisterURL, the link with
// its query removed. Jan Bakker's post found that this sends the user back
// to the combined MFA and SSPR wizard, but advises against telling users to do so:
// the authentication strength that caused the interrupt still applies.
// Strip never carries over the host of s, even a trusted one.
func Strip(s string) (string, error) {
	if _, err := Parse(s); err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Op = "strip"
		}
		return "", err
	}
	return RegisterURL, nil
}
