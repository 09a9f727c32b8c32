package ocr

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"strconv"

	// The formats Read takes, registered with package image.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/bmp"
	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

// Formats Sniff recognises, by their first bytes (as net/http's
// DetectContentType does, and as package image picks a decoder).
var signatures = []struct {
	format, magic string
}{
	{"png", "\x89PNG\r\n\x1a\n"},
	{"jpeg", "\xff\xd8\xff"},
	{"gif", "GIF87a"},
	{"gif", "GIF89a"},
	// "BM", the file size, then two reserved fields that are zero: text
	// that starts with "BM" ("BMW fleet: …") is no bitmap.
	{"bmp", "BM????\x00\x00\x00\x00"},
	{"webp", "RIFF????WEBPVP8"},
}

// Sniff returns the image format of data by its content, whatever a file
// is called: "png", "jpeg", "gif", "bmp" or "webp", or "" for anything
// else (text, for instance).
func Sniff(data []byte) string {
	for _, s := range signatures {
		if len(data) >= len(s.magic) && matchMagic(data, s.magic) {
			return s.format
		}
	}
	return ""
}

func matchMagic(data []byte, magic string) bool {
	for i := 0; i < len(magic); i++ {
		if magic[i] != '?' && data[i] != magic[i] {
			return false
		}
	}
	return true
}

// decode decodes data after checking its dimensions, so that a small file
// that claims a huge image (a decompression bomb) is refused before any
// pixel memory is allocated.
func decode(data []byte, maxPixels int) (image.Image, error) {
	format := Sniff(data)
	if format == "" {
		return nil, ErrFormat
	}
	// The decoders' errors name the format ("png: invalid format: …").
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("%s: %w: empty image", format, ErrTooLarge)
	}
	if cfg.Width > maxSide || cfg.Height > maxSide || cfg.Width*cfg.Height > maxPixels {
		return nil, fmt.Errorf("%s %dx%d: %w (over %s pixels)", format, cfg.Width, cfg.Height, ErrTooLarge, megapixels(maxPixels))
	}
	// 16 bits a channel doubles the memory of each pixel: the bound is on
	// the pixels of an 8-bit image, so a 16-bit one gets half as many (a
	// 262 KB PNG of 6300×6300 RGBA64 took 640 MB).
	if deep(cfg.ColorModel) && 2*cfg.Width*cfg.Height > maxPixels {
		return nil, fmt.Errorf("%s %dx%d, 16 bits a channel: %w (over %s pixels at 16 bits)", format, cfg.Width, cfg.Height, ErrTooLarge, megapixels(maxPixels/2))
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if b := img.Bounds(); b.Dx() > cfg.Width || b.Dy() > cfg.Height {
		// A decoder that returns more than its header said: refuse
		// rather than trust the header check above.
		return nil, fmt.Errorf("%s: %w: decoded %dx%d, header said %dx%d", format, ErrTooLarge, b.Dx(), b.Dy(), cfg.Width, cfg.Height)
	}
	return img, nil
}

// deep reports a colour model of 16 bits a channel.
func deep(m color.Model) bool {
	return m == color.RGBA64Model || m == color.NRGBA64Model || m == color.Gray16Model
}

// maxSide bounds either side of an image whatever its area: Tesseract
// refuses sides over 32767 pixels, and Read scales up.
const maxSide = 16384

func megapixels(n int) string {
	return strconv.FormatFloat(float64(n)/1e6, 'f', -1, 64) + "M"
}

// gray converts img to 8-bit luminance, with transparent pixels on white
// (a screenshot tool's transparent margin is no text). JPEG's luma and the
// common pixel layouts are read directly: At would allocate per pixel.
func gray(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < b.Dy(); y++ {
			copy(g.Pix[y*g.Stride:], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:b.Dx()])
		}
		return g
	case *image.YCbCr:
		for y := 0; y < b.Dy(); y++ {
			copy(g.Pix[y*g.Stride:], m.Y[m.YOffset(b.Min.X, b.Min.Y+y):][:b.Dx()])
		}
		return g
	case *image.RGBA:
		for y := 0; y < b.Dy(); y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:4*b.Dx()]
			for x := 0; x < b.Dx(); x++ {
				p := row[4*x : 4*x+4 : 4*x+4]
				g.Pix[y*g.Stride+x] = luma(color.RGBA{p[0], p[1], p[2], p[3]}.RGBA())
			}
		}
		return g
	case *image.NRGBA:
		for y := 0; y < b.Dy(); y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:4*b.Dx()]
			for x := 0; x < b.Dx(); x++ {
				p := row[4*x : 4*x+4 : 4*x+4]
				g.Pix[y*g.Stride+x] = luma(color.NRGBA{p[0], p[1], p[2], p[3]}.RGBA())
			}
		}
		return g
	case *image.Paletted:
		var lut [256]uint8
		for i, c := range m.Palette {
			lut[i] = luma(c.RGBA())
		}
		for y := 0; y < b.Dy(); y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:b.Dx()]
			for x, p := range row {
				g.Pix[y*g.Stride+x] = lut[p]
			}
		}
		return g
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := g.Pix[(y-b.Min.Y)*g.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			row[x-b.Min.X] = luma(img.At(x, y).RGBA())
		}
	}
	return g
}

// luma is the Rec. 601 luminance (as color.GrayModel) of a colour given
// as color.Color.RGBA returns it, on a white background. It takes the
// values, not a color.Color, so that no pixel is boxed in an interface.
func luma(r, g, b, a uint32) uint8 {
	w := 0xffff - a
	return uint8(min((19595*(r+w)+38470*(g+w)+7471*(b+w)+1<<15)>>24, 255))
}

// isDark reports whether most of g is dark: a dark theme, light text on a
// dark background, which Tesseract reads far worse than dark on light.
func isDark(g *image.Gray) bool {
	var sum uint64
	for _, p := range g.Pix {
		sum += uint64(p)
	}
	return sum < uint64(len(g.Pix))*128
}

func invert(g *image.Gray) *image.Gray {
	out := image.NewGray(g.Rect)
	for i, p := range g.Pix {
		out.Pix[i] = 255 - p
	}
	return out
}

// scale resizes the part r of g by factor f with Catmull-Rom, which keeps
// the edges of small UI letters sharper than bilinear.
func scale(g *image.Gray, r image.Rectangle, f float64) *image.Gray {
	r = r.Intersect(g.Rect)
	w, h := int(float64(r.Dx())*f+0.5), int(float64(r.Dy())*f+0.5)
	out := image.NewGray(image.Rect(0, 0, max(w, 1), max(h, 1)))
	xdraw.CatmullRom.Scale(out, out.Rect, g, r, xdraw.Src, nil)
	return out
}

// pad returns g with a margin of m pixels of colour c on every side:
// Tesseract misses letters that touch the edge.
func pad(g *image.Gray, m int, c uint8) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, g.Rect.Dx()+2*m, g.Rect.Dy()+2*m))
	for i := range out.Pix {
		out.Pix[i] = c
	}
	for y := 0; y < g.Rect.Dy(); y++ {
		copy(out.Pix[(y+m)*out.Stride+m:], g.Pix[y*g.Stride:y*g.Stride+g.Rect.Dx()])
	}
	return out
}

// pgm encodes g as a binary PGM, which Tesseract (Leptonica) reads from
// stdin without the cost of compressing a PNG.
func pgm(g *image.Gray) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	head := "P5\n" + strconv.Itoa(w) + " " + strconv.Itoa(h) + "\n255\n"
	b := make([]byte, 0, len(head)+w*h)
	b = append(b, head...)
	for y := 0; y < h; y++ {
		b = append(b, g.Pix[y*g.Stride:y*g.Stride+w]...)
	}
	return b
}

// background is the most common grey level of g's border, the colour to
// pad with.
func background(g *image.Gray) uint8 {
	var hist [256]int
	b := g.Rect
	for x := b.Min.X; x < b.Max.X; x++ {
		hist[g.GrayAt(x, b.Min.Y).Y]++
		hist[g.GrayAt(x, b.Max.Y-1).Y]++
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		hist[g.GrayAt(b.Min.X, y).Y]++
		hist[g.GrayAt(b.Max.X-1, y).Y]++
	}
	best := 0
	for i, n := range hist {
		if n > hist[best] {
			best = i
		}
	}
	return uint8(best)
}

// Underlines, as phones draw them under links: a dark bar at most
// underlineThick rows thick and underlineRatio times as long as it is
// thick, and at least underlineRun pixels. A glyph's horizontal strokes
// are shorter for their thickness (an 'e' or '=' at any size is about 7
// times, an em dash 11), and a thicker bar is a shape (a notch, a
// button), which is no text either.
const (
	underlineRun   = 16
	underlineRatio = 24
	underlineThick = 5
	underlineDark  = 128 // on a light background, as read has made it
)

// dropUnderlines returns g without its underlines: Tesseract reads an
// underline under a line that starts with '&' as a letter before it
// ("S&authMethodCount"), and one touching the descenders merges the
// letters.
func dropUnderlines(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	// run is the length, up to 255, of the horizontal dark run a pixel is
	// in, for runs of underlineRun or more; one byte a pixel, as g.
	run := make([]uint8, w*h)
	found := false
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x := 0; x < w; {
			if row[x] >= underlineDark {
				x++
				continue
			}
			end := x
			for end < w && row[end] < underlineDark {
				end++
			}
			if end-x >= underlineRun {
				found = true
				for i := x; i < end; i++ {
					run[y*w+i] = uint8(min(end-x, 255))
				}
			}
			x = end
		}
	}
	if !found {
		return g
	}
	out := image.NewGray(g.Rect)
	copy(out.Pix, g.Pix)
	// Row by row, as the image is laid out in memory: each column's bar
	// of run pixels (start, -1 for none, and its shortest run) ends on
	// the first row without one, and is erased if it is an underline.
	start := make([]int, w)
	shortest := make([]uint8, w)
	for x := range start {
		start[x] = -1
	}
	for y := 0; y <= h; y++ {
		for x := 0; x < w; x++ {
			if y < h && run[y*w+x] != 0 {
				if start[x] < 0 {
					start[x], shortest[x] = y, 255
				}
				shortest[x] = min(shortest[x], run[y*w+x])
				continue
			}
			if start[x] < 0 {
				continue
			}
			top := start[x]
			start[x] = -1
			if t := y - top; t > underlineThick || int(shortest[x]) < underlineRatio*t {
				continue
			}
			at := func(y int) uint8 { return g.Pix[min(max(y, 0), h-1)*g.Stride+x] }
			// The darker of the pixels beyond the bar's antialiased
			// edges: the background, or a descender that goes into the
			// bar from either side ('g', 'y'), kept whole.
			fill := min(at(top-2), at(y+1))
			for i := max(top-1, 0); i < min(y+1, h); i++ {
				if i < top || i == y {
					// The edges only get lighter.
					out.Pix[i*out.Stride+x] = max(out.Pix[i*out.Stride+x], fill)
					continue
				}
				out.Pix[i*out.Stride+x] = fill
			}
		}
	}
	return out
}
