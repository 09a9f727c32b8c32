package ocr_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/authmethods/authmethods/urlcodec/ocr"
)

// Read a screenshot: each link comes with the repairs made and the warning
// to compare its host with the image; a cut-off address is an error.
// (Not run as a test: it needs the Tesseract program.)
func ExampleReader_Read() {
	data, err := os.ReadFile("testdata/addressbar_13px-light.png")
	if err != nil {
		log.Fatal(err)
	}
	r := &ocr.Reader{Tesseract: os.Getenv("AUTHMETHODS_TESSERACT"), Timeout: 20 * time.Second}
	hits, err := r.Read(context.Background(), data)
	if errors.Is(err, ocr.ErrNoTesseract) {
		log.Fatal(err) // says how to install it
	}
	if err != nil {
		log.Fatal(err)
	}
	for _, h := range hits {
		if h.Err != nil {
			fmt.Println("unusable:", h.Err) // ErrCutOff, ErrAmbiguous, …
			continue
		}
		fmt.Println(h.Link.Mask, h.Link.Host, h.Link.Verdict.Trusted, h.Box)
		for _, w := range h.Warnings {
			fmt.Println("  warning:", w)
		}
	}
}
