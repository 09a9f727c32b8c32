package find

import (
	"io"
	"runtime"
	"sync"
)

// DefaultBufferSize is the default size of a [Scanner]'s read buffers.
const DefaultBufferSize = 1 << 20

// Options tune a [Scanner]. The zero value means the defaults.
type Options struct {
	// BufferSize is the size of each read buffer (default DefaultBufferSize).
	// It is raised to the minimum the span context needs, about 16 KiB.
	BufferSize int
	// Parallel is how many buffers are searched at the same time, each in
	// its own goroutine, while the caller's goroutine reads the next one.
	// The default is runtime.GOMAXPROCS(0); 1 (or a negative value) searches
	// in the caller's goroutine only.
	Parallel int

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
// Memory is bounded whatever the input and its line lengths: a few buffers of
// [Options.BufferSize] bytes. Each buffer after the first starts with the
// last 2*MaxExpand+10 bytes of the one before, so that an anchor near a
// buffer boundary still has its full context; a line longer than a buffer is
// never held whole. The input is read in the goroutine that calls Scan, while
// up to [Options.Parallel] earlier buffers are searched in goroutines of
// their own; the result does not depend on the buffer size or the
// parallelism. Lines are counted with bytes.Count once per buffer region.
//
// Abandoning a Scanner is safe: its goroutines end on their own once their
// buffer is searched.
type Scanner struct {
	r         io.Reader
	bufSize   int
	depth     int // chunks queued (read, being searched) at most
	parallel  bool
	maxExpand int

	free  []*chunk
	queue []*chunk // read and being (or been) searched, in input order
	head  *chunk   // the chunk whose spans are being delivered
	next  int      // index in head.spans of the next span to deliver
	last  *chunk   // the chunk read last: its tail starts the next one

	lines   int64 // '\n' in the input before head.lo
	prevEnd int64 // absolute end of the last span delivered
	eof     bool  // no more reads: end of input or an error
	err     error
	empties int // consecutive empty reads

	m Match
}

// chunk is one read buffer and what was found in it.
type chunk struct {
	buf  []byte
	n    int   // bytes of buf in use
	base int64 // absolute offset of buf[0]
	// Anchors starting in buf[lo:hi] belong to this chunk. buf holds
	// maxExpand bytes before lo and anchorLen-1+maxExpand bytes after hi
	// (unless the input starts or ends there).
	lo, hi int

	spans []Span
	nl    []int // '\n' in buf[lo:spans[i].Start], negative if Start < lo
	owned int   // '\n' in buf[lo:hi]
	kept  bool  // delivered, but still the source of the next chunk's context
	wg    sync.WaitGroup
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
	// A buffer holds the context kept from the one before (2*m+anchorLen-1
	// bytes) and at least one new byte.
	size = max(size, 2*m+anchorLen)
	p := o.Parallel
	if p == 0 {
		p = runtime.GOMAXPROCS(0)
	}
	growPipe(r, min(size, 1<<20))
	s := &Scanner{r: r, bufSize: size, maxExpand: m, depth: 1}
	if p > 1 {
		s.parallel = true
		s.depth = p
	}
	return s
}

// Scan advances to the next match, which is then available through Match.
// It returns false at the end of the input or on a read error (see Err).
func (s *Scanner) Scan() bool {
	for {
		if h := s.head; h != nil {
			if s.next < len(h.spans) {
				sp := h.spans[s.next]
				s.m = Match{
					Offset: h.base + int64(sp.Start),
					Line:   1 + s.lines + int64(h.nl[s.next]),
					Text:   h.buf[sp.Start:sp.End:sp.End],
					Anchor: sp.Anchor - sp.Start,
					Before: sp.Before,
					After:  sp.After,
					Cut:    sp.Cut,
				}
				s.next++
				return true
			}
			s.lines += int64(h.owned)
			if n := len(h.spans); n > 0 {
				s.prevEnd = h.base + int64(h.spans[n-1].End)
			}
			s.head = nil
			s.release(h)
		}
		for len(s.queue) < s.depth && !s.eof {
			c := s.read()
			s.queue = append(s.queue, c)
			if s.parallel && !(s.eof && len(s.queue) == 1) {
				c.wg.Add(1)
				go func() {
					defer c.wg.Done()
					c.search(0, s.maxExpand)
				}()
			} else {
				c.search(0, s.maxExpand)
			}
		}
		if len(s.queue) == 0 {
			return false
		}
		h := s.queue[0]
		copy(s.queue, s.queue[1:])
		s.queue[len(s.queue)-1] = nil
		s.queue = s.queue[:len(s.queue)-1]
		h.wg.Wait()
		s.fixup(h)
		s.head, s.next = h, 0
	}
}

// Match returns the most recent match found by Scan. Its Text is valid until
// the next call to Scan.
func (s *Scanner) Match() Match { return s.m }

// Err returns the first error that was encountered reading the input, or nil
// at its end (io.EOF is not an error). Matches before the error are all
// reported; the bytes read before it are treated as the end of the input.
func (s *Scanner) Err() error { return s.err }

// read fills a new chunk: the context kept from the last one, then as much
// new input as fits.
func (s *Scanner) read() *chunk {
	var c *chunk
	if n := len(s.free); n > 0 {
		c = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		c = &chunk{buf: make([]byte, s.bufSize)}
	}
	c.n, c.base, c.lo = 0, 0, 0
	if prev := s.last; prev != nil {
		from := max(prev.hi-s.maxExpand, 0)
		c.n = copy(c.buf, prev.buf[from:prev.n])
		c.base = prev.base + int64(from)
		c.lo = prev.hi - from
		if prev.kept {
			prev.kept = false
			s.free = append(s.free, prev)
		}
	}
	s.last = c
	for c.n < len(c.buf) {
		k, err := s.r.Read(c.buf[c.n:])
		if k < 0 || k > len(c.buf)-c.n {
			k, err = 0, errBadRead
		}
		c.n += k
		if err != nil {
			if err != io.EOF {
				s.err = err
			}
			s.eof = true
			break
		}
		if k > 0 {
			s.empties = 0
		} else if s.empties++; s.empties >= 100 {
			s.err = io.ErrNoProgress
			s.eof = true
			break
		}
	}
	if s.eof {
		c.hi = c.n
	} else {
		// an anchor at hi-1 has exactly anchorLen+maxExpand bytes from it
		c.hi = c.n - anchorLen - s.maxExpand + 1
	}
	c.hi = max(c.hi, c.lo)
	return c
}

type readError string

func (e readError) Error() string { return string(e) }

const errBadRead = readError("find: reader returned an invalid count")

// release returns a delivered chunk to the free list, unless it is still
// needed as the context of the next one.
func (s *Scanner) release(c *chunk) {
	if c == s.last && !s.eof {
		c.kept = true
		return
	}
	s.free = append(s.free, c)
}

// search finds the spans of c as if the last span before ended at prevEnd
// (an index in c.buf; 0 when unknown) and counts lines.
func (c *chunk) search(prevEnd, maxExpand int) {
	b := c.buf[:c.n]
	c.spans = appendSpans(c.spans[:0], b, c.lo, c.hi, prevEnd, maxExpand)
	c.nl = c.nl[:0]
	pos, nl := c.lo, 0
	for _, sp := range c.spans {
		if sp.Start >= pos {
			nl += countLines(b[pos:sp.Start])
		} else {
			nl -= countLines(b[sp.Start:pos])
		}
		pos = sp.Start
		c.nl = append(c.nl, nl)
	}
	c.owned = nl + countLines(b[pos:c.hi])
}

// fixup corrects the spans of c, searched without knowing where the last
// span before it ends, now that that is known. Only a span reaching back
// across the chunk boundary can be affected: if an anchor of c lies in it,
// c is searched again; otherwise only the first span's start moves.
func (s *Scanner) fixup(c *chunk) {
	if len(c.spans) == 0 || s.prevEnd <= c.base {
		return
	}
	p := int(s.prevEnd - c.base)
	first := &c.spans[0]
	switch {
	case first.Anchor < p:
		c.search(p, s.maxExpand)
	case first.Start < p:
		c.nl[0] += countLines(c.buf[first.Start:p])
		first.Start = p
	}
}
