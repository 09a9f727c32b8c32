package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // image.DecodeConfig reads the formats the API takes
	_ "image/jpeg"
	_ "image/png"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"rsc.io/qr"

	"github.com/authmethods/authmethods/urlcodec"
)

// apiError is an error answered with its status.
type apiError struct {
	status int
	msg    string
	read   string // for an image, the text OCR read, if any
}

func (e *apiError) Error() string { return e.msg }

func fail(status int, format string, a ...any) *apiError {
	return &apiError{status: status, msg: fmt.Sprintf(format, a...)}
}

// errorJSON is the body of every error answer.
type errorJSON struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
	Read   string `json:"read,omitempty"` // what OCR read from an image
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeErr(w, &apiError{status: status, msg: msg})
}

func writeErr(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if e.status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	w.WriteHeader(e.status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(errorJSON{e.msg, e.status, e.read})
}

// imageTypes are the media types the API reads with OCR.
var imageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true}

// fileTypes are the media types of a file dropped on the page, such as a
// saved mail (.eml, Outlook's .msg) or a saved page: the engine reads its
// bytes as the CLI reads a file (MIME parts, charsets, .msg streams), so
// they need not be UTF-8. Never an image: that is only an image type.
var fileTypes = map[string]bool{"message/rfc822": true, "application/vnd.ms-outlook": true, "application/octet-stream": true}

// read answers POST /api/decode and /api/explain with what eng prints for
// the posted text, or for the text OCR reads from the posted image.
func (h *handler) read(eng Engine) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), h.cfg.Timeout)
		defer cancel()
		out, status, e := h.run(ctx, w, r, eng)
		if e != nil {
			writeErr(w, e)
			return
		}
		w.Header().Set("Content-Type", "application/jsonl; charset=utf-8")
		w.Header().Set("Authmethods-Status", strconv.Itoa(status))
		w.Write(out)
	}
}

// run checks the request, reads its body (or the text in its image) and
// returns what eng answers for it.
func (h *handler) run(ctx context.Context, w http.ResponseWriter, r *http.Request, eng Engine) ([]byte, int, *apiError) {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	switch {
	case err != nil && ct == "":
		return nil, 0, fail(http.StatusUnsupportedMediaType, "no Content-Type: send text/plain, a screenshot as image/png, image/jpeg or image/gif, or a saved mail as message/rfc822")
	case err != nil || mt != "text/plain" && !imageTypes[mt] && !fileTypes[mt]:
		return nil, 0, fail(http.StatusUnsupportedMediaType, "Content-Type %q: send text/plain, a screenshot as image/png, image/jpeg or image/gif, or a saved mail as message/rfc822", ct)
	}
	isImage := imageTypes[mt]
	if isImage && h.cfg.OCR == nil && !h.cfg.EngineReadsImages {
		return nil, 0, fail(http.StatusServiceUnavailable, "%s", h.cfg.OCRHelp)
	}

	// Wait for a turn before reading the body, so that a crowd of clients
	// queues without holding its bodies in memory.
	select {
	case h.inFlight <- struct{}{}:
		defer func() { <-h.inFlight }()
	case <-ctx.Done():
		return nil, 0, fail(http.StatusServiceUnavailable, "busy: too many requests at once; try again in a few seconds")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.MaxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, 0, fail(http.StatusRequestEntityTooLarge, "the body is over the limit of %s", size(tooBig.Limit))
	case err != nil:
		return nil, 0, fail(http.StatusBadRequest, "reading the body: %v", err)
	}

	var text string
	var warnings []string
	ocrText := false // text is what OCR read, worth showing in an error
	if isImage {
		if e := h.checkImage(body); e != nil {
			return nil, 0, e
		}
		// The slot is held until the engine is done: with
		// EngineReadsImages, the engine is what runs OCR.
		select {
		case h.ocr <- struct{}{}:
			defer func() { <-h.ocr }()
		case <-ctx.Done():
			return nil, 0, fail(http.StatusServiceUnavailable, "busy: %d screenshots are being read; try again in a few seconds", cap(h.ocr))
		}
		if h.cfg.EngineReadsImages {
			text = string(body)
			ctx = context.WithValue(ctx, imageKey{}, true)
		} else {
			text, warnings, err = h.cfg.OCR(ctx, body)
			switch {
			case ctx.Err() != nil:
				return nil, 0, fail(http.StatusGatewayTimeout, "reading the image timed out after %v", h.cfg.Timeout)
			case err != nil:
				return nil, 0, fail(http.StatusBadRequest, "reading the image: %v", err)
			}
			ocrText = true
		}
	} else {
		if !fileTypes[mt] && !utf8.Valid(body) {
			return nil, 0, fail(http.StatusBadRequest, "the text is not UTF-8")
		}
		text = string(body)
	}
	if strings.TrimSpace(text) == "" {
		e := fail(http.StatusBadRequest, "nothing to read: paste a register link, a mask or a mail holding a link")
		if isImage {
			e.msg = "no text found in the image"
		}
		return nil, 0, e
	}

	out, status, err := eng(ctx, text)
	switch {
	case ctx.Err() != nil:
		return nil, 0, fail(http.StatusGatewayTimeout, "timed out after %v", h.cfg.Timeout)
	case err != nil:
		e := fail(http.StatusBadRequest, "%s", err)
		if ocrText {
			e.read = text
		}
		return nil, 0, e
	case status != 0 && status != 1 && status != 3:
		return nil, 0, fail(http.StatusInternalServerError, "internal error (status %d); please report it with the input", status)
	}
	if len(warnings) > 0 {
		if out, err = addWarnings(out, warnings); err != nil {
			return nil, 0, fail(http.StatusInternalServerError, "internal error: %v", err)
		}
	}
	return out, status, nil
}

// checkImage checks the image's dimensions from its header, before
// anything decodes its pixels.
func (h *handler) checkImage(body []byte) *apiError {
	c, _, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil {
		return fail(http.StatusBadRequest, "not a PNG, JPEG or GIF image: %v", err)
	}
	if c.Width <= 0 || c.Height <= 0 {
		return fail(http.StatusBadRequest, "the image is %d×%d pixels: empty", c.Width, c.Height)
	}
	// A decompression bomb is small on the wire and huge in memory: refuse
	// it by its header, width and height checked apart so that the product
	// cannot overflow.
	if c.Width > h.cfg.MaxSide || c.Height > h.cfg.MaxSide || c.Width*c.Height > h.cfg.MaxPixels {
		return fail(http.StatusRequestEntityTooLarge, "the image is %d×%d pixels; the limit is %d pixels a side and %d in all", c.Width, c.Height, h.cfg.MaxSide, h.cfg.MaxPixels)
	}
	return nil
}

// addWarnings appends extra to the "warnings" of every JSON Lines record,
// keeping each record's fields in their order.
func addWarnings(lines []byte, extra []string) ([]byte, error) {
	var out bytes.Buffer
	for line := range bytes.Lines(lines) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		start, end, err := valueOf(line, "warnings")
		if err != nil {
			return nil, err
		}
		var ws []string
		if start >= 0 {
			if err := json.Unmarshal(line[start:end], &ws); err != nil {
				return nil, err
			}
		}
		ws = append(ws, extra...)
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false) // as the CLI writes JSON
		enc.Encode(ws)
		list := bytes.TrimSpace(b.Bytes())
		if start < 0 { // no warnings field: add one at the end
			start, end = len(line)-1, len(line)-1
			list = append([]byte(`,"warnings":`), list...)
		}
		out.Write(line[:start])
		out.Write(list)
		out.Write(line[end:])
		out.WriteByte('\n')
	}
	return out.Bytes(), nil
}

// valueOf returns where the value of the top-level key of a JSON object
// starts and ends in obj, or -1, -1 when the key is absent.
func valueOf(obj []byte, key string) (start, end int, err error) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0, 0, fmt.Errorf("a JSON Lines record is not an object: %.40q", obj)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return 0, 0, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return 0, 0, err
		}
		if k == key {
			to := int(dec.InputOffset())
			return to - len(v), to, nil
		}
	}
	return -1, -1, nil
}

// build answers GET /api/build?method=NAME&method=NAME&strength=S with what
// "build --json" prints.
func (h *handler) build(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.Timeout)
	defer cancel()
	q := r.URL.Query()
	methods, strength := q["method"], q.Get("strength")
	if len(methods) > 64 || len(strength) > 256 {
		writeError(w, http.StatusBadRequest, "too many methods or too long a strength")
		return
	}
	for _, m := range methods {
		if len(m) > 64 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("method %.64q…: too long", m))
			return
		}
	}
	if len(methods) == 0 && strength == "" {
		writeError(w, http.StatusBadRequest, "no methods: tick at least one method, or choose a strength")
		return
	}
	out, status, err := h.cfg.Build(ctx, methods, strength)
	switch {
	case err != nil:
		writeError(w, http.StatusBadRequest, err.Error())
		return
	case status != 0:
		writeError(w, http.StatusInternalServerError, fmt.Sprintf("internal error (status %d)", status))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(out)
}

// qr answers GET /api/qr?link=URL with a PNG QR code of URL, to open it on a
// phone. It draws only canonical genuine register links, as build writes
// them, so that the server cannot be made to vouch for another address.
func (h *handler) qr(w http.ResponseWriter, r *http.Request) {
	link := r.URL.Query().Get("link")
	l, err := urlcodec.Parse(link)
	if err != nil || !l.Verdict.Trusted || !l.HasCount || urlcodec.Build(l.Mask, l.Count) != link {
		writeError(w, http.StatusBadRequest, "a QR code is drawn only for a register link as build writes it: "+urlcodec.RegisterURL+"?authMethods=N&authMethodCount=N")
		return
	}
	code, err := qr.Encode(link, qr.M)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "QR code: "+err.Error())
		return
	}
	code.Scale = 6
	w.Header().Set("Content-Type", "image/png")
	w.Write(code.PNG())
}

// size writes a byte count for people.
func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
