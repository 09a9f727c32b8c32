package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/authmethods/authmethods/cmd/authmethods/internal/serve"

	"github.com/rogpeppe/go-internal/testscript"
)

// imageTestdata holds the screenshots urlcodec/ocr renders with the Go
// fonts and commits for CI; the scripts read the same files.
const imageTestdata = "../../urlcodec/ocr/testdata"

// TestImageScript pins decode, explain and scan on screenshots, with the
// real Tesseract. The images are copied into each script's work directory.
// It skips without Tesseract, and fails so under CI=true, where .ci/run
// installs it.
func TestImageScript(t *testing.T) {
	needTesseract(t)
	images, err := filepath.Glob(filepath.Join(imageTestdata, "*_*"))
	if err != nil || len(images) == 0 {
		t.Fatalf("no images in %s: %v", imageTestdata, err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/image-script",
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "")
			env.Setenv("AUTHMETHODS_CATALOG", "")
			env.Setenv("AUTHMETHODS_TESSERACT", "")
			for _, img := range images {
				data, err := os.ReadFile(img)
				if err != nil {
					return err
				}
				if err := os.WriteFile(filepath.Join(env.WorkDir, filepath.Base(img)), data, 0o644); err != nil {
					return err
				}
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"jsonfields": jsonFields,
		},
	})
}

// needTesseract skips a test without Tesseract, and fails it under CI=true,
// where .ci/run installs it.
func needTesseract(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tesseract"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("tesseract not found and CI=true: .ci/run should have installed tesseract-ocr: %v", err)
		}
		t.Skipf("tesseract not found (apt-get install tesseract-ocr to run this test): %v", err)
	}
}

// The page's API reads a screenshot as decode does, with the real
// Tesseract: the link is marked as read from an image, never plainly.
func TestServeScreenshot(t *testing.T) {
	needTesseract(t)
	png, err := os.ReadFile(filepath.Join(imageTestdata, "addressbar_13px-light.png"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(serve.New(serveConfig(nil)))
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/api/decode", "image/png", bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`"authMethods":1976`)) || !bytes.Contains(body, []byte(`"source":"image"`)) {
		t.Errorf("POST /api/decode with a screenshot: %d %s", resp.StatusCode, body)
	}
}
