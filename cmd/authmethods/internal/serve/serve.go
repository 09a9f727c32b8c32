// Package serve is the web face of authmethods: one page a helpdesk keeps
// open (paste a link, a mail or a screenshot; read the verdict) with a tab
// for admins who build links, and the JSON API behind it.
//
// The package knows nothing of the command line. Its engine comes in through
// [Config]: functions that return exactly what "authmethods decode --json",
// "explain --json" and "build --json" print, and an optional OCR function.
// Nothing posted is stored, no cookie is set, and every response carries
// strict security headers.
//
// Routes:
//
//	GET  /                 the page
//	GET  /assets/...       its script and style sheet (embedded)
//	POST /api/decode       text/plain, image/png|jpeg|gif, or a saved mail or
//	                       page as message/rfc822, application/vnd.ms-outlook
//	                       or application/octet-stream -> decode --json lines
//	POST /api/explain      the same -> explain --json lines
//	GET  /api/build        ?method=NAME (repeatable) &strength=NAME|ID -> build --json
//	GET  /api/qr           ?link=URL, a canonical genuine register link -> PNG
//
// Errors are JSON, {"error": "...", "status": N}: 400 bad input, 403 a
// request from another site's page, 404 no such API, 405 wrong method, 413
// over the size limit, 415 unsupported type, 421 a Host not served, 500
// engine failure, 503 OCR unavailable or busy, 504 timed out.
package serve

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Engine runs one command of the CLI on text and returns what it printed on
// stdout (JSON Lines) and its exit status (0 ok, 1 invalid or nothing found,
// 3 a link is not genuine). err is non-nil when the input was refused; its
// message is shown to the user.
type Engine func(ctx context.Context, text string) (jsonLines []byte, status int, err error)

// Config is what New needs. Decode, Explain and Build are required; the
// zero limits mean the defaults below.
type Config struct {
	Decode  Engine // "decode --json" on the text
	Explain Engine // "explain --json" on the text
	// Build returns what "build --json" prints for the Graph method names
	// and the strength (name or id, "" for none).
	Build func(ctx context.Context, methods []string, strength string) (json []byte, status int, err error)
	// OCR reads the text of an image (PNG, JPEG or GIF bytes, dimensions
	// already checked). warnings are added to every record read from it.
	// nil means OCR is not available: images get 503 and OCRHelp.
	OCR func(ctx context.Context, image []byte) (text string, warnings []string, err error)
	// EngineReadsImages says that Decode and Explain read an image
	// themselves when given its bytes as the text, as the CLI's decode and
	// explain do with an image on stdin. An image then goes to them, after
	// the checks of its size and in an OCR slot, and OCR is not used; its
	// context says so ([IsImage]). A text/plain body is text whatever its
	// first bytes ("BM…" is a BMP's signature): the engine must not read it
	// as an image.
	EngineReadsImages bool
	// OCRHelp says how to get OCR working, shown when an image cannot be
	// read (OCR is nil and EngineReadsImages is false).
	OCRHelp string
	// Hosts are the Host header values answered, such as "127.0.0.1:8080"
	// and "localhost:8080"; others get 421. A server on loopback sets them
	// so that a web page cannot reach it through a DNS name of its own
	// (DNS rebinding). Empty means any host.
	Hosts []string

	MaxBody   int64         // bytes of a request body; 0 means DefaultMaxBody
	MaxPixels int           // width×height of an image; 0 means DefaultMaxPixels
	MaxSide   int           // width or height of an image; 0 means DefaultMaxSide
	OCRSlots  int           // OCR runs at once; 0 means DefaultOCRSlots
	InFlight  int           // bodies read at once, others queue; 0 means DefaultInFlight
	Timeout   time.Duration // per request, queueing included; 0 means DefaultTimeout
}

// Defaults for Config's limits. A 4K screenshot is 3840×2160 (8.3 Mpx) and
// a few hundred KB as PNG.
const (
	DefaultMaxBody   = 8 << 20
	DefaultMaxPixels = 40_000_000
	DefaultMaxSide   = 16_384
	DefaultOCRSlots  = 2
	// An 8 MiB paste of HTML takes a few hundred MB to read whole and
	// explain: 4 at once keep the server near 1 GB (16 took 4.2 GB).
	DefaultInFlight = 4
	DefaultTimeout  = 30 * time.Second
)

// DefaultOCRHelp is the OCRHelp when none is given.
const DefaultOCRHelp = "OCR unavailable: reading screenshots needs the Tesseract program (Debian/Ubuntu: apt-get install tesseract-ocr; macOS: brew install tesseract; Windows: the UB Mannheim installer), on PATH when authmethods serve starts. Paste the link as text meanwhile."

// imageKey marks the context of an engine given an image's bytes.
type imageKey struct{}

// IsImage reports whether an engine called with ctx was given the bytes of
// an image posted as one (image/png, image/jpeg, image/gif), which only
// happens with EngineReadsImages. Otherwise what it was given is text, to
// be read as text even when its first bytes look like an image's.
func IsImage(ctx context.Context) bool {
	v, _ := ctx.Value(imageKey{}).(bool)
	return v
}

// handler serves the page and the API.
type handler struct {
	cfg      Config
	mux      *http.ServeMux
	ocr      chan struct{} // a slot per OCR run allowed at once
	inFlight chan struct{} // a slot per request body held in memory
	html     []byte        // the page, rendered once
}

// New returns the handler of the page and the API.
func New(cfg Config) http.Handler {
	if cfg.Decode == nil || cfg.Explain == nil || cfg.Build == nil {
		panic("serve: Config needs Decode, Explain and Build")
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.MaxPixels <= 0 {
		cfg.MaxPixels = DefaultMaxPixels
	}
	if cfg.MaxSide <= 0 {
		cfg.MaxSide = DefaultMaxSide
	}
	if cfg.OCRSlots <= 0 {
		cfg.OCRSlots = DefaultOCRSlots
	}
	if cfg.InFlight <= 0 {
		cfg.InFlight = DefaultInFlight
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.OCRHelp == "" {
		cfg.OCRHelp = DefaultOCRHelp
	}
	h := &handler{cfg: cfg, mux: http.NewServeMux(), ocr: make(chan struct{}, cfg.OCRSlots), inFlight: make(chan struct{}, cfg.InFlight)}
	h.mux.HandleFunc("GET /{$}", h.page)
	h.mux.Handle("GET /assets/", assetHandler())
	var err error
	if h.html, err = h.renderPage(); err != nil {
		panic("serve: the page's template: " + err.Error())
	}
	// The API checks methods itself, to answer every error in JSON.
	h.mux.HandleFunc("/api/decode", only(http.MethodPost, h.read(cfg.Decode)))
	h.mux.HandleFunc("/api/explain", only(http.MethodPost, h.read(cfg.Explain)))
	h.mux.HandleFunc("/api/build", only(http.MethodGet, h.build))
	h.mux.HandleFunc("/api/qr", only(http.MethodGet, h.qr))
	h.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API: "+r.URL.Path)
	})
	return h
}

// csp allows the page's own script, style and images (the QR code, and the
// preview of a pasted screenshot as a blob: URL) and nothing else: no inline
// script or style, no framing, no forms posting elsewhere.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", csp)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	hd.Set("Cross-Origin-Resource-Policy", "same-origin")
	hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	hd.Set("Cache-Control", "no-store")
	if len(h.cfg.Hosts) > 0 && !slices.Contains(h.cfg.Hosts, strings.ToLower(r.Host)) {
		writeError(w, http.StatusMisdirectedRequest, "this server answers only at http://"+h.cfg.Hosts[0]+"/, not at host "+r.Host)
		return
	}
	// Browsers send Origin with a POST; another site's page must not use
	// this API through the user's browser.
	if o := r.Header.Get("Origin"); o != "" && r.Method != http.MethodGet && r.Method != http.MethodHead {
		if u, err := url.Parse(o); err != nil || !strings.EqualFold(u.Host, r.Host) {
			writeError(w, http.StatusForbidden, "requests from another site's page ("+o+") are refused")
			return
		}
	}
	h.mux.ServeHTTP(w, r)
}

// only answers 405 to any method but m (and HEAD for GET).
func only(m string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != m && !(m == http.MethodGet && r.Method == http.MethodHead) {
			w.Header().Set("Allow", m)
			writeError(w, http.StatusMethodNotAllowed, r.Method+" "+r.URL.Path+": use "+m)
			return
		}
		next(w, r)
	}
}
