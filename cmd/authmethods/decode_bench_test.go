package main

import (
	"bytes"
	"io"
	"testing"
)

// junkLines is about size bytes of short lines that are neither masks nor
// links after first: chat and mail text, with near-misses of method names.
// In text (first is prose), words that name methods are junk too.
func junkLines(first string, words []string, size int) []byte {
	var b bytes.Buffer
	b.WriteString(first)
	for i := 0; b.Len() < size; i++ {
		b.WriteString(words[i%len(words)])
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// BenchmarkDecodeJunk measures decode on stdin full of short lines that
// are neither masks nor links, which must cost a look-up, not a
// did-you-mean (issue 10: at least 50 MB/s). "masks" starts the input with
// a mask, so that every line is tried as one.
// Run with: go test ./cmd/authmethods -run '^$' -bench DecodeJunk -benchmem
func BenchmarkDecodeJunk(b *testing.B) {
	junk := []string{"hello there", "Please call me back", "ok thanks 2", "Push did not come", "smss", "Tap the button", "phone lost", "fido3 key", "123abc"}
	words := append([]string{"Text", "Push", "2", "phone"}, junk...)
	for _, bc := range []struct {
		name, first string
		words       []string
	}{{"prose", "Hi, the wizard asks for this:\n", words}, {"masks", "1976\n", junk}} {
		in := junkLines(bc.first, bc.words, 10<<20)
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				if code := run([]string{"decode"}, bytes.NewReader(in), io.Discard, io.Discard); code != exitOK && code != exitInvalid {
					b.Fatalf("status %d", code)
				}
			}
		})
	}
}
