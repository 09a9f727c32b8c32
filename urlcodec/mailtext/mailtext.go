// Package mailtext turns a saved or pasted mail message (an .eml file, a
// message's source) or a text file that starts with a byte-order mark into
// the text a person sees, so that register links can be looked for in it.
//
// Mail hides its text from a plain search: a body in base64 is letters and
// digits, quoted-printable writes = as =3D and breaks lines anywhere (inside
// an <a> tag too), a charset other than UTF-8 changes bytes, and a message
// with an HTML and a text part shows the reader only one of them, whose
// links may differ. A text file that Windows PowerShell writes with > is
// UTF-16. Parts undoes all of this and says, for each part, what it undid,
// so that a helpdesk can tell where a link came from.
//
// It reads no headers as text (the subject, the sender), runs nothing,
// fetches nothing, and keeps memory bounded whatever the input: see
// MaxInput and Parts.
package mailtext

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Bounds on what Parts reads. They are far above real mail (a message with
// attachments is a few MiB, nested two or three deep) and keep a crafted
// one from taking memory or time.
const (
	// MaxInput is the largest input Parts reads.
	MaxInput = 32 << 20
	// MaxDepth is how deep Parts goes into multiparts and forwarded
	// messages; deeper parts are skipped. A mail forwarded as an
	// attachment costs two levels (its message and its multipart), so
	// this reads eight forwards inside each other.
	MaxDepth = 16
	// MaxCopied bounds the bytes Parts copies out of the input in all,
	// the bodies of nested parts and messages: each level copies its
	// body, so that without it memory would grow with the depth.
	MaxCopied = 4 * MaxInput
	// MaxParts is how many parts of a message, of any type, Parts visits.
	MaxParts = 500
	// MaxText is the most text Parts returns, all parts together: a
	// charset conversion can make text longer than its bytes.
	MaxText = 2 * MaxInput
)

// ErrTooLarge is the error of an input over MaxInput bytes.
var ErrTooLarge = fmt.Errorf("mailtext: input over %d MiB", MaxInput>>20)

// A Part is the text of one part of a message, or of the whole input.
type Part struct {
	// Section numbers the part in its message as IMAP does (RFC 3501):
	// "1" for the body of a message that is not multipart, "2" for the
	// second part of a multipart, "2.1" for the first part of the
	// message or multipart that is part 2. It is "" when the input is
	// not a mail message.
	Section string
	// Type is the part's media type in lower case ("text/plain",
	// "text/html"); "" when the input is not a mail message.
	Type string
	// Text is the decoded text, in UTF-8 unless Note says the charset was
	// unknown. Its lines are the part's lines.
	Text string
	// Note says, for people, what the part is and what was undone to read
	// it ("part 2 of the mail, text/html, decoded from base64, charset
	// windows-1252"), and what was wrong with it; "" when the input is
	// text as is.
	Note string
}

// Error is what stopped Parts before the end of a message: a limit or a
// part it could not read. The parts before it are returned with it.
type Error struct {
	Section string // the part where it stopped; "" for the message itself
	Err     error
}

func (e *Error) Error() string {
	if e.Section == "" {
		return "mailtext: " + e.Err.Error()
	}
	return "mailtext: part " + e.Section + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Errors that an *Error wraps.
var (
	ErrTooManyParts = fmt.Errorf("more than %d parts: the rest is not read", MaxParts)
	ErrTooMuchText  = fmt.Errorf("more than %d MiB of text: the rest is not read", MaxText>>20)
	errTooDeep      = fmt.Errorf("parts and forwarded messages nested more than %d levels deep (a forward is one or two levels): the inner ones are not read", MaxDepth)
	ErrTooDeepBulk  = fmt.Errorf("the nested parts hold more than %d MiB in all: the rest is not read", MaxCopied>>20)
)

// IsMessage reports whether b, the start of an input, starts with the
// header block of a MIME message: header fields up to an empty line, as
// net/mail reads them, among them MIME-Version, Content-Type or
// Content-Transfer-Encoding. A mail pasted from a mail program's window
// ("From: … Subject: …" then the text) has none of them: it is text as it
// is, and is not a message here.
func IsMessage(b []byte) bool {
	m, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		return false
	}
	h := m.Header
	return len(h["Mime-Version"]) > 0 || len(h["Content-Type"]) > 0 || len(h["Content-Transfer-Encoding"]) > 0
}

// BOM returns the encoding that the byte-order mark at the start of b
// names, "UTF-8", "UTF-16LE" or "UTF-16BE", and "" when b starts with none.
func BOM(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return "UTF-8"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return "UTF-16LE"
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return "UTF-16BE"
	}
	return ""
}

// NewReader returns a reader of the text of br in UTF-8, without its
// byte-order mark, and the encoding the mark named (see BOM); when br
// starts with no mark it returns br itself and "". Unlike Parts it
// streams: a UTF-16 log of any size is read in bounded memory.
func NewReader(br *bufio.Reader) (io.Reader, string) {
	head, _ := br.Peek(3)
	enc := BOM(head)
	if enc == "" {
		return br, ""
	}
	return transform.NewReader(br, unicode.BOMOverride(transform.Nop)), enc
}

// Parts returns the text of b as a person reads it. A mail message (see
// IsMessage) gives one Part for each text part (text/plain, text/html and
// any other text/*, attachments too), in order, looking into multiparts
// and forwarded messages (message/rfc822) and undoing base64,
// quoted-printable and charsets; other parts (images, PDFs) are skipped,
// and a message without a text part gives none. Other input gives one
// Part, the text as it is, converted to UTF-8 when it starts with a
// byte-order mark, except an Outlook .msg (IsOutlookMsg), whose bodies
// are the Parts, or an *Error wrapping ErrBadMsg.
//
// A broken message (a boundary that never comes, base64 cut short, a
// forwarded message with broken headers) is read as far as it goes, and
// the Note of the part says what was wrong. When a bound stops Parts (see
// MaxDepth, MaxParts, MaxText), it returns the parts before with an
// *Error. An input over MaxInput bytes is ErrTooLarge, and nothing else.
func Parts(b []byte) ([]Part, error) {
	if len(b) > MaxInput {
		return nil, ErrTooLarge
	}
	if IsOutlookMsg(b) {
		return msgParts(b)
	}
	var prefix string
	if enc := BOM(b); enc != "" {
		// Nop never fails: a byte the BOM's encoding cannot read becomes
		// U+FFFD.
		t, _, _ := transform.Bytes(unicode.BOMOverride(transform.Nop), b)
		b = t
		prefix = "converted from " + enc + " (the input starts with a byte-order mark)"
		if enc == "UTF-8" {
			prefix = "without its UTF-8 byte-order mark"
		}
		if len(b) > MaxText {
			return nil, &Error{Err: ErrTooMuchText}
		}
	}
	if !IsMessage(b) {
		return []Part{{Text: string(b), Note: prefix}}, nil
	}
	w := &walker{prefix: prefix}
	m, _ := mail.ReadMessage(bytes.NewReader(b)) // IsMessage read it
	body, _ := io.ReadAll(m.Body)                // a bytes.Reader: no error
	err := w.message(textproto.MIMEHeader(m.Header), body, "", 0, false)
	return w.parts, err
}

// walker collects the parts of one message.
type walker struct {
	prefix  string // said before every note: what was done to the whole input
	parts   []Part
	visited int // parts seen, of any type
	text    int // bytes of Text returned
	copied  int // bytes copied out of the input: see MaxCopied
}

// copy counts b, a body just copied, against MaxCopied.
func (w *walker) copy(b []byte, section string) error {
	if w.copied += len(b); w.copied > MaxCopied {
		return &Error{Section: section, Err: ErrTooDeepBulk}
	}
	return nil
}

// message reads the body of a message, the top one or a forwarded one
// (fwd), whose sections start with section ("" or "2."); depth is how many
// multiparts and messages hold it.
func (w *walker) message(h textproto.MIMEHeader, body []byte, section string, depth int, fwd bool) error {
	t, params, _ := contentType(h, "text/plain")
	if strings.HasPrefix(t, "multipart/") {
		// RFC 3501: the parts of a multipart message are numbered from 1,
		// not the multipart itself.
		return w.multipart(t, params, body, strings.TrimSuffix(section, "."), depth+1, fwd)
	}
	return w.part(h, body, section+"1", depth, fwd, true)
}

// part reads one part; for its note, fwd says it is in a forwarded
// message, and whole that it is the whole body of its message.
func (w *walker) part(h textproto.MIMEHeader, body []byte, section string, depth int, fwd, whole bool) error {
	w.visited++
	if w.visited > MaxParts {
		return &Error{Section: section, Err: ErrTooManyParts}
	}
	t, params, ctErr := contentType(h, "text/plain")
	var problems []string
	if ctErr != nil {
		problems = append(problems, "its Content-Type is malformed: read as "+t)
	}
	if strings.HasPrefix(t, "multipart/") {
		return w.multipart(t, params, body, section, depth+1, fwd)
	}
	isMessage := t == "message/rfc822" || t == "message/global"
	if !strings.HasPrefix(t, "text/") && !isMessage {
		return nil // an image, a PDF …: nothing a person reads as text
	}
	data, how, problem := decodeTransfer(body, h.Get("Content-Transfer-Encoding"))
	if problem != "" {
		problems = append(problems, problem)
	}
	if isMessage {
		if depth >= MaxDepth {
			return &Error{Section: section, Err: errTooDeep}
		}
		if m, err := mail.ReadMessage(bytes.NewReader(data)); err == nil {
			inner, _ := io.ReadAll(m.Body)
			if err := w.copy(inner, section); err != nil {
				return err
			}
			return w.message(textproto.MIMEHeader(m.Header), inner, section+".", depth+1, true)
		}
		// Read what is there rather than nothing: a link in it is still
		// found.
		problems = append(problems, "the forwarded message's headers are broken: read as text")
		t = "text/plain"
	}
	text, cs, problem := decodeCharset(data, params["charset"], MaxText-w.text)
	if problem != "" {
		problems = append(problems, problem)
	}
	w.text += len(text)
	w.parts = append(w.parts, Part{Section: section, Type: t, Text: text, Note: w.note(section, t, fwd, whole, how, cs, h, problems)})
	if w.text >= MaxText {
		return &Error{Section: section, Err: ErrTooMuchText}
	}
	return nil
}

// multipart reads the parts of a multipart body, numbered section.1,
// section.2 … (1, 2 … at the top).
func (w *walker) multipart(t string, params map[string]string, body []byte, section string, depth int, fwd bool) error {
	if depth > MaxDepth {
		return &Error{Section: section, Err: errTooDeep}
	}
	prefix := ""
	if section != "" {
		prefix = section + "."
	}
	// In a digest each part is a message unless it says otherwise (RFC 2046).
	def := "text/plain"
	if t == "multipart/digest" {
		def = "message/rfc822"
	}
	boundary := params["boundary"]
	n := 0
	if boundary != "" {
		r := multipart.NewReader(bytes.NewReader(body), boundary)
		for {
			p, err := r.NextRawPart()
			if err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				// A part's headers are broken, or the message ends in one:
				// what came before stands.
				if n > 0 {
					w.noteLast(fmt.Sprintf("the mail ends in a broken part (%v)", err))
				}
				break
			}
			n++
			data, rerr := io.ReadAll(io.LimitReader(p, MaxInput+1))
			if err := w.copy(data, prefix+strconv.Itoa(n)); err != nil {
				return err
			}
			h := p.Header
			if ct := h.Get("Content-Type"); ct == "" {
				h = maps.Clone(h)
				h.Set("Content-Type", def)
			}
			before := len(w.parts)
			if err := w.part(h, data, prefix+strconv.Itoa(n), depth, fwd, false); err != nil {
				return err
			}
			if rerr != nil && len(w.parts) > before {
				// No closing boundary: the message was cut off.
				w.noteLast("the part is cut off (the message ends before its closing boundary)")
			}
			if rerr != nil {
				break
			}
		}
	}
	if n == 0 {
		// No boundary, or it never comes: a part of the text is still better
		// than none, and a link in it is found.
		why := "it names no boundary"
		if boundary != "" {
			why = fmt.Sprintf("its boundary %q is not in it", boundary)
		}
		h := textproto.MIMEHeader{"Content-Type": {"text/plain"}}
		before := len(w.parts)
		if err := w.part(h, body, prefix+"1", depth, fwd, false); err != nil {
			return err
		}
		if len(w.parts) > before {
			w.noteLast(fmt.Sprintf("read the whole %s as text: %s", t, why))
		}
	}
	return nil
}

// note says what part section is and how it was read.
func (w *walker) note(section, t string, fwd, whole bool, how, charset string, h textproto.MIMEHeader, problems []string) string {
	var b strings.Builder
	if w.prefix != "" {
		b.WriteString(w.prefix + "; ")
	}
	switch {
	case whole && !fwd:
		b.WriteString("the mail's " + t + " part")
	case whole:
		b.WriteString("part " + section + " of the mail, the " + t + " of a forwarded message")
	case fwd:
		b.WriteString("part " + section + " of the mail, " + t + ", in a forwarded message")
	default:
		b.WriteString("part " + section + " of the mail, " + t)
	}
	if _, p, err := mime.ParseMediaType(h.Get("Content-Disposition")); err == nil && p["filename"] != "" {
		fmt.Fprintf(&b, ", attachment %q", p["filename"])
	}
	if how != "" {
		b.WriteString(", decoded from " + how)
	}
	if charset != "" {
		b.WriteString(" (charset " + charset + ")")
	}
	for _, p := range problems {
		b.WriteString("; " + p)
	}
	return b.String()
}

// noteLast adds problem to the note of the last part read.
func (w *walker) noteLast(problem string) {
	if len(w.parts) > 0 {
		w.parts[len(w.parts)-1].Note += "; " + problem
	}
}

// contentType returns the media type of h in lower case, def when it has
// none, and its parameters. A malformed one gives what could be read of it
// (the type before ';') and the error.
func contentType(h textproto.MIMEHeader, def string) (string, map[string]string, error) {
	v := h.Get("Content-Type")
	if strings.TrimSpace(v) == "" {
		return def, nil, nil
	}
	t, params, err := mime.ParseMediaType(v)
	if t == "" {
		// Unreadable: as RFC 2045 says of a syntax error, plain text.
		t = strings.ToLower(strings.TrimSpace(strings.SplitN(v, ";", 2)[0]))
		if !strings.Contains(t, "/") || strings.ContainsAny(t, " \t\"") {
			t = "text/plain"
		}
	}
	return t, params, err
}

// decodeTransfer undoes the Content-Transfer-Encoding cte. how names what
// was undone ("base64"); problem says what was wrong, for the note.
func decodeTransfer(body []byte, cte string) (data []byte, how, problem string) {
	switch cte = strings.ToLower(strings.TrimSpace(cte)); cte {
	case "", "7bit", "8bit", "binary":
		return body, "", ""
	case "base64":
		data, problem = decodeBase64(body)
		return data, "base64", problem
	case "quoted-printable":
		return decodeQP(body), "quoted-printable", ""
	}
	return body, "", fmt.Sprintf("unknown Content-Transfer-Encoding %q: read as it is", cte)
}

// decodeQP decodes quoted-printable (RFC 2045) as leniently as mail
// programs do, so that no input is an error and no text is lost: "=" and
// two hex digits (either case) is a byte, "=" before a line end (after
// spaces too) joins the lines, and any other "=" is itself. Spaces at a
// line end are dropped, as the RFC says.
func decodeQP(body []byte) []byte {
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '=':
			j := i + 1
			for j < len(body) && (body[j] == ' ' || body[j] == '\t') {
				j++
			}
			if j == len(body) {
				i = j // a soft line break at the very end
				continue
			}
			if body[j] == '\n' || body[j] == '\r' && j+1 < len(body) && body[j+1] == '\n' {
				if body[j] == '\r' {
					j++
				}
				i = j // a soft line break
				continue
			}
			if i+2 < len(body) && unhex(body[i+1]) >= 0 && unhex(body[i+2]) >= 0 {
				out = append(out, byte(unhex(body[i+1])<<4|unhex(body[i+2])))
				i += 2
				continue
			}
			out = append(out, c)
		case c == '\n':
			out = append(bytes.TrimRight(out, " \t"), c)
			if n := len(out); n >= 2 && out[n-2] == '\r' {
				// "\r\n": the spaces before the \r go too.
				out = append(bytes.TrimRight(out[:n-2], " \t"), '\r', '\n')
			}
		default:
			out = append(out, c)
		}
	}
	return out
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return int(c - 'A' + 10)
	}
	return -1
}

// decodeBase64 decodes base64 with line breaks and spaces anywhere, and
// with or without its padding. Text that is not base64 ends the decoding:
// what came before is returned, and problem says so.
func decodeBase64(body []byte) (data []byte, problem string) {
	clean := make([]byte, 0, len(body))
	for _, c := range body {
		if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
			clean = append(clean, c)
		}
	}
	// Padding only at the end, and optional: RawStdEncoding reads both.
	if i := bytes.IndexByte(clean, '='); i >= 0 {
		if len(bytes.Trim(clean[i:], "=")) > 0 {
			problem = "the base64 goes on after its end ('='): only what comes before is read"
		}
		clean = clean[:i]
	}
	data = make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, err := base64.RawStdEncoding.Decode(data, clean)
	if err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) && int(ce) >= len(clean)-1 && len(clean)%4 == 1 {
			problem = "the base64 is cut off: its last character is dropped"
		} else {
			problem = fmt.Sprintf("the base64 is broken (%v): only what comes before is read", err)
		}
	}
	return data[:n], problem
}

// decodeCharset converts data from charset to UTF-8, returning at most max
// bytes. cs names the charset converted from ("" for UTF-8 and ASCII, which
// need nothing); problem says what could not be done.
func decodeCharset(data []byte, charset string, max int) (text, cs, problem string) {
	charset = strings.ToLower(strings.Trim(strings.TrimSpace(charset), `"'`))
	if len(data) > max {
		data = data[:max]
		problem = ErrTooMuchText.Error()
	}
	switch charset {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return string(data), "", problem
	}
	enc, err := htmlindex.Get(charset)
	if err != nil || enc == encoding.Replacement {
		// An unknown charset, or one the WHATWG list reads as nothing but
		// U+FFFD (ISO-2022-KR …): keep the bytes, which show any link in
		// ASCII, rather than hide them.
		p := fmt.Sprintf("charset %q is unknown here: the bytes are read as they are", charset)
		if problem != "" {
			p = problem + "; " + p
		}
		return string(data), "", p
	}
	name, _ := htmlindex.Name(enc)
	if name == "utf-8" {
		return string(data), "", problem
	}
	out, rerr := io.ReadAll(io.LimitReader(transform.NewReader(bytes.NewReader(data), enc.NewDecoder()), int64(max)+1))
	if rerr != nil {
		return string(data), "", fmt.Sprintf("charset %s cannot be read (%v): the bytes are read as they are", name, rerr)
	}
	if len(out) > max {
		out = out[:max]
		problem = ErrTooMuchText.Error()
	}
	return string(out), name, problem
}
