// Package find locates candidate register links in text by pure byte
// scanning: it knows nothing of URLs beyond where a URL-ish token starts and
// ends.
//
// A candidate is found from its anchor, the parameter name "authmethods"
// compared with ASCII case folding (authMethods, AUTHMETHODS, AuthMethods …).
// Note that "authMethodCount" does not contain the anchor (it reads
// "authmethodc…"), so a link with both parameters has one anchor. From an
// anchor the span grows left and right to the boundaries of the token that
// holds it (see [IsDelim]), at most [MaxExpand] bytes each way, so that a
// pathological line costs bounded work. Anchors that start inside a span
// already reported do not start another, so a link, or a whole Safe Links
// wrapper around one, is one span.
//
// [AppendSpans] works on a byte slice in memory; [Scanner] streams an
// io.Reader with bounded memory and reports the same spans with their
// absolute offsets and line numbers.
package find

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// Anchor is the text whose presence, in any ASCII case, marks a candidate.
const Anchor = "authmethods"

// MaxExpand is the most a span grows on each side of its anchor. Register
// links, even inside Safe Links wrappers, are far shorter; the cap bounds the
// work spent on a long token and the context a [Scanner] keeps between reads.
const MaxExpand = 8 << 10

const anchorLen = len(Anchor)

// Span is a candidate: the half-open byte range [Start, End) of the token
// around the anchor that starts at Anchor.
type Span struct {
	Start, Anchor, End int
	// Before and After are the bytes just outside the span (the delimiters
	// that end it), 0 at the start or end of the input. A caller reads
	// quotes or brackets around the token from them.
	Before, After byte
	// Cut reports a token longer than MaxExpand on a side: the span is
	// only part of it.
	Cut bool
}

// delim marks the bytes that end a token: ASCII control characters and
// space, DEL, quotes and angle brackets, which end a link in text, HTML
// attributes, JSON strings and chat. Brackets, braces, '|' and backticks
// are not delimiters: a browser given a link keeps them, so a register
// link after one of them is part of a longer link (see urlcodec), and the
// markup around a link (Markdown, Slack) is read by the caller from the
// whole token. Neither are '&', ';' (&amp;), '\\' (JSON's \/ and \u0026),
// '%', ',' or bytes >= 0x80 (internationalized text, or invalid UTF-8,
// which is left to the parser).
var delim = func() (t [256]bool) {
	for c := 0; c <= ' '; c++ {
		t[c] = true
	}
	for _, c := range []byte("\x7f\"'<>") {
		t[c] = true
	}
	return t
}()

// IsDelim reports whether c ends a candidate token.
func IsDelim(c byte) bool { return delim[c] }

// Index returns the index of the first instance of [Anchor] in b, compared
// with ASCII case folding, or -1. b is not modified or copied.
//
// Why this implementation: alternatives measured on a generated 32 MiB
// proxy log (loggen, seed 1), every anchor found, on a shared 2-core AMD
// EPYC VM with go1.26, best of 12 runs (medians were 30-40% lower, in the
// same order); the alternatives were then deleted:
//
//	SSE2 assembly, "hm" pair, 32 positions a step   22.8 GB/s (amd64)
//	the same in Go (SWAR on 64-bit words)            8.5 GB/s (elsewhere)
//	the same, 16 positions a step                    7.9 GB/s
//	'h' and 'm' zero-tested separately               6.3 GB/s
//	bytes.IndexByte on 'u' and 'U' (memchr2)         4.1 GB/s
//	SWAR, 8 positions a step                         2.8 GB/s
//	bytes.Index, "authMethods" only (incomplete)     2.1 GB/s
//	a byte at a time                                 1.0 GB/s
//	lower-case 64 KiB blocks, then bytes.Index       0.7 GB/s
//
// bytes.Count of '\n' over the same log runs at about 40 GB/s, so counting
// lines costs little next to the search. In words:
//   - No byte of the anchor is rare in both cases in URL-heavy text. The
//     best one, u/U, occurs about every 100 bytes of a proxy log, so
//     bytes.IndexByte on 'u' and 'U' returns too often, bounded by the
//     per-call cost.
//   - bytes.Index is case sensitive (one call per spelling, and the
//     spellings cannot all be listed) and for short needles falls back to a
//     scalar loop once the first byte is frequent.
//   - The letter pair "hm" in the middle of the anchor is rare in any case
//     (about once per 2 KB of a proxy log, mostly inside random tokens).
//     [pairIndexGeneric] tests 32 positions per step for it, and on amd64
//     pairIndex does the same with SSE2, which every amd64 has
//     (TestIndexRandom holds the two to the same answers). Each
//     candidate pair is then compared with the whole anchor.
func Index(b []byte) int {
	// q is the position of a candidate's 'h' (anchor offset 3); its 'm'
	// is at q+1.
	q := 3
	for q < len(b) {
		i, ok := pairIndex(b[q:])
		q += i
		if !ok {
			break
		}
		if p := q - 3; p+anchorLen <= len(b) && matchAt(b, p) {
			return p
		}
		q++
	}
	for p := q - 3; p+anchorLen <= len(b); p++ {
		if matchAt(b, p) {
			return p
		}
	}
	return -1
}

// pairIndexGeneric returns the first i such that b[i] is 'h' or 'H' and
// b[i+1] is 'm' or 'M', looking only in the steps of 32 positions that
// have the 33 bytes they load; ok is false when there is none, and i is
// then the first position it did not look at. pairIndex is the same in
// assembly where there is one.
func pairIndexGeneric(b []byte) (i int, ok bool) {
	const (
		lo   = 0x0101010101010101
		hi   = 0x8080808080808080
		fold = 0x2020202020202020
		wh   = 'h' * lo
		wm   = 'm' * lo
	)
	q := 0
	for ; q+33 <= len(b); q += 32 {
		w := b[q : q+33 : q+33] // one bounds check for the eight loads
		z0 := ((binary.LittleEndian.Uint64(w[0:]) ^ wh) | (binary.LittleEndian.Uint64(w[1:]) ^ wm)) &^ fold
		z1 := ((binary.LittleEndian.Uint64(w[8:]) ^ wh) | (binary.LittleEndian.Uint64(w[9:]) ^ wm)) &^ fold
		z2 := ((binary.LittleEndian.Uint64(w[16:]) ^ wh) | (binary.LittleEndian.Uint64(w[17:]) ^ wm)) &^ fold
		z3 := ((binary.LittleEndian.Uint64(w[24:]) ^ wh) | (binary.LittleEndian.Uint64(w[25:]) ^ wm)) &^ fold
		// A byte of z is zero exactly where 'h' and 'm' match in any case
		// (x^'h' is 0 or 0x20 for 'h' and 'H' only). The zero-byte test
		// flags every zero byte, and possibly bytes above one (through
		// the borrow): those are checked again below.
		t0 := (z0 - lo) &^ z0 & hi
		t1 := (z1 - lo) &^ z1 & hi
		t2 := (z2 - lo) &^ z2 & hi
		t3 := (z3 - lo) &^ z3 & hi
		if t0|t1|t2|t3 == 0 {
			continue
		}
		for k, t := range [4]uint64{t0, t1, t2, t3} {
			for ; t != 0; t &= t - 1 {
				i := q + 8*k + bits.TrailingZeros64(t)>>3
				if b[i]|0x20 == 'h' && b[i+1]|0x20 == 'm' {
					return i, true
				}
			}
		}
	}
	return q, false
}

// matchAt reports whether b[p:] starts with the anchor, in any case.
// It requires p+anchorLen <= len(b).
func matchAt(b []byte, p int) bool {
	const (
		fold8 = 0x2020202020202020
		head  = 0x6874656d68747561 // "authmeth", little endian
		fold3 = 0x202020
		tail  = 0x73646f // "ods", little endian
	)
	b = b[p : p+anchorLen]
	if binary.LittleEndian.Uint64(b)|fold8 != head {
		return false
	}
	return (uint32(b[8])|uint32(b[9])<<8|uint32(b[10])<<16)|fold3 == tail
}

// AppendSpans appends to dst the spans of all candidates in b, in order, and
// returns the extended slice. They are the spans a [Scanner] reports for the
// same input.
func AppendSpans(dst []Span, b []byte) []Span {
	return appendSpans(dst, b, 0, len(b), 0, MaxExpand)
}

// appendSpans appends the spans whose anchors start in b[lo:hi], given that
// the last span reported before ends at prevEnd (spans never reach left of
// it, and anchors before it are skipped). b must hold maxExpand bytes of
// context left of max(lo, prevEnd) (or start of input) and
// anchorLen+maxExpand bytes right of hi (or end of input).
func appendSpans(dst []Span, b []byte, lo, hi, prevEnd, maxExpand int) []Span {
	i := max(lo, prevEnd)
	end := min(hi+anchorLen-1, len(b)) // anchors that start before hi
	for i < hi {
		j := Index(b[i:end])
		if j < 0 {
			break
		}
		p := i + j
		if p >= hi {
			break
		}
		s := spanAt(b, p, prevEnd, maxExpand)
		dst = append(dst, s)
		prevEnd = s.End
		i = s.End
	}
	return dst
}

// spanAt expands the anchor at p to its token, no further left than
// max(p-maxExpand, floor) and no further right than p+anchorLen+maxExpand.
func spanAt(b []byte, p, floor, maxExpand int) Span {
	left := max(p-maxExpand, floor, 0)
	s := p
	for s > left && !delim[b[s-1]] {
		s--
	}
	right := min(p+anchorLen+maxExpand, len(b))
	e := p + anchorLen
	for e < right && !delim[b[e]] {
		e++
	}
	sp := Span{Start: s, Anchor: p, End: e}
	if s > 0 {
		sp.Before = b[s-1]
		sp.Cut = s == p-maxExpand && s > floor && !delim[sp.Before]
	}
	if e < len(b) {
		sp.After = b[e]
		sp.Cut = sp.Cut || e == p+anchorLen+maxExpand && !delim[sp.After]
	}
	return sp
}

// countLines returns the number of '\n' in b.
func countLines(b []byte) int { return bytes.Count(b, newline) }

var newline = []byte{'\n'}
