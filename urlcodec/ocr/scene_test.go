package ocr

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Scenes are screenshots drawn in tests with the Go fonts, so that the
// test set is reproducible and free of anyone's real screenshots: the
// places a helpdesk gets a register link from, each at several font sizes,
// in a light and a dark theme, as PNG and as a JPEG.

// A want is what a scene must decode to: a link with this mask on a host
// that is (or is not) the genuine one, or a cut-off address.
type want struct {
	mask    uint32
	trusted bool
	cutOff  bool
}

// A scene draws one screenshot.
type scene struct {
	name string
	want []want
	// draw renders the scene with text of px pixels, dark or light.
	draw func(px float64, dark bool) image.Image
}

const (
	link1976 = "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"
	link48   = "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"
)

var scenes = []scene{
	{"addressbar", []want{{mask: 1976, trusted: true}}, func(px float64, dark bool) image.Image {
		// A browser's address bar: the scheme hidden, as Chrome and Edge
		// show it, in a rounded field on the toolbar.
		return addressBar(px, dark, "mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1")
	}},
	{"addressbar-scheme", []want{{mask: 48, trusted: true}}, func(px float64, dark bool) image.Image {
		return addressBar(px, dark, link48)
	}},
	{"chat", []want{{mask: 1976, trusted: true}}, func(px float64, dark bool) image.Image {
		c := newCanvas(int(px*52), int(px*9), pick(dark, rgb(0xf5f5f5), rgb(0x1f1f1f)))
		bubble := pick(dark, rgb(0xe8ebfa), rgb(0x2f2f4a))
		c.fill(image.Rect(int(px), int(px*2.6), int(px*50), int(px*8)), bubble)
		fg := pick(dark, rgb(0x242424), rgb(0xffffff))
		c.text(px*1.6, px*1.8, px*0.85, regular, pick(dark, rgb(0x616161), rgb(0xadadad)), "Alex Wilber  9:41 AM")
		c.text(px*1.8, px*4.3, px, regular, fg, "Hi, I got sent here when signing in, is this OK?")
		c.text(px*1.8, px*6.4, px, regular, pick(dark, rgb(0x4f52b2), rgb(0x9ea2ff)), link1976)
		return c.img
	}},
	{"chat-wrapped", []want{{mask: 1976, trusted: true}}, func(px float64, dark bool) image.Image {
		// A narrow chat bubble breaks the link inside the number: read
		// alone, the first line would say 19.
		c := newCanvas(int(px*34), int(px*11), pick(dark, rgb(0xf5f5f5), rgb(0x1f1f1f)))
		c.fill(image.Rect(int(px), int(px*1), int(px*33), int(px*10)), pick(dark, rgb(0xe8ebfa), rgb(0x2f2f4a)))
		fg := pick(dark, rgb(0x242424), rgb(0xffffff))
		link := pick(dark, rgb(0x4f52b2), rgb(0x9ea2ff))
		c.text(px*1.8, px*2.8, px, regular, fg, "This came up when I signed in:")
		c.text(px*1.8, px*4.8, px, regular, link, "https://mysignins.microsoft.com/register?")
		c.text(px*1.8, px*6.6, px, regular, link, "authMethods=19")
		c.text(px*1.8, px*8.4, px, regular, link, "76&authMethodCount=1")
		return c.img
	}},
	{"fullscreen", []want{{mask: 1976, trusted: true}}, func(px float64, dark bool) image.Image {
		// A whole screen: tabs, the address bar, the wizard's page.
		c := newCanvas(int(px*120), int(px*68), pick(dark, rgb(0xffffff), rgb(0x1b1b1b)))
		chrome := pick(dark, rgb(0xdee1e6), rgb(0x35363a))
		fg := pick(dark, rgb(0x202124), rgb(0xe8eaed))
		c.fill(image.Rect(0, 0, int(px*120), int(px*6.2)), chrome)
		c.fill(image.Rect(int(px*0.8), int(px*0.4), int(px*16), int(px*2.6)), pick(dark, rgb(0xffffff), rgb(0x202124)))
		c.text(px*1.6, px*1.9, px*0.9, regular, fg, "Keep your account secure")
		c.text(px*17, px*1.9, px*0.9, regular, pick(dark, rgb(0x5f6368), rgb(0x9aa0a6)), "Inbox - Outlook")
		c.fill(image.Rect(int(px*6), int(px*3.1), int(px*110), int(px*5.7)), pick(dark, rgb(0xf1f3f4), rgb(0x202124)))
		c.text(px*7.5, px*4.8, px, regular, fg, "mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1")
		c.text(px*30, px*14, px*2, regular, fg, "Keep your account secure")
		c.text(px*30, px*18, px, regular, fg, "Your organization requires you to set up the following methods of proving who you are.")
		c.text(px*30, px*22, px*1.4, regular, fg, "Microsoft Authenticator")
		c.text(px*30, px*25, px, regular, fg, "Start by getting the app")
		c.text(px*30, px*27.5, px, regular, fg, "On your phone, install the Microsoft Authenticator app. Download now")
		c.text(px*30, px*30, px, regular, fg, "I want to use a different authentication app")
		c.fill(image.Rect(int(px*80), int(px*33), int(px*88), int(px*35.5)), pick(dark, rgb(0x0067b8), rgb(0x4cc2ff)))
		c.text(px*82, px*34.7, px, regular, pick(dark, rgb(0xffffff), rgb(0x000000)), "Next")
		c.text(px*30, px*40, px, regular, pick(dark, rgb(0x0067b8), rgb(0x4cc2ff)), "I want to set up a different method")
		return c.img
	}},
	{"fullscreen-mixed", []want{{mask: 48, trusted: true}}, func(px float64, dark bool) image.Image {
		// A browser in one theme showing a page in the other: a dark
		// address bar over a white page, or the reverse.
		c := newCanvas(int(px*100), int(px*40), pick(dark, rgb(0xffffff), rgb(0x1b1b1b)))
		c.fill(image.Rect(0, 0, int(px*100), int(px*4)), pick(dark, rgb(0x35363a), rgb(0xdee1e6)))
		c.fill(image.Rect(int(px*4), int(px*0.6), int(px*90), int(px*3.4)), pick(dark, rgb(0x202124), rgb(0xf1f3f4)))
		c.text(px*5.5, px*2.4, px, regular, pick(dark, rgb(0xe8eaed), rgb(0x202124)), "mysignins.microsoft.com/register?authMethods=48&authMethodCount=1")
		fg := pick(dark, rgb(0x1b1b1b), rgb(0xe6e6e6))
		c.text(px*20, px*12, px*2, regular, fg, "Keep your account secure")
		c.text(px*20, px*16, px, regular, fg, "Your organization requires you to set up the following methods of proving who you are.")
		c.text(px*20, px*20, px*1.4, regular, fg, "Security key")
		c.text(px*20, px*23, px, regular, fg, "Insert your security key or use a passkey on this device.")
		return c.img
	}},
	{"mail", []want{{mask: 48, trusted: true}}, func(px float64, dark bool) image.Image {
		c := newCanvas(int(px*54), int(px*12), pick(dark, rgb(0xffffff), rgb(0x292929)))
		fg := pick(dark, rgb(0x000000), rgb(0xe6e6e6))
		c.text(px, px*2, px, regular, fg, "Hello,")
		c.text(px, px*4, px, regular, fg, "please register a security key before Friday:")
		c.text(px, px*6, px, regular, pick(dark, rgb(0x0563c1), rgb(0x6cb8ff)), link48)
		c.fill(image.Rect(int(px), int(px*6.2), int(px*47), int(px*6.2)+1), pick(dark, rgb(0x0563c1), rgb(0x6cb8ff)))
		c.text(px, px*8, px, regular, fg, "Thanks, IT Service Desk")
		return c.img
	}},
	{"terminal", []want{{mask: 1976, trusted: true}}, func(px float64, dark bool) image.Image {
		c := newCanvas(int(px*52), int(px*6), pick(dark, rgb(0xffffff), rgb(0x0c0c0c)))
		fg := pick(dark, rgb(0x1e1e1e), rgb(0xcccccc))
		c.text(px*0.5, px*1.6, px, mono, fg, "$ grep -o 'https://[^ ]*' signin.log")
		c.text(px*0.5, px*3.1, px, mono, fg, link1976)
		c.text(px*0.5, px*4.6, px, mono, fg, "$")
		return c.img
	}},
	{"ticket", []want{{mask: 1976, trusted: true}, {mask: 48, trusted: true}}, func(px float64, dark bool) image.Image {
		c := newCanvas(int(px*56), int(px*13), pick(dark, rgb(0xfafafa), rgb(0x202020)))
		fg := pick(dark, rgb(0x202020), rgb(0xe0e0e0))
		c.text(px, px*1.8, px*1.2, regular, fg, "INC0012345  Cannot sign in")
		c.text(px, px*4, px, regular, fg, "User reports two different links:")
		c.text(px, px*6, px, regular, fg, "1) "+link1976)
		c.text(px, px*8, px, regular, fg, "2) "+link48)
		c.text(px, px*10.5, px*0.85, regular, pick(dark, rgb(0x707070), rgb(0x909090)), "Assigned to: Service Desk   Priority: 3")
		return c.img
	}},
	{"phone-cutoff", []want{{cutOff: true}}, func(px float64, dark bool) image.Image {
		// A phone's address bar has room for part of the link only.
		c := newCanvas(int(px*26), int(px*4), pick(dark, rgb(0xf1f3f4), rgb(0x35363a)))
		c.fill(image.Rect(int(px*0.6), int(px*0.8), int(px*25.4), int(px*3.2)), pick(dark, rgb(0xffffff), rgb(0x202124)))
		c.text(px*1.2, px*2.35, px, regular, pick(dark, rgb(0x202124), rgb(0xe8eaed)), "mysignins.microsoft.com/register?authMethods=19…")
		return c.img
	}},
	{"lookalike", []want{{mask: 1976, trusted: false}}, func(px float64, dark bool) image.Image {
		return addressBar(px, dark, "https://mysignins.micros0ft.com/register?authMethods=1976&authMethodCount=1")
	}},
	{"lookalike-rn", []want{{mask: 1976, trusted: false}}, func(px float64, dark bool) image.Image {
		// rn for m: the classic lookalike, which OCR reads as m.
		return addressBar(px, dark, "https://mysignins.rnicrosoft.com/register?authMethods=1976&authMethodCount=1")
	}},
}

func addressBar(px float64, dark bool, url string) image.Image {
	c := newCanvas(int(px*54), int(px*3.6), pick(dark, rgb(0xdee1e6), rgb(0x35363a)))
	c.fill(image.Rect(int(px*3), int(px*0.5), int(px*53), int(px*3.1)), pick(dark, rgb(0xf1f3f4), rgb(0x202124)))
	// The back arrow and the padlock, as shapes that are not letters.
	c.fill(image.Rect(int(px*0.8), int(px*1.7), int(px*2.2), int(px*1.9)), pick(dark, rgb(0x5f6368), rgb(0x9aa0a6)))
	c.fill(image.Rect(int(px*3.8), int(px*1.4), int(px*4.5), int(px*2.3)), pick(dark, rgb(0x5f6368), rgb(0x9aa0a6)))
	c.text(px*5.2, px*2.2, px, regular, pick(dark, rgb(0x202124), rgb(0xe8eaed)), url)
	return c.img
}

// pick returns the colour of the theme: light or dark.
func pick[T any](dark bool, light, darkTheme T) T {
	if dark {
		return darkTheme
	}
	return light
}

func rgb(v uint32) color.RGBA { return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff} }

type canvas struct{ img *image.RGBA }

func newCanvas(w, h int, bg color.Color) *canvas {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	return &canvas{img}
}

func (c *canvas) fill(r image.Rectangle, col color.Color) {
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Src)
}

// text draws s with its baseline at y, in a face of px pixels.
func (c *canvas) text(x, y, px float64, f *opentype.Font, col color.Color, s string) {
	d := font.Drawer{Dst: c.img, Src: image.NewUniform(col), Face: face(f, px), Dot: fixed.P(int(x), int(y))}
	d.DrawString(s)
}

var (
	regular = mustFont(goregular.TTF)
	mono    = mustFont(gomono.TTF)
	faces   sync.Map // faceKey -> font.Face
)

type faceKey struct {
	f  *opentype.Font
	px float64
}

func face(f *opentype.Font, px float64) font.Face {
	if v, ok := faces.Load(faceKey{f, px}); ok {
		return v.(font.Face)
	}
	// 72 DPI makes the size in points the size in pixels; hinting as
	// desktop UI text is drawn.
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic(err)
	}
	faces.Store(faceKey{f, px}, fc)
	return fc
}

func mustFont(ttf []byte) *opentype.Font {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic(err)
	}
	return f
}

// encode writes img as "png" or "jpeg" (quality q).
func encode(img image.Image, format string, q int) []byte {
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: q})
	default:
		err = fmt.Errorf("unknown format %q", format)
	}
	if err != nil {
		panic(err)
	}
	return b.Bytes()
}
