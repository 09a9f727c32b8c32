package urlcodec

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file undoes what mail, chat, logs and people do to a link before it
// reaches Parse. Each function reports whether it changed anything, so that
// Parse can say so: no repair is silent.

// Brackets and quotes that mail and chat put around a link, as pairs. A
// closing bracket is only removed when it closes nothing inside the link, so
// that an IPv6 host [::1] keeps its bracket.
var (
	openers  = [...]rune{'<', '(', '[', '{', '"', '\'', '`', '“', '‘', '«'}
	closers  = [...]rune{'>', ')', ']', '}', '"', '\'', '`', '”', '’', '»'}
	trailers = ".,;:!?"
)

// trimSurrounding removes white space, brackets, quotes and trailing
// sentence punctuation around a pasted link. It returns the link and what
// was removed before and after it.
func trimSurrounding(s string) (link, before, after string) {
	if s == "" || isLinkByte(s[0]) && isLinkByte(s[len(s)-1]) {
		return s, "", ""
	}
	// open counts, per pair, openers minus closers in s[start:end], kept up
	// to date so that trimming stays linear.
	var open [len(openers)]int
	count := func(r rune, by int) {
		if i := slices.Index(openers[:], r); i >= 0 {
			open[i] += by
		}
		if i := slices.Index(closers[:], r); i >= 0 {
			open[i] -= by
		}
	}
	for _, r := range s {
		count(r, 1)
	}
	start, end := 0, len(s)
	for progress := true; progress && start < end; {
		progress = false
		for start < end {
			r, n := utf8.DecodeRuneInString(s[start:end])
			if !unicode.IsSpace(r) && !slices.Contains(openers[:], r) {
				break
			}
			count(r, -1)
			start, progress = start+n, true
		}
		for start < end {
			r, n := utf8.DecodeLastRuneInString(s[start:end])
			if i := slices.Index(closers[:], r); i >= 0 {
				if openers[i] != r && open[i] >= 0 {
					break
				}
			} else if !unicode.IsSpace(r) && !strings.ContainsRune(trailers, r) {
				break
			}
			count(r, -1)
			end, progress = end-n, true
		}
	}
	return s[start:end], strings.TrimSpace(s[:start]), strings.TrimSpace(s[end:])
}

// isLinkByte reports an ASCII letter, digit or '/', which can start and end
// a link and is never trimmed.
func isLinkByte(c byte) bool {
	return isASCIILetter(c) || '0' <= c && c <= '9' || c == '/'
}

// htmlEntities are the named references that appear in links in HTML mail;
// a full table would turn "&not" or "&para" inside a query into symbols.
// Names are spelled exactly as in HTML's table, where case matters: a
// browser leaves &SOL; or &Quest; as text, so decoding them would judge
// another host than it opens.
var htmlEntities = map[string]string{"amp": "&", "AMP": "&", "lt": "<", "LT": "<", "gt": ">", "GT": ">", "quot": `"`, "QUOT": `"`, "apos": "'", "sol": "/", "colon": ":", "quest": "?", "equals": "=", "commat": "@", "num": "#", "percnt": "%"}

// decodeHTMLEntities decodes &amp; and the other references a link picks up
// in HTML (&#38; &#x26; …). Only references closed by ';' count.
func decodeHTMLEntities(s string) (string, bool) {
	i := 0
	for {
		j := strings.IndexByte(s[i:], '&')
		if j < 0 {
			return s, false
		}
		i += j
		if _, n := htmlReference(s[i:]); n > 0 {
			break
		}
		i++
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		if s[i] == '&' {
			if r, n := htmlReference(s[i:]); n > 0 {
				b.WriteString(r)
				i += n
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String(), true
}

// htmlReference reads one character reference at the start of s, which
// begins with '&', and returns its text and length, or 0.
func htmlReference(s string) (string, int) {
	const longest = len("&#x10ffff;")
	semi := strings.IndexByte(s[:min(len(s), longest)], ';')
	if semi < 2 {
		return "", 0
	}
	name := s[1:semi]
	if name[0] != '#' {
		if r, ok := htmlEntities[name]; ok {
			return r, semi + 1
		}
		return "", 0
	}
	base, digits := 10, name[1:]
	if digits != "" && digits[0]|0x20 == 'x' {
		base, digits = 16, digits[1:]
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil || digits == "" || digits[0] == '+' || n == 0 || n > unicode.MaxRune || 0xd800 <= n && n < 0xe000 {
		return "", 0
	}
	return string(rune(n)), semi + 1
}

// removeQuerySpaces removes the spaces a person types around '?', '=' and
// '&' when copying a link from a screenshot. Spaces elsewhere stay: they are
// not a known slip and a browser would keep them.
func removeQuerySpaces(s string) (string, bool) {
	q := strings.IndexByte(s, '?')
	if q < 0 || !strings.Contains(s[max(q-1, 0):], " ") {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(strings.TrimRight(s[:q], " "))
	skip := false // skip spaces after a separator
	pending := 0  // spaces held back in case a separator follows
	for i := q; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' && skip:
		case c == ' ':
			pending++
		case c == '?' || c == '=' || c == '&':
			b.WriteByte(c)
			pending, skip = 0, true
		default:
			b.WriteString(strings.Repeat(" ", pending))
			b.WriteByte(c)
			pending, skip = 0, false
		}
	}
	b.WriteString(strings.Repeat(" ", pending))
	t := b.String()
	return t, t != s
}

// jsonString decodes t when it is a JSON string literal holding escapes,
// as a link is written in a JSON log. Escapes outside a JSON string are
// left alone: a browser does not decode \u006d or \/ in a link.
func jsonString(t string) (string, bool) {
	if len(t) < 2 || t[0] != '"' || t[len(t)-1] != '"' || strings.IndexByte(t, '\\') < 0 {
		return "", false
	}
	var s string
	if err := json.Unmarshal([]byte(t), &s); err != nil {
		return "", false
	}
	return s, true
}

// linkMarkup reads a link written as markup whose text may differ from its
// target: Markdown [text](href), Slack <href|text> and HTML
// <a href="…">text</a>. The browser opens href, whatever text shows.
func linkMarkup(t string) (href, text, kind string, ok bool) {
	switch {
	case len(t) > 4 && t[0] == '[' && t[len(t)-1] == ')':
		if i := strings.LastIndex(t, "]("); i > 0 {
			return t[i+2 : len(t)-1], t[1:i], "markdown", true
		}
	case len(t) > 2 && t[0] == '<' && t[len(t)-1] == '>' && !hasPrefixFold(t, "<a"):
		if i := strings.IndexByte(t, '|'); i > 1 {
			return t[1:i], t[i+1 : len(t)-1], "slack", true
		}
	case hasPrefixFold(t, "<a") && len(t) > 3 && (t[2] == ' ' || t[2] == '\t' || t[2] == '\n') && strings.HasSuffix(strings.ToLower(t), "</a>"):
		// The tag ends at the first '>' outside a quoted value, as an
		// HTML parser reads it: title="a>b" does not end it.
		tag := scanTag(t[2:])
		end := 2 + tag.end
		if tag.end < 0 || end+1 > len(t)-len("</a>") {
			return "", "", "", false // the only '>' is the closing tag's
		}
		href, found := tag.attr("href")
		if !found {
			return "", "", "", false
		}
		return href, t[end+1 : len(t)-len("</a>")], "html", true
	}
	return "", "", "", false
}

// htmlTag is the attributes of a start tag as an HTML parser reads them.
type htmlTag struct {
	names, values []string // names lower case, in order
	end           int      // offset of the '>' that ends the tag, or -1
	// open is the name of the attribute whose value the text ends inside
	// ("" when it ends elsewhere), and openValue that value so far.
	open, openValue string
}

// attr returns the value of the first attribute called name: an HTML
// parser drops later duplicates.
func (t htmlTag) attr(name string) (string, bool) {
	for i, n := range t.names {
		if n == name {
			return t.values[i], true
		}
	}
	return "", false
}

// scanTag reads the attributes of a start tag from s, the text after the
// tag name, by the HTML tokenizer's attribute states: names end at white
// space, '/', '>' or '='; a value is quoted with '"' or '\”, or unquoted up
// to white space or '>'; the tag ends at the first '>' outside a quoted
// value.
func scanTag(s string) htmlTag { return walkTag(s, true) }

// tagLen returns where the start tag whose attributes begin s ends (the
// index of its '>'), as scanTag reads it, or -1; nothing is kept.
func tagLen(s string) int { return walkTag(s, false).end }

// walkTag is scanTag; keep says whether it keeps the attributes.
func walkTag(s string, keep bool) htmlTag {
	t := htmlTag{end: -1}
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case isSpace(c) || c == '/':
			i++
			continue
		case c == '>':
			t.end = i
			return t
		}
		n := i
		for i++; i < len(s) && !isSpace(s[i]) && s[i] != '/' && s[i] != '>' && s[i] != '='; i++ {
		}
		name := s[n:i]
		if keep {
			name = strings.ToLower(name)
		}
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) || s[i] != '=' {
			if keep {
				t.names, t.values = append(t.names, name), append(t.values, "")
			}
			continue
		}
		for i++; i < len(s) && isSpace(s[i]); i++ {
		}
		if i >= len(s) {
			t.open = name
			return t
		}
		var v string
		switch q := s[i]; q {
		case '"', '\'':
			k := strings.IndexByte(s[i+1:], q)
			if k < 0 {
				t.open, t.openValue = name, s[i+1:]
				return t
			}
			v, i = s[i+1:i+1+k], i+2+k
		case '>':
			// attr=> : an empty value, and the tag ends.
		default:
			k := i
			for i < len(s) && !isSpace(s[i]) && s[i] != '>' {
				i++
			}
			v = s[k:i]
			if i >= len(s) {
				t.open, t.openValue = name, v
			}
		}
		if keep {
			t.names, t.values = append(t.names, name), append(t.values, v)
		}
	}
	return t
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// decodeQuotedPrintable undoes the quoted-printable encoding of raw mail
// (RFC 2045): soft line breaks ("=" at a line's end) and =XX bytes. It acts
// only on text with the marks of it, "=3D" for '=' or a soft line break, so
// that an ordinary link is never changed.
func decodeQuotedPrintable(s string) (string, bool) {
	if !strings.Contains(s, "=3D") && !strings.Contains(s, "=3d") && !strings.Contains(s, "=\n") && !strings.Contains(s, "=\r\n") {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '=' {
			b.WriteByte(c)
			continue
		}
		switch {
		case strings.HasPrefix(s[i+1:], "\r\n"):
			i += 2
		case strings.HasPrefix(s[i+1:], "\n"):
			i++
		case i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			b.WriteByte(byte(hexValue(s[i+1])<<4 | hexValue(s[i+2])))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// fangs are the ways security teams defang a link so that nobody clicks
// it, and what they stand for.
var fangs = strings.NewReplacer("[.]", ".", "(.)", ".", "{.}", ".", "[dot]", ".", "[:]", ":", "[://]", "://", "[/]", "/")

// refang undoes defanging: hxxp(s) for http(s), [.] for '.', and the like.
func refang(s string) (string, bool) {
	t := s
	if hasPrefixFold(t, "hxxp") {
		t = "http" + t[4:]
	}
	if strings.ContainsAny(t, "[({") { // a Replacer allocates even when it replaces nothing
		t = fangs.Replace(t)
	}
	return t, t != s
}
