package find

import (
	"cmp"
	"errors"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"unsafe"
)

// DefaultBufferSize is the default size of a [Scanner]'s read buffer.
const DefaultBufferSize = 1 << 20

// DefaultMapWindow is how much of a mapped file a [Scanner] maps at once:
// the memory it holds stays flat however large the file.
const DefaultMapWindow = 64 << 20

// mapChunk is how much a Scanner searches at once in a mapped file.
const mapChunk = 256 << 10

// ErrShrunk is the error of a Scanner whose mapped file shrank (a log
// truncated by rotation) while it was scanned.
var ErrShrunk = errors.New("the file shrank while it was scanned")

var pageSize = os.Getpagesize()

// Options tune a [Scanner]. The zero value means the defaults.
type Options struct {
	// BufferSize is the size of the read buffer (default DefaultBufferSize)
	// or, for a mapped file, how much a fill searches (default 256 KiB). It
	// is raised to the minimum the span context needs, about 16 KiB.
	BufferSize int

	// Count, when not nil, is added the bytes of input consumed (read or
	// mapped) as the scan goes, for a progress display. Scanners may
	// share one.
	Count *atomic.Int64

	maxExpand int // tests only: 0 means MaxExpand, negative means 0
	mapWindow int // tests only: 0 means DefaultMapWindow
}

// Match is one candidate found by a [Scanner].
type Match struct {
	Offset int64  // byte offset of Text's first byte in the input
	Line   int64  // 1-based line number of Text's first byte
	Text   []byte // the span; valid until the next call to Scan
	Anchor int    // index of the anchor in Text
	// Before, After and Cut are those of the Span.
	Before, After byte
	Cut           bool
}

// Scanner reads an io.Reader and reports the spans of [AppendSpans] one by
// one, in input order, with their absolute offsets and line numbers.
//
// Memory is bounded whatever the input and its line lengths: one buffer of
// [Options.BufferSize] bytes, or for a mapped file one window of
// [DefaultMapWindow] bytes. Each refill keeps the last 2*MaxExpand+10
// bytes, so that an anchor near the end of a buffer still has its full
// context; a line longer than the buffer is never held whole. The result
// does not depend on the buffer size. Lines are counted with bytes.Count
// between matches.
//
// A Scanner searches in the goroutine that calls Scan, one buffer after
// the other. Searching earlier buffers in other goroutines while the next
// is read (the design before issue 13) was measured and dropped: it cost
// CPU and boundary fix-ups for a gain only when a core is idle. Callers
// with several inputs scan them in parallel instead, one Scanner each, as
// ripgrep does, and authmethods scan does.
//
// A regular file is mapped rather than read, a window at a time, as
// ripgrep does: reading it spent half the time in the read system call
// copying the page cache. The window is searched in chunks of 256 KiB, so
// that counting lines finds the chunk in the CPU's cache. A file that
// shrinks during the scan (a log rotated with copytruncate) would crash the
// program on the lost pages; Scan turns that fault into [ErrShrunk].
//
// Measured on a generated 600 MB proxy log, page cache warm, a shared
// 2-core VM, medians of 15 interleaved hyperfine runs, wall then user+sys
// CPU, authmethods scan (text output) against rg -c -i -F authmethods:
//
//	                        before (d225fed)   now (mapped)       rg
//	file, 2 cores           140 ms, 143 ms     101 ms, 103 ms     111 ms, 111 ms
//	file, 1 core (taskset)  152 ms, 153 ms     104 ms, 104 ms     113 ms, 113 ms
//	stdin, < file           139 ms, 141 ms     100 ms, 103 ms     127 ms, 128 ms
//	stdin, pipe from cat    469 ms, 515 ms     457 ms (read)      466 ms, 520 ms
//	4 files of 150 MB       84 ms, 152 ms      56 ms, 111 ms      63 ms, 112 ms
//	.gz (gzip -1, 193 MB)   2917 ms            2768 ms (read)     3050 ms (rg -z)
//
// BenchmarkScannerFile (256 MiB, in this package): mapped 15.3 GB/s with
// 64 MiB windows (14.2 with 16 MiB, 11.6 with 4 MiB), read 9.0 GB/s. On
// one core, 16 MiB windows spent 57 ms of system time where ripgrep spends
// 47 (unmapping each window costs), 64 MiB windows 52 ms. Peak RSS is 77
// MiB on the 600 MB log, as on a 100 MB one (ripgrep's is the file's size,
// 592 MiB: it maps it whole). Commands: go run
// ./urlcodec/internal/loggen/cmd/loggen -o /tmp/x.log -size 600e6, then
// authmethods scan /tmp/x.log against rg -c -i -F authmethods /tmp/x.log.
type Scanner struct {
	r         io.Reader
	buf       []byte // read into, or the mapped window
	maxExpand int
	mapped    *mapping // nil when r is read
	window    int      // bytes a mapped window holds at most
	count     *atomic.Int64

	n    int   // bytes of buf in use
	base int64 // absolute offset of buf[0]
	// Anchors starting in buf[lo:hi] are this buffer's. buf holds
	// maxExpand bytes before lo and anchorLen-1+maxExpand bytes after hi
	// (unless the input starts or ends there).
	lo, hi  int
	spans   []Span
	next    int   // index in spans of the next span to deliver
	prevEnd int64 // absolute end of the last span delivered
	lines   int64 // '\n' in the input before buf[counted]
	counted int

	started bool
	end     bool // the buffer holds the end of the input (or all before an error)
	eof     bool // spans searched up to the end
	chunk   int  // most bytes searched by one fill
	err     error
	m       Match
}

// NewScanner returns a Scanner for r with the default options.
func NewScanner(r io.Reader) *Scanner { return NewScannerOptions(r, Options{}) }

// NewScannerOptions returns a Scanner for r with the given options.
//
// When r is a regular *os.File (and the system can map files), the Scanner
// maps it into memory a window at a time instead of reading it, and scans
// the size it had then. If the file shrinks during the scan, reading the
// lost pages faults: the Scanner (and a caller that defers [Scanner.Catch]
// while it reads Match().Text) turns that into [ErrShrunk] instead of a
// crash.
func NewScannerOptions(r io.Reader, o Options) *Scanner {
	m := o.maxExpand
	if m == 0 {
		m = MaxExpand
	} else if m < 0 {
		m = 0
	}
	size := o.BufferSize
	if size <= 0 {
		size = DefaultBufferSize
	}
	// The buffer holds the context kept from the last fill (2*m+anchorLen-1
	// bytes) and at least one new byte.
	size = max(size, 2*m+anchorLen)
	s := &Scanner{r: r, maxExpand: m, count: o.Count, chunk: size}
	if f, n, ok := mappable(r); ok {
		// Mapped, a fill searches a chunk small enough for the caches,
		// so that counting lines reads it again from them. A window holds
		// a few chunks (one would mean a mapping per chunk), their
		// context, and up to a page before it since a mapping starts on a
		// page.
		s.mapped = &mapping{f: f, size: n}
		if o.BufferSize <= 0 {
			s.chunk = mapChunk
		}
		s.window = max(cmp.Or(o.mapWindow, DefaultMapWindow), 4*s.chunk+2*m+anchorLen+pageSize)
		runtime.AddCleanup(s, (*mapping).unmap, s.mapped)
		return s
	}
	s.buf = make([]byte, size)
	return s
}

// Scan advances to the next match, which is then available through Match.
// It returns false at the end of the input or on a read error (see Err).
func (s *Scanner) Scan() (ok bool) {
	if s.mapped != nil {
		defer s.Catch(debug.SetPanicOnFault(true), &ok)
	}
	for s.next == len(s.spans) {
		if s.started && s.eof {
			if s.mapped != nil {
				s.mapped.unmap()
				s.buf, s.n, s.lo, s.hi, s.counted = nil, 0, 0, 0, 0
			}
			return false
		}
		s.fill()
	}
	sp := s.spans[s.next]
	s.next++
	if sp.Start >= s.counted {
		s.lines += int64(countLines(s.buf[s.counted:sp.Start]))
	} else { // a span reaching back before lo, into the kept context
		s.lines -= int64(countLines(s.buf[sp.Start:s.counted]))
	}
	s.counted = sp.Start
	s.prevEnd = s.base + int64(sp.End)
	s.m = Match{
		Offset: s.base + int64(sp.Start),
		Line:   1 + s.lines,
		Text:   s.buf[sp.Start:sp.End:sp.End],
		Anchor: sp.Anchor - sp.Start,
		Before: sp.Before,
		After:  sp.After,
		Cut:    sp.Cut,
	}
	return true
}

// Match returns the most recent match found by Scan. Its Text is valid until
// the next call to Scan.
func (s *Scanner) Match() Match { return s.m }

// Err returns the first error that was encountered reading the input, or nil
// at its end (io.EOF is not an error). Matches before the error are all
// reported; the bytes read before it are treated as the end of the input.
func (s *Scanner) Err() error { return s.err }

// Catch ends the scan with [ErrShrunk] when a mapped file shrank under a
// read of the window (the fault a read of a lost page raises), and sets
// *ok to false. Any other panic goes on. Deferred by Scan, and by a caller
// that reads Match().Text, as:
//
//	defer s.Catch(debug.SetPanicOnFault(true), &ok)
//
// where wasOn is what SetPanicOnFault returned, restored here.
func (s *Scanner) Catch(wasOn bool, ok *bool) {
	debug.SetPanicOnFault(wasOn)
	r := recover()
	if r == nil {
		return
	}
	if f, isFault := r.(interface{ Addr() uintptr }); !isFault || s.mapped == nil || !s.inWindow(f.Addr()) {
		panic(r)
	}
	s.mapped.unmap()
	s.buf, s.n, s.lo, s.hi, s.counted = nil, 0, 0, 0, 0
	s.spans, s.next = s.spans[:0], 0
	s.err, s.end, s.eof, s.m = ErrShrunk, true, true, Match{}
	*ok = false
}

// Mapped reports whether the Scanner maps its input: Match().Text then
// points into the file's mapping, and a caller reading it defers Catch.
func (s *Scanner) Mapped() bool { return s.mapped != nil }

// inWindow reports whether addr is in the mapped window.
func (s *Scanner) inWindow(addr uintptr) bool {
	d := s.mapped.data
	if len(d) == 0 {
		return false
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(d)))
	return addr >= start && addr-start < uintptr(len(d))
}

// fill moves on to the next buffer: it keeps the context the new anchors
// need, reads (or maps) as much new input as fits and searches it.
func (s *Scanner) fill() {
	if s.started {
		s.lines += int64(countLines(s.buf[s.counted:s.hi]))
		s.lo = s.hi
	}
	if !s.started || !s.end && (s.mapped == nil || s.hi+s.chunk+anchorLen+s.maxExpand > s.n) {
		if s.started {
			// Keep the context the next anchors need, from a page
			// boundary when mapping.
			from := max(s.hi-s.maxExpand, 0)
			if s.mapped != nil {
				from &^= pageSize - 1
				s.n -= from
			} else {
				s.n = copy(s.buf, s.buf[from:s.n])
			}
			s.base += int64(from)
			s.lo = s.hi - from
		}
		if s.mapped != nil {
			s.remap()
		} else {
			s.read()
		}
	}
	s.started = true
	s.counted = s.lo
	limit := s.n
	if !s.end {
		// an anchor at limit-1 has exactly anchorLen+maxExpand bytes from it
		limit = s.n - anchorLen - s.maxExpand + 1
	}
	s.hi = max(min(limit, s.lo+s.chunk), s.lo)
	s.eof = s.end && s.hi == s.n
	prevEnd := int(max(s.prevEnd-s.base, 0))
	s.spans = appendSpans(s.spans[:0], s.buf[:s.n], s.lo, s.hi, prevEnd, s.maxExpand)
	s.next = 0
}

// read fills the rest of the buffer from r.
func (s *Scanner) read() {
	for empties := 0; s.n < len(s.buf); {
		k, err := s.r.Read(s.buf[s.n:])
		if k < 0 || k > len(s.buf)-s.n {
			k, err = 0, errBadRead
		}
		s.n += k
		if s.count != nil {
			s.count.Add(int64(k))
		}
		if err != nil {
			if err != io.EOF {
				s.err = err
			}
			s.end = true
			break
		}
		if k > 0 {
			empties = 0
		} else if empties++; empties >= 100 {
			s.err, s.end = io.ErrNoProgress, true
			break
		}
	}
}

// remap maps the window of the file that starts at base.
func (s *Scanner) remap() {
	m := s.mapped
	end := min(s.base+int64(s.window), m.size)
	if s.count != nil {
		s.count.Add(end - s.base - int64(s.n))
	}
	if err := m.remap(s.base, int(end-s.base)); err != nil {
		s.buf, s.n, s.lo, s.err, s.end = nil, 0, 0, err, true
		return
	}
	s.buf, s.n = m.data, len(m.data)
	s.end = end == m.size
}

type readError string

func (e readError) Error() string { return string(e) }

const errBadRead = readError("find: reader returned an invalid count")
