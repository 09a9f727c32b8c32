package urlcodec

import "strings"

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
func JoinLines(line, next string) (joined string, ok bool) {
	rest, ok := continuation(line, next)
	if !ok {
		return "", false
	}
	line = strings.TrimRight(line, "\r\n")
	if strings.HasSuffix(line, "=") && (strings.Contains(line, "=3D") || strings.Contains(line, "=3d")) {
		line = line[:len(line)-1] // a soft line break of quoted-printable mail
	}
	return line + rest, true
}

// continuation returns next without its reply quotes when it continues the
// link that ends line.
func continuation(line, next string) (rest string, ok bool) {
	t, ok := lastLinkWord(line)
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
	if c == "" || schemeLen([]byte(c)) > 0 || hasPrefixFold(c, "www.") || strings.ContainsAny(c[:1], "<([{\"'`>") {
		return "", false
	}
	last := t[len(t)-1]
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
	_, ok := lastLinkWord(line)
	return ok
}

// lastLinkWord returns the last word of line when it is link text that
// runs to the end of the line.
func lastLinkWord(line string) (string, bool) {
	line = strings.TrimRight(line, "\r\n")
	if line == "" || isSpace(line[len(line)-1]) {
		return "", false
	}
	i := len(line)
	for i > 0 && line[i-1] != ' ' && line[i-1] != '\t' && line[i-1] != '>' {
		i--
	}
	t := line[i:]
	t = strings.TrimLeft(t, "<([{\"'`")
	if t == "" || !linkLike(t) || strings.ContainsAny(t[len(t)-1:], ">)]}\"'`") {
		return "", false
	}
	return t, true
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
