package main

import (
	"bufio"
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
}

func (it item) kind() string {
	if it.Link != nil {
		return "link"
	}
	return "mask"
}

// where names the item in messages: the input, with its stdin line.
func (it item) where() string {
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
	if m, err := bitmask.Parse(input); err == nil {
		return []item{{Input: input, Mask: m}}
	} else if looksLikeMask(input) {
		// "smss" or "16,fido3": the mask error says more than "no link".
		if items := findLinks(p, input, 0); len(items) > 0 {
			return items
		}
		return []item{{Input: input, Err: err}}
	}
	if items := findLinks(p, input, 0); len(items) > 0 {
		return items
	}
	return []item{{Input: input, Err: errNothing}}
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
	return findLinks(p, line, n)
}

// maxMaskLine is the longest stdin line tried as a mask: all 18 Graph names
// joined take about 300 bytes; longer lines are text.
const maxMaskLine = 512

// looksLikeMask reports whether s was probably meant as a mask: only the
// characters of numbers, names and their separators, no URL punctuation.
func looksLikeMask(s string) bool {
	return strings.TrimSpace(s) != "" && !strings.ContainsAny(s, "/?=&:%@\\<>")
}

// findLinks returns every register link in text (each with its Link or Err).
//
// TODO(urlcodec.Extract): until the extractor lands this parses the whole
// text as one link, or else each space- or quote-delimited token with an
// authMethods= parameter (plain or percent-encoded).
func findLinks(p *urlcodec.Parser, text string, line int64) []item {
	if t := strings.TrimSpace(text); !strings.ContainsAny(t, " \t\n") {
		if l, err := p.Parse(t); err == nil {
			return []item{{Input: t, Line: line, Link: l, Mask: l.Mask}}
		}
	}
	var out []item
	for _, tok := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '"' || r == '\'' || r == '<' || r == '>'
	}) {
		if !containsFold(tok, "authmethods=") && !containsFold(tok, "authmethods%3d") {
			continue
		}
		l, err := p.Parse(tok)
		it := item{Input: tok, Line: line, Link: l, Err: err}
		if l != nil {
			it.Mask = l.Mask
		}
		out = append(out, it)
	}
	return out
}

// isFile reports whether name is an existing regular file, for a hint: the
// commands read stdin, not files named as arguments.
func isFile(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.Mode().IsRegular()
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), sub)
}

// maxLine bounds one line of stdin; the rest of a longer line is skipped
// with a warning, so memory stays bounded whatever the input.
const maxLine = 1 << 20

// scanInput reads r line by line in bounded memory and calls fn with the
// items of each line, stopping early when fn returns false. It returns the
// first read error.
//
// TODO(urlcodec.NewScanner): switch to the streaming extractor when it lands.
func scanInput(c *ctx, r io.Reader, fn func(item) bool) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var n int64
	var buf []byte
	for {
		frag, err := br.ReadSlice('\n')
		if len(buf)+len(frag) <= maxLine {
			buf = append(buf, frag...)
		} else if len(buf) < maxLine {
			buf = append(buf, frag[:maxLine-len(buf)]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if len(buf) > 0 || err == nil {
			n++
			if len(buf) == maxLine {
				c.warnf("stdin:%d: line longer than %d bytes, only its start was read", n, maxLine)
			}
			for _, it := range classifyLine(c.parser(), string(buf), n) {
				if !fn(it) {
					return nil
				}
			}
			buf = buf[:0]
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
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
		if err := scanInput(c, c.stdin, take); err != nil {
			c.invalid("stdin", err)
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
