package serve_test

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"

	"github.com/authmethods/authmethods/cmd/authmethods/internal/serve"
)

// A Handler answers what its engine prints; here a stand-in for "decode
// --json". Without OCR, a screenshot is answered 503 with how to get it.
func ExampleNew() {
	decode := func(ctx context.Context, text string) ([]byte, int, error) {
		return []byte(`{"input":"48","kind":"mask","authMethods":48}` + "\n"), 0, nil
	}
	h := serve.New(serve.Config{
		Decode:  decode,
		Explain: decode,
		Build: func(ctx context.Context, methods []string, strength string) ([]byte, int, error) {
			return nil, 0, nil
		},
	})
	srv := httptest.NewServer(h)
	defer srv.Close()

	for _, ctype := range []string{"text/plain", "image/png"} {
		resp, err := srv.Client().Post(srv.URL+"/api/decode", ctype, strings.NewReader("48"))
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%d %.60s\n", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	// Output:
	// 200 {"input":"48","kind":"mask","authMethods":48}
	// 503 {"error":"OCR unavailable: reading screenshots needs the Tes
}
