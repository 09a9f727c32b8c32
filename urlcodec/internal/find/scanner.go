package find

import "io"

// DefaultBufferSize is the default size of a [Scanner]'s read buffer.
const DefaultBufferSize = 1 << 20

// Options tune a [Scanner]. The zero value means the defaults.
type Options struct {
	// BufferSize is the size of the read buffer (default DefaultBufferSize).
	// It is raised to the minimum the span context needs, about 16 KiB.
	BufferSize int

	maxExpand int // tests only: 0 means MaxExpand, negative means 0
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
// [Options.BufferSize] bytes. Each refill keeps the last 2*MaxExpand+10
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
// ripgrep does, and authmethods scan does. On a generated 600 MB proxy
// log, page cache warm, a shared 2-core VM (load average 4 to 14, so
// medians of 10 to 30 interleaved runs; wall, then user+sys CPU):
//
//	                          before (chunks in parallel)  after (sequential)  rg -c -i -F
//	file, 2 cores             181 ms, 178 ms CPU           170 ms, 162 ms CPU  102 ms, 99 ms
//	file, 1 core (taskset)    194 ms, 172 ms               182 ms, 173 ms      107 ms, 101 ms
//	stdin, a pipe from cat    331 ms, 377 ms               361 ms, 356 ms      372 ms, 323 ms
//	stdin, < file             197 ms, 187 ms               171 ms, 163 ms
//	.gz (gzip -1, 193 MB)     2991 ms, 3001 ms             2992 ms, 2918 ms    3308 ms (rg -z)
//	4 files of 150 MB         217 ms, 217 ms               192 ms, 195 ms      126 ms, 137 ms
//
// The best runs favoured the chunks (104 ms against 155 ms on the file)
// when the other core happened to be idle; 30 runs at load average 14 gave
// 448 ms against 485 ms median wall and 146 ms against 129 ms CPU. In
// memory (BenchmarkScanner, 32 MiB) one goroutine reached 4.6 GB/s at best,
// two 4.5 GB/s. On one core (taskset) both designs search sequentially,
// since GOMAXPROCS follows the CPU affinity. ripgrep stays ahead on a file
// because it maps the file instead of reading it: in a CPU profile of scan
// on the 600 MB log, 48% of the time is the read system call copying the
// page cache, 43% Index. Mapping would close most of the gap, at the cost
// of a SIGBUS crash when the file shrinks during the scan (a log rotated
// with copytruncate), so it is not done. Peak RSS: 9.4 MiB before, 8.4
// MiB after. Commands: go run ./urlcodec/internal/loggen/cmd/loggen -o
// /tmp/x.log -size 600e6, then authmethods scan /tmp/x.log against rg -c
// -i -F authmethods /tmp/x.log.
type Scanner struct {
	r         io.Reader
	buf       []byte
	maxExpand int

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
	eof     bool // no more reads: end of input or an error
	err     error
	m       Match
}

// NewScanner returns a Scanner for r with the default options.
func NewScanner(r io.Reader) *Scanner { return NewScannerOptions(r, Options{}) }

// NewScannerOptions returns a Scanner for r with the given options.
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
	return &Scanner{r: r, buf: make([]byte, size), maxExpand: m}
}

// Scan advances to the next match, which is then available through Match.
// It returns false at the end of the input or on a read error (see Err).
func (s *Scanner) Scan() bool {
	for s.next == len(s.spans) {
		if s.started && s.eof {
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

// fill moves on to the next buffer: it keeps the context the new anchors
// need, reads as much new input as fits and searches it.
func (s *Scanner) fill() {
	if s.started {
		s.lines += int64(countLines(s.buf[s.counted:s.hi]))
		from := max(s.hi-s.maxExpand, 0)
		s.n = copy(s.buf, s.buf[from:s.n])
		s.base += int64(from)
		s.lo = s.hi - from
	}
	s.started = true
	s.counted = s.lo
	for empties := 0; s.n < len(s.buf); {
		k, err := s.r.Read(s.buf[s.n:])
		if k < 0 || k > len(s.buf)-s.n {
			k, err = 0, errBadRead
		}
		s.n += k
		if err != nil {
			if err != io.EOF {
				s.err = err
			}
			s.eof = true
			break
		}
		if k > 0 {
			empties = 0
		} else if empties++; empties >= 100 {
			s.err, s.eof = io.ErrNoProgress, true
			break
		}
	}
	s.hi = s.n
	if !s.eof {
		// an anchor at hi-1 has exactly anchorLen+maxExpand bytes from it
		s.hi = s.n - anchorLen - s.maxExpand + 1
	}
	s.hi = max(s.hi, s.lo)
	prevEnd := int(max(s.prevEnd-s.base, 0))
	s.spans = appendSpans(s.spans[:0], s.buf[:s.n], s.lo, s.hi, prevEnd, s.maxExpand)
	s.next = 0
}

type readError string

func (e readError) Error() string { return string(e) }

const errBadRead = readError("find: reader returned an invalid count")
