package find

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/authmethods/authmethods/urlcodec/internal/loggen"
)

// refMatch is a match of the reference implementation.
type refMatch struct {
	Offset int64
	Line   int64
	Text   string
	Anchor int
}

func (m refMatch) String() string {
	return fmt.Sprintf("{off %d line %d anchor %d %q}", m.Offset, m.Line, m.Anchor, m.Text)
}

func isDelimRef(c byte) bool {
	return c <= ' ' || c == 0x7f || strings.IndexByte("\"'<>", c) >= 0
}

// reference is the obviously correct, in-memory, quadratic-in-the-worst-case
// implementation the fast paths are compared with: lower-case a copy, find
// the anchor with strings.Index, expand byte by byte, count lines from the
// start.
func reference(in []byte, maxExpand int) []refMatch {
	lower := asciiLower(in)
	var out []refMatch
	prevEnd := 0
	for i := 0; i <= len(in); {
		j := bytes.Index(lower[i:], []byte("authmethods"))
		if j < 0 {
			break
		}
		p := i + j
		s := p
		for s > max(p-maxExpand, prevEnd, 0) && !isDelimRef(in[s-1]) {
			s--
		}
		e := p + len(Anchor)
		for e < min(p+len(Anchor)+maxExpand, len(in)) && !isDelimRef(in[e]) {
			e++
		}
		out = append(out, refMatch{
			Offset: int64(s),
			Line:   1 + int64(bytes.Count(in[:s], []byte("\n"))),
			Text:   string(in[s:e]),
			Anchor: p - s,
		})
		prevEnd, i = e, e
	}
	return out
}

func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// scanAll scans r with o, or reads s if it is a *Scanner.
func scanAll(t testing.TB, r any, o *Options) ([]refMatch, error) {
	t.Helper()
	s, ok := r.(*Scanner)
	if !ok {
		s = NewScannerOptions(r.(io.Reader), *o)
	}
	var out []refMatch
	lastOff := int64(-1)
	for s.Scan() {
		m := s.Match()
		if m.Offset <= lastOff {
			t.Fatalf("matches out of order: %d after %d", m.Offset, lastOff)
		}
		lastOff = m.Offset
		out = append(out, refMatch{m.Offset, m.Line, string(m.Text), m.Anchor})
	}
	return out, s.Err()
}

func TestIndex(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", -1},
		{"authmethod", -1},
		{"authmethods", 0},
		{"AUTHMETHODS", 0},
		{"aUtHmEtHoDs", 0},
		{"xauthMethods=1", 1},
		{"authMethodCount=1", -1},
		{"authMethodCount=1&authMethods=2", 18},
		{"auth methods", -1},
		{"authmethodsauthmethods", 0},
		{"hmhmhmhmhmhmhmhmhmhmhmhmhmhmhmhmhmhmhmhmauthmethods", 40},
		{"authmethod\x00", -1},
		{"authmethodS", 0},
		{"@UTHMETHODS", -1}, // '@'|0x20 == '`', not 'a'
		{"AUTHMETHOD\x13", -1},
		{"AUTHMETHOD\x53", 0},
		{"\xffauthmethods\xff", 1},
		{strings.Repeat("x", 100) + "AuthMethods", 100},
		{strings.Repeat("x", 101) + "AuthMethods", 101},
		{strings.Repeat("x", 102) + "AuthMethods" + "y", 102},
		{strings.Repeat("xhm", 100) + "AuthMethod", -1},
	}
	for _, tt := range tests {
		if got := Index([]byte(tt.in)); got != tt.want {
			t.Errorf("Index(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// TestIndexRandom compares Index with a lower-casing search on inputs made of
// the anchor's letters in both cases, so that partial matches and "hm" pairs
// are frequent, at every alignment.
func TestIndexRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "authmeodsAUTHMEODS\x00\xff h"
	for range 20000 {
		n := rng.IntN(200)
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if rng.IntN(3) == 0 && n >= len(Anchor) {
			p := rng.IntN(n - len(Anchor) + 1)
			for i := range len(Anchor) {
				c := Anchor[i]
				if rng.IntN(2) == 0 {
					c -= 'a' - 'A'
				}
				b[p+i] = c
			}
		}
		want := bytes.Index(asciiLower(b), []byte(Anchor))
		if got := Index(b); got != want {
			t.Fatalf("Index(%q) = %d, want %d", b, got, want)
		}
		// The assembly and the portable pair search agree with each
		// other and with a byte at a time, also on bytes that differ
		// from 'h' or 'm' by bits other than 0x20.
		b = append(b, "\x48\x4d\x68\x6d\xe8\xed\x08\x0d"[rng.IntN(8)])
		i, ok := pairIndex(b)
		gi, gok := pairIndexGeneric(b)
		wi, wok := pairRef(b)
		if i != gi || ok != gok || ok != wok || ok && i != wi {
			t.Fatalf("pair in %q: pairIndex %d %v, generic %d %v, want %d %v", b, i, ok, gi, gok, wi, wok)
		}
	}
}

// pairRef is pairIndexGeneric a byte at a time.
func pairRef(b []byte) (int, bool) {
	n := 0
	if len(b) >= 33 {
		n = (len(b) - 1) / 32 * 32
	}
	for i := 0; i < n; i++ {
		if (b[i] == 'h' || b[i] == 'H') && (b[i+1] == 'm' || b[i+1] == 'M') {
			return i, true
		}
	}
	return n, false
}

func TestIsDelim(t *testing.T) {
	for c := range 256 {
		if got, want := IsDelim(byte(c)), isDelimRef(byte(c)); got != want {
			t.Errorf("IsDelim(%#x) = %v, want %v", c, got, want)
		}
	}
}

const link = "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"

const safeLink = "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1&data=05%7C02%7Cjan%40contoso.com%7C0%7C&reserved=0"

func TestAppendSpans(t *testing.T) {
	long := strings.Repeat("a", MaxExpand+100)
	tests := []struct {
		name string
		in   string
		want []string // span texts
	}{
		{"empty", "", nil},
		{"plain", "GET " + link + " 200", []string{link}},
		{"alone", link, []string{link}},
		{"no scheme", "see mysignins.microsoft.com/register?authMethods=48.", []string{"mysignins.microsoft.com/register?authMethods=48."}},
		{"count only", "https://mysignins.microsoft.com/register?authMethodCount=1", nil},
		{"count first", "x https://h/register?authMethodCount=1&AuthMethods=2 y", []string{"https://h/register?authMethodCount=1&AuthMethods=2"}},
		{"two anchors one token", "x ?authMethods=1&authmethods=2 y", []string{"?authMethods=1&authmethods=2"}},
		{"two links", link + " " + link, []string{link, link}},
		{"adjacent tokens", `"` + link + `""` + link + `"`, []string{link, link}},
		{"safe links", "<" + safeLink + ">", []string{safeLink}},
		{"html", `<a href="https://x/register?authMethods=1&amp;authMethodCount=1">x</a>`, []string{"https://x/register?authMethods=1&amp;authMethodCount=1"}},
		{"json", `{"u":"https:\/\/x\/register?authMethods=1\u0026authMethodCount=1"}`, []string{`https:\/\/x\/register?authMethods=1\u0026authMethodCount=1`}},
		// Brackets, '|' and backticks stay in the token: the caller reads
		// the markup, and a link after them is part of a longer one.
		{"markdown", "[link](https://x/?AUTHMETHODS=1)", []string{"[link](https://x/?AUTHMETHODS=1)"}},
		{"prose", "the authmethods parameter", []string{"authmethods"}},
		{"crlf", "a\r\n" + link + "\r\nb", []string{link}},
		{"tab", "a\t" + link + "\tb", []string{link}},
		{"backtick", "`" + link + "`", []string{"`" + link + "`"}},
		{"pipe", "a|" + link + "|b", []string{"a|" + link + "|b"}},
		{"invalid utf-8", "\xff\xfe" + link + "\xc3", []string{"\xff\xfe" + link + "\xc3"}},
		{"capped left", long + "authmethods", []string{long[:MaxExpand] + "authmethods"}},
		{"capped right", "authmethods" + long, []string{"authmethods" + long[:MaxExpand]}},
		{
			// The second anchor starts after the first span's capped end:
			// its span starts where the first one ended.
			"capped twice",
			"authmethods" + long + "authmethods",
			[]string{"authmethods" + long[:MaxExpand], long[MaxExpand:] + "authmethods"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.in)
			var got []string
			for _, s := range AppendSpans(nil, in) {
				if s.Start > s.Anchor || s.Anchor+len(Anchor) > s.End || s.Start < 0 || s.End > len(in) {
					t.Fatalf("bad span %+v for input of %d bytes", s, len(in))
				}
				got = append(got, tt.in[s.Start:s.End])
			}
			if !equal(got, tt.want) {
				t.Errorf("spans\n got %q\nwant %q", got, tt.want)
			}
			var ref []string
			for _, m := range reference(in, MaxExpand) {
				ref = append(ref, m.Text)
			}
			if !equal(ref, tt.want) {
				t.Errorf("reference\n got %q\nwant %q", ref, tt.want)
			}
		})
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestScannerBoundaries puts a link at every offset around the boundary of
// small buffers, and checks offsets and line numbers exactly.
func TestScannerBoundaries(t *testing.T) {
	// A small span cap allows small buffers. The token fits in the cap;
	// the suffix with a second token and the prefix without delimiters
	// exercise the cap.
	const m = 40
	token := "https://x/?authMethods=1&authMethodCount=1"
	for _, bufSize := range []int{2*m + len(Anchor), 2*m + len(Anchor) + 1, 97, 128, 200} {
		for pre := 0; pre < 3*bufSize; pre += 1 + pre/50 {
			var b strings.Builder
			for i := 0; b.Len() < pre; i++ {
				switch {
				case i%7 == 6:
					b.WriteString("\r\n")
				case i%31 < 15:
					b.WriteString("xyz") // runs longer than the cap
				default:
					b.WriteString("xy ")
				}
			}
			prefix := b.String()[:pre]
			for _, suffix := range []string{"", "\n", " tail\n", "\nmore text\n" + token} {
				in := prefix + token + suffix
				want := reference([]byte(in), m)
				got, err := scanAll(t, strings.NewReader(in), &Options{BufferSize: bufSize, maxExpand: m})
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("buf %d input %q:\n got %v\nwant %v", bufSize, in, got, want)
				}
			}
		}
	}
}

func TestScannerTable(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []refMatch
	}{
		{"empty", "", nil},
		{"no newline at end", "a\nb " + link, []refMatch{{4, 2, link, 41}}},
		{"crlf", "a\r\nb\r\n" + link + "\r\n", []refMatch{{6, 3, link, 41}}},
		{"first byte", link + "\n", []refMatch{{0, 1, link, 41}}},
		{"case", "x\n\nAUTHMETHODS=1 AuthMethods=2\n", []refMatch{{3, 3, "AUTHMETHODS=1", 0}, {17, 3, "AuthMethods=2", 0}}},
		{"prose", "the authmethods parameter\n", []refMatch{{4, 1, "authmethods", 0}}},
		{"empty lines", "\n\n\n\n" + link, []refMatch{{4, 5, link, 41}}},
		{"invalid utf-8", "\xff\n\xc0" + link, []refMatch{{2, 2, "\xc0" + link, 42}}},
	}
	for _, tt := range tests {
		for _, r := range []func(string) io.Reader{
			func(s string) io.Reader { return strings.NewReader(s) },
			func(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) },
			func(s string) io.Reader { return iotest.DataErrReader(strings.NewReader(s)) },
			func(s string) io.Reader { return iotest.HalfReader(strings.NewReader(s)) },
		} {
			got, err := scanAll(t, r(tt.in), &Options{})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
			}
		}
	}
}

type errAfter struct {
	r   io.Reader
	err error
}

func (e *errAfter) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, e.err
	}
	return n, err
}

func TestScannerReadError(t *testing.T) {
	boom := errors.New("boom")
	in := strings.Repeat("x ", 1000) + link + " " + link
	got, err := scanAll(t, &errAfter{strings.NewReader(in), boom}, &Options{BufferSize: 1, maxExpand: 100})
	if err != boom {
		t.Errorf("err = %v, want %v", err, boom)
	}
	if len(got) != 2 {
		t.Errorf("got %d matches before the error, want 2", len(got))
	}
	_, err = scanAll(t, iotest.TimeoutReader(strings.NewReader(in)), &Options{BufferSize: 1, maxExpand: 10})
	if err != iotest.ErrTimeout {
		t.Errorf("err = %v, want %v", err, iotest.ErrTimeout)
	}
	_, err = scanAll(t, emptyReader{}, &Options{})
	if err != io.ErrNoProgress {
		t.Errorf("err = %v, want %v", err, io.ErrNoProgress)
	}
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

// TestScannerRandom is a property test: on random inputs rich in anchors,
// near misses, delimiters, newlines and long tokens, the Scanner with random
// small buffers and span caps reports exactly what the
// in-memory reference does.
func TestScannerRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{
		"authmethods", "AUTHMETHODS", "authMethods=1976", "authMethodCount=1", "authmethod", "AuthMethods",
		"hm", "\n", "\r\n", " ", "\"", "<", ">", "(", ")", "&amp;", "%3D", "https://", "mysignins.microsoft.com/register?",
		"\xff", "\x00", "a", "b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	}
	iters := 3000
	if testing.Short() {
		iters = 300
	}
	for it := range iters {
		var b []byte
		n := rng.IntN(600)
		for len(b) < n {
			if rng.IntN(8) == 0 {
				// a long run without delimiters
				b = append(b, bytes.Repeat([]byte{'z'}, rng.IntN(300))...)
				continue
			}
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		m := rng.IntN(60) - 5 // <= 0: spans are just the anchors (tests only)
		bufSize := rng.IntN(200)
		refM := max(m, 0)
		want := reference(b, refM)
		// reading in small irregular pieces shakes out boundary handling
		var r io.Reader = bytes.NewReader(b)
		switch it % 3 {
		case 1:
			r = iotest.OneByteReader(r)
		case 2:
			r = iotest.HalfReader(r)
		}
		got, err := scanAll(t, r, &Options{BufferSize: bufSize, maxExpand: m})
		if m == 0 {
			// maxExpand 0 in Options means the default; compare with that
			want = reference(b, MaxExpand)
		}
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("maxExpand %d buf %d input %q:\n got %v\nwant %v", m, bufSize, b, got, want)
		}
		var spans []string
		for _, s := range appendSpans(nil, b, 0, len(b), 0, refM) {
			spans = append(spans, string(b[s.Start:s.End]))
		}
		if m == 0 {
			continue
		}
		var wantSpans []string
		for _, w := range want {
			wantSpans = append(wantSpans, w.Text)
		}
		if !equal(spans, wantSpans) {
			t.Fatalf("appendSpans(%q) = %q, want %q", b, spans, wantSpans)
		}
	}
}

// FuzzScanner checks the same property on fuzzer-chosen inputs.
func FuzzScanner(f *testing.F) {
	f.Add([]byte(link), uint16(100), uint8(20))
	f.Add([]byte("x\nauthmethods authMETHODS\r\n"+safeLink), uint16(50), uint8(5))
	f.Fuzz(func(t *testing.T, b []byte, bufSize uint16, m uint8) {
		want := reference(b, int(m)+1)
		o := Options{BufferSize: int(bufSize), maxExpand: int(m) + 1}
		got, err := scanAll(t, bytes.NewReader(b), &o)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("got %v\nwant %v", got, want)
		}
		// The same from a file, mapped in windows of a few pages.
		o.mapWindow = int(bufSize) * 3
		if got, err = scanAll(t, writeFile(t, b), &o); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("file: got %v\nwant %v", got, want)
		}
	})
}

// TestScannerHugeLine: a single line much longer than the buffers, with
// anchors in it and a link at its very end, is scanned in bounded memory.
func TestScannerHugeLine(t *testing.T) {
	size := int64(64 << 20)
	if testing.Short() {
		size = 8 << 20
	}
	r := loggen.Repeat("abcdefghijklmnopqrstuvwxyz0123456789-_.~%3D&=", size, strings.NewReader(" "+link))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s := NewScanner(r)
	var got []Match
	for s.Scan() {
		m := s.Match()
		m.Text = bytes.Clone(m.Text)
		got = append(got, m)
	}
	if s.Err() != nil {
		t.Fatal(s.Err())
	}
	runtime.ReadMemStats(&after)
	if a := after.TotalAlloc - before.TotalAlloc; a > 16<<20 {
		t.Errorf("scanning a %d MiB line allocated %d MiB", size>>20, a>>20)
	}
	if len(got) != 1 || got[0].Offset != size+1 || got[0].Line != 1 || string(got[0].Text) != link {
		t.Fatalf("got %+v", got)
	}
}

// TestScannerHugeToken: a token of many megabytes full of anchors costs
// bounded spans and memory, and matches the reference.
func TestScannerHugeToken(t *testing.T) {
	in := bytes.Repeat([]byte("authmethods="), 300000) // 3.6 MB, one token
	want := reference(in, MaxExpand)
	got, err := scanAll(t, bytes.NewReader(in), &Options{BufferSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%d matches, want %d", len(got), len(want))
	}
	// Each span is capped: about one span per 2*MaxExpand bytes.
	if n := len(want); n < len(in)/(2*MaxExpand+len(Anchor))-1 || n > len(in)/MaxExpand {
		t.Errorf("%d spans for %d bytes", n, len(in))
	}
}

// TestScannerPipe reads through an OS pipe, whose reads return at most the
// pipe's buffer (64 KiB by default), and checks the result is unchanged.
func TestScannerPipe(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Skip(err)
	}
	defer pr.Close()
	in := bytes.Repeat([]byte("a b c "+link+"\n"), 20000)
	go func() {
		pw.Write(in)
		pw.Close()
	}()
	got, err := scanAll(t, pr, &Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := reference(in, MaxExpand); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%d matches, want %d", len(got), len(want))
	}
}
