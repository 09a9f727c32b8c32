package bitmask

import "testing"

var sinkMask Mask

func BenchmarkParseDecimal(b *testing.B) {
	b.SetBytes(4)
	for b.Loop() {
		m, err := Parse("1976")
		if err != nil {
			b.Fatal(err)
		}
		sinkMask = m
	}
}

func BenchmarkParseNames(b *testing.B) {
	const s = "password,sms"
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		m, err := Parse(s)
		if err != nil {
			b.Fatal(err)
		}
		sinkMask = m
	}
}

func BenchmarkAppend(b *testing.B) {
	buf := make([]byte, 0, 256)
	m := Mask(1976)
	b.SetBytes(int64(len(m.Append(nil))))
	for b.Loop() {
		buf = m.Append(buf[:0])
	}
}

func BenchmarkAppendSmall(b *testing.B) {
	buf := make([]byte, 0, 256)
	m := Mask(48)
	b.SetBytes(int64(len(m.Append(nil))))
	for b.Loop() {
		buf = m.Append(buf[:0])
	}
}
