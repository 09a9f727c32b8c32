package urlcodec

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/authmethods/authmethods/urlcodec/internal/find"
)

// Hit is one register link found in text.
type Hit struct {
	Offset int64  // byte offset of the span's first byte in the whole input
	Line   int64  // 1-based line number of that byte
	Text   string // the span as it appears in the input
	Link   *Link  // parsed link, nil when Err != nil
	Err    error  // why the span is not a usable link (e.g. *Error)
}

// Extract returns the register links in text, in order, with a zero Parser.
// See [Parser.NewScanner] for what is reported.
func Extract(text string) []Hit { return new(Parser).Extract(text) }

// Extract returns the register links in text, in order. It reports the same
// hits as a Scanner over the same text, in one pass over it in memory.
func (p *Parser) Extract(text string) []Hit {
	// find only reads b; Hit.Text and Link.Input are copies, so the hits do
	// not keep text alive.
	b := unsafe.Slice(unsafe.StringData(text), len(text))
	var hits []Hit
	line, pos := int64(1), 0
	for _, sp := range find.AppendSpans(nil, b) {
		line += int64(bytes.Count(b[pos:sp.Start], newline))
		pos = sp.Start
		hits = p.appendHits(hits, b[sp.Start:sp.End], sp.Anchor-sp.Start, int64(sp.Start), line)
	}
	return hits
}

var newline = []byte{'\n'}

// Scanner finds register links in a stream, with bounded memory: a few
// megabytes, whatever the size of the input or the length of its lines, so
// that a log of any size, or a single line of hundreds of megabytes, can be
// scanned from a file or a pipe. It reads and searches large blocks in the
// caller's goroutine and reports hits in input order; to use several cores,
// scan several inputs at once, a Scanner each.
//
// How text becomes hits:
//
//  1. The anchor is the parameter name authMethods in any ASCII case
//     (authMethodCount does not contain it). Every anchor is expanded to the
//     URL-ish token around it: up to white space, a control character, a
//     quote or backtick, <, >, a bracket or brace, or '|', and at most 8 KiB
//     each way. A link, or a Safe Links wrapper around one, is one token.
//  2. A token is split where a link directly follows ',' or ';' (lists of
//     links). In each piece the link starts at its first "http:" or
//     "https:" (plain or percent-encoded) before the anchor, so that a
//     wrapper is kept whole and "url=" or "msg=" before a link is dropped;
//     without a scheme it starts after the last '=', ',', ';', '*', '!' or
//     ':' (not a port) before the host. Trailing sentence punctuation, '*'
//     and '\' (a JSON \" before the closing quote) are dropped, and if that
//     text is no link, it is tried again up to the first ',' after the
//     anchor (CSV fields).
//  3. The text is parsed with the Parser. If it parses, the hit has its Link
//     (a link on an untrusted host is a hit: its Verdict says why). If the
//     anchor is there but the text has no authMethods parameter at all (the
//     word in prose, a path such as /docs/authmethods, authMethodsPolicy=),
//     it is not a register link and is not reported. Any other parse error
//     (a mask that is no number, a bad count …) is reported as a hit with
//     Err, since it is a register link that cannot be used.
//
// Offset and Text are those of the parsed text, which may be shorter than
// the token.
type Scanner struct {
	p    *Parser
	s    *find.Scanner
	hits []Hit // found in the current token, not yet returned
	hit  Hit
}

// NewScanner returns a Scanner over r that parses with a zero Parser.
func NewScanner(r io.Reader) *Scanner { return new(Parser).NewScanner(r) }

// NewScanner returns a Scanner over r that parses with p (for its
// TrustHosts and MaxDepth). p must not change while the Scanner is in use.
func (p *Parser) NewScanner(r io.Reader) *Scanner {
	return p.newScanner(r, find.Options{})
}

// newScanner lets tests and benchmarks choose buffer sizes and parallelism.
func (p *Parser) newScanner(r io.Reader, o find.Options) *Scanner {
	return &Scanner{p: p, s: find.NewScannerOptions(r, o)}
}

// Scan advances to the next hit, available through Hit. It returns false at
// the end of the input or on a read error, which Err then returns.
func (s *Scanner) Scan() bool {
	for len(s.hits) == 0 {
		if !s.s.Scan() {
			s.hit = Hit{}
			return false
		}
		m := s.s.Match()
		s.hits = s.p.appendHits(s.hits[:0], m.Text, m.Anchor, m.Offset, m.Line)
	}
	s.hit = s.hits[0]
	s.hits[0] = Hit{}
	s.hits = s.hits[1:]
	return true
}

// Hit returns the hit found by the last call to Scan.
func (s *Scanner) Hit() Hit { return s.hit }

// Err returns the first read error, or nil at the end of the input.
// The hits before the error have all been reported.
func (s *Scanner) Err() error { return s.s.Err() }

// appendHits turns one token found by find (anchor is the index of its
// first anchor, off and line locate its first byte) into hits.
//
// Parsing is bounded to a few times the token's length, so that a token
// packed with anchors costs linear time: every Parse call is charged the
// length of its input, and the token is abandoned when the budget is spent
// (a list of links glued with commas parses each piece at most twice).
func (p *Parser) appendHits(dst []Hit, tok []byte, anchor int, off, line int64) []Hit {
	budget := 4*len(tok) + 4096
	charge := func(n int) bool {
		budget -= n
		return budget >= 0
	}
	for {
		// The piece holding the anchor: from after the last ",http" or
		// ";http" before it to the next one after it.
		lo, hi := 0, len(tok)
		for i := 0; ; {
			j := nextListedLink(tok[i:])
			if j < 0 {
				break
			}
			if i+j < anchor {
				lo = i + j + 1
			} else {
				hi = i + j
				break
			}
			i += j + 1
		}
		start := lo + linkStart(tok[lo:anchor])
		end := trimEnd(tok, start, anchor, hi)
		if !charge(end - start) {
			break
		}
		text := string(tok[start:end])
		l, err := p.Parse(text)
		if err != nil {
			// CSV: the link ends at the first ',' after the anchor.
			if c := bytes.IndexByte(tok[anchor+anchorLen:end], ','); c >= 0 {
				e := trimEnd(tok, start, anchor, anchor+anchorLen+c)
				if charge(e - start) {
					text2 := string(tok[start:e])
					if l2, err2 := p.Parse(text2); err2 == nil {
						text, l, err, end = text2, l2, nil, e
					}
				}
			}
		}
		if err == nil || !errors.Is(err, ErrNoAuthMethods) {
			h := Hit{Offset: off + int64(start), Line: line, Text: text, Err: err}
			if err == nil {
				h.Link = &l
			}
			dst = append(dst, h)
		} else {
			// Not a link (the word in prose, a path): look for another
			// anchor after this one.
			end = anchor + anchorLen
		}
		next := find.Index(tok[end:])
		if next < 0 {
			break
		}
		// Go on with the rest of the token, as a token of its own.
		tok, anchor, off = tok[end:], next, off+int64(end)
	}
	return dst
}

const anchorLen = len(find.Anchor)

// nextListedLink returns the index of the first ',' or ';' directly followed
// by a scheme in b, or -1.
func nextListedLink(b []byte) int {
	for i := 0; i < len(b); i++ {
		i0 := i
		i = indexAny2(b[i:], ',', ';')
		if i < 0 {
			return -1
		}
		i += i0
		if schemeLen(b[i+1:]) > 0 {
			return i
		}
	}
	return -1
}

func indexAny2(b []byte, c1, c2 byte) int {
	for i, c := range b {
		if c == c1 || c == c2 {
			return i
		}
	}
	return -1
}

// schemeLen returns the length of "http:" or "https:", in any case, with
// the colon plain or percent-encoded, at the start of b, or 0.
func schemeLen(b []byte) int {
	if len(b) < 5 || b[0]|0x20 != 'h' || b[1]|0x20 != 't' || b[2]|0x20 != 't' || b[3]|0x20 != 'p' {
		return 0
	}
	n := 4
	if b[n]|0x20 == 's' {
		n++
	}
	switch {
	case n < len(b) && b[n] == ':':
		return n + 1
	case n+2 < len(b) && b[n] == '%' && b[n+1] == '3' && b[n+2]|0x20 == 'a':
		return n + 3
	}
	return 0
}

// linkStart returns where the link starts in pre, the text of its piece
// before the anchor.
func linkStart(pre []byte) int {
	// The first scheme: a wrapper around the link is part of it.
	for i := 0; i+5 <= len(pre); i++ {
		if pre[i]|0x20 == 'h' && schemeLen(pre[i:]) > 0 {
			return i
		}
	}
	// No scheme: the host starts after the last separator before the
	// first '/' or '?'.
	h := len(pre)
	if i := bytes.IndexAny(pre, "/?"); i >= 0 {
		h = i
	}
	start := 0
	for i := h - 1; i >= 0; i-- {
		c := pre[i]
		if c == '=' || c == ',' || c == ';' || c == '*' || c == '!' || c == ':' && (i+1 >= len(pre) || pre[i+1] < '0' || pre[i+1] > '9') {
			start = i + 1
			break
		}
	}
	// Skip punctuation that cannot start a host: markdown emphasis, a dot
	// or tilde, Unicode quotes and spaces.
	for start < h {
		r, n := utf8.DecodeRune(pre[start:])
		if r == '.' || r == '~' || r == '_' || r == '^' || r >= utf8.RuneSelf && junkRune(r) {
			start += n
			continue
		}
		break
	}
	return start
}

// trimEnd returns where the link in tok[start:end] ends once trailing
// punctuation is dropped; never before the end of the anchor.
func trimEnd(tok []byte, start, anchor, end int) int {
	least := anchor + anchorLen
	for end > least {
		r, n := utf8.DecodeLastRune(tok[start:end])
		switch {
		case r < utf8.RuneSelf && strings.IndexByte(".,;:!?*\\", byte(r)) >= 0:
		case r >= utf8.RuneSelf && junkRune(r):
		default:
			return end
		}
		end -= n
	}
	return max(end, least)
}

// junkRune reports a non-ASCII rune that does not belong to a link next to
// it: punctuation (typographic quotes), spaces, symbols, or invalid UTF-8.
func junkRune(r rune) bool {
	return r == utf8.RuneError || unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r)
}
