package find

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"sync"
	"testing"

	"github.com/authmethods/authmethods/urlcodec/internal/loggen"
)

// Alternatives to Index, kept to measure the choice (BenchmarkIndex) and
// checked for correctness by TestIndexAlternatives.
//
// Measured on a generated 32 MiB proxy log (loggen, seed 1), every anchor
// found, on a shared 2-core AMD EPYC VM with go1.26:
//
//	go test ./urlcodec/internal/find -run '^$' -bench Index -count 12
//
// Best of 12 (the machine was shared, so medians were 30-40% lower, in the
// same order):
//
//	Index (SWAR, "hm" pair, 32 positions/step)   8.5 GB/s
//	SWARor16 (same, 16 positions/step)            7.9 GB/s
//	SWARand16 (h and m zero-tested separately)    6.3 GB/s
//	Memchr2u (bytes.IndexByte on 'u' and 'U')      4.1 GB/s
//	SWARand8                                      2.8 GB/s
//	OneCaseOnly (bytes.Index, "authMethods" only) 2.1 GB/s, and incomplete
//	FoldLoop (byte at a time)                     1.0 GB/s
//	ToLower (lower-case 64 KiB blocks + Index)    0.7 GB/s
//
// bytes.Count of '\n' over the same log runs at about 39 GB/s, so counting
// lines costs little next to the search.

// indexFoldLoop tests every position: the byte-at-a-time baseline.
func indexFoldLoop(b []byte) int {
	for p := 0; p+anchorLen <= len(b); p++ {
		if b[p]|0x20 == 'a' && matchAt(b, p) {
			return p
		}
	}
	return -1
}

// indexMemchr2 looks for the anchor's 'u' in both cases with the
// assembly-backed bytes.IndexByte, remembering the next 'U' so that each case
// is scanned once (memchr2 emulated with two memchr).
func indexMemchr2(b []byte) int {
	nextU := -1 // next 'U' at or after i (valid when >= i), or len(b) if none
	i := 1
	for i < len(b) {
		if nextU < i {
			if j := bytes.IndexByte(b[i:], 'U'); j >= 0 {
				nextU = i + j
			} else {
				nextU = len(b)
			}
		}
		limit := b[i:nextU]
		q := nextU
		if j := bytes.IndexByte(limit, 'u'); j >= 0 {
			q = i + j
		}
		if q >= len(b) {
			return -1
		}
		if p := q - 1; p+anchorLen <= len(b) && matchAt(b, p) {
			return p
		}
		i = q + 1
	}
	return -1
}

// indexOneCase is bytes.Index for one spelling only: it misses the others,
// so it is no solution; it shows what the assembly-backed substring search
// costs for one variant (a complete search needs one call per spelling seen,
// and cannot know them all).
func indexOneCase(b []byte) int { return bytes.Index(b, []byte("authMethods")) }

var lowerBuf []byte

// indexToLower lower-cases a copy, 64 KiB at a time, then uses bytes.Index:
// what the brief rules out, for comparison.
func indexToLower(b []byte) int {
	const block = 64 << 10
	if lowerBuf == nil {
		lowerBuf = make([]byte, block+anchorLen-1)
	}
	for i := 0; i < len(b); i += block {
		chunk := b[i:min(len(b), i+block+anchorLen-1)]
		l := lowerBuf[:len(chunk)]
		for k, c := range chunk {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			l[k] = c
		}
		if j := bytes.Index(l, []byte(Anchor)); j >= 0 {
			return i + j
		}
	}
	return -1
}

// indexSWAR8 is Index with one word per step instead of two.
func indexSWAR8(b []byte) int {
	const (
		lo   = 0x0101010101010101
		hi   = 0x8080808080808080
		fold = 0x2020202020202020
		wh   = 'h' * lo
		wm   = 'm' * lo
	)
	q := 3
	for ; q+9 <= len(b); q += 8 {
		x := binary.LittleEndian.Uint64(b[q:]) | fold ^ wh
		y := binary.LittleEndian.Uint64(b[q+1:]) | fold ^ wm
		t := (x - lo) &^ x & (y - lo) &^ y & hi
		for t != 0 {
			p := q + bits.TrailingZeros64(t)>>3 - 3
			if p+anchorLen <= len(b) && matchAt(b, p) {
				return p
			}
			t &= t - 1
		}
	}
	for p := q - 3; p+anchorLen <= len(b); p++ {
		if matchAt(b, p) {
			return p
		}
	}
	return -1
}

// indexSWARor16 is Index with 16 bytes per step.
func indexSWARor16(b []byte) int {
	const (
		lo   = 0x0101010101010101
		hi   = 0x8080808080808080
		fold = 0x2020202020202020
		wh   = 'h' * lo
		wm   = 'm' * lo
	)
	q := 3
	for ; q+17 <= len(b); q += 16 {
		w := b[q : q+17 : q+17]
		z0 := ((binary.LittleEndian.Uint64(w[0:]) ^ wh) | (binary.LittleEndian.Uint64(w[1:]) ^ wm)) &^ fold
		z1 := ((binary.LittleEndian.Uint64(w[8:]) ^ wh) | (binary.LittleEndian.Uint64(w[9:]) ^ wm)) &^ fold
		t0 := (z0 - lo) &^ z0 & hi
		t1 := (z1 - lo) &^ z1 & hi
		if t0|t1 == 0 {
			continue
		}
		for t0 != 0 {
			p := q + bits.TrailingZeros64(t0)>>3 - 3
			if p+anchorLen <= len(b) && matchAt(b, p) {
				return p
			}
			t0 &= t0 - 1
		}
		for t1 != 0 {
			p := q + 8 + bits.TrailingZeros64(t1)>>3 - 3
			if p+anchorLen <= len(b) && matchAt(b, p) {
				return p
			}
			t1 &= t1 - 1
		}
	}
	for p := q - 3; p+anchorLen <= len(b); p++ {
		if matchAt(b, p) {
			return p
		}
	}
	return -1
}

// indexSWARand16 tests the 'h' and the 'm' separately for zero bytes and
// ANDs the results, 16 bytes per step: three more operations per word than
// Index.
func indexSWARand16(b []byte) int {
	const (
		lo   = 0x0101010101010101
		hi   = 0x8080808080808080
		fold = 0x2020202020202020
		wh   = 'h' * lo
		wm   = 'm' * lo
	)
	// Positions q of the 'h' (anchor offset 3); the 'm' is at q+1.
	q := 3
	for ; q+17 <= len(b); q += 16 {
		// Two words per step; each tests 8 positions. Loading at q and q+1
		// lines up the 'h' and the 'm' of every candidate in the same byte.
		w := b[q : q+17 : q+17] // one bounds check for the four loads
		x0 := binary.LittleEndian.Uint64(w[0:]) | fold ^ wh
		y0 := binary.LittleEndian.Uint64(w[1:]) | fold ^ wm
		x1 := binary.LittleEndian.Uint64(w[8:]) | fold ^ wh
		y1 := binary.LittleEndian.Uint64(w[9:]) | fold ^ wm
		// A byte of t has its high bit set where both x and y have a zero
		// byte (and possibly above such a byte, through the borrow; those
		// are rejected by the full compare).
		t0 := (x0 - lo) &^ x0 & (y0 - lo) &^ y0 & hi
		t1 := (x1 - lo) &^ x1 & (y1 - lo) &^ y1 & hi
		if t0|t1 == 0 {
			continue
		}
		for t0 != 0 {
			p := q + bits.TrailingZeros64(t0)>>3 - 3
			if p+anchorLen <= len(b) && matchAt(b, p) {
				return p
			}
			t0 &= t0 - 1
		}
		for t1 != 0 {
			p := q + 8 + bits.TrailingZeros64(t1)>>3 - 3
			if p+anchorLen <= len(b) && matchAt(b, p) {
				return p
			}
			t1 &= t1 - 1
		}
	}
	for p := q - 3; p+anchorLen <= len(b); p++ {
		if matchAt(b, p) {
			return p
		}
	}
	return -1
}

var alternatives = []struct {
	name     string
	f        func([]byte) int
	complete bool // finds every spelling
}{
	{"Index", Index, true},
	{"SWARor16", indexSWARor16, true},
	{"SWARand16", indexSWARand16, true},
	{"SWARand8", indexSWAR8, true},
	{"Memchr2u", indexMemchr2, true},
	{"FoldLoop", indexFoldLoop, true},
	{"ToLower", indexToLower, true},
	{"OneCaseOnly", indexOneCase, false},
}

func TestIndexAlternatives(t *testing.T) {
	data := benchLog(t, 1<<20)
	for _, alt := range alternatives {
		if !alt.complete {
			continue
		}
		for _, in := range [][]byte{data, []byte("xxAUTHMETHODS"), []byte("U u authmethod Uauthmethods"), nil} {
			if got, want := all(alt.f, in), all(Index, in); len(got) != len(want) {
				t.Errorf("%s: %d anchors, Index finds %d", alt.name, len(got), len(want))
			}
		}
	}
}

func all(f func([]byte) int, b []byte) []int {
	var out []int
	for i := 0; i < len(b); {
		j := f(b[i:])
		if j < 0 {
			break
		}
		out = append(out, i+j)
		i += j + 1
	}
	return out
}

var (
	benchOnce sync.Once
	benchData []byte
)

// benchLog returns the first n bytes of a generated 32 MiB proxy log (made
// once per process).
func benchLog(tb testing.TB, n int) []byte {
	benchOnce.Do(func() {
		benchData, _ = loggen.Generate(loggen.Config{Size: 32 << 20, Seed: 1})
	})
	return benchData[:min(n, len(benchData))]
}

func BenchmarkIndex(b *testing.B) {
	data := benchLog(b, 32<<20)
	for _, alt := range alternatives {
		b.Run(alt.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				for i := 0; i < len(data); {
					j := alt.f(data[i:])
					if j < 0 {
						break
					}
					i += j + 1
				}
			}
		})
	}
}

// BenchmarkAppendSpans is the single-threaded in-memory finder: anchors,
// spans and nothing else.
func BenchmarkAppendSpans(b *testing.B) {
	data := benchLog(b, 32<<20)
	var spans []Span
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		spans = AppendSpans(spans[:0], data)
	}
}

// BenchmarkCountLines is the cost of counting every line once.
func BenchmarkCountLines(b *testing.B) {
	data := benchLog(b, 32<<20)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		countLines(data)
	}
}

// BenchmarkScanner is the streaming Scanner over an in-memory reader, with
// line numbers, for several degrees of parallelism.
func BenchmarkScanner(b *testing.B) {
	data := benchLog(b, 32<<20)
	for _, p := range []struct {
		name string
		n    int
	}{{"Parallel1", 1}, {"Parallel2", 2}, {"Parallel3", 3}, {"Parallel4", 4}} {
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				s := NewScannerOptions(bytes.NewReader(data), Options{Parallel: p.n})
				for s.Scan() {
				}
				if s.Err() != nil {
					b.Fatal(s.Err())
				}
			}
		})
	}
}
