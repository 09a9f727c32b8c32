package urlcodec

import "bytes"

// lightHref finds the href of a link that shows b[start:end] in one of the
// link syntaxes of plain text, wikis and ticket systems that are neither
// HTML nor Markdown, on the line that holds it:
//
//	text<href>            Outlook's and Word's plain text of an HTML mail
//	[text|href]           Jira's and Confluence's wiki markup
//	"text":href           Textile (Redmine, Textpattern)
//	`text <href>`_        reStructuredText (or __, anonymous)
//	[href text]           MediaWiki's external link
//
// A renderer links the text to href, so a register link written as the
// text opens href. kind names the syntax ("outlook-text", "jira",
// "textile", "rst", "mediawiki"); ok is false when none holds the text.
func lightHref(b []byte, start, end int) (href, kind string, ok bool) {
	const reach = 4 << 10
	lo := lineStart(b, max(0, start-reach), start)
	before, after := b[lo:start], b[end:lineEnd(b, end, min(len(b), end+reach))]

	// Outlook: '<' right after the text, a scheme, no white space, '>'.
	if len(after) > 0 && after[0] == '<' && schemeLen(after[1:]) > 0 {
		if k := bytes.IndexAny(after[1:], "> \t\r<"); k >= 0 && after[1+k] == '>' {
			return string(after[1 : 1+k]), "outlook-text", true
		}
	}

	// Jira: "|" right after the text, the href, "]", in brackets.
	if len(after) > 1 && after[0] == '|' && bytes.LastIndexByte(before, '[') > bytes.LastIndexByte(before, ']') {
		if k := bytes.IndexAny(after[1:], "]| \t\r"); k > 0 && after[1+k] == ']' {
			return string(after[1 : 1+k]), "jira", true
		}
	}
	// Textile: the text in double quotes, then ':' and the href at once.
	// The text may hold quotes and run over lines of its paragraph.
	pb, pa := b[paragraphStart(b, max(0, start-reach), start):start], b[end:paragraphEnd(b, end, min(len(b), end+reach))]
	if bytes.IndexByte(pb, '"') >= 0 {
		for k, q := 0, pa; ; q = q[k+2:] {
			if k = bytes.Index(q, []byte(`":`)); k < 0 {
				break
			}
			if k+2 < len(q) && hrefStart(q[k+2]) {
				return string(firstWord(q[k+2:])), "textile", true
			}
		}
	}
	// reStructuredText: "<href>`_" after the text, in backquotes.
	if t := bytes.TrimLeft(after, " \t"); len(t) < len(after) && len(t) > 0 && t[0] == '<' && bytes.IndexByte(before, '`') >= 0 {
		if k := bytes.IndexByte(t, '>'); k > 1 && bytes.HasPrefix(t[k+1:], []byte("`_")) {
			return string(t[1:k]), "rst", true
		}
	}
	// MediaWiki: "[" and an absolute URL at once, a space, then the text
	// up to "]".
	if o := bytes.LastIndexByte(before, '['); o >= 0 && o+1 < len(before) && bytes.IndexByte(before[o:], ']') < 0 && bytes.IndexByte(after, ']') >= 0 {
		w := firstWord(before[o+1:])
		if before[o+1] != ' ' && o+1+len(w) < len(before) && (bytes.Contains(w, []byte("://")) || bytes.HasPrefix(w, []byte("//"))) {
			return string(w), "mediawiki", true
		}
	}
	return "", "", false
}

// hrefStart reports whether c may start the href of a Textile link: a
// scheme, a path or a fragment, not a JSON value after a quoted key.
func hrefStart(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || c == '/' || c == '#' || c == '.'
}

// markupHref reports whether the link at b[start] is the href of a Markdown
// reference definition ("[label]: href", up to three spaces in, the href
// perhaps in <>) or of a Textile link ("text":href), which a renderer
// resolves against the page.
func markupHref(b []byte, start int) bool {
	line := b[lineStart(b, max(0, start-4<<10), start):start]
	if t := bytes.TrimRight(line, " \t<"); bytes.HasSuffix(t, []byte("]:")) {
		indent := len(t) - len(bytes.TrimLeft(t, " "))
		if indent <= 3 && len(t) > indent && t[indent] == '[' {
			return true
		}
	}
	return bytes.HasSuffix(line, []byte(`":`)) && bytes.Count(line, []byte(`"`)) >= 2
}

// paragraphStart returns where the paragraph holding b[i] starts: after the
// last blank line before it, not before floor.
func paragraphStart(b []byte, floor, i int) int {
	lo := lineStart(b, floor, i)
	for lo > floor {
		prev := lineStart(b, floor, lo-1)
		if len(bytes.TrimSpace(b[prev:lo-1])) == 0 {
			break
		}
		lo = prev
	}
	return lo
}

// paragraphEnd returns where the paragraph holding b[i] ends: at the '\n'
// before the next blank line, or ceil.
func paragraphEnd(b []byte, i, ceil int) int {
	hi := lineEnd(b, i, ceil)
	for hi < ceil {
		next := lineEnd(b, hi+1, ceil)
		if len(bytes.TrimSpace(b[hi+1:next])) == 0 {
			break
		}
		hi = next
	}
	return hi
}
