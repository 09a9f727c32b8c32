package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/authmethods/authmethods/urlcodec"
)

// Errors a caller can test with errors.Is.
var (
	// ErrNoTesseract means the Tesseract program was not found.
	ErrNoTesseract = errors.New("Tesseract OCR program not found; install it " +
		"(Debian, Ubuntu: apt-get install tesseract-ocr; macOS: brew install tesseract; " +
		"Windows: the installer linked from https://tesseract-ocr.github.io/tessdoc/Installation.html)")
	// ErrFormat means the data is not an image in a format Read takes.
	ErrFormat = errors.New("not a PNG, JPEG, GIF, BMP or WebP image")
	// ErrTooLarge means the image has more pixels than Reader.MaxPixels.
	ErrTooLarge = errors.New("image too large")
	// ErrCutOff is a link cut off in the image, such as a phone's address
	// bar ending in '…': the number it shows is not the link's.
	ErrCutOff = errors.New("the address is cut off in the image; ask for the whole link (copied as text, or a screenshot that shows all of it)")
	// ErrAmbiguous is a link OCR read in a way that has two readings, such
	// as authMethods=19768authMethodCount=1, where the 8 may be the '&'.
	ErrAmbiguous = errors.New("OCR read this link in a way that has two readings")
)

// Defaults of a zero Reader.
const (
	DefaultTimeout   = 30 * time.Second
	DefaultMaxPixels = 40_000_000 // a 6K screenshot; far more than any screen
	waitDelay        = 2 * time.Second
)

// A Reader reads register links from images. The zero value looks up
// "tesseract" on PATH and uses the defaults. A Reader is safe for
// concurrent use.
type Reader struct {
	// Tesseract is the program: a path, or a name looked up on PATH.
	// Empty means "tesseract".
	Tesseract string
	// Timeout bounds each run of Tesseract (Read reads the page once, or
	// up to thrice when the first reading found no link, and reads again each
	// line that did not read as a valid link, at most maxRereads in all).
	// Zero means DefaultTimeout.
	Timeout time.Duration
	// MaxPixels bounds the image's width times height, checked before
	// decoding. Zero means DefaultMaxPixels.
	MaxPixels int
	// Parser parses the links read; nil means a zero urlcodec.Parser.
	Parser *urlcodec.Parser
}

// A Hit is one register link read from an image.
type Hit struct {
	// Text is the link as read, after the repairs Warnings name; it is
	// what Link was parsed from.
	Text string
	// Read is the line of text as OCR read it (in the reading that was
	// used), before repairs.
	Read string
	// Box is where the line is in the image, in the image's pixels.
	Box image.Rectangle
	// Link is the parsed link; nil when Err is set.
	Link *urlcodec.Link
	// Err says why the link cannot be used: ErrCutOff, ErrAmbiguous, or
	// a *urlcodec.Error.
	Err error
	// Warnings are the repairs made to what OCR read and, for every link,
	// that its host must be checked against the image. Link.Warnings has
	// Parse's own.
	Warnings []string
}

// WarnCheckHost is the warning every link read from an image carries, for
// its host: OCR turns lookalikes into the genuine host.
func WarnCheckHost(host string) string {
	return fmt.Sprintf("read from an image by OCR: compare every letter of the host %q with the image; OCR can read a lookalike such as micros0ft as microsoft", host)
}

// Read returns the register links in the image data with a zero Reader.
func Read(ctx context.Context, data []byte) ([]Hit, error) {
	return new(Reader).Read(ctx, data)
}

// Read returns the register links in the image data (PNG, JPEG, GIF, BMP
// or WebP, recognised by content), top to bottom. It fails with
// ErrNoTesseract when Tesseract is missing, ErrFormat or ErrTooLarge for
// an image it will not read, and an error naming Tesseract when a run
// fails or times out. An image with no link gives no hits and no error.
func (r *Reader) Read(ctx context.Context, data []byte) ([]Hit, error) {
	img, err := decode(data, r.maxPixels())
	if err != nil {
		return nil, &Error{Op: "read", Err: err}
	}
	path, err := lookTesseract(r.Tesseract)
	if err != nil {
		return nil, &Error{Op: "read", Err: err}
	}
	t := &tesseract{path: path, timeout: r.timeout}
	hits, err := r.read(ctx, t, gray(img))
	if err != nil {
		return nil, &Error{Op: "read", Err: err}
	}
	return hits, nil
}

// Error records a failed Read and its cause, in the shape of *url.Error.
type Error struct {
	Op  string
	Err error
}

func (e *Error) Error() string { return "ocr: " + e.Op + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func (r *Reader) maxPixels() int {
	if r.MaxPixels > 0 {
		return r.MaxPixels
	}
	return DefaultMaxPixels
}

func (r *Reader) timeout(ctx context.Context) (context.Context, context.CancelFunc) {
	d := r.Timeout
	if d <= 0 {
		d = DefaultTimeout
	}
	return context.WithTimeout(ctx, d)
}

func (r *Reader) parser() *urlcodec.Parser {
	if r.Parser != nil {
		return r.Parser
	}
	return new(urlcodec.Parser)
}

// Tuning, measured on the rendered scenes of the tests.
const (
	// pagePixels bounds the whole-page reading after scaling up: more
	// makes small fonts readable, and Tesseract's time grows with it.
	pagePixels = 6_000_000
	// maxPageScale is how far the whole page is scaled up: UI text at 96
	// DPI is 12 to 14 pixels high, Tesseract reads best at about 30.
	maxPageScale = 3
	// lineHeight1 and lineHeight2 are the heights, in pixels, a line that
	// did not read as a valid link is scaled to for its further readings.
	lineHeight1, lineHeight2 = 56, 80
	// verifyHeight is the size a line with a genuine host is read at once
	// more: large, where "rn" and "m" differ most.
	verifyHeight = 112
	// maxLineWidth bounds the width of a line scaled up to be read again.
	maxLineWidth = 12000
	// maxTesseractSide is the longest side Tesseract reads (it refuses
	// 32768 and more), less the padding.
	maxTesseractSide = 32000
	// minLineHeight is the smallest box, in pixels, read again: anything
	// lower is no line of text.
	minLineHeight = 5
)

// Tesseract's page segmentation modes (--psm) used.
const (
	psmBlock = 6 // the page as one block of text
	psmLine  = 7 // one line
)

// pagePad is the margin put around the page: Tesseract misses letters that
// touch the edge.
const pagePad = 10

func (r *Reader) read(ctx context.Context, t *tesseract, g *image.Gray) ([]Hit, error) {
	if isDark(g) {
		g = invert(g)
	}
	f := float64(maxPageScale)
	for f > 1 && (float64(g.Rect.Dx()*g.Rect.Dy())*f*f > pagePixels || float64(max(g.Rect.Dx(), g.Rect.Dy()))*f > maxTesseractSide) {
		f -= 0.5
	}
	page := func(g *image.Gray) *image.Gray {
		p := g
		if f > 1 {
			p = scale(g, g.Rect, f)
		}
		return pad(p, pagePad, background(p))
	}
	runs := 0 // rereadings of lines, bounded by maxRereads over both passes
	hits, err := r.readPage(ctx, t, g, page(g), f, global, &runs)
	if err != nil || !retry(hits) {
		return hits, err
	}
	// A phone's chat bubble or mail: Tesseract's global threshold puts a
	// coloured bubble and its text on one side, and reads the underline
	// under a wrapped line as letters. Sauvola's local threshold, without
	// the underlines, reads those. They are further passes only (at most
	// two more): the local threshold reads plain pages a little worse, and
	// erasing an underline drawn through the descenders turns g into q.
	g = dropUnderlines(g)
	p := page(g)
	for _, thresholding := range []string{global, local} {
		again, err := r.readPage(ctx, t, g, p, f, thresholding, &runs)
		if err != nil {
			return nil, err
		}
		if valid(again) > 0 || len(hits) == 0 {
			hits = again
		}
		if !retry(hits) {
			break
		}
	}
	return hits, nil
}

// Tesseract's binarisations (-c thresholding_method).
const (
	global = "0" // Otsu over the page
	local  = "2" // Sauvola, by the neighbourhood of each pixel
)

// retry reports a reading worth another pass: no valid link,
// and no link distrusted for its host or its number, which a second
// reading must not overrule.
func retry(hits []Hit) bool {
	for _, h := range hits {
		if h.Link != nil || errors.Is(h.Err, ErrAmbiguous) {
			return false
		}
	}
	return true
}

func valid(hits []Hit) int {
	n := 0
	for _, h := range hits {
		if h.Link != nil {
			n++
		}
	}
	return n
}

// readPage reads the page (g scaled by f and padded) with the binarisation
// thresholding, then its link lines again from g.
func (r *Reader) readPage(ctx context.Context, t *tesseract, g, page *image.Gray, f float64, thresholding string, runs *int) ([]Hit, error) {
	out, err := t.run(ctx, page, psmBlock, true, thresholding)
	if err != nil {
		return nil, err
	}
	lines := parseTSV(out)
	// toImage maps a box of the page back to the image's pixels: undo the
	// padding and the scale.
	toImage := func(b image.Rectangle) image.Rectangle {
		b = b.Sub(image.Pt(pagePad, pagePad))
		return image.Rect(int(float64(b.Min.X)/f), int(float64(b.Min.Y)/f),
			int(math.Ceil(float64(b.Max.X)/f)), int(math.Ceil(float64(b.Max.Y)/f))).Intersect(g.Rect)
	}
	var hits []Hit
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if !linkish(l.text) {
			continue
		}
		box := toImage(l.box)
		// reread reads the line again, alone, scaled to height pixels, as
		// one line (--psm 7).
		reread := func(height, psm int) (reading, error) {
			*runs++
			margin := max(box.Dy()/3, 2)
			crop := box.Inset(-margin).Intersect(g.Rect)
			// Bounded whatever the box: a long thin line scaled up must
			// stay within what Tesseract takes and memory allows.
			f := min(float64(height)/float64(box.Dy()), maxLineWidth/float64(crop.Dx()))
			line := scale(g, crop, f)
			if isDark(line) {
				// A dark address bar over a light page: the polarity of
				// the page is not the line's.
				line = invert(line)
			}
			line = pad(line, 16, background(line))
			text, err := t.run(ctx, line, psm, false, global)
			if err != nil {
				return reading{}, err
			}
			return r.resolve(strings.TrimSpace(text), box), nil
		}
		best := r.resolve(l.text, box)
		readings := []reading{best}
		if !best.ok() && endsInLink(l.text) {
			// A chat or mail breaks a long link where the line is full:
			// the rest is the first word of the lines below.
			text, joinedBox, prev := l.text, l.box, l
			for j := i + 1; j < len(lines) && j <= i+maxJoined && continues(prev, lines[j]); j++ {
				next := continuation(lines[j].text)
				text, joinedBox, prev = text+next, joinedBox.Union(lines[j].box), lines[j]
				joined := r.resolve(text, toImage(joinedBox))
				if !joined.ok() {
					continue
				}
				for k := range joined.hits {
					joined.hits[k].Warnings = append([]string{warnJoined}, joined.hits[k].Warnings...)
				}
				best, i = joined, j
				break
			}
		}
		heights := []int{lineHeight1, lineHeight2}
		readable := box.Dy() >= minLineHeight
		for !best.ok() && len(heights) > 0 && readable && *runs < maxRereads {
			again, err := reread(heights[0], psmLine)
			if err != nil {
				return nil, err
			}
			heights = heights[1:]
			readings = append(readings, again)
			if again.better(best) {
				best = again
			}
		}
		switch {
		case best.trusted() && readable && *runs < maxRereads:
			// A genuine host: read the line once more, larger, and
			// distrust it if the readings disagree.
			again, err := reread(verifyHeight, psmLine)
			if err != nil {
				return nil, err
			}
			readings = append(readings, again)
		case best.trusted():
			for k := range best.hits {
				best.hits[k].Warnings = append(best.hits[k].Warnings, warnUnverified)
			}
		}
		best.distrustDisagreement(readings)
		hits = append(hits, best.hits...)
	}
	return hits, nil
}

// trusted reports a reading with a link on a trusted host.
func (r reading) trusted() bool {
	for _, h := range r.hits {
		if h.Link != nil && h.Link.Verdict.Trusted {
			return true
		}
	}
	return false
}

// distrustDisagreement turns every trusted link of r into ErrAmbiguous
// when another reading of the same line read a different host, or a
// different number: OCR reads "rnicrosoft" as "microsoft", or 1978 as
// 1976, at one size and not at another, and only the image can tell.
// Readings with as many hits are compared hit by hit (a line may hold two
// links); others only by whether they name a host r does not.
func (r *reading) distrustDisagreement(readings []reading) {
	hosts := map[string]bool{}
	for _, h := range r.hits {
		if h.Link != nil {
			hosts[h.Link.Host] = true
		}
	}
	for i, h := range r.hits {
		if h.Link == nil || !h.Link.Verdict.Trusted {
			continue
		}
		var why error
		for _, other := range readings {
			if len(other.hits) == len(r.hits) {
				if o := other.hits[i].Link; o != nil {
					why = disagreement(h.Link, o)
				}
			} else {
				for _, o := range other.hits {
					if o.Link != nil && !hosts[o.Link.Host] {
						why = disagreement(h.Link, o.Link)
					}
				}
			}
			if why != nil {
				r.hits[i].Err, r.hits[i].Link = why, nil
				r.valid--
				break
			}
		}
	}
}

// disagreement says how two readings of one link differ, or returns nil.
func disagreement(l, o *urlcodec.Link) error {
	switch {
	case o.Host != l.Host:
		return fmt.Errorf("%w: one reading of the host is %q, another %q; it may be a look-alike of the genuine host: do not trust it until the host in the image is compared letter by letter, or the link is sent as text", ErrAmbiguous, l.Host, o.Host)
	case o.Mask != l.Mask:
		return fmt.Errorf("%w: one reading of authMethods is %d, another %d; check the number against the image", ErrAmbiguous, l.Mask, o.Mask)
	case o.HasCount && l.HasCount && o.Count != l.Count:
		return fmt.Errorf("%w: one reading of authMethodCount is %d, another %d; check the number against the image", ErrAmbiguous, l.Count, o.Count)
	}
	return nil
}

const warnUnverified = "read only once (the image has too many links, or the line is too small, to read again): check the number and the host against the image"

// maxRereads bounds the further readings of lines in one image, so that a
// screenshot full of links costs a bounded number of Tesseract runs.
const maxRereads = 24

const warnJoined = "joined a link broken over lines of the image"

// maxJoined is how many lines below a line its link may go on.
const maxJoined = 3

// endsInLink reports whether the last word of s is part of a register
// link, which the next line may go on with.
func endsInLink(s string) bool {
	last := strings.ToLower(s[strings.LastIndexByte(s, ' ')+1:])
	for _, part := range []string{"mysignins", "microsoft", "register", "authmethod"} {
		if strings.Contains(last, part) {
			return true
		}
	}
	return false
}

// continuation returns the start of line that goes on with a link broken
// at the end of the line above: its first word, and the words after it
// that start a parameter, which OCR parted with a space ("63487
// &authMethodCount=1"); prose after the link is left out.
func continuation(line string) string {
	words := strings.Fields(line)
	n := 1
	for n < len(words) && (strings.HasPrefix(words[n], "&") || strings.HasPrefix(strings.ToLower(words[n]), "authmethod")) {
		n++
	}
	return strings.Join(words[:min(n, len(words))], " ")
}

// continues reports whether next is the line below l, starting where l
// starts or to its left, as the rest of a link broken at the end of l is.
func continues(l, next tsvLine) bool {
	h := l.box.Dy()
	return next.box.Min.Y >= l.box.Min.Y+h/2 && next.box.Min.Y-l.box.Max.Y < 2*h &&
		next.box.Min.X <= l.box.Min.X+h && !strings.HasSuffix(l.text, " ")
}

// linkish reports a line that may hold a register link, or part of one.
func linkish(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, "authmethod") || strings.Contains(l, "register") ||
		strings.Contains(l, "mysignins") || strings.Contains(l, "://")
}

// reading is what one reading of one line gave.
type reading struct {
	hits  []Hit
	valid int // hits with a Link
}

func (r reading) ok() bool { return r.valid > 0 && r.valid == len(r.hits) }

// better reports whether r is a better reading than than: more valid
// links, or as many with fewer unusable ones. A reading of nothing is not
// better than one that found an unusable link: that says a link is there.
func (r reading) better(than reading) bool {
	return r.valid > than.valid || r.valid == than.valid && r.valid > 0 && len(r.hits) < len(than.hits)
}

// resolve repairs and parses one line of text.
func (r *Reader) resolve(text string, box image.Rectangle) reading {
	rp := repair(text)
	var out reading
	for _, e := range r.parser().Extract(rp.text) {
		h := Hit{Text: e.Text, Read: text, Box: box, Link: e.Link, Err: e.Err}
		h.Warnings = append(h.Warnings, rp.warnings...)
		end := int(e.Offset) + len(e.Text)
		switch {
		case cutOff(rp.text[end:]):
			h.Link, h.Err = nil, ErrCutOff
		case h.Link != nil && !h.Link.HasCount:
			// Entra writes authMethodCount after authMethods: a link that
			// ends with the mask may have lost digits at the image's edge.
			h.Link, h.Err = nil, fmt.Errorf("%w (it ends after authMethods=%d, without authMethodCount, as a cut-off link does)", ErrCutOff, h.Link.Mask)
		case h.Link != nil && h.Link.Scheme == "" && spacedAuthority.MatchString(rp.text[:e.Offset]):
			// "https: //mysignins microsoft.com/…": a space OCR put in
			// the host, which repair could not remove with certainty,
			// cut the host short; what is left is no host of the image.
			h.Link, h.Err = nil, fmt.Errorf("%w: OCR read a space inside the host (%q); compare the host with the image", ErrAmbiguous, strings.TrimSpace(spacedAuthority.FindString(rp.text[:e.Offset]))+" "+h.Link.Host)
		case h.Link != nil && h.Link.Verdict.Trusted && !strings.Contains(h.Text, h.Link.Host):
			// The genuine host only once lower-cased: OCR read a capital
			// (microsOft), and browsers and Entra write hosts in lower
			// case, so the capital may be a misread digit (micros0ft).
			h.Link, h.Err = nil, fmt.Errorf("%w: the host has capital letters as read (%s); a browser shows a host in lower case, so a capital may be a misread digit such as 0 for O: compare the host with the image", ErrAmbiguous, hostAsRead(h.Text, h.Link.Host))
		case rp.trailing != "":
			h.Link, h.Err = nil, fmt.Errorf("%w: %q ends in a letter that may be a digit or a mark after the number (check the number against the image)", ErrAmbiguous, rp.trailing)
		case h.Err != nil && rp.ambiguous != "":
			h.Err = fmt.Errorf("%w: %q runs into the next parameter, and its last digit may be the '&' (check the number against the image)", ErrAmbiguous, rp.ambiguous)
		}
		if h.Link != nil {
			h.Warnings = append(h.Warnings, WarnCheckHost(h.Link.Host))
			out.valid++
		}
		out.hits = append(out.hits, h)
	}
	if len(out.hits) == 0 && strings.Contains(strings.ToLower(rp.text), "mysignins") && cutOffAnywhere(rp.text) {
		out.hits = append(out.hits, Hit{Text: strings.TrimSpace(rp.text), Read: text, Box: box, Err: ErrCutOff, Warnings: rp.warnings})
	}
	return out
}

// spacedAuthority matches text that ends inside the authority of a link
// after a space: "//" and host characters with a space among them.
var spacedAuthority = regexp.MustCompile(`/ ?/[A-Za-z0-9.,-]*(?: [A-Za-z0-9.,-]+)* $`)

// hostAsRead returns host as it is written in text, in any case.
func hostAsRead(text, host string) string {
	if i := strings.Index(strings.ToLower(text), host); i >= 0 && len(text) == len(strings.ToLower(text)) {
		return strconv.Quote(text[i : i+len(host)])
	}
	return strconv.Quote(host)
}

// cutOff reports text that follows a link directly and says it was cut:
// an ellipsis, or the dots OCR reads for one.
func cutOff(rest string) bool {
	return strings.HasPrefix(rest, "…") || strings.HasPrefix(rest, "..")
}

func cutOffAnywhere(s string) bool {
	return strings.Contains(s, "…") || strings.Contains(s, "..")
}
