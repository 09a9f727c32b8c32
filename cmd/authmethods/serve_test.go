package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/authmethods/authmethods/cmd/authmethods/internal/serve"
)

// serveInputs are what a helpdesk pastes, with the exit status explain
// gives each.
var serveInputs = []struct {
	text   string
	status string
}{
	{"Hi, please open https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1 today.", "0"},
	{"https://mysignins.microsoft.com@evil.example/register?authMethods=8288", "3"},
	{"https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1&data=05", "0"},
	{"sms,fido2", "0"},
}

// The API answers exactly what the commands print for the same text.
func TestServeSameAsCommands(t *testing.T) {
	srv := httptest.NewServer(serve.New(serveConfig([]string{"links.contoso.example"})))
	defer srv.Close()
	inputs := []string{"see https://links.contoso.example/register?authMethods=48&authMethodCount=1"}
	for _, in := range serveInputs {
		inputs = append(inputs, in.text)
	}
	for _, cmd := range []string{"decode", "explain"} {
		for _, in := range inputs {
			var want bytes.Buffer
			run([]string{cmd, "--json", "--trust-host", "links.contoso.example"}, strings.NewReader(in), &want, io.Discard)
			resp, err := http.Post(srv.URL+"/api/"+cmd, "text/plain", strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || string(got) != want.String() {
				t.Errorf("%s %q: status %d\n%s\nwant\n%s", cmd, in, resp.StatusCode, got, want.String())
			}
		}
	}
	resp, err := http.Get(srv.URL + "/api/build?method=sms&method=fido2")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var want bytes.Buffer
	run([]string{"build", "--json", "--methods", "sms,fido2"}, nil, &want, io.Discard)
	if string(got) != want.String() {
		t.Errorf("build: %s\nwant %s", got, want.String())
	}
}

// TestServeLoad: 50 clients at once on loopback, 4 requests each, every
// answer exactly what explain prints. Bounded in count and time; the
// latencies are logged, not asserted (speed is for benchmarks).
func TestServeLoad(t *testing.T) {
	srv := httptest.NewServer(serve.New(serveConfig(nil)))
	defer srv.Close()
	want := make([]string, len(serveInputs))
	for i, in := range serveInputs {
		var b bytes.Buffer
		run([]string{"explain", "--json"}, strings.NewReader(in.text), &b, io.Discard)
		want[i] = b.String()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 50}}
	const clients, each = 50, 4
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for r := range each {
				i := (c + r) % len(serveInputs)
				req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/api/explain", strings.NewReader(serveInputs[i].text))
				req.Header.Set("Content-Type", "text/plain")
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				d := time.Since(start)
				switch {
				case err != nil:
					t.Error(err)
				case resp.StatusCode != 200 || string(body) != want[i]:
					t.Errorf("client %d: %q: status %d, body %.200q", c, serveInputs[i].text, resp.StatusCode, body)
				case resp.Header.Get("Authmethods-Status") != serveInputs[i].status:
					t.Errorf("client %d: %q: Authmethods-Status %q, want %s", c, serveInputs[i].text, resp.Header.Get("Authmethods-Status"), serveInputs[i].status)
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(lat) != clients*each {
		t.Fatalf("%d answers, want %d", len(lat), clients*each)
	}
	slices.Sort(lat)
	t.Logf("%d requests from %d clients: p50 %v, p99 %v, max %v", len(lat), clients, lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1])
}

// BenchmarkServeExplain: one explain request over loopback HTTP, from about
// 50 clients at once (RunParallel). ns/op is the inverse of throughput; the
// latency each client sees is reported as p50-ms and p99-ms.
func BenchmarkServeExplain(b *testing.B) {
	srv := httptest.NewServer(serve.New(serveConfig(nil)))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 100}}
	text := serveInputs[0].text
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((50 + procs - 1) / procs)
	var mu sync.Mutex
	var lat []time.Duration
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			start := time.Now()
			resp, err := client.Post(srv.URL+"/api/explain", "text/plain", strings.NewReader(text))
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			mine = append(mine, time.Since(start))
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
			}
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	if len(lat) > 0 {
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2])/1e6, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100])/1e6, "p99-ms")
	}
}

// TestServeCommand runs "authmethods serve" on a free loopback port: it
// prints its URL, answers there, and stops cleanly on SIGINT.
func TestServeCommand(t *testing.T) {
	for _, asJSON := range []bool{false, true} {
		t.Run(fmt.Sprint("json=", asJSON), func(t *testing.T) { testServeCommand(t, asJSON) })
	}
}

func testServeCommand(t *testing.T, asJSON bool) {
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	args := []string{"serve", "--addr", "127.0.0.1:0"}
	if asJSON {
		args = append(args, "--json")
	}
	go func() {
		done <- run(args, nil, pw, &stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no URL printed: %v (stderr %q)", err, stderr.String())
	}
	var url string
	if asJSON {
		var v struct{ URL string }
		err = json.Unmarshal([]byte(line), &v)
		url = v.URL
	} else {
		_, err = fmt.Sscanf(line, "authmethods serve: %s", &url)
	}
	if err != nil || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line %q: want the URL", line)
	}
	go io.Copy(io.Discard, pr)
	resp, err := http.Post(url+"api/explain", "text/plain", strings.NewReader("sms"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
	// On loopback it answers only its own host names (DNS rebinding).
	req, _ := http.NewRequest("GET", url, nil)
	req.Host = "rebind.example"
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("Host rebind.example: %v %v, want 421", resp.Status, err)
	} else {
		resp.Body.Close()
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr on loopback: %q", stderr.String())
	}
	syscall.Kill(syscall.Getpid(), syscall.SIGINT)
	select {
	case status := <-done:
		if status != exitOK {
			t.Errorf("status %d after SIGINT, want 0; stderr %q", status, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop on SIGINT")
	}
}

// Only loopback addresses go without a warning; the test binds none of the
// others.
func TestServeExposed(t *testing.T) {
	for _, tt := range []struct {
		ip   string
		warn bool
	}{
		{"127.0.0.1", false}, {"127.0.0.2", false}, {"::1", false},
		{"0.0.0.0", true}, {"::", true}, {"192.168.1.10", true}, {"fe80::1", true},
	} {
		got := exposed(&net.TCPAddr{IP: net.ParseIP(tt.ip), Port: 8080})
		if (got != "") != tt.warn {
			t.Errorf("%s: warning %q, want one: %v", tt.ip, got, tt.warn)
		}
	}
}

// A browser leaves port 80 out of Host: the page must answer it there.
func TestServeLoopbackHosts(t *testing.T) {
	for _, tt := range []struct {
		ip   string
		port int
		want []string
	}{
		{"127.0.0.1", 8080, []string{"127.0.0.1:8080", "localhost:8080"}},
		{"127.0.0.1", 80, []string{"127.0.0.1:80", "localhost:80", "127.0.0.1", "localhost"}},
		{"::1", 80, []string{"[::1]:80", "localhost:80", "[::1]", "localhost"}},
	} {
		a := &net.TCPAddr{IP: net.ParseIP(tt.ip), Port: tt.port}
		if got := loopbackHosts(a); !slices.Equal(got, tt.want) {
			t.Errorf("%s: hosts %q, want %q", a, got, tt.want)
		}
		h := serve.New(serve.Config{Decode: nopEngine, Explain: nopEngine, Build: nopBuild, Hosts: loopbackHosts(a)})
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = tt.want[len(tt.want)-1]
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Errorf("%s: Host %q answered %d", a, r.Host, w.Code)
		}
	}
}

func nopEngine(context.Context, string) ([]byte, int, error) { return nil, 1, nil }
func nopBuild(context.Context, []string, string) ([]byte, int, error) {
	return nil, 1, nil
}

// Text posted as text/plain is read as text even when its first bytes are
// an image's signature ("BM" is a BMP's): a chat that starts "BMW" gets its
// verdict, and a body crafted as an image in valid UTF-8 is not read with
// OCR outside the server's OCR slots.
func TestServeTextNeverImage(t *testing.T) {
	h := serve.New(serveConfig(nil))
	post := func(body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/api/explain", strings.NewReader(body))
		r.Header.Set("Content-Type", "text/plain; charset=utf-8")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	w := post("BMW fleet: register at https://mysignins.microsoft.com.evil.example/register?authMethods=8&authMethodCount=1")
	if w.Code != 200 || w.Header().Get("Authmethods-Status") != "3" || !strings.Contains(w.Body.String(), `"host":"mysignins.microsoft.com.evil.example"`) {
		t.Errorf("text starting BM: status %d, Authmethods-Status %q: %.300s", w.Code, w.Header().Get("Authmethods-Status"), w.Body)
	}
	// A GIF header in ASCII, then nothing of a link.
	w = post("GIF89a\x10\x00\x10\x00 not a picture")
	if w.Code != 400 || strings.Contains(w.Body.String(), "ocr") || strings.Contains(w.Body.String(), "image") {
		t.Errorf("text starting GIF89a: status %d: %s", w.Code, w.Body)
	}
}

// A saved mail dropped on the page is read as the CLI reads the file: its
// base64 HTML part (whose href is evil) and a windows-1252 body, which is no
// UTF-8 text, are decoded; an image file is still no mail.
func TestServeSavedMail(t *testing.T) {
	h := serve.New(serveConfig(nil))
	post := func(body, ct string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/api/explain", strings.NewReader(body))
		r.Header.Set("Content-Type", ct)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	html := `<p>Gr\xfc\xdfe,</p><a href="https://evil.example/x">https://mysignins.microsoft.com/register?authMethods=48&amp;authMethodCount=1</a>`
	eml := "From: it@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\nGr\xfc\xdfe: https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1\r\n" +
		"--b\r\nContent-Type: text/html; charset=windows-1252\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64.StdEncoding.EncodeToString([]byte(html)) + "\r\n--b--\r\n"
	for _, ct := range []string{"message/rfc822", "application/octet-stream"} {
		w := post(eml, ct)
		if w.Code != 200 || w.Header().Get("Authmethods-Status") != "3" || !strings.Contains(w.Body.String(), `"code":"link-text"`) || !strings.Contains(w.Body.String(), `"part":"2"`) {
			t.Errorf("%s: status %d, Authmethods-Status %q: %.400s", ct, w.Code, w.Header().Get("Authmethods-Status"), w.Body)
		}
	}
	// As text/plain, bytes that are not UTF-8 are still refused.
	if w := post(eml, "text/plain"); w.Code != 400 {
		t.Errorf("text/plain, not UTF-8: status %d: %.300s", w.Code, w.Body)
	}
	if w := post("\x89PNG\r\n\x1a\n https://mysignins.microsoft.com.evil.example/register?authMethods=8", "application/octet-stream"); w.Code != 200 || w.Header().Get("Authmethods-Status") != "3" {
		t.Errorf("a file starting as a PNG: status %d, Authmethods-Status %q: %.300s", w.Code, w.Header().Get("Authmethods-Status"), w.Body)
	}
}

// A paste longer than the 64 KiB peek is all there too: a Markdown link
// whose text runs over lines, after a long thread, opens its href.
func TestServeLongPasteInContext(t *testing.T) {
	h := serve.New(serveConfig(nil))
	in := strings.Repeat("Thanks for getting back to me about the new phone.\n", 2*peekSize/51) +
		"[Please register at\nhttps://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1](https://evil.example/r)\n"
	r := httptest.NewRequest("POST", "/api/explain", strings.NewReader(in))
	r.Header.Set("Content-Type", "text/plain; charset=utf-8")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 || w.Header().Get("Authmethods-Status") != "3" || !strings.Contains(w.Body.String(), `"code":"link-text"`) {
		t.Errorf("status %d, Authmethods-Status %q: %.400s", w.Code, w.Header().Get("Authmethods-Status"), w.Body)
	}
}

// A request cannot make a command write without bound, nor run on once it
// is cancelled: the command stops at its next write.
func TestServeAnswerBound(t *testing.T) {
	var text strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&text, "https://mysignins.microsoft.com/register?authMethods=%d&authMethodCount=1\n", i+1)
	}
	out, _, err := runJSON(context.Background(), explainCmd, []string{"--json", "-"}, text.String(), 64<<10)
	if err != errAnswerTooLong || out != nil {
		t.Errorf("over the bound: %d bytes, error %v; want errAnswerTooLong", len(out), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := runJSON(ctx, explainCmd, []string{"--json", "-"}, text.String(), 64<<20); err != context.Canceled {
		t.Errorf("cancelled: error %v, want context.Canceled", err)
	}
	out, status, err := runJSON(context.Background(), decodeCmd, []string{"--json", "-"}, text.String(), 64<<20)
	if err != nil || status != 0 || strings.Count(string(out), "\n") != 2000 {
		t.Errorf("within the bound: status %d, error %v, %d lines", status, err, strings.Count(string(out), "\n"))
	}
}

// A text whose other link the command refused (an out-of-range mask) is
// not answered with the genuine link alone: the refused one is a record of
// kind "error", after what the command printed.
func TestServeKeepsRefusedInputs(t *testing.T) {
	srv := httptest.NewServer(serve.New(serveConfig(nil)))
	defer srv.Close()
	in := "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1\nhttps://evil.example/register?authMethods=99999999999999999999&authMethodCount=1\n"
	resp, err := http.Post(srv.URL+"/api/explain", "text/plain", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var kinds []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		var rec struct{ Kind, Input, Error string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("%v: %s", err, sc.Bytes())
		}
		kinds = append(kinds, rec.Kind)
		if rec.Kind == "error" && (!strings.Contains(rec.Input, "evil.example") || rec.Error == "") {
			t.Errorf("error record %+v does not name the refused link and why", rec)
		}
	}
	if !slices.Equal(kinds, []string{"link", "error"}) || resp.Header.Get("Authmethods-Status") != "1" {
		t.Errorf("records %v, status %s; want [link error] and 1", kinds, resp.Header.Get("Authmethods-Status"))
	}
}

// An error answer is as bounded as any: a text of thousands of refused
// links gets a hundred lines of why, not megabytes.
func TestServeErrorBound(t *testing.T) {
	srv := httptest.NewServer(serve.New(serveConfig(nil)))
	defer srv.Close()
	in := strings.Repeat("x.y/register?authMethods=a ", 50000)
	resp, err := http.Post(srv.URL+"/api/explain", "text/plain", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || len(body) > 200<<10 || !strings.Contains(string(body), "more lines") {
		t.Errorf("status %d, %d bytes: want 400, a bounded answer that says more lines were left out", resp.StatusCode, len(body))
	}
}
