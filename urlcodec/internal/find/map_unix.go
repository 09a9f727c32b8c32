//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package find

import (
	"os"
	"syscall"
)

// mapping is the window of a file a Scanner has mapped.
type mapping struct {
	f    *os.File
	size int64  // of the file when the Scanner was made
	data []byte // the current window, nil when none
}

// mappable reports whether r is a regular file the Scanner can map instead
// of read, and its size then. An empty file is read (there is nothing to
// map), and so is a file whose size the system does not report (/proc).
func mappable(r any) (*os.File, int64, bool) {
	f, ok := r.(*os.File)
	if !ok {
		return nil, 0, false
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() <= 0 {
		return nil, 0, false
	}
	return f, fi.Size(), true
}

// remap replaces the window by the n bytes of the file from off, a
// multiple of the page size.
func (m *mapping) remap(off int64, n int) error {
	m.unmap()
	data, err := syscall.Mmap(int(m.f.Fd()), off, n, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return &os.PathError{Op: "mmap", Path: m.f.Name(), Err: err}
	}
	m.data = data
	return nil
}

func (m *mapping) unmap() {
	if m.data != nil {
		syscall.Munmap(m.data)
		m.data = nil
	}
}
