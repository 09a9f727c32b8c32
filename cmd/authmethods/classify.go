package main

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unsafe"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec"
	"github.com/authmethods/authmethods/urlcodec/mailtext"
)

// An item is one mask or register link found in an input, or what was wrong
// with one.
type item struct {
	Input string         // the mask or link as found (the whole input for a mask)
	Line  int64          // 1-based line of stdin; 0 for an argument
	Mask  bitmask.Mask   // the authMethods value
	Link  *urlcodec.Link // nil for a mask
	Err   error          // set when the input or this link is unusable
	Image string         // the screenshot the link was read from by OCR (image.go); "" for text
	Part  string         // the section of the mail part it was found in ("2", "1.2"; mail.go); "" otherwise
}

func (it item) kind() string {
	if it.Link != nil {
		return "link"
	}
	return "mask"
}

// where names the item in messages: the input, with its stdin line.
func (it item) where() string {
	if it.Image != "" && it.Input != it.Image {
		return quote(it.Image) + ": " + quote(it.Input)
	}
	if it.Line > 0 {
		return fmt.Sprintf("stdin:%d: %s", it.Line, quote(it.Input))
	}
	return quote(it.Input)
}

// errNothing is the error of an argument that is neither a mask nor text
// holding a register link.
var errNothing = errors.New("not a mask, and no register link (…/register?authMethods=…) in it")

// classify reads one argument: a mask if bitmask.Parse accepts it, else every
// register link in it, else an error naming it. It always returns at least
// one item.
func classify(p *urlcodec.Parser, input string) []item {
	m, err := bitmask.Parse(input)
	if err == nil {
		return []item{{Input: input, Mask: m}}
	}
	// Extract rejoins a link a mail client broke over lines, with a warning.
	hits := p.Extract(input)
	if len(hits) == 1 && brokenOverLines(input, hits[0]) {
		// A mail client broke the link over lines ("…authMethods=19" then
		// "76&authMethodCount=1"): text search stops at the break and would
		// read 19. A browser drops the break (WHATWG), and so does Parse,
		// with a warning.
		if l, perr := p.Parse(input); perr == nil {
			return []item{{Input: input, Mask: l.Mask, Link: &l}}
		}
	}
	if len(hits) > 0 {
		return hitItems(hits, 0)
	}
	// Text search splits at spaces; a link retyped from a screenshot
	// ("register ? authMethods = 1O76") has them, and Parse repairs it
	// with a warning for each repair.
	if l, perr := p.Parse(input); perr == nil {
		return []item{{Input: input, Mask: l.Mask, Link: &l}}
	}
	if !looksLikeMask(input) {
		// Not "smss" or "16,fido3", where the mask error says more.
		err = errNothing
	}
	return []item{{Input: input, Err: err}}
}

// brokenOverLines reports whether input is one link, h, broken by line
// breaks or tabs: nothing before h but white space or an opening bracket or
// quote, and after h, past a line break or tab, more text, with no space
// anywhere (a space means prose, where a line break ends the link).
func brokenOverLines(input string, h urlcodec.Hit) bool {
	t := strings.TrimSpace(input)
	before, after := input[:h.Offset], input[h.Offset+int64(len(h.Text)):]
	return !strings.Contains(t, " ") && strings.ContainsAny(t, "\t\r\n") &&
		strings.Trim(before, " \t\r\n<([{\"'") == "" && strings.TrimSpace(after) != ""
}

// classifyLine reads one line of stdin. Unlike an argument, a line with
// neither a mask nor a link is ordinary text and yields nothing. A whole
// line is read as a mask; in text (stdin that started with prose or a
// link, not a mask), only when it is unmistakably one: numbers of two or
// more digits and Graph's method names, not words such as "Text", "Push",
// "Tap", "phone" or "2" that people write in a mail or chat.
func classifyLine(p *urlcodec.Parser, line string, n int64, masks bool) []item {
	if strings.TrimSpace(line) == "" {
		return nil
	}
	if m, ok := lineMask(line, !masks); ok {
		return []item{{Input: strings.Clone(strings.TrimSpace(line)), Line: n, Mask: m}}
	}
	return hitItems(p.Extract(line), n)
}

// lineMask reads a whole line as a mask. Every word must be a number or a
// method name before bitmask.Parse is asked, so that a line of prose costs
// map look-ups, not a did-you-mean that nobody sees. strict takes only
// Graph's names and numbers of two or more digits.
func lineMask(line string, strict bool) (bitmask.Mask, bool) {
	if len(line) > maxMaskLine || !looksLikeMask(line) || !maskWords(line, strict) {
		return 0, false
	}
	m, err := bitmask.Parse(line)
	return m, err == nil
}

// maskWords reports whether every word of s is a number, a method name or
// alias, or "none"; strict, whether every word is a number of two or more
// digits or a Graph name. It allocates nothing for a line of prose.
func maskWords(s string, strict bool) bool {
	words := 0
	for len(s) > 0 {
		i := 0
		for i < len(s) && isMaskSep(s[i]) {
			i++
		}
		s = s[i:]
		j := 0
		for j < len(s) && !isMaskSep(s[j]) {
			j++
		}
		if j == 0 {
			break
		}
		w := s[:j]
		s = s[j:]
		words++
		switch {
		case w[0] >= '0' && w[0] <= '9' || w[0] == '-':
			if strict && len(w) < 2 {
				return false
			}
		case strict:
			if _, ok := bitmask.LookupMode(w); !ok {
				return false
			}
		default:
			if _, ok := bitmask.Lookup(w); !ok && !strings.EqualFold(w, bitmask.None) {
				return false
			}
		}
	}
	return words > 0
}

func isMaskSep(c byte) bool {
	return c == ',' || c == '|' || c == '+' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\''
}

// loneAlias reports whether line is one word that is an alias of a method
// (not a Graph name, not a number), with separators around it at most:
// the word a greeting ("Hello,") or a heading may be.
func loneAlias(line string) bool {
	words := strings.FieldsFunc(line, func(r rune) bool { return r < 0x80 && isMaskSep(byte(r)) })
	if len(words) != 1 {
		return false
	}
	_, alias := bitmask.Lookup(words[0])
	_, graph := bitmask.LookupMode(words[0])
	return alias && !graph
}

// maxMaskLine is the longest stdin line tried as a mask: all 18 Graph names
// joined take about 300 bytes; longer lines are text.
const maxMaskLine = 512

// looksLikeMask reports whether s was probably meant as a mask: only the
// characters of numbers, names and their separators, no URL punctuation.
func looksLikeMask(s string) bool {
	return strings.TrimSpace(s) != "" && !strings.ContainsAny(s, "/?=&:%@\\<>")
}

// hitItems turns the register links urlcodec.Extract found (each with its
// Link or Err) into items; line is the stdin line of the text, 0 for an
// argument.
func hitItems(hits []urlcodec.Hit, line int64) []item {
	out := make([]item, 0, len(hits))
	for _, h := range hits {
		out = append(out, hitItem(h, line))
	}
	return out
}

func hitItem(h urlcodec.Hit, line int64) item {
	it := item{Input: h.Text, Line: line, Link: h.Link, Err: h.Err}
	if h.Link != nil {
		it.Mask = h.Link.Mask
	}
	return it
}

// isFile reports whether name is an existing regular file, for a hint: the
// commands read stdin, not files named as arguments.
func isFile(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.Mode().IsRegular()
}

// maxLine is how much of a stdin line is held in memory. A longer line is
// no mask, and its links are found by urlcodec's streaming Scanner, so that
// memory stays bounded whatever the input.
const maxLine = 1 << 20

// maxJoins is how many line breaks of one link lineJoiner rejoins: a mail
// client wraps at 72 to 78 columns, so this is a link of 4,600 characters
// or more, many times a Safe Links wrapper around a register link. Each
// join copies the lines held so far: without a bound, a run of short lines
// that each continue a link ("a=") costs time quadratic in their number.
const maxJoins = 64

// scanInput reads r line by line in bounded memory and calls fn with the
// items of each line, stopping early when fn returns false. It returns the
// first read error.
//
// From a line that holds a tag that makes a link (see linkTag) on, the
// input is HTML, whose <a> and link text may be lines apart: the rest is
// read whole, up to mailtext.MaxInput, as readText reads HTML.
func scanInput(c *invocation, r io.Reader, fn func(item) bool) error {
	return scanLines(c, r, fn, 0, true)
}

// scanLines is scanInput for the lines after line0; html says whether a
// line with a link tag makes the rest HTML.
func scanLines(c *invocation, r io.Reader, fn func(item) bool, line0 int64, html bool) error {
	br := bufio.NewReaderSize(r, 64<<10)
	p := c.parser()
	lines := &lineJoiner{p: p, fn: fn}
	var buf []byte
	for n := line0 + 1; ; n++ {
		buf = buf[:0]
		var err error
		for {
			var frag []byte
			frag, err = br.ReadSlice('\n')
			buf = append(buf, frag...)
			if !errors.Is(err, bufio.ErrBufferFull) || len(buf) >= maxLine {
				break
			}
		}
		if html && linkTag(buf) {
			if !lines.pause() {
				return nil
			}
			rest, err := io.ReadAll(io.LimitReader(io.MultiReader(bytes.NewReader(buf), br), mailtext.MaxInput+1))
			if err != nil {
				return err
			}
			if len(rest) > mailtext.MaxInput {
				c.notef("%s: HTML from line %d on is over %d MiB: read line by line, not as a whole", cmp.Or(c.source, "stdin"), n, mailtext.MaxInput>>20)
				return scanLines(c, io.MultiReader(bytes.NewReader(rest), br), fn, n-1, false)
			}
			for h := range p.Hits(string(rest)) {
				if !fn(hitItem(h, h.Line+n-1)) {
					return nil
				}
			}
			return nil
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			if !lines.pause() {
				return nil
			}
			// A huge line: stream what was read and the rest of the line.
			sc := p.NewScanner(io.MultiReader(bytes.NewReader(buf), &restOfLine{br: br}))
			for sc.Scan() {
				if !fn(hitItem(sc.Hit(), n)) {
					return nil
				}
			}
			if err := sc.Err(); err != nil {
				return err
			}
			continue
		}
		if len(buf) > 0 && !lines.add(buf, n) {
			return nil
		}
		if err == io.EOF {
			lines.flush()
			return nil
		}
		if err != nil {
			lines.flush()
			return err
		}
	}
}

// lineJoiner reads stdin's lines: it holds back a line that ends inside a
// link until the next one shows whether a mail client broke the link there
// (urlcodec.JoinLines), and decides from the first line whether bare
// masks are read at all.
type lineJoiner struct {
	p       *urlcodec.Parser
	fn      func(item) bool
	held    string // a line that may go on in the next one
	heldAt  int64
	notes   []string
	started bool // a non-empty line was seen
	masks   bool // the input started with a mask
	// first is the first line while it is held: one alias word, a mask
	// when it is the whole input ("hello" is Windows Hello for Business),
	// a greeting when text follows ("Hello,").
	first   string
	firstAt int64
}

// add takes line n, which it may not keep: b is reused for the next line.
// It returns false when fn asked to stop.
func (j *lineJoiner) add(b []byte, n int64) bool {
	// A view of b, not a copy: most lines are read once and dropped, and
	// copying each costs more than reading it (what is kept is cloned).
	line := unsafe.String(unsafe.SliceData(b), len(b))
	switch {
	case !j.started && strings.TrimSpace(line) != "":
		j.started = true
		if _, j.masks = lineMask(line, false); j.masks && loneAlias(line) {
			j.first, j.firstAt = strings.Clone(line), n
			return true
		}
	case j.first != "" && strings.TrimSpace(line) != "":
		// A list of masks goes on with masks; a message with text.
		if _, next := lineMask(line, false); !j.settle(next) {
			return false
		}
	}
	if j.held != "" {
		if joined, ok := urlcodec.JoinLines(j.held, line); ok && len(joined) <= maxLine && len(j.notes) < maxJoins {
			j.notes = append(j.notes, fmt.Sprintf("rejoined a link that was broken over lines %d and %d (as a mail client wraps long lines)", n-1, n))
			j.held = joined
			return true
		}
		if !j.flushHeld() {
			return false
		}
	}
	if urlcodec.EndsInLink(line) {
		j.held, j.heldAt = strings.Clone(line), n
		return true
	}
	return j.read(line, n, nil)
}

// read classifies one line and passes its items on.
func (j *lineJoiner) read(line string, n int64, notes []string) bool {
	for _, it := range classifyLine(j.p, line, n, j.masks) {
		if it.Link != nil && len(notes) > 0 {
			// How the input was rebuilt is a repair of the link, said with
			// its other warnings (decode, explain's "Unusual" line).
			l := *it.Link
			l.Warnings = append(append([]string{}, notes...), l.Warnings...)
			it.Link = &l
		}
		if !j.fn(it) {
			return false
		}
	}
	return true
}

// settle reads the first line held back: as a mask, or, when text other
// than masks follows, as text.
func (j *lineJoiner) settle(mask bool) bool {
	if j.first == "" {
		return true
	}
	line := j.first
	j.first, j.masks = "", mask
	return j.read(line, j.firstAt, nil)
}

// flush reads the lines held back at the end of the input.
func (j *lineJoiner) flush() bool { return j.settle(true) && j.flushHeld() }

// pause reads the lines held back before more input that is read another
// way (a huge line, HTML): the first line was not the whole input.
func (j *lineJoiner) pause() bool { return j.settle(false) && j.flushHeld() }

// flushHeld reads the line held back as the end of a link.
func (j *lineJoiner) flushHeld() bool {
	if j.held == "" {
		return true
	}
	line, n, notes := j.held, j.heldAt, j.notes
	j.held, j.notes = "", nil
	return j.read(line, n, notes)
}

// restOfLine reads br up to and including the next newline, which it
// consumes but does not return.
type restOfLine struct {
	br   *bufio.Reader
	done bool
}

func (l *restOfLine) Read(p []byte) (int, error) {
	if l.done || len(p) == 0 {
		if l.done {
			return 0, io.EOF
		}
		return 0, nil
	}
	if l.br.Buffered() == 0 {
		if _, err := l.br.Peek(1); err != nil {
			l.done = true
			return 0, err
		}
	}
	b, _ := l.br.Peek(min(len(p), l.br.Buffered()))
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		n := copy(p, b[:i])
		l.br.Discard(i + 1)
		l.done = true
		return n, nil
	}
	n := copy(p, b)
	l.br.Discard(n)
	return n, nil
}
