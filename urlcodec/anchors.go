package urlcodec

import (
	"bytes"
	"sort"
	"strings"

	"golang.org/x/net/html"
)

// An anchor is an HTML <a> element of a text, or an <area> of an image
// map: what a click on anything in it opens.
type anchor struct {
	tag, tagEnd int // the start tag is text[tag:tagEnd]
	nameLen     int // of the tag's name: 1 for "a", 4 for "area"
	end         int // where the element ends: its </a>, the next <a>, or the text's end
	// browserHref is the href as a browser decodes it, when the tag has
	// one (or, quoted-printable, may have one: see href).
	browserHref string
	hasHref     bool
	area        bool // an <area>, which may be inside an <a>
}

// htmlAnchors finds the <a> elements of text as a browser's HTML tokenizer
// does, across lines: "<a" or "</a>" inside a comment, an attribute value,
// a <script> or a <textarea> is not a tag, and <abbr> is not <a>. An <a>
// runs to its </a> or to the next <a> (HTML does not nest them) and, left
// open, to the end of the text: a browser carries an open link on into the
// next paragraph. An <area> counts for its own attributes.
func htmlAnchors(text []byte) []anchor {
	if !bytes.Contains(text, []byte("<a")) && !bytes.Contains(text, []byte("<A")) {
		return nil
	}
	var out []anchor
	open := -1 // the index in out of the open <a>
	z := html.NewTokenizer(bytes.NewReader(text))
	for pos := 0; ; {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		n := len(z.Raw())
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken || tt == html.EndTagToken {
			name, hasAttr := z.TagName()
			isA := len(name) == 1 && name[0] == 'a'
			if isA && open >= 0 {
				out[open].end, open = pos, -1
			}
			if tt != html.EndTagToken && (isA || string(name) == "area") {
				a := anchor{tag: pos, tagEnd: pos + n, nameLen: len(name), end: len(text), area: !isA}
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "href" && !a.hasHref { // a later duplicate is dropped
						a.browserHref, a.hasHref = string(v), true
					}
				}
				if isQuotedPrintable(string(text[pos : pos+n])) {
					a.hasHref = true // =3D and soft breaks hide it from the tokenizer: see href
				}
				if a.area {
					a.end = a.tagEnd
				} else {
					open = len(out)
				}
				out = append(out, a)
			}
		}
		pos += n
	}
	return out
}

// href returns the href of a, whose start tag is in text, as written, so
// that Parse sees and reports the references (&amp;) and quoted-printable
// escapes (=3D) of the original; but where a browser decodes it otherwise
// than Parse would (a reference Parse does not know, such as &ac;), what
// the browser reads, escaped again, and browser is true.
func (a anchor) href(text []byte) (href string, ok, browser bool) {
	raw := string(text[a.tag:a.tagEnd])
	href, ok = scanTag(qpText(raw[1+a.nameLen:])).attr("href")
	if !ok || isQuotedPrintable(raw) {
		return href, ok, false
	}
	if ours, _ := decodeHTMLEntities(href); ours != a.browserHref {
		return html.EscapeString(a.browserHref), true, true
	}
	return href, true, false
}

// anchorHref returns the href a click on text[start:end] opens when it is
// in an <a> element of anchors: in its content (text, another tag, a
// comment), or in its start tag as another attribute's value (title=,
// data-href=). A link that is the href itself, or not in an <a> with an
// href, has none.
func anchorHref(anchors []anchor, text []byte, start int) (string, bool) {
	i := sort.Search(len(anchors), func(i int) bool { return anchors[i].tag > start }) - 1
	for i >= 0 && start >= anchors[i].end && anchors[i].area {
		i-- // past an <area> that ended before the text, to an <a> around both
	}
	if i < 0 || start >= anchors[i].end || !anchors[i].hasHref {
		return "", false
	}
	a := anchors[i]
	href, ok, browser := a.href(text)
	if !ok {
		return "", false
	}
	if start < a.tagEnd {
		// In the start tag: the text is the href itself when it starts
		// the href's value and is a whole link, and is judged as it is
		// unless a browser decodes it otherwise.
		t := scanTag(qpText(string(text[a.tag+1+a.nameLen : start])))
		_, scheme := schemePrefix(strings.TrimSpace(string(text[start:a.tagEnd])))
		if t.open == "href" && strings.TrimSpace(t.openValue) == "" && scheme > 0 && !browser {
			return "", false
		}
	}
	return href, true
}
