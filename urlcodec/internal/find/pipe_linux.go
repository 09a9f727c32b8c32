package find

import (
	"io"
	"os"
	"syscall"
)

// Linux fcntl commands (fcntl(2)); the syscall package does not name them.
const (
	fSetPipeSize = 1031 // F_SETPIPE_SZ
	fGetPipeSize = 1032 // F_GETPIPE_SZ
)

// growPipe asks the kernel for a pipe buffer of size bytes when r is a pipe
// (as stdin is in "cat log | authmethods scan"). With the default 64 KiB
// buffer every read returns at most 64 KiB and the reader and the writer
// wake each other up for each piece; measured on a 600 MB log this saved
// about a fifth of the time. The buffer is only grown, and failure (a limit
// in /proc/sys/fs/pipe-max-size, another kind of file) is ignored: it is an
// optimization. SyscallConn is used rather than Fd, which would switch a
// non-blocking file to blocking mode.
func growPipe(r io.Reader, size int) {
	f, ok := r.(*os.File)
	if !ok {
		return
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		return
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	rc.Control(func(fd uintptr) {
		cur, _, errno := syscall.Syscall(syscall.SYS_FCNTL, fd, fGetPipeSize, 0)
		if errno == 0 && int(cur) < size {
			syscall.Syscall(syscall.SYS_FCNTL, fd, fSetPipeSize, uintptr(size))
		}
	})
}
