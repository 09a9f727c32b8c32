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
// Why this implementation (measured by BenchmarkIndex in find_alt_test.go,
// where the alternatives and their numbers are kept):
//   - No byte of the anchor is rare in both cases in URL-heavy text. The
//     best one, u/U, occurs about every 100 bytes of a proxy log, so
//     bytes.IndexByte on 'u' and 'U' (memchr2 emulated) returns too often:
//     4.1 GB/s, bounded by the per-call cost.
//   - bytes.Index is case sensitive (one call per spelling, and the
//     spellings cannot all be listed) and for short needles falls back to a
//     scalar loop once the first byte is frequent: 2.1 GB/s for one
//     spelling.
//   - The letter pair "hm" in the middle of the anchor is rare in any case
//     (about once per 2 KB of a proxy log, mostly inside random tokens).
//     This SWAR loop tests 32 positions per step for it: a byte of
//     (x^'hhhhhhhh' | y^'mmmmmmmm') &^ 0x20.. is zero exactly where x has 'h'
//     or 'H' and y, loaded one byte further, has 'm' or 'M'; no other byte
//     value differs from 'h' or 'm' by 0x20 alone, so there are no false
//     negatives, and the rare false positives fail the full compare.
//     8.5 GB/s, twice memchr2, and faster than testing 'h' and 'm'
//     separately (6.3) or 16 positions per step (7.9).
func Index(b []byte) int {
	const (
		lo   = 0x0101010101010101
		hi   = 0x8080808080808080
		fold = 0x2020202020202020
		wh   = 'h' * lo
		wm   = 'm' * lo
	)
	// q is the position of the candidate's 'h' (anchor offset 3); its 'm'
	// is at q+1. Loading words at q and q+1 lines both up in the same byte.
	q := 3
	for ; q+33 <= len(b); q += 32 {
		w := b[q : q+33 : q+33] // one bounds check for the eight loads
		z0 := ((binary.LittleEndian.Uint64(w[0:]) ^ wh) | (binary.LittleEndian.Uint64(w[1:]) ^ wm)) &^ fold
		z1 := ((binary.LittleEndian.Uint64(w[8:]) ^ wh) | (binary.LittleEndian.Uint64(w[9:]) ^ wm)) &^ fold
		z2 := ((binary.LittleEndian.Uint64(w[16:]) ^ wh) | (binary.LittleEndian.Uint64(w[17:]) ^ wm)) &^ fold
		z3 := ((binary.LittleEndian.Uint64(w[24:]) ^ wh) | (binary.LittleEndian.Uint64(w[25:]) ^ wm)) &^ fold
		// A byte of z is zero exactly where 'h' and 'm' match in any case
		// (x^'h' is 0 or 0x20 for 'h' and 'H' only). The zero-byte test
		// flags every zero byte, and possibly bytes above one (through
		// the borrow): the full compare rejects those.
		t0 := (z0 - lo) &^ z0 & hi
		t1 := (z1 - lo) &^ z1 & hi
		t2 := (z2 - lo) &^ z2 & hi
		t3 := (z3 - lo) &^ z3 & hi
		if t0|t1|t2|t3 == 0 {
			continue
		}
		for k, t := range [4]uint64{t0, t1, t2, t3} {
			for t != 0 {
				p := q + 8*k + bits.TrailingZeros64(t)>>3 - 3
				if p+anchorLen <= len(b) && matchAt(b, p) {
					return p
				}
				t &= t - 1
			}
		}
	}
	for p := q - 3; p+anchorLen <= len(b); p++ {
		if matchAt(b, p) {
			return p
		}
	}
	return -1
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
	for i < hi {
		j := Index(b[i:])
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
