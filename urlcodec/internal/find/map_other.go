//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package find

import "os"

// Elsewhere files are read, never mapped.
type mapping struct {
	f    *os.File
	size int64
	data []byte
}

func mappable(any) (*os.File, int64, bool) { return nil, 0, false }

func (m *mapping) remap(int64, int) error { panic("find: no mapping on this system") }

func (m *mapping) unmap() {}
