package find

import (
	"bytes"
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
