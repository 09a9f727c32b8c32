package urlcodec

import (
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

// A text packed with tags costs a fixed number of bytes a tag: the anchor
// and end-tag lists are allocated once, not regrown (growth by append had
// allocated about five times the final list, 1.9 GB for 30 MiB of "<a>").
func TestHTMLAnchorsAllocateOnce(t *testing.T) {
	const n = 50000
	for _, unit := range []string{"<a>", "<a></a>", "<A href=x>", "<v:r href=x>"} {
		text := []byte(strings.Repeat(unit, n))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		out, _ := htmlAnchors(text)
		runtime.ReadMemStats(&after)
		if len(out) != n {
			t.Fatalf("%q: %d anchors, want %d", unit, len(out), n)
		}
		// The anchor, an end tag or open shape, and what the tokenizer and
		// mailView take: 51 to 116 bytes; regrowing the lists took 264 to 439.
		per := (after.TotalAlloc - before.TotalAlloc) / n
		if limit := 4 * uint64(unsafe.Sizeof(anchor{})); per > limit {
			t.Errorf("%q: %d bytes allocated a tag, want at most %d", unit, per, limit)
		}
	}
}

// An HTML mail of one long paragraph dense with tags costs a few bytes of
// allocation a byte of text: reading the Markdown around each link must not
// copy the rest of the paragraph at every '<' (that took 56 bytes a byte).
func TestExtractHTMLAllocation(t *testing.T) {
	text := htmlMail()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if hits := Extract(text); len(hits) != 8 {
		t.Fatalf("%d hits, want 8", len(hits))
	}
	runtime.ReadMemStats(&after)
	per := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(text))
	t.Logf("%.1f bytes allocated a byte of text", per)
	if per > 8 {
		t.Errorf("%.1f bytes allocated a byte of text, want at most 8", per)
	}
}

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

// A paragraph of tags or code spans that never close would cost its length
// at each '<' or '`' to read: the reading stops at a budget of a few times
// the paragraph, and a link in it is not trusted, since whether a renderer
// shows it as another link's text cannot be told.
func TestTightSpansBounded(t *testing.T) {
	const g = " https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1 "
	var runs strings.Builder // code-span openers of every length: none closes
	for n := 1; runs.Len() < 6000; n++ {
		runs.WriteString(strings.Repeat("`", n) + " ")
	}
	for _, junk := range []string{strings.Repeat(`<b x="`, 1500), strings.Repeat("<!-- ", 1500), runs.String()} {
		text := junk + g
		if _, read := tightSpans([]byte(text), 0, len(text)); read {
			t.Errorf("%.20q…: read within the budget", junk)
		}
		hits := Extract(text)
		if len(hits) != 1 || hits[0].Link == nil || hits[0].Link.Verdict.Trusted {
			t.Errorf("%.20q…: %v, want one untrusted link", junk, hits)
		}
	}
	ok := htmlMail()
	if spans, read := tightSpans([]byte(ok), 0, len(ok)); !read || len(spans) < 1600 {
		t.Errorf("an HTML mail: read %v, %d spans; want its tags read", read, len(spans))
	}
}
