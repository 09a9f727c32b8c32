package strength

import (
	"bytes"
	"os"
	"testing"

	"github.com/authmethods/authmethods/bitmask"
)

var (
	sinkList []Strength
	sinkFits []Fit
)

// BenchmarkDecodeList decodes a list response shaped like Graph's.
func BenchmarkDecodeList(b *testing.B) {
	in, err := os.ReadFile("testdata/list.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		list, err := Decode(bytes.NewReader(in), "list.json")
		if err != nil {
			b.Fatal(err)
		}
		sinkList = list
	}
}

// BenchmarkDecodeError decodes a response cut short, the error path.
func BenchmarkDecodeError(b *testing.B) {
	in, err := os.ReadFile("testdata/truncated.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(in), "truncated.json"); err == nil {
			b.Fatal("no error")
		}
	}
}

func BenchmarkRelate(b *testing.B) {
	list := BuiltIn()
	b.ReportAllocs()
	for b.Loop() {
		fits, _ := Relate(bitmask.Mask(1976), list)
		sinkFits = fits
	}
}
