package ocr

import (
	"os"
	"os/exec"
	"testing"
)

// needTesseract skips a test when Tesseract is missing, and fails it in CI
// (CI=true), where .ci/run installs it: a test that silently skips there
// proves nothing.
func needTesseract(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("tesseract"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("tesseract not found and CI=true: .ci/run should have installed tesseract-ocr: %v", err)
		}
		t.Skipf("tesseract not found (apt-get install tesseract-ocr to run this test): %v", err)
	}
}
