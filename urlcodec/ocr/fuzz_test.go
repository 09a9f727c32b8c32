package ocr

import (
	"image"
	"strings"
	"testing"
)

// FuzzRepair: repair must not panic on any text, must leave text without
// "register" as it is, and must never grow a line by more than the '?' and
// '&' it puts back.
func FuzzRepair(f *testing.F) {
	for _, s := range []string{
		"https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1",
		"hitps:/imysignins. microsoft,com/register2authMethods=1976GauthMethodCount=1",
		"mysignins.microsoft.com/register?authMethods=19768authMethodCount=1",
		"mysignins.microsoft.com/register?authMethods=19…",
		"— [8 hittps: //mysignins microsoft .com/ register authMethods = l9O6 & authMethodCount=1 …",
		"registerregisterauthmethodauthmethods=1authmethods=2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := repair(s)
		if !strings.Contains(strings.ToLower(s), "register") && r.text != s {
			t.Fatalf("repair(%q) = %q: changed a line without a link", s, r.text)
		}
		if len(r.text) > len(s)+2*strings.Count(strings.ToLower(s), "authmethod") {
			t.Fatalf("repair(%q) = %q: grew too much", s, r.text)
		}
	})
}

// FuzzDecode: an image decoder fed anything must refuse or decode within
// the pixel bound, never panic or allocate for a size it did not check.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(bombPNG(100000, 100000)))
	f.Add([]byte(bombPNG(1, 1)))
	f.Add([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	f.Add([]byte("BM"))
	f.Add([]byte("RIFF\x10\x00\x00\x00WEBPVP8 "))
	// Small images: the fuzzer minimises every new input it finds, which
	// takes long for large ones.
	tiny := image.NewGray(image.Rect(0, 0, 16, 8))
	f.Add(encode(tiny, "png", 0))
	f.Add(encode(tiny, "jpeg", 50))
	const maxPixels = 1 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := decode(data, maxPixels)
		if err != nil {
			return
		}
		if b := img.Bounds(); b.Dx()*b.Dy() > maxPixels {
			t.Fatalf("decoded %v, over %d pixels", b, maxPixels)
		}
	})
}
