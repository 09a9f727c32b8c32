package urlcodec

import (
	"strings"
	"unicode/utf8"
)

// Plain-text mail wraps long lines at 72 to 78 columns, and breaks a long
// link (a Safe Links wrapper always is one) wherever the column falls:
//
//	https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysign
//	ins.microsoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1
//
// Read line by line, the first part is a link with the wrong mask, or none.
// JoinLines rejoins such a break when it is unambiguous.

// JoinLines reports whether next continues a link that a mail client broke
// at the end of line, and returns the two joined: line without its line
// end (and without the '=' of a quoted-printable soft line break), then
// next without the reply quotes ("> ") that both lines share. It is
// unambiguous
// only when line ends in link text (no space before the break), next starts
// with link text at the same quote depth that is not a new link, and the
// break falls inside the link's URL syntax: next carries '=', '&', '%',
// '?', '#', authMethods or a path, or line ends with '=', '&', '?', '%' or
// '/', or a digit follows a digit of authMethods (a number cut in two).
// A line that ends with a whole authMethods or authMethodCount value goes
// on only in URL punctuation (or, for authMethods, digits): a word there
// ("legit??", "100%", a link without a scheme) starts the next line of text.
func JoinLines(line, next string) (joined string, ok bool) {
	keep, skip, ok := joinParts(line, next)
	if !ok {
		return "", false
	}
	return line[:keep] + strings.TrimRight(next, "\r\n")[skip:], true
}

// joinParts says how JoinLines joins: the first keep bytes of line, then
// next from byte skip to its line end.
func joinParts(line, next string) (keep, skip int, ok bool) {
	rest, ok := continuation(line, next)
	if !ok {
		return 0, 0, false
	}
	l := strings.TrimRight(line, "\r\n")
	if strings.HasSuffix(l, "=") && (isQuotedPrintable(l) || isQuotedPrintable(next)) {
		l = l[:len(l)-1] // a soft line break of quoted-printable mail
	}
	return len(l), len(strings.TrimRight(next, "\r\n")) - len(rest), true
}

// rejoinText rejoins every link in text that a mail client broke over
// lines (see JoinLines). It returns the rejoined text and, for each of its
// bytes, the offset of that byte in text; nil when nothing was rejoined.
func rejoinText(text string) (string, []int32) {
	if strings.IndexByte(text, '\n') < 0 || len(text) > 1<<30 {
		return "", nil
	}
	var b strings.Builder
	var m []int32
	emit := func(from, to int) {
		b.WriteString(text[from:to])
		for i := from; i < to; i++ {
			m = append(m, int32(i))
		}
	}
	joined := false
	start := 0 // of the current line
	for start < len(text) {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			break
		}
		end += start + 1 // past the newline
		nextEnd := strings.IndexByte(text[end:], '\n')
		if nextEnd < 0 {
			nextEnd = len(text)
		} else {
			nextEnd += end + 1
		}
		line, next := text[start:end], text[end:nextEnd]
		if EndsInLink(line) {
			if keep, skip, ok := joinParts(line, next); ok {
				if !joined {
					joined = true
					b.Grow(len(text))
					m = make([]int32, 0, len(text))
					emit(0, start)
				}
				emit(start, start+keep)
				// The next line goes on where the link went on; it is
				// read again as the current line, so that a link broken
				// over three lines joins whole.
				start = end + skip
				continue
			}
		}
		if joined {
			emit(start, end)
		}
		start = end
	}
	if !joined {
		return "", nil
	}
	emit(start, len(text))
	return b.String(), m
}

// continuation returns next without its reply quotes when it continues the
// link that ends line.
func continuation(line, next string) (rest string, ok bool) {
	t, angle, ok := lastLinkWord(line)
	next = strings.TrimRight(next, "\r\n")
	if !ok || next == "" {
		return "", false
	}
	q1, q2 := quotePrefix(line), quotePrefix(next)
	if quoteDepth(q1) != quoteDepth(q2) {
		return "", false
	}
	nb := next[len(q2):]
	c := nb
	if i := strings.IndexAny(c, " \t"); i >= 0 {
		c = c[:i]
	}
	if c == "" || strings.ContainsAny(c[:1], "<([{\"'`>") {
		return "", false
	}
	if angle {
		// <…> holds one link: what follows the break up to '>' is
		// part of it (RFC 3986, appendix C), even a second scheme.
		return nb, true
	}
	if schemeLen([]byte(c)) > 0 || hasPrefixFold(c, "www.") {
		return "", false
	}
	if strings.IndexFunc(t, func(r rune) bool { return r >= utf8.RuneSelf && junkRune(r) }) >= 0 {
		// Typographic punctuation (a closing ” or ）, a dash) ends a link
		// in prose; a mail client breaking a link adds none.
		return "", false
	}
	last := t[len(t)-1]
	if valueAtEnd(t) && !isDigit(c[0]) && isAlnum(c[0]) || countAtEnd(t) && isDigit(c[0]) {
		// The link ends with a whole authMethods or authMethodCount
		// value: a word after it ("legit??", "100%", a link without a
		// scheme) is the next line of text, not the rest of the value.
		// Only a mask may go on in digits (a number cut in two).
		return "", false
	}
	switch {
	case strings.ContainsAny(c, "=&%?#"), containsFold(c, "authmethod"),
		strings.Contains(c, "/") && strings.Contains(c, "."),
		strings.IndexByte("=&?%/", last) >= 0,
		isDigit(last) && isDigit(c[0]) && maskAtEnd(t):
		return nb, true
	}
	return "", false
}

// EndsInLink reports whether line ends in link text that may go on in the
// next line: whether JoinLines can be true for some next line. It lets
// a line reader hold back only such lines.
func EndsInLink(line string) bool {
	_, _, ok := lastLinkWord(line)
	return ok
}

// lastLinkWord returns the last word of line when it is link text that
// runs to the end of the line; angle reports a '<' before it that is not
// closed yet.
func lastLinkWord(line string) (word string, angle, ok bool) {
	line = strings.TrimRight(line, "\r\n")
	if line == "" || isSpace(line[len(line)-1]) {
		return "", false, false
	}
	i := len(line)
	for i > 0 && line[i-1] != ' ' && line[i-1] != '\t' && line[i-1] != '>' {
		i--
	}
	t := line[i:]
	angle = strings.HasPrefix(t, "<")
	t = strings.TrimLeft(t, "<([{\"'`")
	if t == "" || !linkLike(t) || strings.ContainsAny(t[len(t)-1:], ">)]}\"'`") {
		return "", false, false
	}
	return t, angle, true
}

// isQuotedPrintable reports the mark of quoted-printable mail: '=' written
// as "=3D".
func isQuotedPrintable(s string) bool {
	return strings.Contains(s, "=3D") || strings.Contains(s, "=3d")
}

// linkLike reports whether t, the last word of a line, is (the start of)
// a link.
func linkLike(t string) bool {
	return strings.Contains(t, "://") || strings.Contains(t, "%3A%2F%2F") || hasPrefixFold(t, "www.") ||
		containsFold(t, "authmethods") || containsFold(t, "mysignins") || containsFold(t, "safelinks")
}

// maskAtEnd reports whether t ends with the digits of authMethods=.
func maskAtEnd(t string) bool {
	i := len(t)
	for i > 0 && isDigit(t[i-1]) {
		i--
	}
	return i >= len("authMethods=") && strings.EqualFold(t[i-len("authMethods="):i], "authMethods=")
}

// valueAtEnd reports whether t ends with the digits of authMethods= or
// authMethodCount=, with '=' plain, quoted-printable (=3D) or
// percent-encoded (%3D).
func valueAtEnd(t string) bool { return maskAtEnd(t) || countAtEnd(t) || paramAtEnd(t, "authMethods") }

// countAtEnd reports whether t ends with the digits of authMethodCount=,
// its '=' written in any of the forms valueAtEnd reads.
func countAtEnd(t string) bool { return paramAtEnd(t, "authMethodCount") }

// paramAtEnd reports whether t ends with name, '=' (plain, =3D or %3D)
// and one or more digits.
func paramAtEnd(t, name string) bool {
	i := len(t)
	for i > 0 && isDigit(t[i-1]) {
		i--
	}
	if i == len(t) {
		return false
	}
	for _, eq := range []string{"=", "=3D", "%3D"} {
		k := i - len(eq) - len(name)
		if k >= 0 && strings.EqualFold(t[k:i], name+eq) {
			return true
		}
	}
	return false
}

func isAlnum(c byte) bool { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'z' }

// quotePrefix returns the reply quotes at the start of a mail line: '>'
// marks, each maybe followed by a space.
func quotePrefix(s string) string {
	i := 0
	for i < len(s) {
		j := i
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j >= len(s) || s[j] != '>' {
			break
		}
		i = j + 1
		if i < len(s) && s[i] == ' ' {
			i++
		}
	}
	return s[:i]
}

func quoteDepth(q string) int { return strings.Count(q, ">") }

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
