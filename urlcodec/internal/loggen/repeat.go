package loggen

import "io"

// Repeat returns a reader of size bytes of pattern repeated, then of tail:
// a line of any length without holding it, for tests of bounded memory.
func Repeat(pattern string, size int64, tail io.Reader) io.Reader {
	return &repeatReader{pattern: pattern, size: size, tail: tail}
}

type repeatReader struct {
	pattern string
	size    int64
	tail    io.Reader
	off     int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return r.tail.Read(p)
	}
	n := 0
	for n < len(p) && r.off < r.size {
		k := copy(p[n:min(len(p), n+int(r.size-r.off))], r.pattern[r.off%int64(len(r.pattern)):])
		n += k
		r.off += int64(k)
	}
	return n, nil
}
