package main

import (
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// totalSize is the sum of the sizes of the inputs for the progress line, 0
// when one of them is not a regular file of known size (a pipe).
func totalSize(c *ctx, args []string) int64 {
	var total int64
	for _, a := range args {
		var fi os.FileInfo
		var err error
		if a == "-" {
			f, ok := c.stdin.(*os.File)
			if !ok {
				return 0
			}
			fi, err = f.Stat()
		} else {
			fi, err = os.Stat(a)
		}
		if err != nil {
			continue // reported when it is opened
		}
		if !fi.Mode().IsRegular() {
			return 0
		}
		total += fi.Size()
	}
	return total
}

func isRegular(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode().IsRegular()
}

// countReader counts the bytes read from r for the progress line. Reads
// are large (the Scanner asks for a MiB at a time), so the count costs
// nothing measurable; files scanned in parallel share one count.
type countReader struct {
	r io.Reader
	n *atomic.Int64
}

func (r *countReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.n.Add(int64(n))
	return n, err
}

// progressEvery is how often the progress line is redrawn. Tests change it.
var progressEvery = 250 * time.Millisecond

// progress draws "scan: 120.5 MB / 600.0 MB, 35 links (FILE)" on a terminal
// stderr, from its own goroutine, so that a scan with no hits for a while
// still shows it moves. Everything else written to stderr (or to stdout on
// a terminal) while it runs goes through quiet, which erases the line first.
// A nil *progress does nothing.
type progress struct {
	w     io.Writer
	total int64
	read  atomic.Int64 // bytes read from the inputs that can be counted
	links atomic.Int64
	name  atomic.Pointer[string]

	mu    sync.Mutex
	shown bool
	stop  chan struct{}
	done  chan struct{}
}

func newProgress(w io.Writer, total int64) *progress {
	p := &progress{w: w, total: total, stop: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	return p
}

func (p *progress) loop() {
	defer close(p.done)
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.draw()
		}
	}
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	b.WriteString("\rauthmethods scan: ")
	if n := p.read.Load(); n > 0 {
		b.WriteString(megabytes(n))
		if p.total > 0 {
			b.WriteString(" / " + megabytes(p.total))
		}
		b.WriteString(", ")
	}
	links := p.links.Load()
	b.WriteString(strconv.FormatInt(links, 10))
	if links == 1 {
		b.WriteString(" link")
	} else {
		b.WriteString(" links")
	}
	if name := p.name.Load(); name != nil {
		b.WriteString(" (" + safeText(*name) + ")")
	}
	b.WriteString("\x1b[K")
	io.WriteString(p.w, b.String())
	p.shown = true
}

func megabytes(n int64) string { return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB" }

func (p *progress) file(name string) {
	if p != nil {
		p.name.Store(&name)
	}
}

func (p *progress) hit() {
	if p != nil {
		p.links.Add(1)
	}
}

// quiet runs fn with the progress line erased; the next tick redraws it.
func (p *progress) quiet(fn func()) {
	if p == nil {
		fn()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	fn()
}

func (p *progress) clear() {
	if p.shown {
		io.WriteString(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// end stops the progress line and erases it.
func (p *progress) end() {
	if p == nil {
		return
	}
	close(p.stop)
	<-p.done
	p.mu.Lock()
	p.clear()
	p.mu.Unlock()
}
