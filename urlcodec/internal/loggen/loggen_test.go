package loggen

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

func TestGenerate(t *testing.T) {
	const size = 64 << 20
	log, planted := Generate(Config{Size: size, Seed: 42})
	if len(log) != size {
		t.Fatalf("len = %d, want %d", len(log), size)
	}
	log2, planted2 := Generate(Config{Size: 1 << 20, Seed: 42})
	if !bytes.Equal(log[:1<<20-maxLine], log2[:1<<20-maxLine]) || len(planted2) > len(planted) || planted2[0] != planted[0] {
		t.Fatal("same seed, different log")
	}
	if log3, _ := Generate(Config{Size: 1 << 20, Seed: 43}); bytes.Equal(log[:1<<20-maxLine], log3[:1<<20-maxLine]) {
		t.Fatal("different seeds, same log")
	}

	lines := bytes.Count(log, []byte("\n"))
	if avg := size / lines; avg < 250 || avg > 400 {
		t.Errorf("average line length %d, want 250..400", avg)
	}

	lower := bytes.ToLower(log)
	forms := map[string]int{}
	kinds := map[Kind]int{}
	linkLines := map[int64]int{}
	prevEnd := int64(0)
	for _, p := range planted {
		if p.Offset < prevEnd {
			t.Fatalf("planted tokens overlap or out of order at %d", p.Offset)
		}
		end := p.Offset + int64(len(p.Text))
		prevEnd = end
		if got := string(log[p.Offset:end]); got != p.Text {
			t.Fatalf("at %d: %q, planted %q", p.Offset, got, p.Text)
		}
		if line := 1 + int64(bytes.Count(log[:p.Offset], []byte("\n"))); line != p.Line {
			t.Fatalf("%q: line %d, planted on %d", p.Text, line, p.Line)
		}
		// delimited on both sides, no delimiter inside
		if p.Offset > 0 && !strings.ContainsRune(" \"\n", rune(log[p.Offset-1])) {
			t.Errorf("%q preceded by %q", p.Text, log[p.Offset-1])
		}
		if end < int64(len(log)) && !strings.ContainsRune(" \"\n", rune(log[end])) {
			t.Errorf("%q followed by %q", p.Text, log[end])
		}
		if strings.ContainsAny(p.Text, " \t\r\n\"'<>()[]{}|`") {
			t.Errorf("%q contains a delimiter", p.Text)
		}
		if !strings.Contains(strings.ToLower(p.Text), "authmethods") {
			t.Errorf("%q has no anchor", p.Text)
		}
		forms[p.Form]++
		kinds[p.Kind]++
		if p.Kind != Prose {
			linkLines[p.Line]++
			if p.Mask == 0 || p.Host == "" {
				t.Errorf("%+v: no mask or host", p)
			}
			if !strings.Contains(p.Text, strconv.FormatUint(p.Mask, 10)) {
				t.Errorf("%q does not hold its mask %d", p.Text, p.Mask)
			}
		}
	}
	// Every anchor in the log lies in a planted token.
	anchors := bytes.Count(lower, []byte("authmethods"))
	inPlanted := 0
	for _, p := range planted {
		inPlanted += strings.Count(strings.ToLower(p.Text), "authmethods")
	}
	if anchors != inPlanted {
		t.Errorf("%d anchors in the log, %d in planted tokens", anchors, inPlanted)
	}
	// About one line in 2000 has a link, 30% of links wrapped, some lines two.
	if n, want := len(linkLines), lines/2000; n < want*2/3 || n > want*4/3 {
		t.Errorf("%d lines with links, want about %d", n, want)
	}
	two := 0
	for _, n := range linkLines {
		if n > 1 {
			two++
		}
	}
	links := kinds[Link] + kinds[Lookalike]
	if w := forms["safelinks"] * 100 / links; w < 20 || w > 40 {
		t.Errorf("%d%% of links wrapped, want about 30", w)
	}
	if two == 0 || kinds[Lookalike] == 0 || kinds[Prose] == 0 {
		t.Errorf("no two-link lines (%d), lookalikes (%d) or prose (%d)", two, kinds[Lookalike], kinds[Prose])
	}
	for _, f := range []string{"plain", "upper", "mixed", "noscheme", "html", "json", "safelinks", "countfirst", "prose"} {
		if forms[f] == 0 {
			t.Errorf("no %s token", f)
		}
	}
	// Near misses without an anchor are there too.
	if n := bytes.Count(lower, []byte("register?authmethodcount=1\n")); n == 0 {
		t.Error("no authMethodCount-only near miss")
	}
	t.Logf("%d lines, %d planted: kinds %v forms %v, %d lines with two links", lines, len(planted), kinds, forms, two)
}

func TestWriteMatchesGenerate(t *testing.T) {
	c := Config{Size: 1 << 20, Seed: 7}
	log, planted := Generate(c)
	var buf bytes.Buffer
	planted2, err := Write(&buf, c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), log) || len(planted2) != len(planted) {
		t.Fatal("Write and Generate differ")
	}
}

func TestSmallSizes(t *testing.T) {
	for size := int64(0); size < 5000; size += 1 + size/100 {
		log, planted := Generate(Config{Size: size, Seed: uint64(size), LinkEvery: 1})
		if int64(len(log)) != size {
			t.Fatalf("size %d: got %d bytes", size, len(log))
		}
		for _, p := range planted {
			if p.Offset+int64(len(p.Text)) > size {
				t.Fatalf("size %d: token past the end", size)
			}
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	b.SetBytes(16 << 20)
	for b.Loop() {
		Generate(Config{Size: 16 << 20, Seed: 1})
	}
}

func TestRepeat(t *testing.T) {
	b, err := io.ReadAll(Repeat("abc", 10, strings.NewReader("|end")))
	if err != nil || string(b) != "abcabcabca|end" {
		t.Errorf("Repeat = %q, %v", b, err)
	}
	b, _ = io.ReadAll(iotest.OneByteReader(Repeat("xy", 5, strings.NewReader(""))))
	if string(b) != "xyxyx" {
		t.Errorf("Repeat by single bytes = %q", b)
	}
}
