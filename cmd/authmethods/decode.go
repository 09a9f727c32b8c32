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
	common:  withTrust | withCatalog | withMasks,
	help: `Decode each INPUT and print one line per mask or register link found.

An INPUT is a mask (1976, 0x7b8, sms,fido2, "password,sms", tap), a register
link, or any text holding register links (a mail, a log line, a Safe Links
URL), or the path of a text or mail file, read like stdin (decode says so on
stderr). With no INPUT, or with "-", decode reads stdin line by line: a line
that is a mask gives a mask, every register link in a line gives a link, and
other lines are skipped. An INPUT that is neither a mask nor holds a link is
an error naming it (status 1); the other INPUTs are still decoded. Labels
the tool prints ("Authenticator app code", "Temporary Access Pass") are read
as masks, in any case; a negative number is an invalid mask.

A file or stdin is read as a person sees it: a saved mail (.eml, a message's
source) is split into its parts, each decoded from base64 or quoted-printable
and its charset; UTF-16 or UTF-8 with a byte order mark (what Windows
PowerShell's > writes) is converted; HTML, and the HTML part of a mail, is
read whole (up to 32 MiB), so that a link shown as the text of an <a> whose
href goes elsewhere is caught even when the tag is on another line. A result
from a mail names its part (part=2, "part" in --json).

An INPUT that is an image file (PNG, JPEG, GIF, BMP or WebP, by content), or
an image on stdin, is a screenshot: its links are read with the Tesseract OCR
program (Debian: apt-get install tesseract-ocr; macOS: brew install tesseract)
and marked source=image, with a warning to compare the host's letters with
the image. OCR reads look-alike hosts (rnicrosoft, mysignlns) as the genuine
one, so such a link is never trusted: reasons=image, status 3. An address
cut off in the image is an error, never a shorter mask.

The text output is one line of key=value fields per result:
  kind  authMethods  authMethodCount  methods  unknownBits  catalog  host
  path  trusted  reasons  wrapped  line  part  source  input
(fields that do not apply are left out; path only when the browser opens
another host first). Warnings go to stderr.

With --json, each result is one JSON object per line with the fields
  input, line (stdin or file), part (of a mail), kind ("mask" or "link"),
  authMethods, authMethodCount (null when absent), methods (Graph names in
  bit order), unknownBits (numbers), url, host, path (the browser's way from
  the URL clicked to where it lands: [{url, host, via, safe}]), trusted,
  reasons ([{code, message}], when not trusted), wrapped (e.g.
  ["safelinks"]), catalog ({provenance: documented|observed|unknown, source,
  note}) and warnings (strings).
url, host, path, trusted, reasons and wrapped are only present for links;
source ("image") and image (the file, or "(stdin)") only for links read
from a screenshot.

Exit status: 0 ok, 1 an INPUT was invalid or nothing was found, 2 usage,
3 a link's host is not the genuine mysignins.microsoft.com, or a link was
read from a screenshot.

Examples:
  authmethods decode 1976
  authmethods decode 'https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1'
  authmethods decode sms,fido2 0x7b8
  pbpaste | authmethods decode --json
  authmethods decode --trust-host links.contoso.example mail.txt
  authmethods decode screenshot.png
`,
	setup: func(fs *pflag.FlagSet) runFunc { return runDecode },
}

func runDecode(c *invocation, args []string) int {
	readInputs(c, args, func(it item) {
		c.judge(it.Link)
		r := decodeResult(c, it)
		if c.json {
			c.writeJSON(r)
			return
		}
		c.println(decodeLine(c, r))
		for _, w := range r.Warnings {
			c.warnf("%s: %s", c.where(it), safeText(w))
		}
	})
	return c.done()
}

// decodeLine is the text form: key=value fields in a fixed order.
func decodeLine(c *invocation, r decodeJSON) string {
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
		if len(r.Path) > 1 || len(r.Path) == 1 && r.Path[0].Host != r.Host {
			// Where the browser goes first, when it is not the register link.
			var hosts []string
			for _, h := range r.Path {
				hosts = append(hosts, safeText(h.Host))
			}
			f = append(f, "path="+strings.Join(hosts, ">"))
		}
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
	if r.Part != "" {
		f = append(f, "part="+r.Part)
	}
	if r.Source != "" {
		f = append(f, "source="+r.Source)
	}
	f = append(f, c.paint(c.st.dim, "input="+quote(r.Input)))
	return strings.Join(f, " ")
}
