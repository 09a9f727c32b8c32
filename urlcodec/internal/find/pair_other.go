//go:build !amd64

package find

func pairIndex(b []byte) (i int, ok bool) { return pairIndexGeneric(b) }
