package main

// Helpers every command uses to write. A command never writes to os.Stdout or
// os.Stderr itself; it goes through its *ctx:
//
//	c.printf / c.println   text on stdout (stops quietly after a write error)
//	c.paint(style, s)      s styled when stdout is a colour terminal, else s
//	c.st.bad / warn / ok / head / dim / name
//	                       the styles (red bold, yellow, green, bold, faint, cyan)
//	c.table(head, rows)    a lipgloss table on a terminal, aligned plain text otherwise
//	c.writeJSON(v)         one JSON Lines record (no HTML escaping)
//	c.invalid(input, err)  "authmethods CMD: INPUT: what is wrong" on stderr, status 1
//	c.warnf(…)             "authmethods CMD: warning: …" on stderr, status unchanged
//	c.notGenuine()         records status 3 (a link's host is not genuine)
//	c.usagef(…)            usage error on stderr with a pointer to --help; returns 2
//	c.done()               the status to return: 3 over 1 over 0
//	c.parser()             a urlcodec.Parser honouring --trust-host
//	c.catalog              built-in catalog plus --catalog / AUTHMETHODS_CATALOG files
//	quote(s)               a user input, shortened and Go-quoted, safe on a terminal
//	errText(err)           the user-facing words of a bitmask or urlcodec error

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"unicode"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/strength"
	"github.com/authmethods/authmethods/urlcodec"
)

// ctx is what a running command writes through.
type ctx struct {
	cmd    *command
	stdin  io.Reader
	stdout io.Writer // the real stdout, buffered into a pipe, through wErr
	stderr io.Writer

	json       bool     // --json
	noColor    bool     // --no-color
	trustHosts []string // --trust-host

	img imageInput // --tesseract, for reading screenshots (image.go)

	catalog *bitmask.Catalog
	// strengths are what explain relates masks to, read by explain
	// --policy FILE; nil means the built-ins.
	strengths []strength.Strength
	p         *urlcodec.Parser
	styled    bool
	st        styles
	status    int
	wErr      *errWriter
	buf       *bufio.Writer // nil on a terminal, where lines show as they come
}

type styles struct {
	bad, warn, ok, head, dim, name lipgloss.Style
}

// isTerminal decides whether stdout gets colours and tables. Tests replace it.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// setOutput decides styling: only on a terminal, without NO_COLOR, without
// --no-color, and never with --json. The colour profile is set here, not
// detected by lipgloss, so that output does not depend on the environment.
func (c *ctx) setOutput(stdout io.Writer) {
	c.wErr = &errWriter{w: stdout}
	c.stdout = c.wErr
	tty := isTerminal(stdout)
	if !tty {
		c.buf = bufio.NewWriterSize(c.wErr, 32<<10)
		c.stdout = c.buf
	}
	c.styled = !c.json && !c.noColor && os.Getenv("NO_COLOR") == "" && tty
	r := lipgloss.NewRenderer(c.stdout)
	r.SetHasDarkBackground(true) // never query the terminal
	if c.styled {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	c.st = styles{
		bad:  r.NewStyle().Bold(true).Foreground(lipgloss.Color("9")),
		warn: r.NewStyle().Foreground(lipgloss.Color("11")),
		ok:   r.NewStyle().Foreground(lipgloss.Color("10")),
		head: r.NewStyle().Bold(true),
		dim:  r.NewStyle().Faint(true),
		name: r.NewStyle().Foreground(lipgloss.Color("14")),
	}
}

// termWidth returns the width of the terminal on stdout, 0 when unknown.
func (c *ctx) termWidth() int {
	if f, ok := c.wErr.w.(*os.File); ok {
		if w, _, err := term.GetSize(f.Fd()); err == nil {
			return w
		}
	}
	return 0
}

// errWriter remembers the first write error so that loops can stop.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// broken reports whether stdout can no longer be written (a closed pipe).
func (c *ctx) broken() bool { return c.wErr != nil && c.wErr.err != nil }

func (c *ctx) printf(format string, a ...any) { fmt.Fprintf(c.stdout, format, a...) }
func (c *ctx) println(a ...any)               { fmt.Fprintln(c.stdout, a...) }

// paint renders s in style when stdout is styled; otherwise s unchanged.
func (c *ctx) paint(style lipgloss.Style, s string) string {
	if !c.styled {
		return s
	}
	return style.Render(s)
}

// table renders rows under head: a rounded lipgloss table on a terminal,
// columns aligned with spaces otherwise (stable, no escape codes).
func (c *ctx) table(head []string, rows [][]string) string {
	if c.styled {
		t := table.New().
			Border(lipgloss.RoundedBorder()).
			BorderStyle(c.st.dim).
			Headers(head...).
			Rows(rows...).
			StyleFunc(func(row, col int) lipgloss.Style {
				s := c.st.dim.UnsetFaint().Padding(0, 1)
				if row == table.HeaderRow {
					return s.Inherit(c.st.head)
				}
				return s
			})
		out := t.Render()
		if w := c.termWidth(); w > 0 && lipgloss.Width(out) > w {
			out = t.Width(w).Render() // wrap cells rather than overflow the screen
		}
		return out + "\n"
	}
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(head, "\t")))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
	// tabwriter pads every cell but the last; trim trailing blanks anyway.
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

// writeJSON writes v as one line of JSON Lines.
func (c *ctx) writeJSON(v any) {
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil && !c.broken() {
		panic(err) // only unsupported values fail: a bug
	}
}

// fail records an exit status; the most important one is kept:
// usage (2) over not genuine (3) over invalid (1) over ok.
func (c *ctx) fail(status int) {
	rank := func(s int) int {
		switch s {
		case exitUsage:
			return 3
		case exitNotGenuine:
			return 2
		case exitInvalid:
			return 1
		}
		return 0
	}
	if rank(status) > rank(c.status) {
		c.status = status
	}
}

func (c *ctx) prefix() string { return "authmethods " + c.cmd.name + ": " }

// invalid reports a bad input on stderr, naming it, and records status 1.
func (c *ctx) invalid(input string, err error) {
	fmt.Fprintf(c.stderr, "%s%s: %s\n", c.prefix(), input, errText(err))
	c.fail(exitInvalid)
}

// warnf writes a warning on stderr; the status is unchanged.
func (c *ctx) warnf(format string, a ...any) {
	fmt.Fprintf(c.stderr, "%swarning: %s\n", c.prefix(), fmt.Sprintf(format, a...))
}

// notGenuine records that a link's host is not genuine (status 3).
func (c *ctx) notGenuine() { c.fail(exitNotGenuine) }

// usagef reports a usage error once, with a pointer to the help, and returns 2.
func (c *ctx) usagef(format string, a ...any) int {
	fmt.Fprintf(c.stderr, "%s%s\nRun 'authmethods %s --help' for usage.\n", c.prefix(), fmt.Sprintf(format, a...), c.cmd.name)
	c.fail(exitUsage)
	return exitUsage
}

// flush writes out what stdout holds.
func (c *ctx) flush() {
	if c.buf != nil {
		c.buf.Flush()
	}
}

// done flushes stdout and returns the exit status of the command so far; a
// failed write to stdout (other than a closed pipe, where nobody reads) is
// status 1.
func (c *ctx) done() int {
	c.flush()
	if c.broken() && !errors.Is(c.wErr.err, syscall.EPIPE) {
		fmt.Fprintf(c.stderr, "%swriting output: %v\n", c.prefix(), c.wErr.err)
		c.fail(exitInvalid)
	}
	return c.status
}

// parser returns the link parser, which trusts --trust-host hosts too.
func (c *ctx) parser() *urlcodec.Parser {
	if c.p == nil {
		c.p = &urlcodec.Parser{TrustHosts: c.trustHosts}
	}
	return c.p
}

// envCatalogs returns the files named by AUTHMETHODS_CATALOG.
func envCatalogs() []string {
	var out []string
	for _, f := range filepath.SplitList(os.Getenv("AUTHMETHODS_CATALOG")) {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// loadCatalogs builds c.catalog from the built-in values and files. A file
// that cannot be read or has a bad line is a usage error (status 2), named
// with its line: nothing would be right with half a catalog.
func (c *ctx) loadCatalogs(files []string) int {
	c.catalog = bitmask.NewCatalog()
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return c.usagef("catalog %s: %v", quote(name), err)
		}
		err = c.catalog.Load(f, name)
		f.Close()
		var ce *bitmask.CatalogError
		if errors.As(err, &ce) {
			return c.usagef("catalog %s:%d: %s", quote(ce.File), ce.Line, errText(ce.Err))
		}
		if err != nil {
			return c.usagef("catalog %s: %v", quote(name), err)
		}
	}
	return exitOK
}

// maxEcho bounds how much of an input a message repeats.
const maxEcho = 80

// quote returns s shortened and Go-quoted, so that whatever a user pasted
// (escape codes, newlines) is shown as text and cannot drive the terminal.
func quote(s string) string {
	if len(s) > maxEcho {
		cut := maxEcho
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// shellQuote quotes s for a command line shown to the user.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(",._-+:/=", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// errText returns the words of err a person needs, without Go package
// prefixes: bitmask and urlcodec errors repeat the input, which the caller
// names already.
func errText(err error) string {
	var be *bitmask.Error
	if errors.As(err, &be) {
		if errors.Is(be.Err, bitmask.ErrSyntax) {
			return "not a mask: give numbers, Graph names or aliases (see 'authmethods list')"
		}
		return be.Err.Error()
	}
	var ue *urlcodec.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return errText(ue.Err)
	}
	return err.Error()
}

// safeText returns s with control and invisible formatting characters
// (escape codes, bidi overrides, zero-width spaces) written as \u escapes,
// so that text derived from an input cannot drive or mislead the terminal.
func safeText(s string) string {
	clean := true
	for _, r := range s {
		if !unicode.IsPrint(r) || unicode.Is(unicode.Cf, r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !unicode.IsPrint(r) || unicode.Is(unicode.Cf, r) {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
