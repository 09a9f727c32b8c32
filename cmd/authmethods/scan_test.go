package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec"
)

// scan --json says of each link what decode --json says, plus where it is,
// but short: reasons without their message, the catalog without source and
// note (list --json has them), as scan's help says.
func TestScanJSONIsShortDecodeJSON(t *testing.T) {
	for _, link := range []string{
		link1976,
		"HTTPS://MYSIGNINS.MICROSOFT.COM/REGISTER?AUTHMETHODS=48",
		"https://mysignins.microsoft.com.evil.example/register?authMethods=0x40010&authMethodCount=1",
		"https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1&data=05",
		"https://evil.example/go?next=https://mysignins.microsoft.com/register?authMethods=48",
	} {
		_, scanOut, _ := runCapture(t, false, "prefix "+link+"\n", "scan", "--json")
		_, decodeOut, _ := runCapture(t, false, link+"\n", "decode", "--json")
		var got, want map[string]any
		if err := json.Unmarshal([]byte(scanOut), &got); err != nil {
			t.Fatalf("scan --json %q: %v\n%s", link, err, scanOut)
		}
		if err := json.Unmarshal([]byte(decodeOut), &want); err != nil {
			t.Fatalf("decode --json %q: %v\n%s", link, err, decodeOut)
		}
		if got["file"] != stdinName || got["offset"] != float64(len("prefix ")) {
			t.Errorf("%q: file %v offset %v; want %q 7", link, got["file"], got["offset"], stdinName)
		}
		delete(got, "file")
		delete(got, "offset")
		// The path only when it is more than the link itself.
		if path, ok := want["path"].([]any); ok && len(path) == 1 && path[0].(map[string]any)["url"] == want["url"] {
			delete(want, "path")
		}
		cat := want["catalog"].(map[string]any)
		want["catalog"] = map[string]any{"provenance": cat["provenance"]}
		if reasons, ok := want["reasons"].([]any); ok {
			for _, r := range reasons {
				delete(r.(map[string]any), "message")
			}
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if !bytes.Equal(g, w) {
			t.Errorf("%q:\nscan   %s\ndecode %s", link, g, w)
		}
	}
}

// slowReader returns one line with a link per read, pausing before each, so
// that a scan lasts long enough for the progress line to be drawn.
type slowReader struct {
	n     int
	pause time.Duration
}

func (r *slowReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	r.n--
	time.Sleep(r.pause)
	return copy(p, "log "+link1976+"\n"), nil
}

// withProgress makes stderr (and stdout when ttyOut) look like terminals and
// redraws the progress line every millisecond.
func withProgress(t *testing.T, stdout, stderr io.Writer, ttyOut bool) {
	oldTerm, oldEvery := isTerminal, progressEvery
	isTerminal = func(w io.Writer) bool { return w == stderr || ttyOut && w == stdout }
	progressEvery = time.Millisecond
	t.Cleanup(func() { isTerminal, progressEvery = oldTerm, oldEvery })
}

// On a terminal stderr, a long scan shows what it has read and found, then
// erases the line; stdout in a pipe never sees it.
func TestScanProgress(t *testing.T) {
	var out, errb bytes.Buffer
	withProgress(t, &out, &errb, false)
	code := run([]string{"scan"}, &slowReader{n: 30, pause: 3 * time.Millisecond}, &out, &errb)
	if code != exitOK {
		t.Fatalf("status %d\n%s", code, errb.String())
	}
	e := errb.String()
	if !strings.Contains(e, "\rauthmethods scan: ") || !strings.Contains(e, " links ((stdin))") {
		t.Errorf("no progress line on a terminal stderr: %q", e)
	}
	if !strings.HasSuffix(e, "\r\x1b[K") {
		t.Errorf("progress line not erased at the end: %q", e)
	}
	if strings.ContainsAny(out.String(), "\r\x1b") || strings.Count(out.String(), "\n") != 30 {
		t.Errorf("stdout: %q", out.String())
	}

	// A file: bytes read of the total.
	name := filepath.Join(t.TempDir(), "a.log")
	if err := os.WriteFile(name, bytes.Repeat([]byte("x "+link1976+"\n"), 1000), 0o666); err != nil {
		t.Fatal(err)
	}
	p := newProgress(io.Discard, totalSize(&ctx{}, []string{name}))
	p.end()
	if p.total != 78000 {
		t.Errorf("total %d, want 78000", p.total)
	}
	var pb bytes.Buffer
	p = &progress{w: &pb, total: 600e6}
	p.read.Store(123456789)
	p.links.Store(1)
	p.file("x.log")
	p.draw()
	if want := "\rauthmethods scan: 123.5 MB / 600.0 MB, 1 link (x.log)\x1b[K"; pb.String() != want {
		t.Errorf("progress line %q, want %q", pb.String(), want)
	}
}

// stdout and stderr on the same terminal: each line of output erases the
// progress line first, and nothing races.
func TestScanProgressTerminalStdout(t *testing.T) {
	var out, errb bytes.Buffer
	withProgress(t, &out, &errb, true)
	code := run([]string{"scan", "--no-color"}, &slowReader{n: 20, pause: 2 * time.Millisecond}, &out, &errb)
	if code != exitOK || strings.Count(out.String(), "\n") != 20 {
		t.Fatalf("status %d\n%s", code, out.String())
	}
}

// Into a pipe, no progress line, even for a long scan.
func TestScanNoProgressInPipe(t *testing.T) {
	old := progressEvery
	progressEvery = time.Millisecond
	defer func() { progressEvery = old }()
	var errb bytes.Buffer
	code := run([]string{"scan"}, &slowReader{n: 10, pause: 3 * time.Millisecond}, io.Discard, &errb)
	if code != exitOK || errb.Len() != 0 {
		t.Errorf("status %d, stderr in a pipe: %q", code, errb.String())
	}
}

// --stats on a terminal is a table with the total below it.
func TestScanStatsTable(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	in := strings.Repeat("a "+link1976+"\n", 3) + "https://mysignins.microsoft.com.evil.example/register?authMethods=48\n"
	code, out, errs := runCapture(t, true, in, "scan", "--stats")
	if code != exitOK || errs != "" {
		t.Fatalf("status %d: %s", code, errs)
	}
	for _, want := range []string{"╭", "count", "1976", "observed", "4 links with 2 distinct masks; 1 not trusted; 0 invalid"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	if i, j := strings.Index(out, "1976"), strings.Index(out, " 48 "); i < 0 || j < 0 || i > j {
		t.Errorf("not sorted by count:\n%s", out)
	}
}

// --stats counts at most maxStatMasks distinct masks one by one, so that a
// hostile log cannot grow the histogram without bound; the rest are counted
// together and said so.
func TestScanStatsBounded(t *testing.T) {
	var out, errb bytes.Buffer
	c := &ctx{cmd: scanCmd, stderr: &errb}
	c.setOutput(&out)
	c.loadCatalogs(nil)
	s := &scanner{c: c, stats: true, hist: map[bitmask.Mask]*maskStat{}}
	for m := range bitmask.Mask(maxStatMasks + 2) {
		s.count(urlcodec.Hit{Link: &urlcodec.Link{Mask: m, Verdict: urlcodec.Verdict{Trusted: true}}})
	}
	if len(s.hist) != maxStatMasks || s.other != 2 || s.links != maxStatMasks+2 {
		t.Fatalf("%d masks, %d other, %d links", len(s.hist), s.other, s.links)
	}
	s.writeStats()
	c.flush()
	if !strings.Contains(errb.String(), "; 2 more links with masks not counted one by one (over 65536 distinct)") {
		t.Errorf("total: %q", errb.String())
	}
}

// scan --json writes strings by hand: exactly as encoding/json does.
func TestAppendJSONString(t *testing.T) {
	in := []string{"", "plain", `q"b\s`, "\x00\x01\b\f\n\r\t\x1f\x7f", "<&>", "é€😀", "\xff\xc3", "a\u2028b\u2029c", "\xed\xa0\x80"}
	for i := range 2000 {
		b := make([]byte, i%40)
		for j := range b {
			b[j] = byte((i*131 + j*197) % 256)
		}
		in = append(in, string(b))
	}
	// One byte to escape (or not) at every place of a plain run, for the
	// eight-bytes-at-a-time path.
	for k := range 20 {
		for _, c := range []byte{0x00, 0x1f, 0x20, '"', '\\', 0x7f, 0x80, 0xe2, 0xff, '!', '#', '[', ']'} {
			b := []byte("https://example.com/register?x=1")
			b[k] = c
			in = append(in, string(b))
		}
	}
	for _, s := range in {
		checkJSONString(t, s)
	}
}

// checkJSONString fails unless appendJSONString writes s as encoding/json
// does with SetEscapeHTML(false).
func checkJSONString(t *testing.T, s string) {
	t.Helper()
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	if got := string(appendJSONString(nil, s)) + "\n"; got != want.String() {
		t.Fatalf("appendJSONString(%q) = %s, encoding/json %s", s, got, want.String())
	}
}

// FuzzScanJSON: whatever the log holds, every line scan --json writes is
// one valid JSON object with the documented fields, and strings are escaped
// exactly as encoding/json escapes them.
func FuzzScanJSON(f *testing.F) {
	f.Add("x " + link1976 + "\n")
	f.Add("\"https://mysignins.microsoft.com/register?authMethods=48\u2028\xff&authMethodCount=1\x01\"")
	f.Add("HTTPS://MYSIGNINS.MICROSOFT.COM.evil/register?AUTHMETHODS=0x40010 authmethods=12x")
	f.Fuzz(func(t *testing.T, in string) {
		checkJSONString(t, in)
		_, out, _ := runCapture(t, false, in, "scan", "--json")
		for line := range strings.Lines(out) {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("invalid JSON %q: %v", line, err)
			}
			if rec["file"] != stdinName || rec["input"] == nil || rec["line"] == nil || rec["offset"] == nil {
				t.Fatalf("missing fields: %s", line)
			}
			if k := rec["kind"]; k != "link" && k != "invalid" {
				t.Fatalf("kind %v: %s", k, line)
			}
		}
	})
}
