package urlcodec

import (
	"bytes"
	"sort"
	"strings"
	"sync/atomic"

	"golang.org/x/net/html"
)

// An anchor is an HTML <a> element of a text, or an <area> of an image
// map: what a click on anything in it opens.
type anchor struct {
	tag, tagEnd int // the start tag is text[tag:tagEnd]
	end         int // where the element ends: its </a>, the next <a>, or the text's end
	// parent is the index of the element that holds this one, -1 for
	// none: the <a> around an <area>, or a VML shape with an href
	// (Outlook's "bulletproof button", <v:roundrect href=…>) around an
	// <a> or another shape, or an <a> around a shape.
	parent  int
	nameLen int32 // of the tag's name: 1 for "a", 4 for "area"
	// hasHref: the tag has an href (or, quoted-printable, may have one:
	// see href). What a browser decodes it to is read again from the tag
	// when a link is in it: a mail has many <a> and few register links.
	hasHref bool
	area    bool // an <area>, which may be inside an <a>
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
//
// The closings list, in order, the end tags that closed an <a> or a shape,
// with the element that holds what follows them (see anchorHref).
func htmlAnchors(text []byte) (out []anchor, closings []closing) {
	if !bytes.Contains(text, []byte("<a")) && !bytes.Contains(text, []byte("<A")) &&
		!bytes.Contains(text, []byte("<v:")) && !bytes.Contains(text, []byte("<V:")) {
		return nil, nil
	}
	view := mailView(text)
	// Room for every tag there may be, allocated once: a text packed with
	// tags would otherwise leave several times the final lists behind in
	// the copies append discards (32 MiB of "<a>" took 1.9 GB, not 0.5).
	starts, ends, nShapes := tagBound(view)
	out = make([]anchor, 0, starts)
	closings = make([]closing, 0, ends)
	open := -1 // the index in out of the open <a>
	type shape struct {
		name string
		at   int // the index in out
	}
	shapes := make([]shape, 0, nShapes) // the VML shapes with an href that are open
	// How many of shapes have each name: an end tag that closes none of
	// them is not looked for in the stack, so that a run of such tags
	// after many open shapes costs linear time.
	openShapes := map[string]int{}
	names := map[string]string{} // one copy of each shape's name
	intern := func(b []byte) string {
		s, ok := names[string(b)]
		if !ok {
			s = string(b)
			names[s] = s
		}
		return s
	}
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
			closed := false
			if isA && open >= 0 {
				out[open].end, open = pos, -1
				// An <a> start tag that closes one is an anchor of its own
				// at pos, which anchorHref finds first.
				closed = tt == html.EndTagToken
			}
			if isShape && tt == html.EndTagToken && openShapes[string(name)] > 0 {
				for k := len(shapes) - 1; k >= 0; k-- {
					htmlSteps.Add(1)
					if shapes[k].name == string(name) {
						for _, s := range shapes[k:] {
							out[s.at].end = pos
							openShapes[s.name]--
						}
						shapes = shapes[:k]
						closed = true
						break
					}
				}
			}
			if closed {
				closings = append(closings, closing{pos, parent()})
			}
			if tt != html.EndTagToken && (isA || isShape || string(name) == "area") {
				a := anchor{tag: pos, tagEnd: pos + n, nameLen: int32(len(name)), end: len(text), area: string(name) == "area", parent: parent()}
				for hasAttr {
					var k []byte
					k, _, hasAttr = z.TagAttr()
					// SVG's <a> has xlink:href (see browserHref).
					a.hasHref = a.hasHref || string(k) == "href" || isA && string(k) == "xlink:href"
				}
				if isQuotedPrintable(string(text[pos : pos+n])) {
					a.hasHref = true // =3D and soft breaks hide it from the tokenizer: see href
				}
				switch {
				case isShape && !a.hasHref:
					// A shape without a link: not an anchor.
				case isShape:
					if tt == html.StartTagToken {
						shapes = append(shapes, shape{intern(name), len(out)})
						openShapes[shapes[len(shapes)-1].name]++
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
	return out, closings
}

// tagBound returns how many start and end tags of <a>, <area> and VML
// shapes text can hold at most, and how many start tags of shapes: the '<'
// followed by an a or a v (or '/' and one), in any case. One pass, at the
// speed of finding '<'.
func tagBound(text []byte) (starts, ends, shapes int) {
	av := func(c byte) bool { return c|0x20 == 'a' || c|0x20 == 'v' }
	for i := 0; ; {
		k := bytes.IndexByte(text[i:], '<')
		if k < 0 || i+k+2 >= len(text) {
			return starts, ends, shapes
		}
		i += k + 1
		switch {
		case av(text[i]):
			starts++
			if text[i]|0x20 == 'v' {
				shapes++
			}
		case text[i] == '/' && av(text[i+1]):
			ends++
		}
	}
}

// htmlSteps counts the open shapes htmlAnchors looks at for their end
// tags and the elements anchorHref looks at, so that a test can tell that
// the work grows with the text, not with its square.
var htmlSteps atomic.Int64

// A closing is an end tag at pos that closed an <a> or VML shapes; in is
// the element open inside which the text after it is, -1 for none.
type closing struct{ pos, in int }

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
	t := scanTag(qpText(raw[1+int(a.nameLen):]))
	href, ok = t.attr("href")
	if !ok {
		href, ok = t.attr("xlink:href") // SVG's <a>
	}
	if !ok || isQuotedPrintable(raw) {
		return href, ok, false
	}
	if b := a.browserHref(text); b != nil {
		if ours, _ := decodeHTMLEntities(href); ours != *b {
			return html.EscapeString(*b), true, true
		}
	}
	return href, true, false
}

// browserHref returns the href of a's start tag as a browser decodes it:
// the first href, or for an <a> without one its xlink:href (SVG); nil for
// none.
func (a anchor) browserHref(text []byte) *string {
	z := html.NewTokenizer(bytes.NewReader(text[a.tag:a.tagEnd]))
	z.Next()
	_, more := z.TagName()
	var xlink *string
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "href":
			h := string(v)
			return &h
		case "xlink:href":
			if xlink == nil && a.nameLen == 1 {
				x := string(v)
				xlink = &x
			}
		}
	}
	return xlink
}

// attrValue returns s, the text of an attribute value, as a browser reads
// it: character references decoded by HTML's whole table, and those
// without ';' only where the standard decodes them in attributes ("&not=1"
// stays). ok is false when s holds both kinds of quote.
func attrValue(s string) (string, bool) {
	q := `"`
	if strings.Contains(s, q) {
		if q = "'"; strings.Contains(s, q) {
			return "", false
		}
	}
	z := html.NewTokenizer(strings.NewReader("<a href=" + q + s + q + ">"))
	z.Next()
	_, more := z.TagName()
	for more {
		var k, v []byte
		if k, v, more = z.TagAttr(); string(k) == "href" {
			return string(v), true
		}
	}
	return "", false
}

// anchorHref returns the href a click on text[start:end] opens when it is
// in an <a> element of anchors: in its content (text, another tag, a
// comment), or in its start tag as another attribute's value (title=,
// data-href=). A link that is the href itself, or not in an <a> with an
// href, has none.
func anchorHref(anchors []anchor, closings []closing, text []byte, start int) (string, bool) {
	i := sort.Search(len(anchors), func(i int) bool { return anchors[i].tag > start }) - 1
	k := sort.Search(len(closings), func(k int) bool { return closings[k].pos > start }) - 1
	htmlSteps.Add(1)
	switch {
	case k >= 0 && (i < 0 || closings[k].pos > anchors[i].tag):
		// Elements were closed since the last one started: the text is in
		// what was open after the last end tag. One look-up, where walking
		// up from the last element would cost as many steps as the shapes
		// closed.
		i = closings[k].in
	case i >= 0 && start >= anchors[i].end:
		// Past an <area> or a shape that is its own end tag, nothing
		// closed since: in the element around it, if any.
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
		t := scanTag(qpText(string(text[a.tag+1+int(a.nameLen) : start])))
		_, scheme := schemePrefix(strings.TrimSpace(string(text[start:a.tagEnd])))
		if t.open == "href" && strings.TrimSpace(t.openValue) == "" && scheme > 0 && !browser {
			return "", false
		}
	}
	return href, true
}
