package main

// Whole inputs: a saved or pasted mail message, a file with a byte-order
// mark, and HTML are not read line by line. Mail hides its text in base64
// or quoted-printable, PowerShell's > writes UTF-16, and HTML puts an
// <a href> on one line and the link it shows on the next: read line by
// line, each finds nothing, or a register link without the href that
// makes it phishing. Everything else is read line by line as before
// (scanInput), in bounded memory and as it comes.

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/authmethods/authmethods/urlcodec"
	"github.com/authmethods/authmethods/urlcodec/mailtext"
)

// peekSize is how much of an input is looked at to decide how to read it.
const peekSize = 64 << 10

// readText reads a text input, a file or stdin, named c.source in
// messages, and passes its items to take. It decides from the start of
// the input how (see wholeKind):
//
//   - a byte-order mark: converted to UTF-8 as it is read, then as below;
//   - a MIME message (mailtext.IsMessage) or HTML: read whole, up to
//     mailtext.MaxInput, and each text part decoded (mailtext.Parts); HTML
//     is searched whole (urlcodec's Extract, which joins an <a> tag to its
//     link text over lines), plain text line by line as a pasted text is;
//   - anything else, or more than mailtext.MaxInput: line by line, up to a
//     line with a tag that makes a link, from which on it is HTML, read
//     whole (see scanInput).
func readText(c *invocation, r io.Reader, take func(item) bool) error {
	br := bufio.NewReaderSize(r, peekSize)
	if u, enc := mailtext.NewReader(br); enc != "" {
		if enc != "UTF-8" { // UTF-8 only loses its mark: nothing to say
			c.notef("%s: converted from %s (it starts with a byte-order mark)", c.source, enc)
		}
		br = bufio.NewReaderSize(u, peekSize)
	}
	head := peekHead(br)
	kind := wholeKind(head)
	if kind == "" && len(head) >= br.Size() && undecided(head) {
		// Header fields all through the peek (padded, perhaps, to hide the
		// mail): read whole, and mailtext decides; what is no message is
		// one part, read line by line.
		kind = "mail"
	}
	if kind == "" {
		all, ok, err := complete(br, r, head)
		switch {
		case err != nil:
			return err
		case ok:
			return scanInContext(c, all, take)
		}
		return scanInput(c, io.MultiReader(bytes.NewReader(all), br), take)
	}
	b, err := io.ReadAll(io.LimitReader(br, mailtext.MaxInput+1))
	if err != nil {
		return err
	}
	if len(b) > mailtext.MaxInput {
		// Memory stays bounded: past the cap, the rest streams.
		c.notef("%s: over %d MiB: read line by line, not as a whole %s", c.source, mailtext.MaxInput>>20, kind)
		return scanInput(c, io.MultiReader(bytes.NewReader(b), br), take)
	}
	if kind == "HTML" {
		readHTML(c, string(b), "", take)
		return nil
	}
	parts, err := mailtext.Parts(b)
	source := c.source
	defer func() { c.source = source }()
	for _, p := range parts {
		c.source = source
		c.notef("%s: %s", source, safeText(p.Note))
		c.source = source + " part " + p.Section
		if p.Type == "text/html" {
			if !readHTML(c, p.Text, p.Section, take) {
				return nil
			}
			continue
		}
		// A plain-text part is shown as text: a tag in it makes no link.
		err := scanLines(c, strings.NewReader(p.Text), func(it item) bool {
			it.Part = p.Section
			return take(it)
		}, 0, false)
		if err != nil || c.broken() {
			return err
		}
	}
	c.source = source
	var e *mailtext.Error
	switch {
	case errors.As(err, &e) && e.Section != "":
		c.warnf("%s part %s: %s", source, e.Section, errText(e.Err))
	case errors.As(err, &e):
		c.warnf("%s: %s", source, errText(e.Err))
	case err != nil:
		c.warnf("%s: %s", source, errText(err))
	case len(parts) == 0:
		c.notef("%s: the mail has no text part", source)
	}
	return nil
}

// complete returns the whole of a text input when it is all there without
// waiting, so that its links can be judged in context: it ended within the
// peek (a paste), it was posted to serve, or it is a regular file of at
// most mailtext.MaxInput bytes. A pipe that goes on is left to stream. ok
// false with all read means the input was longer than the limit: all
// comes first, then the rest of br.
func complete(br *bufio.Reader, r io.Reader, head []byte) (all []byte, ok bool, err error) {
	if len(head) < br.Size() {
		if _, err := br.Peek(len(head) + 1); err == io.EOF {
			return head, true, nil
		}
	}
	switch f := r.(type) {
	case textStdin: // text posted to serve: all there, within its size limit
	case *os.File:
		if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() || fi.Size() > mailtext.MaxInput {
			return nil, false, nil
		}
	default:
		return nil, false, nil
	}
	all, err = io.ReadAll(io.LimitReader(br, mailtext.MaxInput+1))
	return all, err == nil && len(all) <= mailtext.MaxInput, err
}

// scanInContext reads a text that is all there line by line, as scanInput
// does (masks, links a mail client broke over lines), but judges each link
// with the text around it too, as Extract does: a Markdown link whose text
// runs over lines, a reference defined lines away, a Textile link over
// lines. A link that is not genuine in the whole text is not called genuine
// for its line alone.
func scanInContext(c *invocation, all []byte, take func(item) bool) error {
	type at struct {
		line int64
		text string
	}
	worse := map[at]*urlcodec.Link{} // only untrusted links: a dense log of genuine ones keeps none
	for h := range c.parser().Hits(string(all)) {
		if h.Link != nil && !h.Link.Verdict.Trusted {
			worse[at{h.Line, h.Text}] = h.Link
		}
	}
	return scanInput(c, bytes.NewReader(all), func(it item) bool {
		if w, ok := worse[at{it.Line, it.Input}]; ok && it.Link != nil && it.Link.Verdict.Trusted {
			it.Link, it.Mask = w, w.Mask
		}
		return take(it)
	})
}

// readHTML passes on the register links in HTML text, searched whole so
// that an <a href> and its link text on different lines are read together;
// section is the mail part it is, "" for a file. It returns false when
// take asked to stop.
func readHTML(c *invocation, text, section string, take func(item) bool) bool {
	for h := range c.parser().Hits(text) { // one at a time: memory stays the text's
		it := hitItem(h, h.Line)
		it.Part = section
		if !take(it) {
			return false
		}
	}
	return true
}

// wholeKind says whether the start of an input, head, makes it one that is
// read whole: "mail" for a MIME message, "HTML" for HTML, "" for text read
// line by line. HTML is what starts (after white space) with a tag, a
// comment or a doctype: "<p>", "<a href=…>", "<html", "<!DOCTYPE html>";
// or text with an <a …>, <area …> or VML <v:…> tag anywhere in head (a
// forwarded mail's source pasted after a line of prose), whose link text
// may be on another line.
// Only what has come is looked at, so that a live pipe is not held up
// waiting for 64 KiB; a register link in angle brackets ("<https://…>",
// "<mysignins.microsoft.com/…>") is no tag, and text is left as it was read.
func wholeKind(head []byte) string {
	// An Outlook .msg keeps its bodies in UTF-16 and compressed RTF: read
	// line by line, it has no link.
	if mailtext.IsMessage(head) || mailtext.IsOutlookMsg(head) {
		return "mail"
	}
	if linkTag(head) {
		return "HTML"
	}
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) < 2 || t[0] != '<' {
		return ""
	}
	if t[1] == '!' {
		if bytes.HasPrefix(t, []byte("<!--")) || len(t) >= 9 && strings.EqualFold(string(t[:9]), "<!doctype") {
			return "HTML"
		}
		return ""
	}
	i := 1
	name := func() {
		for i < len(t) && (isLetter(t[i]) || i > 1 && '0' <= t[i] && t[i] <= '9') {
			i++
		}
	}
	name()
	// A namespaced name too: Outlook's <o:p> and VML <v:roundrect>.
	if i > 1 && i+1 < len(t) && t[i] == ':' && isLetter(t[i+1]) {
		i++
		name()
	}
	if i > 1 && (i == len(t) || bytes.IndexByte([]byte(" \t\r\n>/"), t[i]) >= 0) {
		return "HTML"
	}
	return ""
}

// linkTag reports whether b holds the start of a tag that can make a link
// of the text in it, in any case: "<a" or "<area" then white space, or a
// VML shape ("<v:" then a letter), which Outlook makes a button with href.
func linkTag(b []byte) bool {
	for i := 0; ; i++ {
		k := bytes.IndexByte(b[i:], '<')
		if k < 0 || i+k+2 >= len(b) {
			return false
		}
		i += k
		t := b[i+1:]
		for _, name := range []string{"a", "area"} {
			if len(t) > len(name) && strings.EqualFold(string(t[:len(name)]), name) && bytes.IndexByte([]byte(" \t\r\n"), t[len(name)]) >= 0 {
				return true
			}
		}
		if len(t) > 2 && t[0]|0x20 == 'v' && t[1] == ':' && isLetter(t[2]) {
			return true
		}
	}
}

// peekHead returns the start of br, no more than wholeKind needs: it waits
// for more input only while the start could still be a header block or a
// tag, so that a pipe that sends a line at a time is read as it comes.
func peekHead(br *bufio.Reader) []byte {
	for n := 1; ; {
		if _, err := br.Peek(n); err != nil {
			b, _ := br.Peek(br.Buffered())
			return b
		}
		b, _ := br.Peek(br.Buffered())
		if len(b) >= br.Size() || !undecided(b) {
			return b
		}
		n = len(b) + 1
	}
}

// undecided reports whether wholeKind may answer otherwise once more of
// the input than b has come: b is white space only, a tag not yet past
// its name, or header fields without the empty line that ends them.
func undecided(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	switch {
	case len(t) == 0:
		return true
	case len(b) < len(mailtext.OLESignature) && strings.HasPrefix(mailtext.OLESignature, string(b)):
		return true // the start of an Outlook .msg's signature
	case t[0] == '<':
		return len(t) < 16 && !bytes.ContainsAny(t[1:], " \t\r\n>/")
	case len(t) != len(b):
		return false // white space first: no header block
	}
	for first := true; len(b) > 0; first = false {
		line, rest, complete := bytes.Cut(b, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			return !complete // the end of the header block, or "\r" so far
		}
		if !first && (line[0] == ' ' || line[0] == '\t') {
			b = rest
			continue // a folded header field
		}
		name, _, colon := bytes.Cut(line, []byte(":"))
		for _, c := range name {
			if c <= ' ' || c > '~' {
				return false // not a field name: text
			}
		}
		if complete && (!colon || len(name) == 0) {
			return false
		}
		if !complete {
			return true
		}
		b = rest
	}
	return true
}
