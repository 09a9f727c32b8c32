package urlcodec

import (
	"strings"
	"testing"
)

// VML shapes nested deep, then end tags and links: finding the element
// around each link, and the open shape an end tag closes, cost work that
// grows with the text, not with shapes × links or shapes × end tags. The
// elements looked at are counted, not timed.
func TestHTMLAnchorsLinear(t *testing.T) {
	const link = " https://evil.example/?authMethods=1 "
	const n = 20000
	for _, c := range []struct {
		name, text string
		inShape    bool // the links are in a shape with an href
	}{
		{"closed together", "<p><v:b href=https://x.example/>" + strings.Repeat("<v:a href=https://x.example/>", n) + "</v:b>" + strings.Repeat(link, n), false},
		{"closed one by one", "<p>" + strings.Repeat("<v:a href=https://x.example/>", n) + strings.Repeat("</v:a>", n) + strings.Repeat(link, n), false},
		{"end tags that close none", "<p>" + strings.Repeat("<v:a href=https://x.example/>", n) + strings.Repeat("</v:b>", n) + strings.Repeat(link, n), true},
	} {
		before := htmlSteps.Load()
		hits := Extract(c.text)
		steps := htmlSteps.Load() - before
		if len(hits) != n {
			t.Fatalf("%s: %d hits, want %d", c.name, len(hits), n)
		}
		if steps > 4*n {
			t.Errorf("%s: %d shapes and links, %d elements looked at: not linear", c.name, n, steps)
		}
		for _, h := range hits[:1] {
			if h.Link == nil {
				t.Fatalf("%s: %v", c.name, h.Err)
			}
			got := len(h.Link.Verdict.Reasons) > 0 && h.Link.Verdict.Reasons[0].Code == "link-text"
			if got != c.inShape {
				t.Errorf("%s: link judged by the shape's href: %v, want %v (%v)", c.name, got, c.inShape, h.Link.Verdict.Reasons)
			}
		}
	}
}
