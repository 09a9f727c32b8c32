package fuzz

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/net/html"

	"github.com/authmethods/authmethods/urlcodec"
)

// FuzzExtract: Extract never panics; every hit lies inside the input at its
// offset and line, hits come in order without overlapping, a trusted hit
// parses on its own to the same trusted link (what surrounds a link can
// only take trust away: it may be part of a longer link or the text of
// another href), and the streaming Scanner finds exactly what Extract
// finds, however the input is cut into reads, unless Extract rejoined a
// link that a mail client broke over lines.
func FuzzExtract(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string) {
		hits := urlcodec.Extract(text)
		end := int64(0)
		for i, h := range hits {
			if h.Offset < end || h.Offset+int64(len(h.Text)) > int64(len(text)) {
				t.Fatalf("hit %d at %d+%d overlaps the one before (ends %d) or leaves the input (%d bytes)", i, h.Offset, len(h.Text), end, len(text))
			}
			if text[h.Offset:h.Offset+int64(len(h.Text))] != h.Text {
				t.Fatalf("hit %d: Text %q is not the input at offset %d", i, h.Text, h.Offset)
			}
			if want := 1 + int64(strings.Count(text[:h.Offset], "\n")); h.Line != want {
				t.Fatalf("hit %d at offset %d: line %d, want %d", i, h.Offset, h.Line, want)
			}
			end = h.Offset + int64(len(h.Text))
			if (h.Link == nil) == (h.Err == nil) {
				t.Fatalf("hit %d: exactly one of Link and Err must be set: %v, %v", i, h.Link, h.Err)
			}
			if h.Err != nil {
				continue
			}
			if !h.Link.Verdict.Trusted {
				continue
			}
			l, err := urlcodec.Parse(h.Link.Input)
			if err != nil {
				t.Fatalf("hit %d %q: Extract trusts it but Parse says %v", i, h.Link.Input, err)
			}
			if l.Mask != h.Link.Mask || l.Count != h.Link.Count || l.HasCount != h.Link.HasCount || !l.Verdict.Trusted {
				t.Fatalf("hit %d %q: Extract and Parse disagree: %+v vs %+v", i, h.Link.Input, h.Link, l)
			}
		}
		// Extract rejoins a link a mail client broke over lines; a
		// Scanner reads lines as records. Where a break is rejoined they
		// differ by design; everywhere else they agree.
		lines := strings.SplitAfter(text, "\n")
		for i := 0; i+1 < len(lines); i++ {
			if _, ok := urlcodec.JoinLines(lines[i], lines[i+1]); ok {
				return
			}
		}
		for _, r := range []io.Reader{strings.NewReader(text), iotest.HalfReader(strings.NewReader(text))} {
			sc := urlcodec.NewScanner(r)
			n := 0
			for sc.Scan() {
				h := sc.Hit()
				if n >= len(hits) {
					t.Fatalf("Scanner found more than Extract's %d hits: %q at %d", len(hits), h.Text, h.Offset)
				}
				if w := hits[n]; h.Offset != w.Offset || h.Line != w.Line || h.Text != w.Text || (h.Err == nil) != (w.Err == nil) {
					t.Fatalf("Scanner hit %d = %d:%d %q (err %v); Extract = %d:%d %q (err %v)", n, h.Line, h.Offset, h.Text, h.Err, w.Line, w.Offset, w.Text, w.Err)
				}
				n++
			}
			if err := sc.Err(); err != nil {
				t.Fatalf("Scanner: %v", err)
			}
			if n != len(hits) {
				t.Fatalf("Scanner found %d hits; Extract %d", n, len(hits))
			}
		}
	})
}

// FuzzExtractHTML: a hit Extract trusts is never, by the HTML tree a
// browser builds (golang.org/x/net/html's parser, adoption agency and
// all), text inside an <a href> that is not itself a trusted link: Extract
// reads the <a> elements with a tokenizer, and the tree is the independent
// reference. A link whose text appears more than once is skipped, since
// the tree does not say which copy is where.
func FuzzExtractHTML(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string) {
		var doc *html.Node
		for _, h := range urlcodec.Extract(text) {
			if h.Link == nil || !h.Link.Verdict.Trusted || strings.Count(text, h.Text) != 1 {
				continue
			}
			if doc == nil {
				var err error
				if doc, err = html.Parse(strings.NewReader(text)); err != nil {
					return
				}
			}
			shown := html.UnescapeString(h.Text)
			var walk func(n *html.Node, href string, in bool)
			walk = func(n *html.Node, href string, in bool) {
				if n.Type == html.ElementNode && n.Data == "a" && n.Namespace == "" {
					in, href = false, ""
					for _, a := range n.Attr {
						if a.Key == "href" && a.Namespace == "" {
							in, href = true, a.Val
							break
						}
					}
				}
				if n.Type == html.TextNode && in && strings.Contains(n.Data, shown) {
					if l, err := urlcodec.Parse(href); err != nil || !l.Verdict.Trusted {
						t.Fatalf("hit %q is trusted, but a browser shows it inside <a href=%q>", h.Text, href)
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c, href, in)
				}
			}
			walk(doc, "", false)
		}
	})
}
