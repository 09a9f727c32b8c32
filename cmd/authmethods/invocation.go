package main

// One run of a command, and how it writes. A command never writes to
// os.Stdout or os.Stderr itself; it goes through its *invocation:
//
//	c.printf / c.println   text on stdout (stops quietly after a write error)
//	c.prose(indent, s)     s wrapped at word boundaries to c.width
//	c.paint(style, s)      s styled when colours are on, else s
//	c.st.bad / warn / ok / head / dim / name
//	                       the styles (red bold, yellow, green, bold, faint, cyan)
//	c.table(head, rows)    a lipgloss table on a terminal, aligned plain text otherwise (table.go)
//	c.writeJSON(v)         one JSON Lines record (no HTML escaping)
//
// Errors and exit statuses: status.go. Inputs, catalogs and policy files:
// input.go. Quoting what users typed: text.go.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/strength"
	"github.com/authmethods/authmethods/urlcodec"
)

// An invocation is one run of one command: its streams, the shared flags
// given, what it loaded (catalog, strengths), how it writes (colours,
// width) and the exit status so far.
type invocation struct {
	cmd    *command
	stdin  io.Reader
	stdout io.Writer // the real stdout, buffered into a pipe, through wErr
	stderr io.Writer

	json       bool       // --json
	noColor    bool       // --no-color
	color      string     // --color: auto, always or never
	verbose    bool       // -v, --verbose (explain)
	trustHosts []string   // --trust-host
	source     string     // the file or "stdin" being read, for messages; "" for arguments
	img        imageInput // --tesseract, for reading screenshots (image.go)

	catalog *bitmask.Catalog
	// strengths are what explain relates masks to, read by explain
	// --policy FILE; nil means the built-ins.
	strengths []strength.Strength
	p         *urlcodec.Parser
	styled    bool // colours and lipgloss tables
	width     int  // columns for prose and tables
	st        styles
	status    int
	wErr      *errWriter
	buf       *bufio.Writer // nil on a terminal, where lines show as they come
}

// ctx is the old name of invocation, still used by scan.go and classify.go,
// which other changes own; it goes when they are next edited.
type ctx = invocation

type styles struct {
	bad, warn, ok, head, dim, name lipgloss.Style
}

// isTerminal decides whether stdout gets colours and tables. Tests replace it.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// terminalSize returns the columns of the terminal w, 0 when unknown. Tests
// replace it.
var terminalSize = func(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(f.Fd()); err == nil {
			return cols
		}
	}
	return 0
}

// outputWidth is the width text written to w is wrapped to: on a
// terminal, COLUMNS when set, else the terminal's size; pipeWidth
// otherwise.
func outputWidth(w io.Writer) int {
	if isTerminal(w) {
		if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
			return n
		}
		if n := terminalSize(w); n > 0 {
			return n
		}
	}
	return pipeWidth
}

// pipeWidth is the width of prose written into a pipe or file.
const pipeWidth = 80

// minWidth is the narrowest width text is wrapped to: a narrower terminal
// gets lines longer than it is rather than a word a line.
const minWidth = 40

// setOutput decides styling and width. Colours: --color=always, or on a
// terminal with --color=auto (the default), no --no-color, no NO_COLOR,
// TERM not "dumb"; never with --json. Width: on a terminal, COLUMNS when
// set, else the terminal's size; pipeWidth otherwise. The colour profile is
// set here, not detected by lipgloss, so that output does not depend on the
// environment.
func (c *invocation) setOutput(stdout io.Writer) {
	c.wErr = &errWriter{w: stdout}
	c.stdout = c.wErr
	tty := isTerminal(stdout)
	if !tty {
		c.buf = bufio.NewWriterSize(c.wErr, 32<<10)
		c.stdout = c.buf
	}
	switch {
	case c.json || c.noColor || c.color == "never":
	case c.color == "always":
		c.styled = true
	default:
		c.styled = tty && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	}
	c.width = outputWidth(stdout)
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
func (c *invocation) broken() bool { return c.wErr != nil && c.wErr.err != nil }

func (c *invocation) printf(format string, a ...any) { fmt.Fprintf(c.stdout, format, a...) }
func (c *invocation) println(a ...any)               { fmt.Fprintln(c.stdout, a...) }

// paint renders s in style when colours are on; otherwise s unchanged.
func (c *invocation) paint(style lipgloss.Style, s string) string {
	if !c.styled {
		return s
	}
	return style.Render(s)
}

// paintLines paints each line of s on its own, so that lipgloss does not
// pad the lines of a wrapped paragraph to one width.
func (c *invocation) paintLines(style lipgloss.Style, s string) string {
	if !c.styled {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = style.Render(l)
		}
	}
	return strings.Join(lines, "\n")
}

// prose writes s wrapped at word boundaries to c.width, every line after
// the first indented by hang spaces. A word longer than a line (a URL) is
// never broken: it gets a line of its own.
func (c *invocation) prose(hang int, s string) {
	c.println(wrap(s, c.width, hang))
}

// wrap breaks s at spaces so that each line fits width columns (escape
// codes take none), lines after the first indented by hang spaces.
func wrap(s string, width, hang int) string {
	width = max(width, minWidth)
	var b strings.Builder
	col := 0
	for i, word := range strings.Split(s, " ") {
		w := ansi.StringWidth(word)
		switch {
		case i == 0:
		case col+1+w > width && col > hang:
			b.WriteString("\n" + strings.Repeat(" ", hang))
			col = hang
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += w
	}
	return b.String()
}

// writeJSON writes v as one line of JSON Lines.
func (c *invocation) writeJSON(v any) {
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil && !c.broken() {
		panic(err) // only unsupported values fail: a bug
	}
}

// flush writes out what stdout holds.
func (c *invocation) flush() {
	if c.buf != nil {
		c.buf.Flush()
	}
}

// parser returns the link parser, which trusts --trust-host hosts too.
func (c *invocation) parser() *urlcodec.Parser {
	if c.p == nil {
		c.p = &urlcodec.Parser{TrustHosts: c.trustHosts}
	}
	return c.p
}
