package main

// Screenshots in: decode, explain and scan read an argument file, or stdin,
// that is an image (PNG, JPEG, GIF, BMP, WebP, by content) with OCR, and
// decode every register link in it as if pasted. The OCR is package
// urlcodec/ocr, which runs the Tesseract program. Every link read so is
// marked: "source":"image" in --json, source=image in decode's text, a
// warning to check the host's letters against the image, and explain's
// verdict line says so; and it is never trusted (reason "image").

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/spf13/pflag"

	"github.com/authmethods/authmethods/urlcodec"
	"github.com/authmethods/authmethods/urlcodec/ocr"
)

// envTesseract names the Tesseract program when --tesseract is not given.
const envTesseract = "AUTHMETHODS_TESSERACT"

// maxImageBytes bounds the image file read into memory: a full-screen PNG
// screenshot is a few MB.
const maxImageBytes = 32 << 20

// imageTimeout bounds the reading of one image, whatever number of
// Tesseract runs it takes (each has its own timeout too).
const imageTimeout = 2 * time.Minute

// imageInput is the --tesseract flag of the commands that read images.
type imageInput struct {
	tesseract string
}

// imageCommands read images; other commands get no --tesseract flag.
var imageCommands = []string{"decode", "explain", "scan"}

func (in *imageInput) addFlags(command string, fs *pflag.FlagSet) {
	if slices.Contains(imageCommands, command) {
		fs.StringVar(&in.tesseract, "tesseract", "", "read screenshots with the Tesseract OCR `PROGRAM`\n(default: $"+envTesseract+", else tesseract on PATH)")
	}
}

// imageJSON marks, in --json output, a link read from an image.
type imageJSON struct {
	Source string `json:"source,omitempty"` // "image"
	Image  string `json:"image,omitempty"`  // the file, or "(stdin)"
}

func (it item) imageJSON() imageJSON {
	if it.Image == "" {
		return imageJSON{}
	}
	return imageJSON{Source: "image", Image: it.Image}
}

// imageVerdict is what explain adds to its verdict line for a link read
// from an image: OCR reads a lookalike host as the genuine one.
func imageVerdict(it item) string {
	if it.Image == "" || it.Link == nil {
		return ""
	}
	return " Read by OCR from " + quote(it.Image) + ": compare every letter of the host with the image before trusting it."
}

// ocrReader returns the OCR reader: --tesseract, else $AUTHMETHODS_TESSERACT,
// else tesseract on PATH.
func (c *ctx) ocrReader() *ocr.Reader {
	prog := c.img.tesseract
	if prog == "" {
		prog = os.Getenv(envTesseract)
	}
	return &ocr.Reader{Tesseract: prog, Parser: c.parser()}
}

// imageItems reads the links of one image; name is the file or "(stdin)".
// Every item carries the image's name, and its link the OCR warnings.
func imageItems(c *ctx, name string, data []byte) []item {
	ctx, cancel := context.WithTimeout(context.Background(), imageTimeout)
	defer cancel()
	hits, err := c.ocrReader().Read(ctx, data)
	if err != nil {
		if errors.Is(err, ocr.ErrNoTesseract) {
			err = fmt.Errorf("%w; or give its path with --tesseract or %s", err, envTesseract)
		}
		return []item{{Input: name, Image: name, Err: err}}
	}
	if len(hits) == 0 {
		return []item{{Input: name, Image: name, Err: errNoLinkInImage}}
	}
	out := make([]item, 0, len(hits))
	for _, h := range hits {
		it := item{Input: h.Text, Image: name, Err: h.Err}
		if h.Link != nil {
			l := *h.Link
			// OCR's warnings first: the host check matters most.
			l.Warnings = append(slices.Clip(h.Warnings), l.Warnings...)
			if l.Verdict.Trusted {
				// Text recognition reads look-alikes (rnicrosoft, mysignlns,
				// microsoft.corn) as the genuine host, and reading again
				// does not catch it: a link from an image is never trusted.
				l.Distrust(urlcodec.Reason{Code: "image", Message: "read from a screenshot by text recognition, which can read a look-alike host (rnicrosoft, mysignlns, microsoft.corn) as " + urlcodec.Host + ": compare every letter of the host with the image, or ask for the link as text"})
			}
			it.Link, it.Mask = &l, l.Mask
		}
		out = append(out, it)
	}
	return out
}

var errNoLinkInImage = errors.New("no register link read in this image (OCR found none; if the link is there, paste it as text or send a sharper screenshot)")

// sniffFile returns the image format of the regular file name, "" when it
// is not an image or not a regular file.
func sniffFile(name string) string {
	f, err := os.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	var head [16]byte
	n, _ := io.ReadFull(f, head[:])
	return ocr.Sniff(head[:n])
}

// readImageFile reads the image file name with a size limit.
func readImageFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readImage(f)
}

func readImage(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxImageBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxImageBytes {
		return nil, fmt.Errorf("image over %d MiB", maxImageBytes>>20)
	}
	return data, nil
}

// imageArg reads argument a when it names an image file. It reports
// whether it did, and whether take asked to stop.
func imageArg(c *ctx, a string, take func(item) bool) (handled, stop bool) {
	if !isFile(a) || sniffFile(a) == "" {
		return false, false
	}
	data, err := readImageFile(a)
	its := []item{{Input: a, Image: a, Err: err}}
	if err == nil {
		its = imageItems(c, a, data)
	}
	for _, it := range its {
		if !take(it) {
			return true, true
		}
	}
	return true, false
}

// imageStdin reads stdin as an image when its first bytes are one, and
// then returns nil; otherwise it returns a reader of all of stdin for the
// text path. A terminal is never an image.
func imageStdin(c *ctx, take func(item) bool) io.Reader {
	if f, ok := c.stdin.(*os.File); ok && isTerminal(f) {
		return c.stdin
	}
	if _, ok := c.stdin.(textStdin); ok { // text posted to serve
		return c.stdin
	}
	br := bufio.NewReaderSize(c.stdin, 64<<10)
	head, _ := br.Peek(16)
	if ocr.Sniff(head) == "" {
		return br
	}
	data, err := readImage(br)
	its := []item{{Input: stdinName, Image: stdinName, Err: err}}
	if err == nil {
		its = imageItems(c, stdinName, data)
	}
	for _, it := range its {
		if !take(it) {
			break
		}
	}
	return nil
}

// imageHits reads input name of scan ("-" for stdin) as an image when it
// is a regular file whose first bytes are one; ok reports whether it was.
// It sniffs with ReadAt, so that a file that is no image is scanned from
// its start; a pipe is never sniffed, so that piped logs stream as they
// come (scan < shot.png reads a screenshot on stdin). Hits are numbered
// by their order in the image, which has no lines; err is what made the
// image unreadable (no Tesseract, a broken file).
func (s *scanner) imageHits(name string) (hits []urlcodec.Hit, ok bool, err error) {
	var f *os.File
	if name == "-" {
		sf, isFile := s.c.stdin.(*os.File)
		if !isFile || !isRegular(sf) {
			return nil, false, nil
		}
		f, name = sf, stdinName
	} else {
		if f, err = os.Open(name); err != nil {
			return nil, false, nil // scan's own open says what is wrong
		}
		defer f.Close()
	}
	var head [16]byte
	n, _ := f.ReadAt(head[:], 0)
	if ocr.Sniff(head[:n]) == "" {
		return nil, false, nil
	}
	data, err := readImage(f)
	if err != nil {
		return nil, true, err
	}
	for i, it := range imageItems(s.c, name, data) {
		if it.Link == nil && it.Input == name {
			// Not one link but the whole image: none in it is like a file
			// without one; an image OCR cannot read is an error.
			if errors.Is(it.Err, errNoLinkInImage) {
				return nil, true, nil
			}
			return nil, true, it.Err
		}
		hits = append(hits, urlcodec.Hit{Line: int64(i + 1), Text: it.Input, Link: it.Link, Err: it.Err})
	}
	return hits, true, nil
}
