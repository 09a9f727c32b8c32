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
	// parent is the index of the element that holds this one, -1 for
	// none: the <a> around an <area>, or a VML shape with an href
	// (Outlook's "bulletproof button", <v:roundrect href=…>) around an
	// <a> or another shape, or an <a> around a shape.
	parent int
}

// htmlAnchors finds the <a> elements of text as a browser's HTML tokenizer
// does, across lines: "<a" or "</a>" inside a comment, an attribute value,
// a <script> or a <textarea> is not a tag, and <abbr> is not <a>. An <a>
// runs to its </a> or to the next <a> (HTML does not nest them) and, left
// open, to the end of the text: a browser carries an open link on into the
// next paragraph. An <area> counts for its own attributes.
//
// It reads the HTML as every mail program that may show it does, so that
// a link one of them opens is found (see mailView): what Outlook shows in
// its conditional comments (<!--[if mso]>…<![endif]-->), with the VML
// shapes that carry an href there, what a program without scripts shows
// in <noscript>, and the SVG <a xlink:href> of a program that draws SVG.
func htmlAnchors(text []byte) []anchor {
	if !bytes.Contains(text, []byte("<a")) && !bytes.Contains(text, []byte("<A")) &&
		!bytes.Contains(text, []byte("<v:")) && !bytes.Contains(text, []byte("<V:")) {
		return nil
	}
	view := mailView(text)
	var out []anchor
	open := -1 // the index in out of the open <a>
	type shape struct {
		name string
		at   int // the index in out
	}
	var shapes []shape     // the VML shapes with an href that are open
	parent := func() int { // the innermost open <a> or shape
		if len(shapes) == 0 {
			return open
		}
		return max(open, shapes[len(shapes)-1].at)
	}
	z := html.NewTokenizer(bytes.NewReader(view))
	for pos := 0; ; {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		n := len(z.Raw())
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken || tt == html.EndTagToken {
			name, hasAttr := z.TagName()
			isA := len(name) == 1 && name[0] == 'a'
			isShape := bytes.HasPrefix(name, []byte("v:"))
			if isA && open >= 0 {
				out[open].end, open = pos, -1
			}
			if isShape && tt == html.EndTagToken {
				for k := len(shapes) - 1; k >= 0; k-- {
					if shapes[k].name == string(name) {
						for _, s := range shapes[k:] {
							out[s.at].end = pos
						}
						shapes = shapes[:k]
						break
					}
				}
			}
			if tt != html.EndTagToken && (isA || isShape || string(name) == "area") {
				a := anchor{tag: pos, tagEnd: pos + n, nameLen: len(name), end: len(text), area: string(name) == "area", parent: parent()}
				xlink := ""
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch string(k) {
					case "href":
						if !a.hasHref { // a later duplicate is dropped
							a.browserHref, a.hasHref = string(v), true
						}
					case "xlink:href":
						xlink = string(v)
					}
				}
				if !a.hasHref && xlink != "" && isA {
					// SVG's <a>: xlink:href when it has no href.
					a.browserHref, a.hasHref = xlink, true
				}
				if isQuotedPrintable(string(text[pos : pos+n])) {
					a.hasHref = true // =3D and soft breaks hide it from the tokenizer: see href
				}
				switch {
				case isShape && !a.hasHref:
					// A shape without a link: not an anchor.
				case isShape:
					if tt == html.StartTagToken {
						shapes = append(shapes, shape{string(name), len(out)})
					} else {
						a.end = a.tagEnd
					}
					out = append(out, a)
				case a.area:
					a.end = a.tagEnd
					out = append(out, a)
				default:
					open = len(out)
					out = append(out, a)
				}
			}
		}
		pos += n
	}
	return out
}

// mailView returns text, or a copy of it of the same length, as the mail
// programs that may show it read it, for the tokenizer: the opening
// "<!--[if mso]>" of a conditional comment is blanked, so that what Outlook
// shows in it is read as HTML (the closing "<![endif]-->" is then a bogus
// comment and harmless), and <noscript> is renamed, so that its content is
// read as HTML, as a program that runs no scripts (every mail program) shows
// it. Only what the tokenizer itself reads as such a comment or tag is
// changed.
func mailView(text []byte) []byte {
	if !bytes.Contains(text, []byte("[if")) && !bytes.Contains(text, []byte("[IF")) &&
		!containsFold(string(text), "<noscript") {
		return text
	}
	var view []byte
	z := html.NewTokenizer(bytes.NewReader(text))
	for pos := 0; ; {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		n := len(raw)
		switch tt {
		case html.CommentToken:
			// Internet Explorer's and Outlook's syntax: "<!--[if" then a
			// condition up to "]>".
			if len(raw) > 7 && strings.EqualFold(string(raw[:7]), "<!--[if") {
				if k := bytes.Index(raw, []byte("]>")); k > 0 {
					if view == nil {
						view = bytes.Clone(text)
					}
					for i := pos; i < pos+k+2; i++ {
						view[i] = ' '
					}
				}
			}
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "noscript" {
				if view == nil {
					view = bytes.Clone(text)
				}
				view[pos+1] = 'x' // <xoscript>: an element like any other
			}
		}
		pos += n
	}
	if view == nil {
		return text
	}
	return view
}

// href returns the href of a, whose start tag is in text, as written, so
// that Parse sees and reports the references (&amp;) and quoted-printable
// escapes (=3D) of the original; but where a browser decodes it otherwise
// than Parse would (a reference Parse does not know, such as &ac;), what
// the browser reads, escaped again, and browser is true.
func (a anchor) href(text []byte) (href string, ok, browser bool) {
	raw := string(text[a.tag:a.tagEnd])
	t := scanTag(qpText(raw[1+a.nameLen:]))
	href, ok = t.attr("href")
	if !ok {
		href, ok = t.attr("xlink:href") // SVG's <a>
	}
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
	for i >= 0 && start >= anchors[i].end {
		// Past an element that ended before the text (an <area>, an <a>
		// in a shape) to the one around both, if any.
		i = anchors[i].parent
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
