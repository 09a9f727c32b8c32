package ocr

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkRead times Read on each committed screenshot, against the bare
// Tesseract call on the same file (tesseract FILE stdout, default settings),
// which is what piping Tesseract into decode costs. Read scales the image
// up and reads some lines twice, so it costs more; what it buys is in
// TestAccuracy.
//
//	go test ./urlcodec/ocr -run '^$' -bench . -benchmem
func BenchmarkRead(b *testing.B) {
	needTesseract(b)
	for _, c := range committed {
		name := committedName(c.scene, c.v)
		path := filepath.Join("testdata", name)
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/read", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Read(context.Background(), data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/bare-tesseract", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				cmd := exec.Command("tesseract", path, "stdout")
				cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDropUnderlines times the erasing of underlines on a phone
// screenshot (1170×1080), which Read does once an image.
//
//	go test ./urlcodec/ocr -run '^$' -bench DropUnderlines -benchmem
func BenchmarkDropUnderlines(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "phone-sms-wrapped_3x-light.png"))
	if err != nil {
		b.Fatal(err)
	}
	img, err := decode(data, DefaultMaxPixels)
	if err != nil {
		b.Fatal(err)
	}
	g := gray(img)
	b.ReportAllocs()
	for b.Loop() {
		dropUnderlines(g)
	}
}
