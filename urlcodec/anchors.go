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
	tag, tagEnd int    // the start tag is text[tag:tagEnd]
	end         int    // where the element ends: its </a>, the next <a>, or the text's end
	href        string // as written in the tag (see scanTag), when hasHref
	hasHref     bool
	browser     bool // href is what a browser decodes, which Parse would read otherwise
	area        bool // an <area>, which may be inside an <a>
}

// htmlAnchors finds the <a> elements of text as a browser's HTML tokenizer
// does, across lines: "<a" or "</a>" inside a comment, an attribute value,
// a <script> or a <textarea> is not a tag, and <abbr> is not <a>. An <a>
// runs to its </a> or to the next <a> (HTML does not nest them) and, left
// open, to the end of the text: a browser carries an open link on into the
// next paragraph. The href is read from the tag as written, so that Parse
// sees the references (&amp;) and quoted-printable escapes (=3D) of the
// original.
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
			name, _ := z.TagName()
			if string(name) == "area" && tt != html.EndTagToken {
				// An image map's region: only its own attributes (alt=)
				// show anything.
				a := anchor{tag: pos, tagEnd: pos + n, end: pos + n, area: true}
				a.href, a.hasHref = scanTag(qpText(string(text[pos+5 : pos+n]))).attr("href")
				out = append(out, a)
			}
			if len(name) == 1 && name[0] == 'a' {
				if open >= 0 {
					out[open].end, open = pos, -1
				}
				if tt != html.EndTagToken {
					a := anchor{tag: pos, tagEnd: pos + n, end: len(text)}
					a.href, a.hasHref, a.browser = tagHref(z, text[pos:pos+n])
					out, open = append(out, a), len(out)
				}
			}
		}
		pos += n
	}
	return out
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
	if start < a.tagEnd {
		// In the start tag: the text is the href itself when it starts
		// the href's value and is a whole link, and is judged as it is
		// unless a browser decodes it otherwise.
		t := scanTag(qpText(string(text[a.tag+2 : start])))
		_, scheme := schemePrefix(strings.TrimSpace(string(text[start:a.tagEnd])))
		if t.open == "href" && strings.TrimSpace(t.openValue) == "" && scheme > 0 && !a.browser {
			return "", false
		}
	}
	return a.href, true
}

// tagHref returns the href of the start tag raw that z has just read, as
// written, so that Parse sees and reports the references (&amp;) and
// quoted-printable escapes (=3D) of the original; but where a browser
// decodes the value otherwise than Parse would (a reference Parse does not
// know, such as &ac;), what the browser reads, escaped again.
func tagHref(z *html.Tokenizer, raw []byte) (href string, ok, browser bool) {
	href, ok = scanTag(qpText(string(raw[min(2, len(raw)):]))).attr("href")
	if !ok || isQuotedPrintable(string(raw)) {
		return href, ok, false
	}
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		if string(k) == "href" {
			if ours, _ := decodeHTMLEntities(href); ours != string(v) {
				return html.EscapeString(string(v)), true, true
			}
			break
		}
	}
	return href, ok, false
}
