package main

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// benchLog is a proxy-style log of about size bytes: access-log lines with
// random tokens (so that the letters of the anchor occur as in real logs),
// a register link in one line of 2000 in the forms users meet, and the word
// authMethods without a link in one line of 1000. It returns the log and
// the number of links in it.
func benchLog(size int) ([]byte, int) {
	r := rand.New(rand.NewPCG(1, 2))
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	token := func(b *bytes.Buffer, n int) {
		for range n {
			b.WriteByte(alnum[r.IntN(len(alnum))])
		}
	}
	links := []string{
		link1976,
		"HTTPS://MYSIGNINS.MICROSOFT.COM/REGISTER?AUTHMETHODS=48&AUTHMETHODCOUNT=1",
		"mysignins.microsoft.com/register?authMethods=48",
		`<a href="https://mysignins.microsoft.com/register?authMethods=1720&amp;authMethodCount=1">`,
		"https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1&data=05%7C02&reserved=0",
		"https://mysignins.microsoft.com.account-verify.example/register?authMethods=48&authMethodCount=1",
	}
	var b bytes.Buffer
	b.Grow(size + 1024)
	n := 0
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "2025-09-%02dT%02d:%02d:%02dZ 10.%d.%d.%d user%d GET https://", 1+i%28, i%24, i%60, i%59, r.IntN(256), r.IntN(256), r.IntN(256), r.IntN(5000))
		token(&b, 8+r.IntN(8))
		b.WriteString(".example.com/")
		token(&b, 10+r.IntN(30))
		b.WriteString("?q=")
		token(&b, 20+r.IntN(60))
		b.WriteString("&session=")
		token(&b, 32)
		fmt.Fprintf(&b, " %d %d \"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36\" ", 200+r.IntN(4)*100, r.IntN(1<<20))
		switch {
		case r.IntN(2000) == 0:
			b.WriteString(links[r.IntN(len(links))])
			n++
		case r.IntN(1000) == 0:
			b.WriteString("note: the authMethods parameter is not documented")
		default:
			b.WriteString("https://referrer.example.org/")
			token(&b, 16)
		}
		b.WriteString(" HIT\n")
	}
	return b.Bytes(), n
}

var (
	benchOnce  sync.Once
	benchBytes []byte
	benchLinks int
)

// BenchmarkScanCommand measures the whole scan command, flags to output, on
// a 64 MB log in memory: what the CLI adds to urlcodec's Scanner must not
// show. Run with: go test ./cmd/authmethods -run '^$' -bench ScanCommand -benchmem
func BenchmarkScanCommand(b *testing.B) {
	benchOnce.Do(func() { benchBytes, benchLinks = benchLog(64 << 20) })
	for _, bc := range []struct {
		name string
		args []string
	}{{"json", []string{"scan", "--json"}}, {"text", []string{"scan"}}, {"stats", []string{"scan", "--stats"}}} {
		args := bc.args
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(benchBytes)))
			b.ReportAllocs()
			var out countWriter
			for b.Loop() {
				out = 0
				if code := run(args, bytes.NewReader(benchBytes), &out, io.Discard); code != exitOK {
					b.Fatalf("status %d", code)
				}
			}
			if out == 0 {
				b.Fatal("no output")
			}
			b.ReportMetric(float64(benchLinks), "links/op")
		})
	}
}

// countWriter counts the bytes written to it.
type countWriter int

func (w *countWriter) Write(p []byte) (int, error) { *w += countWriter(len(p)); return len(p), nil }

// The benchmark's log holds exactly the links benchLog says.
func TestBenchLogLinks(t *testing.T) {
	log, n := benchLog(4 << 20)
	var out bytes.Buffer
	if code := run([]string{"scan"}, bytes.NewReader(log), &out, io.Discard); code != exitOK {
		t.Fatalf("status %d", code)
	}
	if got := strings.Count(out.String(), "\n"); got != n || n == 0 {
		t.Errorf("%d links found, want %d", got, n)
	}
}

// BenchmarkScanDense measures the cost per link where every line is one
// (issue 13: a log of register links only), in ns/link. Run with:
// go test ./cmd/authmethods -run '^$' -bench ScanDense -benchmem
func BenchmarkScanDense(b *testing.B) {
	links := []string{
		link1976,
		"HTTPS://MYSIGNINS.MICROSOFT.COM/REGISTER?AUTHMETHODS=48&AUTHMETHODCOUNT=1",
		`<a href="https://mysignins.microsoft.com/register?authMethods=1720&amp;authMethodCount=1">`,
		"https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1&data=05%7C02&reserved=0",
		"https://mysignins.microsoft.com.account-verify.example/register?authMethods=48&authMethodCount=1",
	}
	var log bytes.Buffer
	const n = 100000
	for i := range n {
		log.WriteString(links[i%len(links)] + "\n")
	}
	for _, args := range [][]string{{"scan", "--json"}, {"scan"}} {
		b.Run(map[int]string{1: "text", 2: "json"}[len(args)], func(b *testing.B) {
			b.SetBytes(int64(log.Len()))
			b.ReportAllocs()
			var out countWriter
			for b.Loop() {
				out = 0
				if code := run(args, bytes.NewReader(log.Bytes()), &out, io.Discard); code != exitOK {
					b.Fatalf("status %d", code)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/link")
			b.ReportMetric(float64(out)/n, "B/link")
		})
	}
}
