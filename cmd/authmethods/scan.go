package main

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/pflag"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec"
)

var scanCmd = &command{
	name:    "scan",
	summary: "find every register link in logs and files, grep-like and fast",
	usage:   "[flags] [FILE...|-]",
	common:  withTrust | withCatalog,
	help: `Find every register link in the FILEs (or stdin, with "-" or no FILE) and
print one line per link, like grep:

  FILE:LINE: MASK METHODS HOST VERDICT

  proxy.log:1812: 1976 softwareOath,sms,fido2,… mysignins.microsoft.com trusted
  proxy.log:9005: 48 sms,fido2 mysignins.microsoft.com.evil.example untrusted:lookalike

Links are found in any case, wrapped (Safe Links, HTML mail, JSON, percent-
encoding) or not, several per line, in lines of any length; memory stays
bounded (a few MiB) whatever the size of the input. FILE is "(stdin)" for
stdin. METHODS is "none" for 0 and names unknown bits in hex. VERDICT is
"trusted" or "untrusted:" and the reason codes (lookalike, not-microsoft,
http, idn, userinfo, ip, port, wrapper …; 'authmethods explain LINK' says
them in words). A link that cannot be used (a mask that is no number, a bad
count) is printed as

  FILE:LINE: invalid WHAT IS WRONG: "THE LINK"

Files whose names end in .gz are decompressed on the fly; stdin is read as
it is (use zcat for compressed stdin). A file that cannot be read (missing,
a directory, a corrupt .gz) is named on stderr and the other files are still
scanned; the links found before a read error are printed.

A FILE that is an image (PNG, JPEG, GIF, BMP or WebP, by content) is a
screenshot, read with the Tesseract OCR program; LINE is then the n-th link
read in it. An image on stdin must come from a file (scan < shot.png), not
a pipe, which scan reads as text.

With --json, one JSON object per line: file ("(stdin)" for stdin), offset
(the byte offset of the link in the file, after decompression), then the
fields of 'decode --json'
(input, line, kind "link", authMethods, authMethodCount, methods,
unknownBits, url, host, trusted, reasons, wrapped, catalog, warnings). A link
that cannot be used is {file, line, offset, input, kind: "invalid", error}.

With --stats, no line per link but a histogram of the masks: count, mask,
methods, catalog (documented, observed, unknown) and how many of those links
were on an untrusted host, most frequent first (then by mask). On a terminal
it is a table followed by a total; in a pipe it is TSV with a header row, and
the total goes to stderr. With --json, one object per mask ({kind: "mask",
count, authMethods, methods, catalog, untrusted}) and a last one with the
totals ({kind: "total", links, masks, untrusted, invalid}).

On a terminal, a long scan shows its progress on stderr (bytes read and links
found), and erases it at the end; never in a pipe.

Exit status: 0 a link was found, 1 none was found, 2 a file could not be
read (or a usage error). A link on an untrusted host does not change the
status: scan searches, 'authmethods decode' judges.

Examples:
  authmethods scan proxy.log
  authmethods scan --stats /var/log/proxy/*.log.gz
  zcat old.log.gz | authmethods scan --json - | jq -r 'select(.trusted == false) | .host'
  authmethods scan --catalog seen.tsv --stats mail-export.txt
`,
	setup: setupScan,
}

func setupScan(fs *pflag.FlagSet) runFunc {
	stats := fs.Bool("stats", false, "print a histogram of the masks found instead of one line\nper link")
	return func(c *ctx, args []string) int {
		s := &scanner{c: c, stats: *stats}
		return s.run(args)
	}
}

// stdinName names stdin in the output.
const stdinName = "(stdin)"

// scanJSON is one link in scan --json output: where it is, then exactly what
// decode --json says of it.
type scanJSON struct {
	File   string `json:"file"`
	Offset int64  `json:"offset"`
	decodeJSON
}

// scanInvalidJSON is a register link that cannot be used.
type scanInvalidJSON struct {
	File   string `json:"file"`
	Line   int64  `json:"line"`
	Offset int64  `json:"offset"`
	Input  string `json:"input"`
	Kind   string `json:"kind"` // "invalid"
	Error  string `json:"error"`
}

// maxStatMasks bounds the distinct masks --stats counts one by one, so that
// memory stays bounded on hostile input; links with other masks are counted
// together.
const maxStatMasks = 1 << 16

type maskStat struct{ count, untrusted int64 }

type scanStatJSON struct {
	Kind        string      `json:"kind"` // "mask"
	Count       int64       `json:"count"`
	AuthMethods uint32      `json:"authMethods"`
	Methods     []string    `json:"methods"`
	Catalog     catalogJSON `json:"catalog"`
	Untrusted   int64       `json:"untrusted"`
}

type scanTotalJSON struct {
	Kind      string `json:"kind"` // "total"
	Links     int64  `json:"links"`
	Masks     int    `json:"masks"`
	Untrusted int64  `json:"untrusted"`
	Invalid   int64  `json:"invalid"`
	// Other counts links whose mask was not counted on its own (over
	// maxStatMasks distinct masks); omitted when 0.
	Other int64 `json:"other,omitempty"`
}

// scanner is one run of the scan command.
type scanner struct {
	c     *ctx
	stats bool

	found   bool
	ttyOut  bool   // stdout is a terminal: clear the progress line first
	buf     []byte // the text line being written
	prog    *progress
	hist    map[bitmask.Mask]*maskStat
	links   int64 // usable links
	untrust int64 // usable links on an untrusted host
	invalid int64 // register links that cannot be used
	other   int64 // links beyond maxStatMasks distinct masks
}

func (s *scanner) run(args []string) int {
	c := s.c
	if len(args) == 0 {
		args = []string{"-"}
	}
	s.ttyOut = c.buf == nil
	if s.stats {
		s.hist = make(map[bitmask.Mask]*maskStat)
	}
	if isTerminal(c.stderr) {
		s.prog = newProgress(c.stderr, totalSize(c, args))
	}
	stdinRead := false
	for _, a := range args {
		if a == "-" {
			if stdinRead {
				continue
			}
			stdinRead = true
			if f, ok := c.stdin.(*os.File); ok && isTerminal(f) {
				s.prog.quiet(func() {
					fmt.Fprintf(c.stderr, "%sreading stdin: paste text or links, then Ctrl-D (Ctrl-Z Enter on Windows)\n", c.prefix())
				})
			}
			if f, ok := c.stdin.(*os.File); ok && s.scanImage(stdinName, f) { // a screenshot, read by OCR (image.go)
				continue
			}
			var r io.Reader = c.stdin
			if f, ok := r.(*os.File); ok && s.prog != nil && isRegular(f) {
				// Count what is read, for the progress line. Not for a
				// pipe: urlcodec grows the buffer of a pipe it is given
				// as an *os.File, which a wrapper would hide.
				r = &countReader{r: f, n: &s.prog.read}
			}
			s.scanFile(stdinName, r)
		} else {
			s.open(a)
		}
		if c.broken() {
			break
		}
	}
	s.prog.end()
	if s.stats && !c.broken() {
		s.writeStats()
	}
	if !s.found && c.status == exitOK {
		fmt.Fprintf(c.stderr, "%sno register link found\n", c.prefix())
		c.fail(exitInvalid)
	}
	return c.done()
}

// open scans the file name, decompressing a .gz.
func (s *scanner) open(name string) {
	f, err := os.Open(name)
	if err != nil {
		s.readError(name, err)
		return
	}
	defer f.Close()
	if s.scanImage(name, f) { // a screenshot, read by OCR (image.go)
		return
	}
	var r io.Reader = f
	if s.prog != nil {
		r = &countReader{r: f, n: &s.prog.read}
	}
	if strings.HasSuffix(name, ".gz") {
		// gzip reads byte by byte from a bufio.Reader: a large one means
		// few system calls.
		zr, err := gzip.NewReader(bufio.NewReaderSize(r, 256<<10))
		if err != nil {
			s.readError(name, err)
			return
		}
		defer zr.Close()
		r = zr
	}
	s.scanFile(name, r)
}

// readError names a file that could not be read; status 2, the scan goes on.
func (s *scanner) readError(name string, err error) {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	s.prog.quiet(func() {
		fmt.Fprintf(s.c.stderr, "%s%s: %v\n", s.c.prefix(), quote(name), err)
	})
	s.c.fail(exitUsage)
}

// scanFile reports every link in r. The work per link is a few appends;
// nothing is done per line or per byte here: urlcodec's Scanner reads large
// blocks and searches them on every core.
func (s *scanner) scanFile(name string, r io.Reader) {
	c := s.c
	s.prog.file(name)
	shown := safeText(name) // cannot drive the terminal
	sc := c.parser().NewScanner(r)
	for sc.Scan() {
		h := sc.Hit()
		s.found = true
		s.prog.hit()
		switch {
		case s.stats:
			s.count(h)
		case c.json:
			s.writeJSON(name, h)
		default:
			s.writeText(shown, h)
		}
		if c.broken() {
			return
		}
	}
	if err := sc.Err(); err != nil {
		s.readError(name, err)
	}
}

func (s *scanner) writeJSON(name string, h urlcodec.Hit) {
	if h.Err != nil {
		s.c.writeJSON(scanInvalidJSON{File: name, Line: h.Line, Offset: h.Offset, Input: h.Text, Kind: "invalid", Error: errText(h.Err)})
		return
	}
	s.c.writeJSON(scanJSON{File: name, Offset: h.Offset, decodeJSON: decodeResult(s.c, hitItem(h, h.Line))})
}

// writeText writes "FILE:LINE: MASK METHODS HOST VERDICT".
func (s *scanner) writeText(name string, h urlcodec.Hit) {
	c := s.c
	b := append(s.buf[:0], name...)
	b = append(b, ':')
	b = strconv.AppendInt(b, h.Line, 10)
	b = append(b, ": "...)
	if h.Err != nil {
		b = append(b, c.paint(c.st.bad, "invalid")...)
		b = append(b, ' ')
		b = append(b, errText(h.Err)...)
		b = append(b, ": "...)
		b = append(b, quote(h.Text)...)
	} else {
		l := h.Link
		b = strconv.AppendUint(b, uint64(l.Mask), 10)
		b = append(b, ' ')
		if c.styled {
			b = append(b, c.paint(c.st.name, l.Mask.String())...)
		} else {
			b = l.Mask.Append(b)
		}
		b = append(b, ' ')
		if l.Host == "" {
			b = append(b, '-')
		} else {
			b = append(b, safeText(l.Host)...)
		}
		b = append(b, ' ')
		b = append(b, verdictWord(c, l)...)
	}
	b = append(b, '\n')
	s.buf = b
	if s.ttyOut && s.prog != nil {
		s.prog.quiet(func() { c.stdout.Write(b) })
		return
	}
	c.stdout.Write(b)
}

// verdictWord is "trusted" or "untrusted:CODE,CODE".
func verdictWord(c *ctx, l *urlcodec.Link) string {
	if l.Verdict.Trusted {
		return c.paint(c.st.ok, "trusted")
	}
	codes := make([]string, len(l.Verdict.Reasons))
	for i, r := range l.Verdict.Reasons {
		codes[i] = r.Code
	}
	return c.paint(c.st.bad, "untrusted:"+strings.Join(codes, ","))
}

// count adds a hit to the --stats histogram.
func (s *scanner) count(h urlcodec.Hit) {
	if h.Err != nil {
		s.invalid++
		return
	}
	s.links++
	bad := !h.Link.Verdict.Trusted
	if bad {
		s.untrust++
	}
	st := s.hist[h.Link.Mask]
	if st == nil {
		if len(s.hist) >= maxStatMasks {
			s.other++
			return
		}
		st = &maskStat{}
		s.hist[h.Link.Mask] = st
	}
	st.count++
	if bad {
		st.untrusted++
	}
}

func (s *scanner) writeStats() {
	c := s.c
	masks := make([]bitmask.Mask, 0, len(s.hist))
	for m := range s.hist {
		masks = append(masks, m)
	}
	slices.SortFunc(masks, func(a, b bitmask.Mask) int {
		if d := cmp.Compare(s.hist[b].count, s.hist[a].count); d != 0 {
			return d
		}
		return cmp.Compare(a, b)
	})
	if c.json {
		for _, m := range masks {
			st := s.hist[m]
			c.writeJSON(scanStatJSON{Kind: "mask", Count: st.count, AuthMethods: uint32(m), Methods: names(m), Catalog: c.catalogOf(m), Untrusted: st.untrusted})
		}
		c.writeJSON(scanTotalJSON{Kind: "total", Links: s.links, Masks: len(masks), Untrusted: s.untrust, Invalid: s.invalid, Other: s.other})
		return
	}
	head := []string{"count", "mask", "methods", "catalog", "untrusted"}
	row := func(m bitmask.Mask) []string {
		st := s.hist[m]
		return []string{
			strconv.FormatInt(st.count, 10), strconv.FormatUint(uint64(m), 10), m.String(),
			c.catalog.Lookup(m).Provenance.String(), strconv.FormatInt(st.untrusted, 10),
		}
	}
	total := fmt.Sprintf("%d links with %d distinct masks; %d on an untrusted host; %d invalid", s.links, len(masks), s.untrust, s.invalid)
	if s.other > 0 {
		total += fmt.Sprintf("; %d more links with masks not counted one by one (over %d distinct)", s.other, maxStatMasks)
	}
	if s.ttyOut {
		rows := make([][]string, 0, len(masks))
		for _, m := range masks {
			r := row(m)
			r[2] = strings.ReplaceAll(r[2], ",", ", ") // lets the table wrap the cell
			rows = append(rows, r)
		}
		c.printf("%s", c.table(head, rows))
		c.println(total)
		return
	}
	c.println(strings.Join(head, "\t"))
	for _, m := range masks {
		c.println(strings.Join(row(m), "\t"))
	}
	fmt.Fprintf(c.stderr, "%s%s\n", c.prefix(), total)
}

// totalSize is the sum of the sizes of the inputs for the progress line, 0
// when one of them is not a regular file of known size (a pipe).
func totalSize(c *ctx, args []string) int64 {
	var total int64
	for _, a := range args {
		var fi os.FileInfo
		var err error
		if a == "-" {
			f, ok := c.stdin.(*os.File)
			if !ok {
				return 0
			}
			fi, err = f.Stat()
		} else {
			fi, err = os.Stat(a)
		}
		if err != nil {
			continue // reported when it is opened
		}
		if !fi.Mode().IsRegular() {
			return 0
		}
		total += fi.Size()
	}
	return total
}

func isRegular(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode().IsRegular()
}

// countReader counts the bytes read from r for the progress line. Reads
// are large (the Scanner asks for a MiB at a time), so the count costs
// nothing measurable.
type countReader struct {
	r io.Reader
	n *atomic.Int64
}

func (r *countReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.n.Add(int64(n))
	return n, err
}

// progressEvery is how often the progress line is redrawn. Tests change it.
var progressEvery = 250 * time.Millisecond

// progress draws "scan: 120.5 MB / 600.0 MB, 35 links (FILE)" on a terminal
// stderr, from its own goroutine, so that a scan with no hits for a while
// still shows it moves. Everything else written to stderr (or to stdout on
// a terminal) while it runs goes through quiet, which erases the line first.
// A nil *progress does nothing.
type progress struct {
	w     io.Writer
	total int64
	read  atomic.Int64 // bytes read from the inputs that can be counted
	links atomic.Int64
	name  atomic.Pointer[string]

	mu    sync.Mutex
	shown bool
	stop  chan struct{}
	done  chan struct{}
}

func newProgress(w io.Writer, total int64) *progress {
	p := &progress{w: w, total: total, stop: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	return p
}

func (p *progress) loop() {
	defer close(p.done)
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.draw()
		}
	}
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	b.WriteString("\rauthmethods scan: ")
	if n := p.read.Load(); n > 0 {
		b.WriteString(megabytes(n))
		if p.total > 0 {
			b.WriteString(" / " + megabytes(p.total))
		}
		b.WriteString(", ")
	}
	links := p.links.Load()
	b.WriteString(strconv.FormatInt(links, 10))
	if links == 1 {
		b.WriteString(" link")
	} else {
		b.WriteString(" links")
	}
	if name := p.name.Load(); name != nil {
		b.WriteString(" (" + safeText(*name) + ")")
	}
	b.WriteString("\x1b[K")
	io.WriteString(p.w, b.String())
	p.shown = true
}

func megabytes(n int64) string { return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB" }

func (p *progress) file(name string) {
	if p != nil {
		p.name.Store(&name)
	}
}

func (p *progress) hit() {
	if p != nil {
		p.links.Add(1)
	}
}

// quiet runs fn with the progress line erased; the next tick redraws it.
func (p *progress) quiet(fn func()) {
	if p == nil {
		fn()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	fn()
}

func (p *progress) clear() {
	if p.shown {
		io.WriteString(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// end stops the progress line and erases it.
func (p *progress) end() {
	if p == nil {
		return
	}
	close(p.stop)
	<-p.done
	p.mu.Lock()
	p.clear()
	p.mu.Unlock()
}
