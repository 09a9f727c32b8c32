package main

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// genReader yields size bytes of filler with a register link every `every`
// bytes (and no newline at all when oneLine), without holding them.
type genReader struct {
	left, every, pos int
	oneLine          bool
}

const streamLink = " https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1 "

func (g *genReader) Read(p []byte) (int, error) {
	if g.left == 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && g.left > 0 {
		if g.pos%g.every == 0 && g.left > len(streamLink) && len(p)-n >= len(streamLink) {
			n += copy(p[n:], streamLink)
			g.left -= len(streamLink)
			g.pos += len(streamLink)
			continue
		}
		c := byte('x')
		if !g.oneLine && g.pos%200 == 199 {
			c = '\n'
		}
		p[n] = c
		n++
		g.left--
		g.pos++
	}
	return n, nil
}

// decode and scan read stdin of any size, in long lines or short, in
// bounded memory, and find every link in it.
func TestStdinBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 4 × 96 MiB")
	}
	const size = 96 << 20
	for _, tt := range []struct {
		cmd   string
		limit int64
	}{
		{"decode", 48 << 20},
		{"scan", 32 << 20},
	} {
		for _, oneLine := range []bool{false, true} {
			var out, errb bytes.Buffer
			var code int
			grown := heapGrowth(func() {
				code = run([]string{tt.cmd, "--json"}, &genReader{left: size, every: 1 << 20, oneLine: oneLine}, &out, &errb)
			})
			if code != exitOK {
				t.Fatalf("%s oneLine=%v: status %d\n%s", tt.cmd, oneLine, code, errb.String())
			}
			if got := strings.Count(out.String(), `"authMethods":48,`); got != size>>20 {
				t.Errorf("%s oneLine=%v: %d links, want %d", tt.cmd, oneLine, got, size>>20)
			}
			if grown > tt.limit {
				t.Errorf("%s oneLine=%v: heap grew by %d MiB reading %d MiB", tt.cmd, oneLine, grown>>20, size>>20)
			}
		}
	}
}

// heapGrowth runs f and returns how far the heap in use rose above where it
// stood before, sampled every 5 ms.
func heapGrowth(f func()) int64 {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	})
	f()
	close(stop)
	wg.Wait()
	return int64(peak.Load()) - int64(base.HeapInuse)
}
