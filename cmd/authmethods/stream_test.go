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

// decode reads stdin of any size, in long lines or short, in bounded memory.
func TestStdinBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 2 × 96 MiB")
	}
	const size, limit = 96 << 20, 48 << 20
	for _, oneLine := range []bool{false, true} {
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		var peak atomic.Uint64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
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
		}()
		in := &genReader{left: size, every: 1 << 20, oneLine: oneLine}
		var out, errb bytes.Buffer
		c := &ctx{cmd: decodeCmd, stdin: in, stderr: &errb, json: true}
		c.setOutput(&out)
		if code := c.loadCatalogs(nil); code != 0 {
			t.Fatal(code)
		}
		code := runDecode(c, nil)
		close(stop)
		wg.Wait()
		if code != 0 {
			t.Fatalf("oneLine=%v: status %d\n%s", oneLine, code, errb.String())
		}
		if got := strings.Count(out.String(), `"authMethods":48,`); got != size>>20 {
			t.Errorf("oneLine=%v: %d links, want %d", oneLine, got, size>>20)
		}
		if grown := int64(peak.Load()) - int64(base.HeapInuse); grown > limit {
			t.Errorf("oneLine=%v: heap grew by %d MiB reading %d MiB", oneLine, grown>>20, size>>20)
		}
	}
}
