package find

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/authmethods/authmethods/urlcodec/internal/loggen"
)

// writeFile writes b to a new file and opens it for reading.
func writeFile(t testing.TB, b []byte) *os.File {
	t.Helper()
	name := filepath.Join(t.TempDir(), "in.log")
	if err := os.WriteFile(name, b, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestScannerMapped: a regular file is mapped window by window, and the
// matches are those of the reference, whatever the window size and span
// cap, with anchors and long tokens across window boundaries.
func TestScannerMapped(t *testing.T) {
	if _, _, ok := mappable(writeFile(t, []byte("x"))); !ok {
		t.Skip("files are not mapped on this system")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"authmethods", "AuthMethods=1976", "\n", " ", "\"", link, "hm", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}
	iters := 60
	if testing.Short() {
		iters = 10
	}
	for range iters {
		var b []byte
		n := 1 + rng.IntN(8*pageSize)
		for len(b) < n {
			if rng.IntN(10) == 0 {
				b = append(b, bytes.Repeat([]byte{'z'}, rng.IntN(2*pageSize))...)
				continue
			}
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		m := 1 + rng.IntN(300)
		o := Options{BufferSize: 1 + rng.IntN(3*pageSize), maxExpand: m, mapWindow: rng.IntN(4 * pageSize)}
		var count atomic.Int64
		o.Count = &count
		s := NewScannerOptions(writeFile(t, b), o)
		if !s.Mapped() {
			t.Fatal("a regular file was not mapped")
		}
		got, err := scanAll(t, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := reference(b, m); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("window %d maxExpand %d, %d bytes:\n got %v\nwant %v", s.window, m, len(b), got, want)
		}
		if count.Load() != int64(len(b)) {
			t.Errorf("counted %d bytes of %d", count.Load(), len(b))
		}
	}
}

// TestScannerMappedLog: the default Scanner on a generated log file finds
// what it finds reading the same bytes.
func TestScannerMappedLog(t *testing.T) {
	data, _ := loggen.Generate(loggen.Config{Size: 40 << 20, Seed: 2})
	if testing.Short() {
		data = data[:8<<20]
	}
	f := writeFile(t, data)
	got, err := scanAll(t, NewScanner(f), nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := scanAll(t, NewScanner(bytes.NewReader(data)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("mapped: %d matches, read: %d", len(got), len(want))
	}
}

// TestScannerShrunk: a file truncated while it is scanned (a log rotated
// with copytruncate) ends the scan with ErrShrunk, not a crash, after the
// matches before the cut.
func TestScannerShrunk(t *testing.T) {
	line := []byte("GET https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1 200\n")
	data := bytes.Repeat(line, (8<<20)/len(line))
	f := writeFile(t, data)
	s := NewScannerOptions(f, Options{BufferSize: 1 << 20})
	if !s.Mapped() {
		t.Skip("files are not mapped on this system")
	}
	n := 0
	for s.Scan() {
		if n++; n == 10 {
			// The window being scanned loses its pages too.
			if err := os.Truncate(f.Name(), 4096); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !errors.Is(s.Err(), ErrShrunk) {
		t.Fatalf("err %v after %d matches, want ErrShrunk", s.Err(), n)
	}
	if n < 10 || n >= len(data)/len(line) {
		t.Errorf("%d matches", n)
	}
	if s.Scan() {
		t.Error("Scan after ErrShrunk")
	}
}
