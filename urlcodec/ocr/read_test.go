package ocr

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"image"
	"image/color/palette"
	"image/draw"
	"image/gif"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the committed images in testdata from the scenes")

// committed is the small set of rendered screenshots kept in testdata, so
// that CI reads the same bytes every time: one variant of each scene, as
// PNG, JPEG and GIF.
var committed = []struct {
	scene string
	v     variant
}{
	{"addressbar", variant{13, false, "png", 0}},
	{"addressbar", variant{13, true, "png", 0}},
	{"addressbar-scheme", variant{12, true, "jpeg", 70}},
	{"chat", variant{14, false, "jpeg", 70}},
	{"chat-wrapped", variant{13, true, "png", 0}},
	{"mail", variant{14, true, "png", 0}},
	{"terminal", variant{13, true, "gif", 0}},
	{"ticket", variant{13, false, "png", 0}},
	{"phone-cutoff", variant{16, false, "png", 0}},
	{"lookalike", variant{13, false, "png", 0}},
	{"lookalike-rn", variant{13, false, "png", 0}},
}

func committedName(scene string, v variant) string {
	ext := map[string]string{"png": ".png", "jpeg": ".jpg", "gif": ".gif"}[v.format]
	return scene + "_" + strings.TrimSuffix(v.String(), "-"+v.format+map[bool]string{true: "70"}[v.format == "jpeg"]) + ext
}

func sceneByName(name string) scene {
	for _, s := range scenes {
		if s.name == name {
			return s
		}
	}
	panic("no scene " + name)
}

// TestTestdata rewrites the committed images with -update.
func TestTestdata(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite testdata from the scenes")
	}
	for _, c := range committed {
		img := sceneByName(c.scene).draw(c.v.px, c.v.dark)
		var data []byte
		if c.v.format == "gif" {
			var b strings.Builder
			if err := gif.Encode(&b, img, nil); err != nil {
				t.Fatal(err)
			}
			data = []byte(b.String())
		} else {
			data = encode(img, c.v.format, c.v.quality)
		}
		if err := os.WriteFile(filepath.Join("testdata", committedName(c.scene, c.v)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRead reads the committed screenshots with the real Tesseract: each
// must give exactly its scene's links, every link with the warning to check
// its host against the image, the lookalike never trusted and the cut-off
// address never as a number.
func TestRead(t *testing.T) {
	needTesseract(t)
	for _, c := range committed {
		name := committedName(c.scene, c.v)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			hits, err := Read(context.Background(), data)
			if err != nil {
				t.Fatal(err)
			}
			if err := check(hits, sceneByName(c.scene).want); err != nil {
				t.Error(err)
			}
			for _, h := range hits {
				if h.Box.Empty() || !h.Box.In(image.Rect(0, 0, 4096, 4096)) {
					t.Errorf("box %v is not a place in the image", h.Box)
				}
			}
		})
	}
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		data, want string
	}{
		{"\x89PNG\r\n\x1a\n....", "png"},
		{"\xff\xd8\xff\xe0", "jpeg"},
		{"GIF89a...", "gif"},
		{"GIF87a...", "gif"},
		{"BM\x36\x00\x0c\x00\x00\x00\x00\x00", "bmp"},
		{"BMW fleet: please register at https://…", ""},
		{"BM......", ""},
		{"RIFF\x10\x00\x00\x00WEBPVP8 ", "webp"},
		{"RIFF\x10\x00\x00\x00WAVEfmt ", ""},
		{"https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", ""},
		{"1976", ""},
		{"", ""},
		{"\x89PN", ""},
	} {
		if got := Sniff([]byte(tc.data)); got != tc.want {
			t.Errorf("Sniff(%q) = %q, want %q", tc.data, got, tc.want)
		}
	}
}

// bombPNG is the start of a PNG whose header claims w x h pixels: 100000
// squared is 40 GB as RGBA, in 33 bytes.
func bombPNG(w, h uint32) string { return bombPNGDepth(w, h, 8) }

// bombPNGDepth is bombPNG with depth bits a channel (8 or 16), RGB.
func bombPNGDepth(w, h uint32, depth byte) string {
	ihdr := binary.BigEndian.AppendUint32([]byte("IHDR"), w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, depth, 2, 0, 0, 0) // RGB
	b := binary.BigEndian.AppendUint32([]byte("\x89PNG\r\n\x1a\n"), uint32(len(ihdr)-4))
	b = append(b, ihdr...)
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
	return string(b)
}

func TestReadRefuses(t *testing.T) {
	small, err := os.ReadFile(filepath.Join("testdata", committedName(committed[0].scene, committed[0].v)))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		r    Reader
		data string
		want error
	}{
		{"text", Reader{}, "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", ErrFormat},
		{"bomb", Reader{}, bombPNG(100000, 100000), ErrTooLarge},
		{"long side", Reader{}, bombPNG(100000, 10), ErrTooLarge},
		// 16 bits a channel is twice the memory a pixel: 6300×6300 is
		// under 40M pixels but refused, as 16-bit, before decoding.
		{"16-bit bomb", Reader{}, bombPNGDepth(6300, 6300, 16), ErrTooLarge},
		{"over MaxPixels", Reader{MaxPixels: 1000}, string(small), ErrTooLarge},
		{"truncated", Reader{}, string(small[:len(small)/2]), nil},
		{"no tesseract", Reader{Tesseract: filepath.Join(t.TempDir(), "tesseract")}, string(small), ErrNoTesseract},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			hits, err := tc.r.Read(context.Background(), []byte(tc.data))
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Read = %d hits, %v; want error %v", len(hits), err, tc.want)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v to refuse", d)
			}
			if !strings.HasPrefix(err.Error(), "ocr: read: ") {
				t.Errorf("error %q does not name the operation", err)
			}
		})
	}
}

// TestNoTesseractMessage pins that a user without Tesseract is told how to
// install it on each system.
func TestNoTesseractMessage(t *testing.T) {
	for _, s := range []string{"apt-get install tesseract-ocr", "brew install tesseract", "Windows"} {
		if !strings.Contains(ErrNoTesseract.Error(), s) {
			t.Errorf("ErrNoTesseract does not say %q: %s", s, ErrNoTesseract)
		}
	}
}

// TestTesseractFails runs stand-ins for Tesseract: one that fails, whose
// message must reach the user, and one that hangs, which the timeout must
// stop.
func TestTesseractFails(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("stand-ins are shell scripts")
	}
	small, err := os.ReadFile(filepath.Join("testdata", committedName(committed[0].scene, committed[0].v)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fails := script("fails", "echo 'Error opening data file eng.traineddata' >&2; exit 1")
	hangs := script("hangs", "exec sleep 30")

	_, err = (&Reader{Tesseract: fails}).Read(context.Background(), small)
	if err == nil || !strings.Contains(err.Error(), "eng.traineddata") {
		t.Errorf("failing Tesseract: error %v does not pass on its message", err)
	}
	start := time.Now()
	_, err = (&Reader{Tesseract: hangs, Timeout: 200 * time.Millisecond}).Read(context.Background(), small)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hanging Tesseract: error %v, want a deadline", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("hanging Tesseract stopped after %v", d)
	}
}

// TestGray pins that the fast paths of gray agree with the generic one.
func TestGray(t *testing.T) {
	src := sceneByName("chat").draw(12, false).(*image.RGBA)
	want := gray(struct{ image.Image }{src}) // hides the type: the generic path
	nrgba := image.NewNRGBA(src.Rect)
	draw.Draw(nrgba, nrgba.Rect, src, image.Point{}, draw.Src)
	pal := image.NewPaletted(src.Rect, palette.Plan9)
	draw.Draw(pal, pal.Rect, src, image.Point{}, draw.Src)
	for name, img := range map[string]image.Image{"rgba": src, "nrgba": nrgba, "gray": want} {
		if got := gray(img); !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("%s: fast path differs from the generic one", name)
		}
	}
	if got, want := gray(pal), gray(struct{ image.Image }{pal}); !bytes.Equal(got.Pix, want.Pix) {
		t.Errorf("paletted: fast path differs from the generic one")
	}
}

// TestReadLongImage reads screenshots as wide or as tall as Read allows:
// scaled up, they would pass the largest image Tesseract reads, so the
// scale is bounded, and the link is still read.
func TestReadLongImage(t *testing.T) {
	needTesseract(t)
	for _, size := range []image.Point{{maxSide, 24}, {720, maxSide}} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			c := newCanvas(size.X, size.Y, rgb(0xffffff))
			c.text(float64(size.X-700), float64(size.Y-7), 13, regular, rgb(0x202124), link48)
			hits, err := Read(context.Background(), encode(c.img, "png", 0))
			if err != nil {
				t.Fatal(err)
			}
			if err := check(hits, []want{{mask: 48, trusted: true}}); err != nil {
				t.Error(err)
			}
		})
	}
}

// phoneShots are screenshots of phone apps rendered by Chromium with the
// system fonts, at a phone's scale, and degraded as a chat app or a
// screenshot of a screenshot leaves them. They are kept as the 8-bit grey
// image Read turns them into, which reads the same at a third of the size.
var phoneShots = []struct {
	file string
	want []want
}{
	// An SMS bubble breaks the underlined link before '&': OCR read the
	// underline under "&authMethodCount" as a letter ("é&"), and the
	// join failed.
	{"phone-sms-wrapped_3x-light.png", []want{{mask: 16, trusted: true}}},
	// Blurred: the underlines erased and the page read again with the
	// local threshold (either alone reads it as cut off at "1").
	{"phone-whatsapp-blurred_3x-light.png", []want{{mask: 1, trusted: true}}},
	// A Teams bubble broken after '?' and '=': OCR read
	// "63487 &authMethodCount=1" with a space.
	{"phone-teams-wrapped_3x-light.jpg", []want{{mask: 63487, trusted: true}}},
}

// TestReadPhone reads phone screenshots whose links wrap in bubbles and
// are underlined.
func TestReadPhone(t *testing.T) {
	needTesseract(t)
	for _, tc := range phoneShots {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			hits, err := Read(context.Background(), data)
			if err != nil {
				t.Fatal(err)
			}
			if err := check(hits, tc.want); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestContinuation(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"76&authMethodCount=1", "76&authMethodCount=1"},
		{"63487 &authMethodCount=1", "63487 &authMethodCount=1"},
		{"48 authMethodCount=1", "48 authMethodCount=1"},
		// Prose after the link is no part of it.
		{"76&authMethodCount=1 thanks", "76&authMethodCount=1"},
		{"19 is what it says", "19"},
		{"", ""},
	} {
		if got := continuation(tc.line); got != tc.want {
			t.Errorf("continuation(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}

// TestDropUnderlines pins that an underline goes and a glyph's bar as long
// for its thickness as an 'e' or '=' stays.
func TestDropUnderlines(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 200, 40))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	bar := func(x0, x1, y0, y1 int) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				g.Pix[y*g.Stride+x] = 40
			}
		}
	}
	bar(10, 190, 30, 33) // an underline, 3 rows thick
	bar(20, 50, 10, 14)  // the bar of a large '=': 30 long, 4 thick
	bar(60, 62, 5, 35)   // a descender through the underline
	out := dropUnderlines(g)
	for _, p := range []struct {
		x, y int
		dark bool
	}{{100, 31, false}, {30, 12, true}, {61, 31, true}, {61, 20, true}} {
		if got := out.Pix[p.y*out.Stride+p.x] < underlineDark; got != p.dark {
			t.Errorf("pixel %d,%d dark = %v, want %v", p.x, p.y, got, p.dark)
		}
	}
}
