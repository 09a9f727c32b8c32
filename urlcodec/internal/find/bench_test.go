package find

import (
	"bytes"
	"io"
	"sync"
	"testing"

	"github.com/authmethods/authmethods/urlcodec/internal/loggen"
)

var (
	benchOnce sync.Once
	benchData []byte
)

// benchLog returns a generated 32 MiB proxy log (made once per process).
func benchLog() []byte {
	benchOnce.Do(func() {
		benchData, _ = loggen.Generate(loggen.Config{Size: 32 << 20, Seed: 1})
	})
	return benchData
}

// BenchmarkIndex finds every anchor of the log. Run with:
//
//	go test ./urlcodec/internal/find -run '^$' -bench . -count 10
func BenchmarkIndex(b *testing.B) {
	data := benchLog()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		for i := 0; i < len(data); {
			j := Index(data[i:])
			if j < 0 {
				break
			}
			i += j + 1
		}
	}
}

// BenchmarkCountLines is the cost of counting every line once.
func BenchmarkCountLines(b *testing.B) {
	data := benchLog()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		countLines(data)
	}
}

// BenchmarkScanner is the streaming Scanner over an in-memory reader, with
// line numbers.
func BenchmarkScanner(b *testing.B) {
	data := benchLog()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s := NewScanner(bytes.NewReader(data))
		for s.Scan() {
		}
		if s.Err() != nil {
			b.Fatal(s.Err())
		}
	}
}

// BenchmarkScannerFile is the Scanner on a 256 MiB log file (page cache
// warm), mapped in windows of several sizes, and read:
//
//	go test ./urlcodec/internal/find -run '^$' -bench ScannerFile -benchmem
func BenchmarkScannerFile(b *testing.B) {
	data := benchLog()
	f := writeFile(b, bytes.Repeat(data, 8))
	size := int64(len(data)) * 8
	for _, c := range []struct {
		name string
		r    io.Reader
		o    Options
	}{
		{"mapped-4MiB", f, Options{mapWindow: 4 << 20}},
		{"mapped-16MiB", f, Options{}},
		{"mapped-64MiB", f, Options{mapWindow: 64 << 20}},
		{"read", struct{ io.Reader }{f}, Options{}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.Seek(0, io.SeekStart); err != nil {
					b.Fatal(err)
				}
				s := NewScannerOptions(c.r, c.o)
				for s.Scan() {
				}
				if s.Err() != nil {
					b.Fatal(s.Err())
				}
			}
		})
	}
}
