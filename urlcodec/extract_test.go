package urlcodec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec/internal/find"
	"github.com/authmethods/authmethods/urlcodec/internal/loggen"
)

func ExampleExtract() {
	text := `Hi, please register: <a href="https://mysignins.microsoft.com/register?authMethods=1976&amp;authMethodCount=1">here</a>
chat: mysignins.microsoft.com/register?authMethods=48, and the authmethods parameter is undocumented.`
	for _, h := range Extract(text) {
		if h.Err != nil {
			fmt.Println(h.Line, h.Err)
			continue
		}
		fmt.Printf("line %d offset %d mask %d trusted %v: %s\n", h.Line, h.Offset, uint32(h.Link.Mask), h.Link.Verdict.Trusted, h.Text)
	}
	// Output:
	// line 1 offset 30 mask 1976 trusted true: https://mysignins.microsoft.com/register?authMethods=1976&amp;authMethodCount=1
	// line 2 offset 126 mask 48 trusted true: mysignins.microsoft.com/register?authMethods=48
}

func ExampleScanner() {
	log := strings.NewReader(`10.0.0.1 GET https://example.com/ 200
10.0.0.2 GET "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D1960%26authMethodCount%3D1&data=05%7C02%7C&reserved=0" 302
`)
	s := NewScanner(log)
	for s.Scan() {
		h := s.Hit()
		if h.Err == nil {
			fmt.Printf("line %d mask %d (%v) wrapped %v trusted %v\n", h.Line, uint32(h.Link.Mask), h.Link.Mask, h.Link.Wrapped, h.Link.Verdict.Trusted)
		}
	}
	if err := s.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// line 2 mask 1960 (softwareOath,fido2,microsoftAuthenticatorPush,deviceBasedPush,temporaryAccessPassOneTime,temporaryAccessPassMultiUse) wrapped [safelinks] trusted true
}

const exCanonical = "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"

type exWant struct {
	off  int64
	text string
	mask uint32 // 0 with an error
	err  error  // errors.Is target, or nil
}

func TestExtract(t *testing.T) {
	safe := "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1&data=05%7C02%7Cjan%40contoso.com%7C0%7C&reserved=0"
	tests := []struct {
		name string
		in   string
		want []exWant
	}{
		{"empty", "", nil},
		{"exCanonical", exCanonical, []exWant{{0, exCanonical, 1976, nil}}},
		{"in a log line", "GET " + exCanonical + " 200", []exWant{{4, exCanonical, 1976, nil}}},
		{"safe links", `"` + safe + `"`, []exWant{{1, safe, 1976, nil}}},
		{"upper case", "x HTTPS://MYSIGNINS.MICROSOFT.COM/REGISTER?AUTHMETHODS=48&AUTHMETHODCOUNT=1", []exWant{{2, "HTTPS://MYSIGNINS.MICROSOFT.COM/REGISTER?AUTHMETHODS=48&AUTHMETHODCOUNT=1", 48, nil}}},
		{"no scheme, sentence", "open mysignins.microsoft.com/register?authMethods=48.", []exWant{{5, "mysignins.microsoft.com/register?authMethods=48", 48, nil}}},
		{"json", `{"u":"https:\/\/mysignins.microsoft.com\/register?authMethods=1960\u0026authMethodCount=1"}`, []exWant{{6, `https:\/\/mysignins.microsoft.com\/register?authMethods=1960\u0026authMethodCount=1`, 1960, nil}}},
		{"json escaped quote", `"msg":"see \"https://mysignins.microsoft.com/register?authMethods=8\""`, []exWant{{13, "https://mysignins.microsoft.com/register?authMethods=8", 8, nil}}},
		{"key=value", "url=" + exCanonical + " status=302", []exWant{{4, exCanonical, 1976, nil}}},
		{"key=value no scheme", "ref=mysignins.microsoft.com/register?authMethods=32", []exWant{{4, "mysignins.microsoft.com/register?authMethods=32", 32, nil}}},
		{"port kept", "mysignins.microsoft.com:443/register?authMethods=32", []exWant{{0, "mysignins.microsoft.com:443/register?authMethods=32", 32, nil}}},
		{"markdown", "**" + exCanonical + "**", []exWant{{2, exCanonical, 1976, nil}}},
		{"markdown link", "[register](" + exCanonical + ")", []exWant{{11, exCanonical, 1976, nil}}},
		{"typographic quotes", "“" + exCanonical + "”", []exWant{{3, exCanonical, 1976, nil}}},
		{"csv", "2025-08-29," + exCanonical + ",302,curl/8", []exWant{{11, exCanonical, 1976, nil}}},
		{"comma list", exCanonical + "," + exCanonical + ";" + exCanonical, []exWant{{0, exCanonical, 1976, nil}, {int64(len(exCanonical)) + 1, exCanonical, 1976, nil}, {2*int64(len(exCanonical)) + 2, exCanonical, 1976, nil}}},
		{"two per line", exCanonical + " and " + exCanonical, []exWant{{0, exCanonical, 1976, nil}, {int64(len(exCanonical)) + 5, exCanonical, 1976, nil}}},
		{"count first", "https://mysignins.microsoft.com/register?authMethodCount=1&authMethods=24", []exWant{{0, "https://mysignins.microsoft.com/register?authMethodCount=1&authMethods=24", 24, nil}}},
		{"lookalike is a hit", "https://mysignins.microsoft.com.evil.example/register?authMethods=48", []exWant{{0, "https://mysignins.microsoft.com.evil.example/register?authMethods=48", 48, nil}}},
		{"broken mask is a hit with Err", "https://mysignins.microsoft.com/register?authMethods=abc", []exWant{{0, "https://mysignins.microsoft.com/register?authMethods=abc", 0, ErrNotNumber}}},
		{"prose", "the authmethods parameter is undocumented", nil},
		{"doc path", "https://learn.example.com/docs/authmethods-overview", nil},
		{"policy", "authMethodsPolicy=files", nil},
		{"count only", "https://mysignins.microsoft.com/register?authMethodCount=1", nil},
		{"prose then link", "authmethods: " + exCanonical, []exWant{{13, exCanonical, 1976, nil}}},
		{"crlf lines", "a\r\n" + exCanonical + "\r\n", []exWant{{3, exCanonical, 1976, nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := Extract(tt.in)
			exCheck(t, tt.in, hits, tt.want)
			got, err := exScanAll(NewScanner(strings.NewReader(tt.in)))
			if err != nil {
				t.Fatal(err)
			}
			if !exSameHits(got, hits) {
				t.Errorf("Scanner and Extract differ:\n%v\n%v", got, hits)
			}
		})
	}
}

func exCheck(t *testing.T, in string, hits []Hit, want []exWant) {
	t.Helper()
	if len(hits) != len(want) {
		t.Fatalf("%q: %d hits %v, want %d", in, len(hits), hits, len(want))
	}
	for i, h := range hits {
		w := want[i]
		if h.Offset != w.off || h.Text != w.text {
			t.Errorf("hit %d: %d %q, want %d %q", i, h.Offset, h.Text, w.off, w.text)
		}
		if in[h.Offset:h.Offset+int64(len(h.Text))] != h.Text {
			t.Errorf("hit %d: Text is not the input at Offset", i)
		}
		if h.Line != 1+int64(strings.Count(in[:h.Offset], "\n")) {
			t.Errorf("hit %d: line %d", i, h.Line)
		}
		switch {
		case w.err != nil:
			if !errors.Is(h.Err, w.err) || h.Link != nil {
				t.Errorf("hit %d: err %v link %v, want %v", i, h.Err, h.Link, w.err)
			}
		case h.Err != nil || h.Link == nil:
			t.Errorf("hit %d: err %v", i, h.Err)
		case uint32(h.Link.Mask) != w.mask:
			t.Errorf("hit %d: mask %d, want %d", i, h.Link.Mask, w.mask)
		}
	}
}

func exScanAll(s *Scanner) ([]Hit, error) {
	var hits []Hit
	for s.Scan() {
		hits = append(hits, s.Hit())
	}
	return hits, s.Err()
}

func exSameHits(a, b []Hit) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Offset != y.Offset || x.Line != y.Line || x.Text != y.Text || (x.Err == nil) != (y.Err == nil) || (x.Link == nil) != (y.Link == nil) {
			return false
		}
		if x.Link != nil && (x.Link.Mask != y.Link.Mask || x.Link.Count != y.Link.Count || x.Link.Verdict.Trusted != y.Link.Verdict.Trusted) {
			return false
		}
	}
	return true
}

// TestExtractGenerated: on a generated proxy log, exactly the planted links
// are found, at their offsets and lines, with their masks, counts and
// verdicts; the near misses are not.
func TestExtractGenerated(t *testing.T) {
	size := int64(16 << 20)
	if testing.Short() {
		size = 4 << 20
	}
	log, planted := loggen.Generate(loggen.Config{Size: size, Seed: 5, LinkEvery: 200})
	var want []loggen.Planted
	for _, p := range planted {
		if p.Kind != loggen.Prose {
			want = append(want, p)
		}
	}
	hits := Extract(string(log))
	exCheckPlanted(t, hits, want)
	for _, o := range []find.Options{{}, {BufferSize: 100 << 10}} {
		got, err := exScanAll(new(Parser).newScanner(bytes.NewReader(log), o))
		if err != nil {
			t.Fatal(err)
		}
		if !exSameHits(got, hits) {
			t.Errorf("options %+v: Scanner and Extract differ", o)
		}
	}
}

func exCheckPlanted(t *testing.T, hits []Hit, want []loggen.Planted) {
	t.Helper()
	if len(hits) != len(want) {
		t.Errorf("%d hits, %d planted links", len(hits), len(want))
	}
	for i := range min(len(hits), len(want)) {
		h, p := hits[i], want[i]
		if h.Offset != p.Offset || h.Line != p.Line || h.Text != p.Text {
			t.Fatalf("hit %d: %d:%d %q, planted %d:%d %q", i, h.Line, h.Offset, h.Text, p.Line, p.Offset, p.Text)
		}
		if h.Err != nil {
			t.Errorf("%s %q: %v", p.Form, p.Text, h.Err)
			continue
		}
		l := h.Link
		wantCount := p.Count
		if p.Count < 0 {
			wantCount = 0
		}
		if uint64(l.Mask) != p.Mask || l.Count != wantCount || l.HasCount != (p.Count >= 0) {
			t.Errorf("%q: mask %d count %d/%v, planted %d %d", p.Text, l.Mask, l.Count, l.HasCount, p.Mask, p.Count)
		}
		if l.Verdict.Trusted != (p.Kind == loggen.Link) {
			t.Errorf("%q (%s): trusted %v %v", p.Text, p.Kind, l.Verdict.Trusted, l.Verdict.Reasons)
		}
		if p.Wrapped != (len(l.Wrapped) > 0 && l.Wrapped[0] == "safelinks") {
			t.Errorf("%q: wrapped %v", p.Text, l.Wrapped)
		}
	}
}

// TestScannerHugeLine: one line far longer than any buffer, with a link at
// its very end, is scanned in bounded memory and the link is found.
func TestScannerHugeLine(t *testing.T) {
	size := int64(200 << 20)
	if testing.Short() || exRaceEnabled() {
		size = 32 << 20
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s := NewScanner(loggen.Repeat("abcdefghijklmnopqrstuvwxyz%3D&authMethodCount=1&", size, strings.NewReader(" "+exCanonical)))
	hits, err := exScanAll(s)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if len(hits) != 1 || hits[0].Offset != size+1 || hits[0].Line != 1 || hits[0].Text != exCanonical || hits[0].Err != nil {
		t.Fatalf("hits %v", hits)
	}
	if a := after.TotalAlloc - before.TotalAlloc; a > 16<<20 {
		t.Errorf("a %d MiB line: %d MiB allocated", size>>20, a>>20)
	}
}

// exRaceEnabled reports whether the test binary was built with -race, which
// slows byte loops down tenfold.
func exRaceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

func TestScannerReadError(t *testing.T) {
	in := "x " + exCanonical + "\n" + exCanonical
	s := NewScanner(iotest.TimeoutReader(iotest.HalfReader(strings.NewReader(in))))
	hits, err := exScanAll(s)
	if err != iotest.ErrTimeout {
		t.Errorf("err %v", err)
	}
	_ = hits // how many were read before the error depends on the reader
	boom := errors.New("boom")
	hits, err = exScanAll(NewScanner(io.MultiReader(strings.NewReader(in), iotest.ErrReader(boom))))
	if err != boom || len(hits) != 2 {
		t.Errorf("%d hits, err %v", len(hits), err)
	}
}

func TestParserTrustHosts(t *testing.T) {
	p := &Parser{TrustHosts: []string{"mysignins.microsoft.us"}}
	in := "go to https://mysignins.microsoft.us/register?authMethods=48&authMethodCount=1 now"
	for _, hits := range [][]Hit{Extract(in), p.Extract(in)} {
		if len(hits) != 1 || hits[0].Err != nil {
			t.Fatalf("hits %v", hits)
		}
	}
	if Extract(in)[0].Link.Verdict.Trusted || !p.Extract(in)[0].Link.Verdict.Trusted {
		t.Error("TrustHosts not applied")
	}
	hits, _ := exScanAll(p.NewScanner(strings.NewReader(in)))
	if len(hits) != 1 || !hits[0].Link.Verdict.Trusted {
		t.Errorf("Parser.NewScanner: %v", hits)
	}
}

func TestExtractAllocs(t *testing.T) {
	text := strings.Repeat("2025-08-29T10:15:32Z 10.0.0.1 GET https://www.contoso.com/index.html 200\n", 1000)
	if n := testing.AllocsPerRun(10, func() { Extract(text) }); n > 2 {
		t.Errorf("Extract of text without links: %v allocations", n)
	}
}

// TestExtractPathological: tokens packed with anchors, near misses and
// schemes cost time linear in their length, and are still scanned.
func TestExtractPathological(t *testing.T) {
	n := 1 << 20
	if exRaceEnabled() {
		n = 256 << 10
	}
	for _, unit := range []string{
		"authmethods",
		"authmethods=",
		"?authMethods=x&",
		"https:authmethods,",
		"http://x/?authMethods=1,",
		"authmethods authMethods=1 ",
		"mysignins.microsoft.com/register?authMethods=",
	} {
		in := strings.Repeat(unit, n/len(unit))
		start := time.Now()
		hits := Extract(in)
		d := time.Since(start)
		t.Logf("%q: %d bytes, %d hits, %v", unit, len(in), len(hits), d)
		if d > 20*time.Second {
			t.Errorf("%q × %d: %v", unit, n/len(unit), d)
		}
		got, err := exScanAll(NewScanner(strings.NewReader(in)))
		if err != nil || !exSameHits(got, hits) {
			t.Errorf("%q: Scanner and Extract differ (%d and %d hits, err %v)", unit, len(got), len(hits), err)
		}
	}
}

// Issue 10: a register link is never judged alone when it is only part of
// what a browser opens, and a mask cut by a space is never read silently.
func TestExtractWholeToken(t *testing.T) {
	const c = "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"
	long := strings.Repeat("a", 9<<10)
	// Past the length cap: no silent cut, an error.
	if hits := Extract("https://evil.example/" + long + c); len(hits) != 1 || !errors.Is(hits[0].Err, ErrCut) {
		t.Errorf("a register link past the cap: %+v, want one hit with ErrCut", hits)
	}
	tests := []struct {
		name, text string
		trusted    bool
		first      string // Hops()[0].Host
		warn       string // a warning that must be there
		mask       bitmask.Mask
	}{
		{"alone", "see " + c + " now", true, "mysignins.microsoft.com", "", 0},
		{"field label", "url=" + c, true, "mysignins.microsoft.com", "", 0},
		{"CSV log", "2025-01-01T10:00:00Z,GET," + c + ",200", true, "mysignins.microsoft.com", `read the link up to ','`, 0},
		{"after a host without scheme", "evil.example/x?" + c, false, "evil.example", "", 0},
		{"in a path", "https://evil.example/go/" + c, false, "evil.example", "", 0},
		{"after ;", "https://evil.example/a;" + c, false, "evil.example", "", 0},
		{"after (", "https://evil.example/(" + c + ")", false, "evil.example", "", 0},
		{"after |", "https://evil.example/a|" + c, false, "evil.example", "", 0},
		{"after a backtick", "https://evil.example/`" + c, false, "evil.example", "", 0},
		{"after {", "https://evil.example/{" + c, false, "evil.example", "", 0},
		{"second of a list", "https://mysignins.microsoft.com/register?authMethods=16&authMethodCount=1," + c, false, "mysignins.microsoft.com", "", 0},
		{"markdown text over another href", "[" + c + "](https://evil.example/)", false, "evil.example", "", 0},
		{"markdown text with spaces", "click [here: " + c + " now](https://evil.example/) please", false, "evil.example", "", 0},
		{"HTML text over another href", `<a href="https://evil.example/">` + c + `</a>`, false, "evil.example", "", 0},
		{"Slack text over another href", "<https://evil.example/|" + c + ">", false, "evil.example", "", 0},
		{"markdown href", "[register](" + c + ")", true, "mysignins.microsoft.com", "", 0},
		{"mask cut by a space", "https://mysignins.microsoft.com/register?authMethodCount=1&authMethods=19 76", true, "mysignins.microsoft.com", "CHECK THE MASK: authMethods=19", 19},
		{"JSON string", `{"u":"https:\/\/mysignins.microsoft.com\/register?authMethods=48\u0026authMethodCount=1"}`, true, "mysignins.microsoft.com", "", 0},
	}
	for _, tt := range tests {
		var hit *Hit
		if tt.mask == 0 {
			tt.mask = 48
		}
		for _, h := range Extract(tt.text) {
			if h.Link != nil && h.Link.Mask == tt.mask {
				hit = &h
			}
		}
		if hit == nil {
			t.Errorf("%s: no hit with mask 48 in %.100q", tt.name, tt.text)
			continue
		}
		l := hit.Link
		if l.Verdict.Trusted != tt.trusted {
			t.Errorf("%s: trusted %v, want %v: %v", tt.name, l.Verdict.Trusted, tt.trusted, l.Verdict.Reasons)
		}
		if tt.first != "" && l.Hops()[0].Host != tt.first {
			t.Errorf("%s: the browser opens %q first, want %q", tt.name, l.Hops()[0].Host, tt.first)
		}
		if tt.warn != "" && !slices.ContainsFunc(l.Warnings, func(w string) bool { return strings.Contains(w, tt.warn) }) {
			t.Errorf("%s: no warning with %q in %q", tt.name, tt.warn, l.Warnings)
		}
		for _, r := range l.Verdict.Reasons {
			if !strings.Contains(r.Message, "evil.example") && !strings.Contains(r.Message, Host) && !strings.Contains(r.Message, "longer") {
				t.Errorf("%s: reason %q names no host", tt.name, r.Message)
			}
		}
	}
}

// TestScannerFile: a file is mapped, not read, and gives the hits its bytes
// give; one that shrinks during the scan ends it with ErrShrunk.
func TestScannerFile(t *testing.T) {
	data, _ := loggen.Generate(loggen.Config{Size: 24 << 20, Seed: 7})
	name := filepath.Join(t.TempDir(), "proxy.log")
	if err := os.WriteFile(name, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var n atomic.Int64
	got, err := exScanAll(new(Parser).NewScannerCounting(f, &n))
	if err != nil {
		t.Fatal(err)
	}
	want, err := exScanAll(NewScanner(bytes.NewReader(data)))
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("file: %d hits, bytes: %d", len(got), len(want))
	}
	key := func(h Hit) string {
		if h.Link == nil {
			return fmt.Sprint(h.Offset, h.Line, h.Text, h.Err)
		}
		return fmt.Sprint(h.Offset, h.Line, h.Text, *h.Link)
	}
	for i := range want {
		if key(got[i]) != key(want[i]) {
			t.Fatalf("hit %d: file %s, bytes %s", i, key(got[i]), key(want[i]))
		}
	}
	if n.Load() != int64(len(data)) {
		t.Errorf("counted %d bytes of %d", n.Load(), len(data))
	}

	s := NewScanner(f)
	if !s.s.Mapped() {
		t.Skip("files are not mapped on this system")
	}
	hits := 0
	for s.Scan() {
		if hits++; hits == 3 {
			if err := os.Truncate(name, 1<<20); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !errors.Is(s.Err(), ErrShrunk) || hits >= len(want) {
		t.Errorf("after truncation: %d hits of %d, err %v", hits, len(want), s.Err())
	}
}

// Hits yields what Extract returns, in order, and stops when asked: a
// caller that passes hits on keeps none of them.
func TestHitsIsExtract(t *testing.T) {
	text := "a https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1\n" +
		"<a href=\"https://evil.example/x\">\nhttps://mysignins.microsoft.com/register?authMethods=16&amp;authMethodCount=1\n</a>\n" +
		"broken https://mysignins.microsoft.com/register?authMethods=19\n76&authMethodCount=1 end"
	var p Parser
	want := p.Extract(text)
	var got []Hit
	for h := range p.Hits(text) {
		got = append(got, h)
	}
	if len(want) != 3 || len(got) != len(want) {
		t.Fatalf("Hits gave %d hits, Extract %d; want 3", len(got), len(want))
	}
	for i := range want {
		if got[i].Offset != want[i].Offset || got[i].Line != want[i].Line || got[i].Text != want[i].Text || (got[i].Link == nil) != (want[i].Link == nil) {
			t.Errorf("hit %d: Hits %+v, Extract %+v", i, got[i], want[i])
		}
	}
	n := 0
	for range p.Hits(text) {
		if n++; n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("Hits went on after the loop stopped: %d", n)
	}
}
