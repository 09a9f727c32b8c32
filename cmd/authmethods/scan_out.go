package main

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec"
)

// appendJSON appends h as one line of scan --json. It is written by hand,
// not by encoding/json, because a dense log has millions of links: the
// fields are appended to one buffer, and the file name and method names
// are encoded once.
func (s *scanner) appendJSON(b []byte, file []byte, h urlcodec.Hit) []byte {
	b = append(b, file...)
	if h.Err != nil {
		b = append(b, `,"line":`...)
		b = strconv.AppendInt(b, h.Line, 10)
		b = append(b, `,"offset":`...)
		b = strconv.AppendInt(b, h.Offset, 10)
		b = append(b, `,"input":`...)
		b = appendJSONString(b, h.Text)
		b = append(b, `,"kind":"invalid","error":`...)
		b = appendJSONString(b, errText(h.Err))
		return append(b, "}\n"...)
	}
	l := h.Link
	b = append(b, `,"offset":`...)
	b = strconv.AppendInt(b, h.Offset, 10)
	b = append(b, `,"input":`...)
	in := len(b)
	b = appendJSONString(b, h.Text)
	input := b[in:]
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, h.Line, 10)
	b = append(b, `,"kind":"link","authMethods":`...)
	b = strconv.AppendUint(b, uint64(l.Mask), 10)
	b = append(b, `,"authMethodCount":`...)
	if l.HasCount {
		b = strconv.AppendInt(b, int64(l.Count), 10)
	} else {
		b = append(b, "null"...)
	}
	b = s.appendMethods(b, l.Mask)
	b = append(b, `,"url":`...)
	if l.URL == h.Text { // most links: the input is the link
		b = append(b, input...)
	} else {
		b = appendJSONString(b, l.URL)
	}
	if l.Host != "" {
		b = append(b, `,"host":`...)
		b = appendJSONString(b, l.Host)
	}
	// The browser's path, as decode --json writes it, only when it is more
	// than the link itself: most links in a log are opened as they are.
	if hops := l.Hops(); len(hops) > 1 || hops[0].URL != l.URL || hops[0].Host != l.Host {
		b = append(b, `,"path":[`...)
		for i, hop := range hops {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"url":`...)
			b = appendJSONString(b, hop.URL)
			b = append(b, `,"host":`...)
			b = appendJSONString(b, hop.Host)
			b = append(b, `,"via":`...)
			b = appendJSONString(b, hop.Via)
			b = append(b, `,"safe":`...)
			b = strconv.AppendBool(b, hop.Safe)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if l.Verdict.Trusted {
		b = append(b, `,"trusted":true`...)
	} else {
		b = append(b, `,"trusted":false`...)
		if len(l.Verdict.Reasons) > 0 {
			b = append(b, `,"reasons":[`...)
			for i, r := range l.Verdict.Reasons {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"code":`...)
				b = appendJSONString(b, r.Code)
				b = append(b, '}')
			}
			b = append(b, ']')
		}
	}
	if len(l.Wrapped) > 0 {
		b = append(b, `,"wrapped":`...)
		b = appendJSONStrings(b, l.Wrapped)
	}
	// The catalog holds only the provenance: the source and note of a
	// value are the same long text on every line, and 'authmethods list
	// --json' carries them.
	b = append(b, `,"catalog":{"provenance":"`...)
	b = append(b, s.c.catalog.Lookup(l.Mask).Provenance.String()...)
	b = append(b, `"},"warnings":`...)
	if len(l.Warnings) == 0 && !s.oddMask(l.Mask) {
		b = append(b, "[]"...)
	} else {
		b = appendJSONStrings(b, warningsOf(item{Link: l, Mask: l.Mask}))
	}
	return append(b, "}\n"...)
}

// fileJSON is the start of every line of scan --json for the file name.
func fileJSON(name string) []byte { return appendJSONString([]byte(`{"file":`), name) }

// appendMethods appends the "methods" and "unknownBits" fields of m, from
// the names of the bits encoded once.
func (s *scanner) appendMethods(b []byte, m bitmask.Mask) []byte {
	if s.bitJSON == nil {
		s.bitJSON = make(map[bitmask.Mask][]byte)
		for _, meth := range bitmask.Methods() {
			s.bitJSON[meth.Bit] = appendJSONString(nil, meth.Name)
			if meth.Status == bitmask.Sentinel || meth.Status == bitmask.Beta {
				s.oddBits |= meth.Bit
			}
		}
	}
	b = append(b, `,"methods":[`...)
	for k := m &^ m.Unknown(); k != 0; k &= k - 1 {
		if k != m&^m.Unknown() {
			b = append(b, ',')
		}
		b = append(b, s.bitJSON[k&-k]...)
	}
	b = append(b, `],"unknownBits":[`...)
	for u := m.Unknown(); u != 0; u &= u - 1 {
		if u != m.Unknown() {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, uint64(u&-u), 10)
	}
	return append(b, ']')
}

// oddMask reports whether m draws warnings of its own (see maskWarnings):
// 0, the sentinel, a beta bit or an unknown bit.
func (s *scanner) oddMask(m bitmask.Mask) bool {
	return m == 0 || m&s.oddBits != 0 || m.Unknown() != 0
}

// plain8 reports whether the 8 bytes of s are all jsonPlain: none below
// 0x20 or from 0x80, none '"' or '\\' (a byte of x^c is zero where x has c).
func plain8(s string) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	q, bs := x^('"'*lo), x^('\\'*lo)
	return (x|(x-0x20*lo)|(q-lo)&^q|(bs-lo)&^bs)&hi == 0
}

// jsonPlain marks the bytes a JSON string holds as they are.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func appendJSONStrings(b []byte, list []string) []byte {
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONString appends s as a JSON string exactly as encoding/json
// writes it with SetEscapeHTML(false): invalid UTF-8 becomes \ufffd, and
// U+2028 and U+2029 are escaped for JavaScript.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && plain8(s[i:i+8]) { // most of a link is plain ASCII
			i += 8
			continue
		}
		c := s[i]
		if jsonPlain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, `\b`...)
			case '\f':
				b = append(b, `\f`...)
			case '\n':
				b = append(b, `\n`...)
			case '\r':
				b = append(b, `\r`...)
			case '\t':
				b = append(b, `\t`...)
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			}
			start = i + n
		}
		i += n
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendText appends "FILE:LINE: MASK METHODS HOST VERDICT" and a newline.
func (s *scanner) appendText(b []byte, name string, h urlcodec.Hit) []byte {
	c := s.c
	b = append(b, name...)
	b = append(b, ':')
	b = strconv.AppendInt(b, h.Line, 10)
	b = append(b, ": "...)
	if h.Err != nil {
		b = append(b, c.paint(c.st.bad, "invalid")...)
		b = append(b, ' ')
		b = append(b, errText(h.Err)...)
		b = append(b, ": "...)
		b = append(b, quote(h.Text)...)
		return append(b, '\n')
	}
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
	return append(b, '\n')
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
	total := fmt.Sprintf("%d links with %d distinct masks; %d not trusted; %d invalid", s.links, len(masks), s.untrust, s.invalid)
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
