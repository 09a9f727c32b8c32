package find

// pairIndex is pairIndexGeneric in assembly (pair_amd64.s).
//
//go:noescape
func pairIndex(b []byte) (i int, ok bool)
