package main

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec"

	"github.com/spf13/pflag"
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
bounded (under 100 MiB) whatever the size of the input. A file is mapped
into memory rather than read where the system allows; if it shrinks during
the scan (a log rotated with copytruncate), the scan of it stops with an
error after the links before the cut. FILE is "(stdin)" for
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

Several FILEs are scanned in parallel, one per core; the output is in the
order of the arguments.

With --json, one JSON object per line: file ("(stdin)" for stdin), offset
(the byte offset of the link in the file, after decompression), then the
fields of 'decode --json' (input, line, kind "link", authMethods,
authMethodCount, methods, unknownBits, url, host, trusted, reasons, wrapped,
catalog, warnings), but kept short for logs with millions of links: reasons
hold only their code, and catalog only its provenance ('authmethods list
--json' gives each value's source and note, 'authmethods explain LINK' the
reasons in words). A link that cannot be used is {file, offset, line, input,
kind: "invalid", error}.

With --stats, no line per link but a histogram of the masks: count, mask,
methods, catalog (documented, observed, unknown) and how many of those links
were not trusted (not the genuine host, or not the link Entra writes), most
frequent first (then by mask). On a terminal it is a table followed by a
total; in a pipe it is TSV with a header row, and
the total goes to stderr. With --json, one object per mask ({kind: "mask",
count, authMethods, methods, catalog, untrusted}) and a last one with the
totals ({kind: "total", links, masks, untrusted, invalid}).

A FILE that is an image (PNG, JPEG, GIF, BMP or WebP, by content) is a
screenshot, read with the Tesseract OCR program; LINE is then the n-th link
read in it. An image on stdin must come from a file (scan < shot.png), not
a pipe, which scan reads as text.

On a terminal, a long scan shows its progress on stderr (bytes read and links
found), and erases it at the end; never in a pipe.

Exit status: 0 a link was found, 1 none was found, 2 a file could not be
read (or a usage error). A link that is not trusted does not change the
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

// scanner is one run of the scan command. Files are read and searched by
// worker goroutines (see scanAll); everything here is used only by the
// goroutine that writes the output.
type scanner struct {
	c     *ctx
	stats bool

	found   bool
	ttyOut  bool   // stdout is a terminal: clear the progress line first
	buf     []byte // the output being written
	prog    *progress
	bitJSON map[bitmask.Mask][]byte // for --json: each known bit's name, encoded
	oddBits bitmask.Mask            // bits that draw a warning of their own
	hist    map[bitmask.Mask]*maskStat
	links   int64 // usable links
	untrust int64 // usable links that are not trusted
	invalid int64 // register links that cannot be used
	other   int64 // links beyond maxStatMasks distinct masks
}

func (s *scanner) run(args []string) int {
	c := s.c
	if len(args) == 0 {
		args = []string{"-"}
	}
	s.ttyOut = c.buf == nil
	// A scan keeps little alive (a few batches of hits) but allocates for
	// every link: collecting at 5x the live heap rather than 2x took a log
	// of 2 M links from 3.6 to 3.3 s, for 12 MiB more peak memory.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	if s.stats {
		s.hist = make(map[bitmask.Mask]*maskStat)
	}
	if isTerminal(c.stderr) {
		s.prog = newProgress(c.stderr, totalSize(c, args))
	}
	var names []string // stdin is read once, where it is first named
	stdin := false
	for _, a := range args {
		if a == "-" && stdin {
			continue
		}
		stdin = stdin || a == "-"
		names = append(names, a)
	}
	if f, ok := c.stdin.(*os.File); ok && stdin && isTerminal(f) {
		s.prog.quiet(func() {
			fmt.Fprintf(c.stderr, "%sreading stdin: paste text or links, then Ctrl-D (Ctrl-Z Enter on Windows)\n", c.prefix())
		})
	}
	s.scanAll(names)
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

// batch is some hits of one input, in order; the last batch has err if the
// input could not be read.
type batch struct {
	hits  []urlcodec.Hit
	err   error
	image bool // the hits were read by OCR from a screenshot (image.go)
}

// Bounds on a batch: a few per input are in flight at most, so memory stays
// bounded however far the workers are ahead of the output.
const (
	batchHits    = 256
	batchBytes   = 64 << 10
	batchesAhead = 4
)

// scanAll reports every link of the inputs, in the order given. Inputs are
// read and searched in parallel, one worker goroutine per core (as ripgrep
// does: a urlcodec.Scanner uses one core), taking them in order; this
// goroutine formats the hits of one input after the other. With one input
// the worker still overlaps reading and parsing with the output.
func (s *scanner) scanAll(names []string) {
	out := make([]chan batch, len(names))
	for i := range out {
		out[i] = make(chan batch, batchesAhead)
	}
	done := make(chan struct{})
	var taken atomic.Int64
	p := s.c.parser()
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(names)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(taken.Add(1) - 1)
				if i >= len(names) {
					return
				}
				s.scanInput(p, names[i], out[i], done)
			}
		}()
	}
	defer wg.Wait()
	defer close(done)
	for i, name := range names {
		if name == "-" {
			name = stdinName
		}
		file, shown := fileJSON(name), safeText(name) // shown cannot drive the terminal
		for b := range out[i] {
			s.write(b.hits, file, shown, b.image)
			if s.c.broken() {
				return
			}
			if b.err != nil {
				s.readError(name, b.err)
			}
		}
	}
}

// scanInput reads one input and sends its hits to out, which it closes. It
// runs in a worker goroutine and stops early once done is closed.
func (s *scanner) scanInput(p *urlcodec.Parser, name string, out chan<- batch, done <-chan struct{}) {
	defer close(out)
	send := func(b batch) bool {
		select {
		case out <- b:
			return true
		case <-done:
			return false
		}
	}
	// A screenshot is read with OCR (image.go).
	if hits, ok, err := s.imageHits(name); ok {
		send(batch{hits: hits, err: err, image: true})
		return
	}
	r, closeInput, counted, err := s.open(name)
	if err != nil {
		send(batch{err: err})
		return
	}
	defer closeInput()
	if name == "-" {
		name = stdinName
	}
	s.prog.file(name)
	var read *atomic.Int64 // nil: not counted, or counted already
	if s.prog != nil && !counted {
		read = &s.prog.read
	}
	sc := p.NewScannerCounting(r, read)
	b := batch{hits: make([]urlcodec.Hit, 0, batchHits)}
	size := 0
	for sc.Scan() {
		select {
		case <-done: // the output is gone (a closed pipe)
			return
		default:
		}
		h := sc.Hit()
		s.prog.hit()
		b.hits = append(b.hits, h)
		size += len(h.Text)
		if len(b.hits) == batchHits || size >= batchBytes {
			if !send(b) {
				return
			}
			b, size = batch{hits: make([]urlcodec.Hit, 0, batchHits)}, 0
		}
	}
	b.err = sc.Err()
	send(b)
}

// open opens the input name ("-" for stdin), decompressing a .gz file.
// counted is false when the reader is not counted for the progress line:
// the Scanner then counts what it reads or maps.
func (s *scanner) open(name string) (r io.Reader, closeInput func(), counted bool, err error) {
	if name == "-" {
		return s.c.stdin, func() {}, false, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, false, err
	}
	if !strings.HasSuffix(name, ".gz") {
		return f, func() { f.Close() }, false, nil
	}
	// The progress line counts the compressed bytes, as its total does.
	r = f
	if s.prog != nil {
		r = &countReader{r: f, n: &s.prog.read}
	}
	// gzip reads byte by byte from a bufio.Reader: a large one means few
	// system calls.
	zr, err := gzip.NewReader(bufio.NewReaderSize(r, 256<<10))
	if err != nil {
		f.Close()
		return nil, nil, false, err
	}
	return zr, func() { zr.Close(); f.Close() }, true, nil
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

// write reports hits of one input: counted for --stats, else one line
// each, appended to one buffer and written at once.
func (s *scanner) write(hits []urlcodec.Hit, file []byte, shown string, image bool) {
	if len(hits) == 0 {
		return
	}
	s.found = true
	b := s.buf[:0]
	for _, h := range hits {
		switch {
		case s.stats:
			s.count(h)
		case s.c.json:
			b = s.appendJSON(b, file, h)
			if image && h.Err == nil {
				// As decode --json marks a link read from a screenshot.
				b = append(b[:len(b)-len("}\n")], `,"source":"image"}`+"\n"...)
			}
		default:
			b = s.appendText(b, shown, h)
		}
	}
	s.buf = b
	if len(b) == 0 {
		return
	}
	if s.ttyOut && s.prog != nil {
		s.prog.quiet(func() { s.c.stdout.Write(b) })
		return
	}
	s.c.stdout.Write(b)
}
