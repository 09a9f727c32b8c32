package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec"
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
}

func (it item) kind() string {
	if it.Link != nil {
		return "link"
	}
	return "mask"
}

// where names the item in messages: the input, with its stdin line.
func (it item) where() string {
	if it.Image != "" && it.Input != it.Image { // a link read from a screenshot (image.go)
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
// neither a mask nor a link is ordinary text and yields nothing.
func classifyLine(p *urlcodec.Parser, line string, n int64) []item {
	if strings.TrimSpace(line) == "" {
		return nil
	}
	if len(line) <= maxMaskLine && looksLikeMask(line) {
		if m, err := bitmask.Parse(line); err == nil {
			return []item{{Input: strings.TrimSpace(line), Line: n, Mask: m}}
		}
	}
	return hitItems(p.Extract(line), n)
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

// scanInput reads r line by line in bounded memory and calls fn with the
// items of each line, stopping early when fn returns false. It returns the
// first read error.
func scanInput(c *ctx, r io.Reader, fn func(item) bool) error {
	br := bufio.NewReaderSize(r, 64<<10)
	p := c.parser()
	var buf []byte
	for n := int64(1); ; n++ {
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
		if errors.Is(err, bufio.ErrBufferFull) {
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
		if len(buf) > 0 {
			for _, it := range classifyLine(p, string(buf), n) {
				if !fn(it) {
					return nil
				}
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
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

// eachInput calls fn for every item in args, reading stdin for "-" or when
// args is empty, and stops when stdout is gone. It reports inputs that are
// invalid (status 1) and, at the end, that nothing was found (status 1).
// fn gets only usable items.
func eachInput(c *ctx, args []string, fn func(item)) {
	found := false
	take := func(it item) bool {
		if it.Err != nil {
			c.invalid(it.where(), it.Err)
		} else {
			found = true
			fn(it)
		}
		return !c.broken()
	}
	if len(args) == 0 {
		args = []string{"-"}
	}
	stdinRead := false
	for _, a := range args {
		if a != "-" {
			if handled, stop := imageArg(c, a, take); handled { // a screenshot, read by OCR (image.go)
				if stop {
					return
				}
				continue
			}
			for _, it := range classify(c.parser(), a) {
				if it.Err != nil && isFile(a) {
					it.Err = fmt.Errorf("%s (to read the file: authmethods %s < %s)", errText(it.Err), c.cmd.name, shellQuote(a))
				}
				if !take(it) {
					return
				}
			}
			continue
		}
		if stdinRead {
			continue
		}
		stdinRead = true
		if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(f.Fd()) {
			fmt.Fprintf(c.stderr, "%sreading stdin: paste text or links, then Ctrl-D (Ctrl-Z Enter on Windows)\n", c.prefix())
		}
		if r := imageStdin(c, take); r != nil { // nil: stdin was a screenshot, read by OCR (image.go)
			if err := scanInput(c, r, take); err != nil {
				c.invalid("stdin", err)
			}
		}
		if c.broken() {
			return
		}
	}
	if !found && c.status == exitOK {
		fmt.Fprintf(c.stderr, "%sno mask or register link found\n", c.prefix())
		c.fail(exitInvalid)
	}
}
