package main

import (
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

var decodeCmd = &command{
	name:    "decode",
	summary: "decode masks and register links: methods, count, host verdict",
	usage:   "[flags] [INPUT...]",
	common:  withTrust | withCatalog,
	help: `Decode each INPUT and print one line per mask or register link found.

An INPUT is a mask (1976, 0x7b8, sms,fido2, "password,sms", tap), a register
link, or any text holding register links (a mail, a log line, a Safe Links
URL). With no INPUT, or with "-", decode reads stdin line by line: a line
that is a mask gives a mask, every register link in a line gives a link, and
other lines are skipped. An INPUT that is neither a mask nor holds a link is
an error naming it (status 1); the other INPUTs are still decoded.

An INPUT that is an image file (PNG, JPEG, GIF, BMP or WebP, by content), or
an image on stdin, is a screenshot: its links are read with the Tesseract OCR
program (Debian: apt-get install tesseract-ocr; macOS: brew install tesseract)
and marked source=image, with a warning to compare the host's letters with
the image. An address cut off in the image is an error, never a shorter mask.

The text output is one line of key=value fields per result:
  kind  authMethods  authMethodCount  methods  unknownBits  catalog  host
  trusted  reasons  wrapped  line  source  input
(fields that do not apply are left out). Warnings go to stderr.

With --json, each result is one JSON object per line with the fields
  input, line (stdin only), kind ("mask" or "link"), authMethods,
  authMethodCount (null when absent), methods (Graph names in bit order),
  unknownBits (numbers), url, host, trusted, reasons ([{code, message}],
  when not trusted), wrapped (e.g. ["safelinks"]), catalog ({provenance:
  documented|observed|unknown, source, note}) and warnings (strings).
url, host, trusted, reasons and wrapped are only present for links.
source ("image") and image (the file, or "(stdin)") are only present for
links read from a screenshot.

Exit status: 0 ok, 1 an INPUT was invalid or nothing was found, 2 usage,
3 a link's host is not the genuine mysignins.microsoft.com.

Examples:
  authmethods decode 1976
  authmethods decode 'https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1'
  authmethods decode sms,fido2 0x7b8
  pbpaste | authmethods decode --json
  authmethods decode screenshot.png
  authmethods decode --trust-host links.contoso.example < mail.txt
`,
	setup: func(fs *pflag.FlagSet) runFunc { return runDecode },
}

// decodeJSON is one decode result in --json output.
type decodeJSON struct {
	Input           string       `json:"input"`
	Line            int64        `json:"line,omitempty"`
	Kind            string       `json:"kind"`
	AuthMethods     uint32       `json:"authMethods"`
	AuthMethodCount *int         `json:"authMethodCount"`
	Methods         []string     `json:"methods"`
	UnknownBits     []uint32     `json:"unknownBits"`
	URL             string       `json:"url,omitempty"`
	Host            string       `json:"host,omitempty"`
	Trusted         *bool        `json:"trusted,omitempty"`
	Reasons         []reasonJSON `json:"reasons,omitempty"`
	Wrapped         []string     `json:"wrapped,omitempty"`
	Catalog         catalogJSON  `json:"catalog"`
	Warnings        []string     `json:"warnings"`
	imageJSON                    // source, image: a link read from a screenshot (image.go)
}

func runDecode(c *ctx, args []string) int {
	eachInput(c, args, func(it item) {
		r := decodeResult(c, it)
		if r.Trusted != nil && !*r.Trusted {
			c.notGenuine()
		}
		if c.json {
			c.writeJSON(r)
			return
		}
		c.println(decodeLine(c, r))
		for _, w := range r.Warnings {
			c.warnf("%s: %s", it.where(), safeText(w))
		}
	})
	return c.done()
}

func decodeResult(c *ctx, it item) decodeJSON {
	r := decodeJSON{
		Input:           it.Input,
		Line:            it.Line,
		Kind:            it.kind(),
		AuthMethods:     uint32(it.Mask),
		AuthMethodCount: countOf(it),
		Methods:         it.Mask.Names(),
		UnknownBits:     unknownBits(it.Mask),
		Catalog:         c.catalogOf(it.Mask),
		Warnings:        warningsOf(it),
		imageJSON:       it.imageJSON(),
	}
	if l := it.Link; l != nil {
		trusted := l.Verdict.Trusted
		r.URL, r.Host, r.Trusted = l.URL, l.Host, &trusted
		if !trusted {
			r.Reasons = reasonsOf(l.Verdict)
		}
		r.Wrapped = l.Wrapped
	}
	return r
}

// decodeLine is the text form: key=value fields in a fixed order.
func decodeLine(c *ctx, r decodeJSON) string {
	f := []string{"kind=" + r.Kind, "authMethods=" + strconv.FormatUint(uint64(r.AuthMethods), 10)}
	switch {
	case r.AuthMethodCount != nil:
		f = append(f, "authMethodCount="+itoa(*r.AuthMethodCount))
	case r.Kind == "link":
		f = append(f, "authMethodCount=absent")
	}
	methods := strings.Join(r.Methods, ",")
	if methods == "" {
		methods = "none"
	}
	f = append(f, "methods="+c.paint(c.st.name, methods))
	if len(r.UnknownBits) > 0 {
		var u []string
		for _, b := range r.UnknownBits {
			u = append(u, "0x"+strconv.FormatUint(uint64(b), 16))
		}
		f = append(f, "unknownBits="+c.paint(c.st.warn, strings.Join(u, ",")))
	}
	cat := "catalog=" + r.Catalog.Provenance
	if r.Catalog.Provenance != "documented" {
		cat = c.paint(c.st.warn, cat)
	}
	f = append(f, cat)
	if r.Trusted != nil {
		f = append(f, "host="+safeText(r.Host))
		if *r.Trusted {
			f = append(f, c.paint(c.st.ok, "trusted=true"))
		} else {
			var codes []string
			for _, rs := range r.Reasons {
				codes = append(codes, rs.Code)
			}
			f = append(f, c.paint(c.st.bad, "trusted=false"), c.paint(c.st.bad, "reasons="+strings.Join(codes, ",")))
		}
	}
	if len(r.Wrapped) > 0 {
		f = append(f, "wrapped="+strings.Join(r.Wrapped, ","))
	}
	if r.Line > 0 {
		f = append(f, "line="+strconv.FormatInt(r.Line, 10))
	}
	if r.Source != "" { // a link read from a screenshot (image.go)
		f = append(f, "source="+r.Source)
	}
	f = append(f, c.paint(c.st.dim, "input="+quote(r.Input)))
	return strings.Join(f, " ")
}
