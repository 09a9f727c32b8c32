package serve

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzAPI posts any body with any Content-Type: the handler never panics,
// answers one of its documented statuses, and every error is JSON carrying
// that status.
func FuzzAPI(f *testing.F) {
	f.Add("text/plain", []byte("see 48 and evil"))
	f.Add("text/plain; charset=utf-8", []byte("\xff\xfe"))
	f.Add("image/png", pngOf(f, 8, 8))
	f.Add("image/png", bombPNG(1<<31-1, 1<<31-1))
	f.Add("image/gif", []byte("GIF89a\xff\xff\xff\xff"))
	f.Add("image/jpeg", []byte("\xff\xd8\xff\xc0\x00\x11\x08\xff\xff\xff\xff"))
	f.Add("multipart/form-data; boundary=x", []byte("--x--"))
	cfg := config()
	cfg.MaxBody = 64 << 10
	cfg.Timeout = 100 * time.Millisecond // the fake engine's "slow"
	cfg.OCR = func(ctx context.Context, img []byte) (string, []string, error) {
		return "48", []string{"from OCR"}, nil
	}
	h := New(cfg)
	ok := []int{200, 400, 413, 415, 500, 504}
	f.Fuzz(func(t *testing.T, ctype string, body []byte) {
		for _, target := range []string{"/api/decode", "/api/explain"} {
			a := do(t, h, http.MethodPost, target, ctype, body)
			if !slices.Contains(ok, a.status) {
				t.Fatalf("status %d: %s", a.status, a.body)
			}
			if a.status == 200 {
				for _, l := range strings.Split(strings.TrimSpace(a.body), "\n") {
					if !json.Valid([]byte(l)) {
						t.Fatalf("line %q is not JSON", l)
					}
				}
				continue
			}
			var e errorJSON
			if err := json.Unmarshal([]byte(a.body), &e); err != nil || e.Status != a.status || e.Error == "" {
				t.Fatalf("status %d, error body %q", a.status, a.body)
			}
		}
	})
}
