package urlcodec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/cases"

	"github.com/authmethods/authmethods/urlcodec/internal/find"
)

// Hit is one register link found in text.
type Hit struct {
	Offset int64  // byte offset of the span's first byte in the whole input
	Line   int64  // 1-based line number of that byte
	Text   string // the span as it appears in the input
	Link   *Link  // parsed link, nil when Err != nil
	Err    error  // why the span is not a usable link (e.g. *Error)
}

// Extract returns the register links in text, in order, with a zero Parser.
// See [Parser.NewScanner] for what is reported.
func Extract(text string) []Hit { return new(Parser).Extract(text) }

// Extract returns the register links in text, in order, in one pass over it
// in memory. Text is read as people paste it: a link that a mail client
// broke over lines (see JoinLines) is rejoined, with a warning, and its
// hit's Text spans the break. Otherwise it reports the same hits as a
// Scanner over the same text; a Scanner reads logs, where a line is a
// record, and does not rejoin lines.
func (p *Parser) Extract(text string) []Hit { return slices.Collect(p.Hits(text)) }

// Hits returns the hits of Extract one at a time, so that a caller that
// passes each on keeps none: a text dense with links holds one hit at a
// time, not all of them.
func (p *Parser) Hits(text string) iter.Seq[Hit] {
	return func(yield func(Hit) bool) {
		joined, at := rejoinText(text)
		if at == nil {
			p.extract(text, yield)
			return
		}
		line, pos := int64(1), 0 // hits come in order: count lines once
		p.extract(joined, func(h Hit) bool {
			lo, hi := int(at[h.Offset]), int(at[h.Offset+int64(len(h.Text))-1])+1
			line += int64(strings.Count(text[pos:lo], "\n"))
			pos = lo
			if hi-lo != len(h.Text) {
				first := line
				last := first + int64(strings.Count(text[lo:hi], "\n"))
				note := fmt.Sprintf("rejoined a link that was broken over lines %d to %d (as a mail client wraps long lines)", first, last)
				if h.Link != nil {
					l := *h.Link
					l.Warnings = append(append([]string{}, l.Warnings...), note)
					h.Link = &l
				}
			}
			h.Offset, h.Text, h.Line = int64(lo), text[lo:hi], line
			return yield(h)
		})
	}
}

// extract is Hits on text as it is; it stops when yield returns false.
func (p *Parser) extract(text string, yield func(Hit) bool) {
	// find only reads b; Hit.Text and Link.Input are copies, so the hits do
	// not keep text alive.
	b := unsafe.Slice(unsafe.StringData(text), len(text))
	var hits []Hit // those of one token
	var anchors htmlIndex
	line, pos := int64(1), 0
	for _, sp := range find.AppendSpans(nil, b) {
		line += int64(bytes.Count(b[pos:sp.Start], newline))
		pos = sp.Start
		tc := tokenContext{before: sp.Before, after: sp.After, cut: sp.Cut, text: b, start: sp.Start, html: &anchors, md: &anchors.md}
		hits = p.appendHits(hits[:0], b[sp.Start:sp.End], sp.Anchor-sp.Start, int64(sp.Start), line, tc)
		for _, h := range hits {
			if !yield(h) {
				return
			}
		}
	}
}

var newline = []byte{'\n'}

// Scanner finds register links in a stream, with bounded memory: a few
// megabytes, whatever the size of the input or the length of its lines, so
// that a log of any size, or a single line of hundreds of megabytes, can be
// scanned from a file or a pipe. It reads and searches large blocks in the
// caller's goroutine and reports hits in input order; to use several cores,
// scan several inputs at once, a Scanner each.
//
// How text becomes hits:
//
//  1. The anchor is the parameter name authMethods in any ASCII case
//     (authMethodCount does not contain it). Every anchor is expanded to the
//     token around it: up to white space, a control character, a quote, <
//     or >, and at most 8 KiB each way. The token is what a person clicks
//     or copies: a link, a Safe Links wrapper around one, or a longer link
//     that carries one.
//  2. In the token the link starts at its first "http:" or "https:" (plain
//     or percent-encoded) before the anchor, so that a wrapper is kept
//     whole; without a scheme it starts after the last '=', ',', ';', '*',
//     '!' or ':' (not a port) before the host. Trailing sentence
//     punctuation, closing brackets that close nothing and '\' are dropped.
//     A token that is a JSON string (between '"' with escapes) is parsed as
//     one; one that is a whole Markdown or Slack link is judged by its href.
//  3. The text is parsed with the Parser. If it parses, the hit has its Link
//     (a link on an untrusted host is a hit: its Verdict says why). If text
//     before the link in its token is URL text (a host, a path, a query),
//     or the token is longer than read, the register link is part of a
//     longer link: the hit is untrusted (reason "embedded"), with the host
//     that link opens. A label such as "url=" or a log field such as
//     "2025-01-01," is not URL text. If the text does not parse and a field
//     or list separator (',' ';' '|' ')' ']' '}' '`') follows the
//     authMethods value, it is parsed again up to it, with a warning.
//  4. If the anchor is there but the text has no authMethods parameter at
//     all (the word in prose, a path such as /docs/authmethods,
//     authMethodsPolicy=), it is not a register link and is not reported.
//     Any other parse error (a mask that is no number, a bad count …) is
//     reported as a hit with Err, since it is a register link that cannot
//     be used.
//
// Extract, which holds the whole text, also reads the HTML <a>, Markdown,
// Textile, reStructuredText or MediaWiki link whose text is the register
// link, and judges it by its href
// (reason "link-text"); a Scanner, which sees tokens only, cannot.
//
// Offset and Text are those of the parsed text, which may be shorter than
// the token.
type Scanner struct {
	p    *Parser
	s    *find.Scanner
	hits []Hit // found in the current token, not yet returned
	hit  Hit
}

// ErrShrunk is the error of a Scanner whose file shrank while it was
// scanned (a log rotated with copytruncate).
var ErrShrunk = find.ErrShrunk

// NewScanner returns a Scanner over r that parses with a zero Parser.
func NewScanner(r io.Reader) *Scanner { return new(Parser).NewScanner(r) }

// NewScanner returns a Scanner over r that parses with p (for its
// TrustHosts and MaxDepth). p must not change while the Scanner is in use.
//
// A regular *os.File is mapped into memory a window at a time rather than
// read, where the system allows: the Scanner then reads the size the file
// had when NewScanner was called, and if the file shrinks during the scan
// (a log rotated with copytruncate), Scan stops and Err returns ErrShrunk.
func (p *Parser) NewScanner(r io.Reader) *Scanner {
	return p.newScanner(r, find.Options{})
}

// NewScannerCounting is NewScanner, and adds to n (unless nil) the bytes
// of input consumed as the scan goes, for a progress display. Scanners may
// share n.
func (p *Parser) NewScannerCounting(r io.Reader, n *atomic.Int64) *Scanner {
	return p.newScanner(r, find.Options{Count: n})
}

// newScanner lets tests and benchmarks choose buffer sizes.
func (p *Parser) newScanner(r io.Reader, o find.Options) *Scanner {
	return &Scanner{p: p, s: find.NewScannerOptions(r, o)}
}

// Scan advances to the next hit, available through Hit. It returns false at
// the end of the input or on a read error, which Err then returns.
func (s *Scanner) Scan() (ok bool) {
	if s.s.Mapped() {
		// The token read below is in the file's mapping: a fault on it
		// (the file shrank) ends the scan.
		defer func() {
			if !ok {
				s.hit, s.hits = Hit{}, nil
			}
		}()
		defer s.s.Catch(debug.SetPanicOnFault(true), &ok)
	}
	for len(s.hits) == 0 {
		if !s.s.Scan() {
			s.hit = Hit{}
			return false
		}
		m := s.s.Match()
		s.hits = s.p.appendHits(s.hits[:0], m.Text, m.Anchor, m.Offset, m.Line, tokenContext{before: m.Before, after: m.After, cut: m.Cut})
	}
	s.hit = s.hits[0]
	s.hits[0] = Hit{}
	s.hits = s.hits[1:]
	return true
}

// Hit returns the hit found by the last call to Scan.
func (s *Scanner) Hit() Hit { return s.hit }

// Err returns the first read error, or nil at the end of the input.
// The hits before the error have all been reported.
func (s *Scanner) Err() error { return s.s.Err() }

// tokenContext is what surrounds a token found by find.
type tokenContext struct {
	before, after byte // the delimiters around it; 0 at the input's ends
	cut           bool // the token is longer than find reads
	// text is the whole input when it is in memory (Extract), so that the
	// markup of a link whose text is the token can be read; nil in a
	// Scanner. start is the token's offset in it, and html its <a>
	// elements.
	text  []byte
	start int
	html  *htmlIndex
	md    *mdIndex
}

// htmlIndex holds the <a> elements of a text, found when first needed.
type htmlIndex struct {
	done     bool
	anchors  []anchor
	closings []closing
	md       mdIndex // the Markdown reference definitions, kept here to share one allocation
}

func (h *htmlIndex) get(text []byte) ([]anchor, []closing) {
	if !h.done {
		h.anchors, h.closings = htmlAnchors(text)
		h.done = true
	}
	return h.anchors, h.closings
}

// appendHits turns one token found by find (anchor is the index of its
// first anchor, off and line locate its first byte) into hits.
//
// The token is what a person clicks or copies (see Parser.NewScanner): a
// register link after other URL text in it is part of a longer link, and
// its hit says so.
//
// Parsing is bounded to a few times the token's length, so that a token
// packed with anchors costs linear time: every Parse call is charged the
// length of its input, and the token is abandoned when the budget is spent.
func (p *Parser) appendHits(dst []Hit, tok []byte, anchor int, off, line int64, tc tokenContext) []Hit {
	budget := 4*len(tok) + 4096
	charge := func(n int) bool {
		budget -= n
		return budget >= 0
	}
	if l, ok := p.markupToken(tok, tc, charge); ok {
		return append(dst, Hit{Offset: off, Line: line, Text: string(tok), Link: l})
	}
	pos := 0 // where the rest of the token starts
	for {
		start := pos + linkStart(tok[pos:anchor])
		end := trimEnd(tok, start, anchor, len(tok))
		if !charge(end - start) {
			break
		}
		text := string(tok[start:end])
		parsed := text
		if tc.before == '"' && tc.after == '"' && start == 0 && end == len(tok) && bytes.IndexByte(tok, '\\') >= 0 {
			parsed = `"` + text + `"` // a JSON string: its escapes are the log's
		}
		l, err := p.Parse(parsed)
		if err != nil && !errors.Is(err, ErrNoAuthMethods) {
			// A log field or a list: the link ends at a separator after
			// its authMethods value. The mask is the same either way.
			if e := cutAfterMask(tok, anchor, end); e > 0 && charge(e-start) {
				if l2, err2 := p.Parse(string(tok[start:e])); err2 == nil {
					r, _ := utf8.DecodeRune(tok[e:])
					l2.Warnings = append(l2.Warnings, fmt.Sprintf("read the link up to %q: the rest (%s) is another field", r, short(string(tok[e:end]))))
					text, l, err, end = string(tok[start:e]), l2, nil, e
				}
			}
		}
		switch {
		case err != nil && errors.Is(err, ErrNoAuthMethods):
			// Not a link (the word in prose, a path): look for another
			// anchor after this one.
			end = anchor + anchorLen
		case err != nil:
			dst = append(dst, Hit{Offset: off + int64(start), Line: line, Text: text, Err: err})
		case tc.cut:
			// No silent cut: the token runs on past what find reads, so
			// the link a browser opens from it cannot be told.
			dst = append(dst, Hit{Offset: off + int64(start), Line: line, Text: text, Err: newError("parse", text, ErrCut)})
		default:
			if tc.text != nil {
				p.markupAround(&l, tc, start, end, text, charge)
			}
			if urlish(tok[:start]) && !p.jiraHref(tok, start) {
				p.embed(&l, string(tok))
			}
			if tc.text != nil && maskAtEnd(text) {
				l.Warnings = append(l.Warnings, numberCut(text, tc.text[tc.start+end:])...)
			}
			dst = append(dst, Hit{Offset: off + int64(start), Line: line, Text: text, Link: &l})
		}
		next := find.Index(tok[end:])
		if next < 0 {
			break
		}
		// Go on with the rest of the token; what comes before it still
		// decides whether the next link is part of a longer one.
		pos, anchor = end, end+next
	}
	return dst
}

// jiraHref reports whether the link at tok[start:] is the href of Jira's
// [text|href], which a click on the text opens: right after the only '|'
// in a '[' that no ']' closes. Text that is another URL is none: outside
// Jira a linkifier may run that URL on over '|' into the register link;
// only the register link itself (Jira's [url|url]) is safe as text.
func (p *Parser) jiraHref(tok []byte, start int) bool {
	o := bytes.LastIndexByte(tok[:start], '[')
	if start == 0 || tok[start-1] != '|' || o < 0 || bytes.IndexAny(tok[o:start-1], "]|") >= 0 {
		return false
	}
	text := tok[o+1 : start-1]
	if !urlish(text) && schemeLen(text) == 0 {
		return true
	}
	l, err := p.Parse(string(text))
	return err == nil && l.Verdict.Trusted
}

// numberCut warns when the authMethods value that ends a link is followed
// by white space and more digits: a number that a person or a mail client
// cut in two, which the wizard would read as the shorter number.
func numberCut(link string, after []byte) []string {
	i := 0
	for i < len(after) && (after[i] == ' ' || after[i] == '\t') {
		i++
	}
	j := i
	for j < len(after) && j-i < 10 && isDigit(after[j]) {
		j++
	}
	if i == 0 || j == i {
		return nil
	}
	k := len(link)
	for k > 0 && isDigit(link[k-1]) {
		k--
	}
	return []string{fmt.Sprintf("CHECK THE MASK: authMethods=%s is followed by a space and %q; if the number was cut in two, the link meant authMethods=%s%s, and as written the wizard gets %s", link[k:], after[i:j], link[k:], after[i:j], link[k:])}
}

// urlish reports whether the text before a register link in its token is
// URL text (a host, a path or a query, or a scheme that runs what follows:
// javascript:, vbscript:), so that the register link is only part of
// a longer link, rather than a label such as "url=" or "2025-01-01,".
func urlish(prefix []byte) bool {
	if bytes.IndexByte(prefix, ':') >= 0 {
		for _, scheme := range []string{"javascript:", "vbscript:"} {
			if containsFold(string(prefix), scheme) {
				return true
			}
		}
	}
	for i, c := range prefix {
		switch c {
		case '/', '\\', '?', '#', '@', '%', '&':
			return true
		case '.':
			if i+1 < len(prefix) && isASCIILetter(prefix[i+1]) {
				return true
			}
		}
	}
	return false
}

// cutAfterMask returns where a link ends in tok[:end], whose authMethods is
// at anchor, when a field or list separator follows its authMethods value,
// or typographic punctuation (a closing ” or ）, a dash) glued to the link
// in prose, or after the value a '\' (the \n of a calendar invite's text;
// in the value it is what the wizard gets, as in 48\u0026…); else -1. A separator inside the value (a list of masks) is no
// cut: the wizard would get all of it.
func cutAfterMask(tok []byte, anchor, end int) int {
	const seps = ",;|)]{}`"
	v := anchor + anchorLen
	if v >= end || tok[v] != '=' {
		return -1
	}
	valueEnd := v + 1
	for valueEnd < end && tok[valueEnd] != '&' {
		switch {
		case tok[valueEnd] == '{', tok[valueEnd] == '|' && schemeLen(tok[valueEnd+1:end]) > 0:
			// A wiki macro ({noformat}) or Jira's [text|href]: no list.
			return valueEnd
		case strings.IndexByte(seps, tok[valueEnd]) >= 0:
			return -1
		}
		if junkAt(tok[:end], valueEnd) {
			return valueEnd
		}
		valueEnd++
	}
	for i := valueEnd; i < end; i++ {
		if strings.IndexByte(seps, tok[i]) >= 0 && !(tok[i] == ';' && entityEndsAt(tok[:end], i)) || junkAt(tok[:end], i) || tok[i] == '\\' {
			return i
		}
	}
	return -1
}

// entityEndsAt reports whether the ';' at b[i] ends an HTML character
// reference ("&amp;", "&#38;", "&#x26;"): the link goes on past it.
func entityEndsAt(b []byte, i int) bool {
	k := i - 1
	for k >= 0 && i-k <= 32 && (isAlnum(b[k]) || b[k] == '#') {
		k--
	}
	return k >= 0 && k < i-1 && b[k] == '&'
}

// junkAt reports whether a non-ASCII rune that is not part of a link (see
// junkRune) starts at b[i].
func junkAt(b []byte, i int) bool {
	if b[i] < utf8.RuneSelf {
		return false
	}
	r, _ := utf8.DecodeRune(b[i:])
	return junkRune(r)
}

// embed marks l as a register link that is only part of the longer link
// outer, which is what a browser opens.
func (p *Parser) embed(l *Link, outer string) {
	o, _, _ := trimSurrounding(outer)
	if t, ok := refang(o); ok {
		o = t
	}
	u := splitBrowser(o)
	msg := fmt.Sprintf("the register link is part of a longer link, which opens %s: the browser does not open the register link", short(u.host))
	if u.host == Host {
		msg = "the register link is part of a longer link that starts before it: a browser opens that one, with its own authMethods, not this one"
	}
	if u.hostErr != "" {
		msg = fmt.Sprintf("the register link is part of a longer text (%q) that a browser does not open as this link", short(o))
	}
	l.hops = []Hop{{URL: u.text, Host: u.host, Via: ViaClicked}}
	l.Verdict = Verdict{Reasons: append([]Reason{{"embedded", msg}}, l.Verdict.Reasons...)}
}

// markupToken parses a token that is a whole Markdown or Slack link
// ([text](href), <href|text>): the browser opens its href.
func (p *Parser) markupToken(tok []byte, tc tokenContext, charge func(int) bool) (*Link, bool) {
	slack := tc.before == '<' && tc.after == '>' && bytes.IndexByte(tok, '|') > 0
	if !slack && (len(tok) == 0 || tok[0] != '[') {
		return nil, false // no markup: no copy of the token either
	}
	t := string(tok)
	if slack {
		t = "<" + t + ">"
	}
	t = strings.TrimRight(t, ".,;:!?")
	// Only a link whose text shows a register link needs reading whole;
	// an href is found as a link of its own.
	if _, text, _, ok := linkMarkup(t); !ok || !containsFold(text, "authmethods") || !charge(len(t)) {
		return nil, false
	}
	l, err := p.Parse(t)
	if err != nil {
		return nil, false
	}
	return &l, true
}

// markupAround judges l, the link at tc.text[tc.start+start :
// tc.start+end], by the href of the HTML or Markdown link whose text (or
// title, or other attribute) it is: the browser opens the href. A Scanner,
// which has no text around its tokens, cannot tell.
func (p *Parser) markupAround(l *Link, tc tokenContext, start, end int, text string, charge func(int) bool) {
	kind := "html"
	anchors, closings := tc.html.get(tc.text)
	href, found := anchorHref(anchors, closings, tc.text, tc.start+start)
	if !found {
		href, kind, found = markdownHref(tc.text, tc.start+start, tc.start+end, tc.md)
	}
	if !found && kind != "markdown href" {
		href, kind, found = lightHref(tc.text, tc.start+start, tc.start+end)
	}
	if !found {
		if l.Scheme == "" && (kind == "markdown href" || markupHref(tc.text, tc.start+start)) {
			// A renderer resolves an href without a scheme against the
			// page, as a browser does an <a href>: not completed as a
			// chat completes text.
			l.Distrust(Reason{"relative", fmt.Sprintf("the link is the href of a Markdown or Textile link but has no scheme: a renderer resolves it against the page it is on, so it does not open %s", Host)})
		}
		return
	}
	if href == tangled {
		l.Distrust(Reason{"link-text", fmt.Sprintf("the link shows %s in a paragraph of Markdown or HTML too tangled to read (a run of tags or code spans that never close): whether a renderer shows it as the text of another link cannot be told", short(text))})
		return
	}
	if href == ambiguousDef {
		l.Distrust(Reason{"link-text", fmt.Sprintf("the link shows %s through a reference defined more than once with different hrefs: which one a renderer opens depends on blocks (code, HTML) around the definitions", short(text))})
		return
	}
	m := "[" + text + "](" + href + ")"
	if kind == "html" {
		q := `"` // the quote the href does not hold (it was quoted with the other)
		if strings.Contains(href, q) {
			q = "'"
		}
		m = `<a href=` + q + href + q + `>` + text + `</a>`
	}
	if charge(len(m)) {
		if ml, err := p.Parse(m); err == nil {
			if kind != "html" && kind != "markdown" {
				// Parse read m as Markdown: name the syntax the text used.
				for i, w := range ml.Wrapped {
					if w == "markdown" {
						ml.Wrapped[i] = kind
					}
				}
				for i, w := range ml.Warnings {
					ml.Warnings[i] = strings.Replace(w, "from its markdown markup", "from its "+kind+" markup", 1)
				}
			}
			ml.Input = text
			if kind != "html" && ml.Verdict.Trusted && !(l.Verdict.Trusted && l.Mask == ml.Mask) {
				// Renderers disagree on when light markup is a link (a
				// code span, a nested link, a definition in a code block
				// …); one that reads none shows the text, linked to
				// itself: trusted only when both open the same.
				ml.Distrust(Reason{"link-text", fmt.Sprintf("the link shows %s but its %s markup opens %s: a renderer that does not read the markup as a link opens the text, with another authMethods", short(text), kind, short(href))})
			}
			*l = ml
			return
		}
	}
	// Whatever the href is, the browser opens it, not the link shown.
	u := splitBrowser(href)
	l.hops = []Hop{{URL: u.text, Host: u.host, Via: ViaClicked}}
	l.Verdict = Verdict{Reasons: append([]Reason{{"link-text", fmt.Sprintf("the link shows %s but opens %q, which is not a register link this tool can read", short(text), short(href))}}, l.Verdict.Reasons...)}
}

// markdownHref finds the href of the Markdown link that shows b[start:end]
// (as its text or title): an inline link, or a reference link (full
// [text][label], collapsed [text][] or shortcut [text]) whose definition
// "[label]: href" is anywhere in the text, before or after it, as a
// CommonMark renderer reads them. The link text may run over lines of its
// paragraph and hold balanced brackets.
func markdownHref(b []byte, start, end int, refs *mdIndex) (href, kind string, ok bool) {
	const reach = 4 << 10
	floor, ceil := max(0, start-reach), min(len(b), end+reach)
	// Markdown: inside "(href "title")" after "](" on the same line: the
	// href is the first word there.
	lo := lineStart(b, floor, start)
	if i := bytes.LastIndex(b[lo:start], []byte("](")); i >= 0 && bytes.IndexByte(b[lo+i:start], ')') < 0 {
		if w := firstWord(b[lo+i+2 : start]); len(w) > 0 {
			return string(w), "markdown", true
		}
		return "", "markdown href", false // the token is the href itself
	}
	// The paragraph around the text: link text does not run past a blank
	// line.
	lo, hi := paragraphStart(b, floor, start), paragraphEnd(b, end, ceil)
	// The '[' that opens the link text around b[start:end], and the ']'
	// that closes it. Code spans, autolinks and HTML tags bind tighter
	// than brackets: a ']' in them closes nothing. A renderer without
	// HTML reads a tag as text, so the brackets are also read plainly.
	spans, read := tightSpans(b, lo, hi)
	if !read {
		return tangled, "markdown", true
	}
	if href, kind, ok := markdownLink(b, lo, hi, start, end, refs, spans); ok || len(spans) == 0 {
		return href, kind, ok
	}
	return markdownLink(b, lo, hi, start, end, refs, nil)
}

// markdownLink is markdownHref within the paragraph b[lo:hi], reading
// brackets outside spans.
func markdownLink(b []byte, lo, hi, start, end int, refs *mdIndex, spans [][2]int) (href, kind string, ok bool) {
	for _, sp := range spans {
		if sp[0] < start && end <= sp[1] {
			return "", "", false // in a code span (no link) or an autolink (its own)
		}
	}
	open := unmatched(b, lo, hi, start-1, -1, spans)
	if open < 0 {
		return "", "", false
	}
	closeAt := unmatched(b, lo, hi, end, +1, spans)
	if closeAt < 0 {
		return "", "", false
	}
	rest := b[closeAt+1 : hi]
	if len(rest) > 0 && rest[0] == '(' {
		if w := firstWord(bytes.TrimLeft(rest[1:], " \t\r\n")); len(w) > 0 {
			return string(bytes.TrimRight(w, ")")), "markdown", true
		}
	}
	defs := refs.get(b)
	if len(rest) > 0 && rest[0] == '[' {
		if k := labelEnd(rest, 1, min(len(rest), 1001)); k >= 0 {
			if h, ok := defs[mdLabel(rest[1:k])]; ok && len(bytes.TrimSpace(rest[1:k])) > 0 {
				return h, "markdown reference", true
			}
		}
	}
	// Collapsed or shortcut reference (or a full one whose label is not
	// defined, which a renderer may still read as a shortcut).
	if h, ok := defs[mdLabel(b[open+1:closeAt])]; ok {
		return h, "markdown reference", true
	}
	return "", "", false
}

// tangled is the href of a link in a paragraph whose tags and code spans
// cannot be read within tightSpans' budget.
const tangled = "\x00tangled"

// tightSpans returns, in order, the code spans, autolinks and HTML tags
// (or comments) of b[lo:hi] as CommonMark reads them, [start, end). A '<'
// or '`' that opens nothing is read to hi, so a paragraph of them would
// cost its length at each: the bytes read are bounded, and read is false
// when they ran out.
func tightSpans(b []byte, lo, hi int) (spans [][2]int, read bool) {
	budget := 8*(hi-lo) + 4096
	for i := lo; i < hi; i++ {
		if budget <= 0 {
			return nil, false
		}
		switch b[i] {
		case '\\':
			i++
		case '`':
			n := 1
			for i+n < hi && b[i+n] == '`' {
				n++
			}
			// The span ends at the next run of exactly n backquotes.
			j := i + n
			for j < hi {
				k := bytes.IndexByte(b[j:hi], '`')
				if k < 0 {
					j = hi
					break
				}
				j += k
				m := 0
				for j+m < hi && b[j+m] == '`' {
					m++
				}
				if m == n {
					break
				}
				j += m
			}
			budget -= j - i
			if j < hi {
				spans = append(spans, [2]int{i, j + n})
				i = j + n - 1
			} else {
				i += n - 1
			}
		case '<':
			lim := min(hi, i+budget)
			if e := tagEnd(b[i:lim]); e > 0 {
				spans = append(spans, [2]int{i, i + e})
				i += e - 1
				budget -= e
			} else {
				budget -= lim - i
			}
		}
	}
	return spans, budget > 0
}

// tagEnd returns the length of the autolink, HTML tag or comment at the
// start of b, which starts with '<', or 0.
func tagEnd(b []byte) int {
	if len(b) < 3 {
		return 0
	}
	if bytes.HasPrefix(b, []byte("<!--")) {
		if k := bytes.Index(b[4:], []byte("-->")); k >= 0 {
			return 4 + k + 3
		}
		return 0
	}
	// An autolink: a scheme, ':' and no white space, '<' or '>' up to '>'.
	if isASCIILetter(b[1]) {
		k := 2
		for k < len(b) && (isAlnum(b[k]) || b[k] == '+' || b[k] == '.' || b[k] == '-') {
			k++
		}
		if k < len(b) && b[k] == ':' {
			for k < len(b) && b[k] > ' ' && b[k] != '<' && b[k] != '>' {
				k++
			}
			if k < len(b) && b[k] == '>' {
				return k + 1
			}
		}
	}
	// A tag: '<' or "</", a name, attributes up to the '>' outside quotes.
	k := 1
	if b[k] == '/' {
		k++
	}
	n := k
	for k < len(b) && (isAlnum(b[k]) || b[k] == '-') {
		k++
	}
	if k == n || !isASCIILetter(b[n]) {
		return 0
	}
	// The rest of the paragraph is read in place, and no attribute kept: a
	// copy for every '<' of it cost time and memory that grew with its tags.
	if k == len(b) {
		return 0
	}
	if e := tagLen(unsafe.String(&b[k], len(b)-k)); e >= 0 {
		return k + e + 1
	}
	return 0
}

// unmatched returns the first bracket from b[i] on, stepping by dir within
// b[lo:hi], that is not balanced by one passed on the way: going back
// (dir -1) the '[' that opens the text at i, going on (+1) the ']' that
// closes it; escaped brackets and those in spans (sorted, see tightSpans)
// do not count; -1 for none.
func unmatched(b []byte, lo, hi, i, dir int, spans [][2]int) int {
	nests, ends := byte(']'), byte('[')
	if dir > 0 {
		nests, ends = '[', ']'
	}
	depth := 0
	for ; i >= lo && i < hi; i += dir {
		if k := sort.Search(len(spans), func(k int) bool { return spans[k][1] > i }); k < len(spans) && spans[k][0] <= i {
			if dir > 0 {
				i = spans[k][1] - 1
			} else {
				i = spans[k][0]
			}
			continue
		}
		switch {
		case b[i] != nests && b[i] != ends || escapedAt(b, lo, i):
		case b[i] == nests:
			depth++
		case depth == 0:
			return i
		default:
			depth--
		}
	}
	return -1
}

// lineStart returns where the line holding b[i] starts, not before floor.
func lineStart(b []byte, floor, i int) int {
	if j := bytes.LastIndexByte(b[floor:i], '\n'); j >= 0 {
		return floor + j + 1
	}
	return floor
}

// lineEnd returns the index of the '\n' that ends the line holding b[i],
// or ceil.
func lineEnd(b []byte, i, ceil int) int {
	if i >= ceil {
		return ceil
	}
	if j := bytes.IndexByte(b[i:ceil], '\n'); j >= 0 {
		return i + j
	}
	return ceil
}

// escapedAt reports whether b[i] is escaped by an odd run of '\' after lo.
func escapedAt(b []byte, lo, i int) bool {
	n := 0
	for k := i - 1; k >= lo && b[k] == '\\'; k-- {
		n++
	}
	return n%2 == 1
}

// mdIndex holds the Markdown link reference definitions of a text, by
// label, found when first needed.
type mdIndex struct {
	done bool
	defs map[string]string
}

func (m *mdIndex) get(text []byte) map[string]string {
	if !m.done {
		m.defs, m.done = markdownDefinitions(text), true
	}
	return m.defs
}

// mdLabel normalizes a reference label as CommonMark matches labels:
// Unicode case folded (ẞ and ss, Σ and ς match), white space collapsed and
// trimmed.
func mdLabel(label []byte) string {
	return strings.Join(strings.Fields(cases.Fold().String(string(label))), " ")
}

// ambiguousDef is the href of a label defined more than once with
// different hrefs: which definition a renderer uses depends on the blocks
// around them (a "definition" in a code block or an HTML block is none),
// which this package does not parse.
const ambiguousDef = "\x00ambiguous"

// markdownDefinitions finds the reference definitions "[label]: href" in
// the first MiB of text, as CommonMark reads them: the label may run over
// lines and hold escaped brackets, the href may be on the next line. A line
// is read as one whatever its indentation, blockquote '>' or list marker
// before it, and whatever block it is in: a label with two different hrefs
// is ambiguousDef, since the first real one wins and which is real is not
// known here.
func markdownDefinitions(text []byte) map[string]string {
	text = text[:min(len(text), 1<<20)]
	if !bytes.Contains(text, []byte("]:")) {
		return nil
	}
	defs := map[string]string{}
	for i := 0; i < len(text); {
		lineEnd := len(text)
		if k := bytes.IndexByte(text[i:], '\n'); k >= 0 {
			lineEnd = i + k
		}
		line, at := text[i:lineEnd], i
		i = lineEnd + 1
		for {
			t := bytes.TrimLeft(line, " \t\r>")
			if len(t) >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && (t[1] == ' ' || t[1] == '\t') {
				t = t[2:]
			} else if k := bytes.IndexFunc(t, func(r rune) bool { return r < '0' || r > '9' }); k > 0 && k+1 < len(t) && (t[k] == '.' || t[k] == ')') && (t[k+1] == ' ' || t[k+1] == '\t') {
				t = t[k+2:]
			}
			if len(t) == len(line) {
				break
			}
			line = t
		}
		if len(line) == 0 || line[0] != '[' {
			continue
		}
		// The label ends at the first unescaped ']' (at most 999
		// characters, CommonMark's limit, over lines but not a blank one).
		open := at + (lineEnd - at - len(line))
		k := labelEnd(text, open+1, min(len(text), open+1001))
		if k < 0 || k+1 >= len(text) || text[k+1] != ':' {
			continue
		}
		label := mdLabel(text[open+1 : k])
		after := text[k+2:]
		dest, rest, _ := bytes.Cut(after, []byte("\n"))
		dest = bytes.TrimSpace(dest)
		if len(dest) == 0 {
			next, _, _ := bytes.Cut(rest, []byte("\n"))
			dest = bytes.TrimSpace(next)
		}
		w := string(firstWord(dest))
		if label == "" || w == "" {
			continue
		}
		if h, seen := defs[label]; !seen {
			defs[label] = w
		} else if h != w {
			defs[label] = ambiguousDef
		}
	}
	return defs
}

// labelEnd returns the index of the first ']' in b[i:hi] that no '\'
// escapes, before a blank line or an unescaped '[' (which no label holds),
// or -1.
func labelEnd(b []byte, i, hi int) int {
	for ; i < hi; i++ {
		switch {
		case b[i] == '\\':
			i++
		case b[i] == '[':
			return -1
		case b[i] == ']':
			return i
		case b[i] == '\n' && len(bytes.TrimSpace(b[i+1:lineEnd(b, i+1, hi)])) == 0:
			return -1
		}
	}
	return -1
}

// qpText decodes the attributes of a tag from quoted-printable mail
// (href=3D"…"), which the mail client decodes before showing the link.
func qpText(s string) string {
	if isQuotedPrintable(s) {
		s, _ = decodeQuotedPrintable(s)
	}
	return s
}

// firstWord returns the leading run of b up to white space, ')' or a quote.
func firstWord(b []byte) []byte {
	b = bytes.TrimLeft(b, " \t<")
	i := 0
	for i < len(b) && b[i] != ' ' && b[i] != '\t' && b[i] != ')' && b[i] != '"' && b[i] != '>' {
		i++
	}
	return b[:i]
}

const anchorLen = len(find.Anchor)

// schemeLen returns the length of "http:" or "https:", in any case, with
// the colon plain, percent-encoded or defanged ("[:]"), at the start of b,
// or 0. A defanged "hxxp" counts: it is a link someone made unclickable.
func schemeLen(b []byte) int {
	if len(b) < 5 || b[0]|0x20 != 'h' || b[3]|0x20 != 'p' ||
		!(b[1]|0x20 == 't' && b[2]|0x20 == 't' || b[1]|0x20 == 'x' && b[2]|0x20 == 'x') {
		return 0
	}
	n := 4
	if b[n]|0x20 == 's' {
		n++
	}
	switch {
	case n < len(b) && b[n] == ':':
		return n + 1
	case n+2 < len(b) && b[n] == '%' && b[n+1] == '3' && b[n+2]|0x20 == 'a':
		return n + 3
	case n+2 < len(b) && b[n] == '[' && b[n+1] == ':' && b[n+2] == ']':
		return n + 3
	}
	return 0
}

// linkStart returns where the link starts in pre, the text of its piece
// before the anchor.
func linkStart(pre []byte) int {
	// The first scheme: a wrapper around the link is part of it.
	for i := 0; i+5 <= len(pre); i++ {
		if pre[i]|0x20 == 'h' && schemeLen(pre[i:]) > 0 {
			return i
		}
	}
	// No scheme: the host starts after the last separator before the
	// first '/' or '?'.
	h := len(pre)
	if i := bytes.IndexAny(pre, "/?"); i >= 0 {
		h = i
	}
	start := 0
	for i := h - 1; i >= 0; i-- {
		c := pre[i]
		if c == '=' || c == ',' || c == ';' || c == '*' || c == '!' || c == ':' && (i+1 >= len(pre) || pre[i+1] < '0' || pre[i+1] > '9') {
			start = i + 1
			break
		}
	}
	// Skip punctuation that cannot start a host: markdown emphasis, a dot
	// or tilde, Unicode quotes and spaces, and an opening bracket that the
	// host does not close (the '[' of a Markdown link's text, which must be
	// left out for the markup around the link to be found).
	for start < h {
		r, n := utf8.DecodeRune(pre[start:])
		if r == '.' || r == '~' || r == '_' || r == '^' || r >= utf8.RuneSelf && edgeJunk(r) ||
			strings.ContainsRune("([{", r) && bytes.IndexByte(pre[start:h], closerOf(byte(r))) < 0 {
			start += n
			continue
		}
		break
	}
	return start
}

// closerOf returns the bracket that closes the opening bracket c.
func closerOf(c byte) byte {
	if c == '(' {
		return ')'
	}
	return c + 2 // [ ] and { } are two apart in ASCII
}

// trimEnd returns where the link in tok[start:end] ends once trailing
// punctuation is dropped, and closing brackets that close nothing in it (a
// link in parentheses, a Markdown href); never before the end of the anchor.
func trimEnd(tok []byte, start, anchor, end int) int {
	least := anchor + anchorLen
	var open [3]int // ( [ { minus ) ] } in tok[start:end]
	counted := false
	for end > least {
		r, n := utf8.DecodeLastRune(tok[start:end])
		switch {
		case r < utf8.RuneSelf && strings.IndexByte(".,;:!?*\\", byte(r)) >= 0:
		case r < utf8.RuneSelf && strings.IndexByte(")]}", byte(r)) >= 0:
			if !counted { // only a token that ends in a bracket needs the count
				open, counted = brackets(tok[start:end]), true
			}
			k := strings.IndexByte(")]}", byte(r))
			if open[k] >= 0 {
				return end
			}
			open[k]++
		case r >= utf8.RuneSelf && edgeJunk(r):
		default:
			return end
		}
		end -= n
	}
	return max(end, least)
}

// brackets counts ( [ { minus ) ] } in b.
func brackets(b []byte) (open [3]int) {
	for _, c := range b {
		switch c {
		case '(':
			open[0]++
		case '[':
			open[1]++
		case '{':
			open[2]++
		case ')':
			open[0]--
		case ']':
			open[1]--
		case '}':
			open[2]--
		}
	}
	return open
}

// edgeJunk reports a non-ASCII rune that is not part of a link at its
// start or end: junkRune, or an invisible format character (U+200E that
// WhatsApp exports put after a link, U+200B, U+2060, U+FEFF), where a
// chat's linkifier ends the link. Inside a link, such a character stays:
// the browser gets it.
func edgeJunk(r rune) bool {
	return junkRune(r) || unicode.Is(unicode.Cf, r)
}

// junkRune reports a non-ASCII rune that does not belong to a link next to
// it: punctuation (typographic quotes), spaces, symbols, or invalid UTF-8.
func junkRune(r rune) bool {
	return r == utf8.RuneError || unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r)
}
