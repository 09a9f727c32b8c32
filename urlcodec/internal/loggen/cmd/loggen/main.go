// Command loggen writes a generated proxy log with planted Entra ID register
// links (see package loggen), for comparing scan with ripgrep on a big file.
// Nothing this big is committed:
//
//	go run ./urlcodec/internal/loggen/cmd/loggen -o /tmp/x.log -size 600e6
//	go run ./urlcodec/internal/loggen/cmd/loggen -o /tmp/dense.log -size 213e6 -link-every 1
//
// With -planted it also writes the planted tokens, one a line: offset, line,
// kind, form, mask and text, separated by tabs.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/authmethods/authmethods/urlcodec/internal/loggen"
)

func main() {
	out := flag.String("o", "", "write the log to this file (required)")
	size := flag.Float64("size", 600e6, "size of the log in bytes (600e6 is fine)")
	seed := flag.Uint64("seed", 1, "seed: equal flags give equal logs")
	linkEvery := flag.Int("link-every", 0, "mean lines per line with a register link (0: the default, 2000; 1: every line)")
	planted := flag.String("planted", "", "also write the planted tokens to this file")
	flag.Parse()
	if *out == "" || *size < 0 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*out, *planted, loggen.Config{Size: int64(*size), Seed: *seed, LinkEvery: *linkEvery}); err != nil {
		fmt.Fprintln(os.Stderr, "loggen:", err)
		os.Exit(1)
	}
}

func run(out, plantedOut string, c loggen.Config) error {
	start := time.Now()
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	planted, err := loggen.Write(f, c)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	links := 0
	for _, p := range planted {
		if p.Kind != loggen.Prose {
			links++
		}
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d bytes, %d planted tokens (%d links) in %v\n", out, c.Size, len(planted), links, time.Since(start).Round(time.Millisecond))
	if plantedOut == "" {
		return nil
	}
	pf, err := os.Create(plantedOut)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(pf)
	for _, p := range planted {
		fmt.Fprintf(w, "%d\t%d\t%s\t%s\t%s\t%s\n", p.Offset, p.Line, p.Kind, p.Form, strconv.FormatUint(p.Mask, 10), p.Text)
	}
	if err := w.Flush(); err != nil {
		pf.Close()
		return err
	}
	return pf.Close()
}
