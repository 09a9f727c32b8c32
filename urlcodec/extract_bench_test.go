package urlcodec

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/authmethods/authmethods/urlcodec/internal/find"
	"github.com/authmethods/authmethods/urlcodec/internal/loggen"
)

var (
	exBenchOnce sync.Once
	exBenchLog  []byte
	exBenchN    int // links planted
)

// exBenchData returns a generated 64 MiB proxy log (about one line in 2000
// with a register link, 30% of them in Safe Links), made once per process.
func exBenchData() []byte {
	exBenchOnce.Do(func() {
		var planted []loggen.Planted
		exBenchLog, planted = loggen.Generate(loggen.Config{Size: 64 << 20, Seed: 1})
		for _, p := range planted {
			if p.Kind != loggen.Prose {
				exBenchN++
			}
		}
	})
	return exBenchLog
}

// BenchmarkScan measures link extraction over a 64 MiB proxy log in memory:
//
//   - Finder: the anchor search and token spans alone, one goroutine
//     (find.AppendSpans).
//   - Extract: Extract on the log as a string, one goroutine, parsing hits.
//   - Scanner: the streaming Scanner as the CLI uses it, reading from a
//     bytes.Reader.
//
// Run with: go test ./urlcodec -run '^$' -bench Scan -benchmem
func BenchmarkScan(b *testing.B) {
	data := exBenchData()
	b.Run("Finder", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		var spans []find.Span
		for b.Loop() {
			spans = find.AppendSpans(spans[:0], data)
		}
	})
	b.Run("Extract", func(b *testing.B) {
		text := string(data)
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if n := len(Extract(text)); n != exBenchN {
				b.Fatalf("%d hits, %d planted", n, exBenchN)
			}
		}
	})
	b.Run("Scanner", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			s := NewScanner(bytes.NewReader(data))
			n := 0
			for s.Scan() {
				n++
			}
			if s.Err() != nil || n != exBenchN {
				b.Fatalf("%d hits, %d planted, err %v", n, exBenchN, s.Err())
			}
		}
	})
}

// BenchmarkParseShapes is Parse on the shapes of link in a log that scan
// meets (cmd/authmethods' BenchmarkScanDense has one of each per line):
//
//	go test ./urlcodec -run '^$' -bench ParseShapes -benchmem
func BenchmarkParseShapes(b *testing.B) {
	for _, c := range []struct{ name, link string }{
		{"canonical", "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"},
		{"upper-case", "HTTPS://MYSIGNINS.MICROSOFT.COM/REGISTER?AUTHMETHODS=48&AUTHMETHODCOUNT=1"},
		{"html", "https://mysignins.microsoft.com/register?authMethods=1720&amp;authMethodCount=1"},
		{"safelinks", "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1&data=05%7C02&reserved=0"},
		{"lookalike", "https://mysignins.microsoft.com.account-verify.example/register?authMethods=48&authMethodCount=1"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.link)))
			b.ReportAllocs()
			p := new(Parser)
			for b.Loop() {
				if _, err := p.Parse(c.link); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkExtractHTML measures Extract on an HTML mail of about 200 KB:
// 400 paragraphs, each with an <a> to some site, and 8 register links, half
// of them the text of an <a>. Extract tokenizes the whole text once for its
// <a> elements (htmlAnchors) and looks each link up.
//
// Run with: go test ./urlcodec -run '^$' -bench ExtractHTML -benchmem
func BenchmarkExtractHTML(b *testing.B) {
	text := htmlMail()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		hits := Extract(text)
		if len(hits) != 8 {
			b.Fatalf("%d hits, want 8", len(hits))
		}
	}
}

// htmlMail is a 200 KB HTML mail: 400 <a> to an intranet, and 8 register
// links, half of them the text of an evil href.
func htmlMail() string {
	var sb strings.Builder
	sb.WriteString("<html><head><style>p { margin: 0 }</style></head><body>\n")
	for i := range 400 {
		fmt.Fprintf(&sb, "<p style=\"font-family:Calibri,sans-serif\">Item %d: see <a href=\"https://intranet.example/news/%d?ref=mail&amp;id=%d\" target=\"_blank\">the story</a> for details.</p>\n", i, i, i)
		if i%50 == 0 {
			link := "https://mysignins.microsoft.com/register?authMethods=1976&amp;authMethodCount=1"
			if i%100 == 0 {
				fmt.Fprintf(&sb, "<p><a href=\"https://evil.example/%d\">\n%s\n</a></p>\n", i, link)
			} else {
				fmt.Fprintf(&sb, "<p>Register here: %s</p>\n", link)
			}
		}
	}
	sb.WriteString("</body></html>\n")
	return sb.String()
}
