package serve

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Records the fake engines answer, shaped as decode --json writes them.
const (
	genuineLine = `{"input":"48","kind":"mask","authMethods":48,"methods":["sms","fido2"],"warnings":[]}` + "\n"
	phishLine   = `{"input":"x","kind":"link","host":"evil.example","trusted":false,"warnings":["no authMethodCount"]}` + "\n"
)

// fakeEngine answers like the CLI: a line per input line holding "48" or
// "evil", status 3 for evil, an error when nothing is found, status 4 for
// "panic".
func fakeEngine(ctx context.Context, text string) ([]byte, int, error) {
	var out bytes.Buffer
	status := 0
	for _, l := range strings.Split(text, "\n") {
		switch {
		case strings.Contains(l, "panic"):
			return nil, 4, nil
		case strings.Contains(l, "evil"):
			out.WriteString(phishLine)
			status = 3
		case strings.Contains(l, "48"):
			out.WriteString(genuineLine)
		case strings.Contains(l, "slow"):
			<-ctx.Done()
			return nil, 0, ctx.Err()
		}
	}
	if out.Len() == 0 {
		return nil, 1, errors.New("no mask or register link found")
	}
	return out.Bytes(), status, nil
}

func fakeBuild(ctx context.Context, methods []string, strength string) ([]byte, int, error) {
	if strength == "nope" {
		return nil, 1, errors.New(`--strength: authentication strength "nope": no such authentication strength`)
	}
	return []byte(`{"link":"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1","methods":["` + strings.Join(methods, `","`) + `"]}` + "\n"), 0, nil
}

func config() Config {
	return Config{Decode: fakeEngine, Explain: fakeEngine, Build: fakeBuild}
}

// pngOf encodes a blank image of w×h pixels.
func pngOf(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bombPNG is a valid PNG header claiming w×h pixels of 8-bit RGBA, with a
// little compressed data: decoding it would allocate w×h×4 bytes.
func bombPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		c := crc32.NewIEEE()
		c.Write([]byte(typ))
		c.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, c.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // bit depth 8, colour type RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

type answer struct {
	status int
	header http.Header
	body   string
}

func do(t testing.TB, h http.Handler, method, target, ctype string, body []byte) answer {
	t.Helper()
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return answer{w.Code, w.Header(), w.Body.String()}
}

// errorOf decodes an error answer, failing when it is not JSON with the
// status of the answer.
func errorOf(t *testing.T, a answer) string {
	t.Helper()
	var e errorJSON
	if err := json.Unmarshal([]byte(a.body), &e); err != nil {
		t.Fatalf("error body %q is not JSON: %v", a.body, err)
	}
	if e.Status != a.status || !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
		t.Errorf("error body %q, Content-Type %q: want JSON with status %d", a.body, a.header.Get("Content-Type"), a.status)
	}
	return e.Error
}

func TestAPIStatus(t *testing.T) {
	withOCR := config()
	withOCR.OCR = func(ctx context.Context, img []byte) (string, []string, error) { return "48", nil, nil }
	withOCR.MaxBody = 1 << 20
	noOCR := config()
	genuineLink := "https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1"

	tests := []struct {
		name           string
		cfg            Config
		method, target string
		ctype          string
		body           []byte
		status         int
		want           string // in the body (the error message for errors)
	}{
		{"decode text", noOCR, "POST", "/api/decode", "text/plain", []byte("see 48"), 200, genuineLine},
		{"explain with charset", noOCR, "POST", "/api/explain", "text/plain; charset=utf-8", []byte("evil\n48"), 200, phishLine + genuineLine},
		{"nothing found", noOCR, "POST", "/api/decode", "text/plain", []byte("hello"), 400, "no mask or register link found"},
		{"empty", noOCR, "POST", "/api/decode", "text/plain", []byte(" \n"), 400, "nothing to read"},
		{"not UTF-8", noOCR, "POST", "/api/decode", "text/plain", []byte("48 \xff"), 400, "not UTF-8"},
		{"engine bug", noOCR, "POST", "/api/decode", "text/plain", []byte("panic"), 500, "internal error"},
		{"no type", noOCR, "POST", "/api/decode", "", []byte("48"), 415, "no Content-Type"},
		{"JSON type", noOCR, "POST", "/api/decode", "application/json", []byte(`"48"`), 415, `"application/json"`},
		{"bad type", noOCR, "POST", "/api/decode", "text/plain; ;;", []byte("48"), 415, "Content-Type"},
		{"webp", withOCR, "POST", "/api/decode", "image/webp", []byte("RIFF"), 415, "image/png"},
		{"image without OCR", noOCR, "POST", "/api/decode", "image/png", pngOf(t, 10, 10), 503, "OCR unavailable"},
		{"image", withOCR, "POST", "/api/decode", "image/png", pngOf(t, 64, 32), 200, genuineLine},
		{"not an image", withOCR, "POST", "/api/explain", "image/jpeg", []byte("hello"), 400, "not a PNG, JPEG or GIF image"},
		{"bomb", withOCR, "POST", "/api/decode", "image/png", bombPNG(30000, 30000), 413, "30000×30000 pixels"},
		{"too wide", withOCR, "POST", "/api/decode", "image/png", bombPNG(20000, 1), 413, "20000×1 pixels"},
		{"too big", withOCR, "POST", "/api/decode", "text/plain", bytes.Repeat([]byte("48\n"), 1<<20), 413, "over the limit of 1 MiB"},
		{"GET decode", noOCR, "GET", "/api/decode", "", nil, 405, "use POST"},
		{"no such API", noOCR, "GET", "/api/nope", "", nil, 404, "no such API"},
		{"build", noOCR, "GET", "/api/build?method=sms&method=fido2", "", nil, 200, `"methods":["sms","fido2"]`},
		{"build nothing", noOCR, "GET", "/api/build", "", nil, 400, "no methods"},
		{"build bad strength", noOCR, "GET", "/api/build?strength=nope", "", nil, 400, "no such authentication strength"},
		{"build too long", noOCR, "GET", "/api/build?method=" + strings.Repeat("s", 65), "", nil, 400, "too long"},
		{"POST build", noOCR, "POST", "/api/build", "text/plain", nil, 405, "use GET"},
		{"qr", noOCR, "GET", "/api/qr?link=" + genuineLink, "", nil, 200, "\x89PNG"},
		{"qr of phishing", noOCR, "GET", "/api/qr?link=https%3A%2F%2Fmysignins.microsoft.com.evil.example%2Fregister%3FauthMethods%3D48%26authMethodCount%3D1", "", nil, 400, "only for a register link"},
		{"qr not canonical", noOCR, "GET", "/api/qr?link=mysignins.microsoft.com%2Fregister%3FauthMethods%3D48", "", nil, 400, "only for a register link"},
		{"qr of text", noOCR, "GET", "/api/qr?link=hello", "", nil, 400, "only for a register link"},
		{"page", noOCR, "GET", "/", "", nil, 200, "<textarea id=\"input\""},
		{"script", noOCR, "GET", "/assets/app.js", "", nil, 200, "use strict"},
		{"style", noOCR, "GET", "/assets/app.css", "", nil, 200, ".verdict"},
		{"template not served", noOCR, "GET", "/assets/index.html", "", nil, 404, ""},
		{"no listing", noOCR, "GET", "/assets/", "", nil, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, New(tt.cfg), tt.method, tt.target, tt.ctype, tt.body)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d; body %.300q", a.status, tt.status, a.body)
			}
			got := a.body
			if a.status >= 400 && strings.HasPrefix(tt.target, "/api/") {
				got = errorOf(t, a)
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("body %.300q, want it to hold %q", got, tt.want)
			}
		})
	}
}

// The API answers exactly the engine's lines, with its exit status.
func TestAPIExact(t *testing.T) {
	a := do(t, New(config()), "POST", "/api/explain", "text/plain", []byte("evil\n48\nevil"))
	if want := phishLine + genuineLine + phishLine; a.body != want {
		t.Errorf("body %q, want %q", a.body, want)
	}
	if got := a.header.Get("Authmethods-Status"); got != "3" {
		t.Errorf("Authmethods-Status %q, want 3", got)
	}
	if got := a.header.Get("Content-Type"); got != "application/jsonl; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
}

func TestHeaders(t *testing.T) {
	h := New(config())
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "no-referrer",
		"X-Frame-Options":        "DENY",
		"Cache-Control":          "no-store",
	}
	for _, target := range []string{"/", "/assets/app.js", "/api/decode", "/api/nope", "/nope"} {
		a := do(t, h, "POST", target, "text/plain", []byte("48"))
		if target == "/" || strings.HasPrefix(target, "/assets/") {
			a = do(t, h, "GET", target, "", nil)
		}
		for k, v := range want {
			if got := a.header.Get(k); got != v {
				t.Errorf("%s: %s %q, want %q", target, k, got, v)
			}
		}
		csp := a.header.Get("Content-Security-Policy")
		for _, must := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, must) {
				t.Errorf("%s: CSP %q lacks %q", target, csp, must)
			}
		}
		if strings.Contains(csp, "unsafe") {
			t.Errorf("%s: CSP %q allows unsafe code", target, csp)
		}
		if c := a.header.Values("Set-Cookie"); len(c) > 0 {
			t.Errorf("%s: sets cookies %q", target, c)
		}
	}
}

// The page holds no inline script or style, which its CSP would block.
func TestPageNoInline(t *testing.T) {
	page := do(t, New(config()), "GET", "/", "", nil).body
	// Nothing comes from elsewhere: the page works offline.
	for _, bad := range []string{"<script>", "<style", " style=", " onclick=", " onload=", "javascript:", `src="http`, `href="http`, `src="//`, `href="//`} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}
	for _, asset := range []string{"/assets/app.js", "/assets/app.css"} {
		if body := do(t, New(config()), "GET", asset, "", nil).body; strings.Contains(body, "http:") || strings.Contains(body, "https:") || strings.Contains(body, "//cdn") {
			t.Errorf("%s names another server", asset)
		}
	}
	// The admin tab's checkboxes come from the method table: every method
	// but Graph's sentinel.
	for _, name := range []string{"sms", "fido2", "temporaryAccessPassOneTime", "qrCodePin"} {
		if !strings.Contains(page, `value="`+name+`"`) {
			t.Errorf("the page has no checkbox for %s", name)
		}
	}
	if strings.Contains(page, `value="unknownFutureValue"`) {
		t.Error("the page offers Graph's sentinel as a method")
	}
	if !strings.Contains(page, "00000000-0000-0000-0000-000000000004") {
		t.Error("the page does not offer the built-in strengths")
	}
}

// A decompression bomb is refused from its header: the handler allocates
// about what was posted, never the gigabytes its pixels would take, and OCR
// never sees it.
func TestBombRefusedFromHeader(t *testing.T) {
	var called atomic.Bool
	cfg := config()
	cfg.OCR = func(ctx context.Context, img []byte) (string, []string, error) {
		called.Store(true)
		return "48", nil, nil
	}
	h := New(cfg)
	bomb := bombPNG(16000, 16000) // 1 GiB as RGBA
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	a := do(t, h, "POST", "/api/decode", "image/png", bomb)
	runtime.ReadMemStats(&after)
	if a.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413: %s", a.status, a.body)
	}
	if called.Load() {
		t.Error("OCR was called on a bomb")
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 8<<20 {
		t.Errorf("refusing a bomb allocated %d bytes", n)
	}
}

// OCR warnings are added to every record read from an image, the other
// fields unchanged and in order.
func TestOCRWarnings(t *testing.T) {
	cfg := config()
	cfg.OCR = func(ctx context.Context, img []byte) (string, []string, error) {
		return "48\nevil", []string{"read from an image: check the host's letters"}, nil
	}
	a := do(t, New(cfg), "POST", "/api/decode", "image/png", pngOf(t, 20, 20))
	want := strings.Replace(genuineLine, `"warnings":[]`, `"warnings":["read from an image: check the host's letters"]`, 1) +
		strings.Replace(phishLine, `"warnings":["no authMethodCount"]`, `"warnings":["no authMethodCount","read from an image: check the host's letters"]`, 1)
	if a.body != want {
		t.Errorf("body\n%s\nwant\n%s", a.body, want)
	}
}

func TestAddWarnings(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a":1,"warnings":[],"b":"<&>"}`, `{"a":1,"warnings":["w <x>"],"b":"<&>"}`},
		{`{"a":{"warnings":["inner"]},"warnings":["x"]}`, `{"a":{"warnings":["inner"]},"warnings":["x","w <x>"]}`},
		{`{"a":1}`, `{"a":1,"warnings":["w <x>"]}`},
		{`{"warnings": null}`, `{"warnings": ["w <x>"]}`},
	}
	for _, tt := range tests {
		got, err := addWarnings([]byte(tt.in+"\n"), []string{"w <x>"})
		if err != nil || string(got) != tt.want+"\n" {
			t.Errorf("addWarnings(%s) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	if _, err := addWarnings([]byte("[1]\n"), []string{"w"}); err == nil {
		t.Error("addWarnings of a non-object: no error")
	}
}

func TestTimeout(t *testing.T) {
	cfg := config()
	cfg.Timeout = 50 * time.Millisecond
	a := do(t, New(cfg), "POST", "/api/decode", "text/plain", []byte("slow"))
	if a.status != http.StatusGatewayTimeout {
		t.Fatalf("status %d, want 504: %s", a.status, a.body)
	}
	errorOf(t, a)
}

// At most OCRSlots images are read at once; the others wait their turn,
// and one that waits longer than the timeout is told the server is busy.
func TestOCRBound(t *testing.T) {
	var running, most atomic.Int32
	release := make(chan struct{})
	cfg := config()
	cfg.OCRSlots = 2
	cfg.OCR = func(ctx context.Context, img []byte) (string, []string, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		<-release
		return "48", nil, nil
	}
	srv := httptest.NewServer(New(cfg))
	defer srv.Close()
	img := pngOf(t, 40, 20)
	const clients = 12
	codes := make(chan int, clients)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			resp, err := http.Post(srv.URL+"/api/decode", "image/png", bytes.NewReader(img))
			if err != nil {
				t.Error(err)
				codes <- 0
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 && string(b) != genuineLine {
				t.Errorf("body %q", b)
			}
			codes <- resp.StatusCode
		})
	}
	// Let the clients queue, then let OCR finish.
	for running.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 200 {
			t.Errorf("status %d, want 200", c)
		}
	}
	if m := most.Load(); m != 2 {
		t.Errorf("%d OCR runs at once, want 2", m)
	}

	// A full house and a short timeout: busy.
	cfg.OCRSlots = 1
	cfg.Timeout = 30 * time.Millisecond
	block := make(chan struct{})
	cfg.OCR = func(ctx context.Context, img []byte) (string, []string, error) {
		<-block
		return "48", nil, nil
	}
	h := New(cfg)
	done := make(chan answer)
	go func() { done <- do(t, h, "POST", "/api/decode", "image/png", img) }()
	time.Sleep(10 * time.Millisecond)
	a := do(t, h, "POST", "/api/decode", "image/png", img)
	close(block)
	<-done
	if a.status != http.StatusServiceUnavailable && a.status != http.StatusGatewayTimeout {
		t.Errorf("status %d, want 503 (busy) or 504", a.status)
	}
}

// BenchmarkBombRefusal: the time to refuse a PNG claiming 1 GiB of pixels.
func BenchmarkBombRefusal(b *testing.B) {
	cfg := config()
	cfg.OCR = func(ctx context.Context, img []byte) (string, []string, error) { return "48", nil, nil }
	h := New(cfg)
	bomb := bombPNG(16000, 16000)
	b.ReportAllocs()
	for b.Loop() {
		if a := do(b, h, "POST", "/api/decode", "image/png", bomb); a.status != 413 {
			b.Fatal(a.status)
		}
	}
}

// A server on loopback answers only its own host names, and no API call
// from another site's page.
func TestHostAndOrigin(t *testing.T) {
	cfg := config()
	cfg.Hosts = []string{"127.0.0.1:8080", "localhost:8080"}
	h := New(cfg)
	tests := []struct {
		host, origin string
		status       int
	}{
		{"127.0.0.1:8080", "", 200},
		{"LOCALHOST:8080", "http://localhost:8080", 200},
		{"attacker.example:8080", "", 421},
		{"127.0.0.1:8080", "http://attacker.example", 403},
		{"127.0.0.1:8080", "null", 403},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("POST", "/api/decode", strings.NewReader("48"))
		r.Host = tt.host
		r.Header.Set("Content-Type", "text/plain")
		if tt.origin != "" {
			r.Header.Set("Origin", tt.origin)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tt.status {
			t.Errorf("Host %q Origin %q: status %d, want %d: %s", tt.host, tt.origin, w.Code, tt.status, w.Body)
		}
	}
}

// With EngineReadsImages, an image goes to the engine as it is, after the
// size checks, and OCR is not needed.
func TestEngineReadsImages(t *testing.T) {
	var got []byte
	var image bool
	cfg := config()
	cfg.EngineReadsImages = true
	cfg.Decode = func(ctx context.Context, text string) ([]byte, int, error) {
		got, image = []byte(text), IsImage(ctx)
		return []byte(genuineLine), 0, nil
	}
	h := New(cfg)
	img := pngOf(t, 30, 10)
	if a := do(t, h, "POST", "/api/decode", "image/png", img); a.status != 200 || a.body != genuineLine {
		t.Errorf("status %d, body %q", a.status, a.body)
	}
	if !bytes.Equal(got, img) || !image {
		t.Errorf("the engine did not get the image's bytes as an image (IsImage %v)", image)
	}
	// Text is text, whatever its first bytes: the engine is told so.
	if a := do(t, h, "POST", "/api/decode", "text/plain", []byte("BMW fleet: https://mysignins.microsoft.com/register?authMethods=8")); a.status != 200 || image {
		t.Errorf("text starting BM: status %d, IsImage %v", a.status, image)
	}
	got = nil
	if a := do(t, h, "POST", "/api/decode", "image/png", bombPNG(30000, 30000)); a.status != 413 || got != nil {
		t.Errorf("bomb: status %d, engine called: %v", a.status, got != nil)
	}
}
