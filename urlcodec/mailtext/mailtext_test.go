package mailtext

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
)

const link = "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"

// crlf writes s with the line ends of mail on the wire.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// utf16LE encodes s as UTF-16 LE after a byte-order mark, as PowerShell's
// > writes a file.
func utf16LE(s string, bom bool) string {
	var b []byte
	if bom {
		b = []byte{0xFF, 0xFE}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

func utf16BE(s string) string {
	b := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return string(b)
}

// base64 of "link " + link + "\n".
const linkB64 = "bGluayBodHRwczovL215c2lnbmlucy5taWNyb3NvZnQuY29tL3JlZ2lzdGVyP2F1dGhNZXRob2RzPTE5NzYmYXV0aE1ldGhvZENvdW50PTEK"

// base64 of "<p>please register: <a href=\"https://evil.example/x\">…48&amp;…</a></p>\n".
const evilHTMLB64 = "PHA+cGxlYXNlIHJlZ2lzdGVyOiA8YSBocmVmPSJodHRwczovL2V2aWwuZXhhbXBsZS94Ij5odHRwczovL215c2lnbmlucy5taWNyb3NvZnQuY29tL3JlZ2lzdGVyP2F1dGhNZXRob2RzPTQ4JmFtcDthdXRoTWV0aG9kQ291bnQ9MTwvYT48L3A+Cg=="

const evilHTML = `<p>please register: <a href="https://evil.example/x">https://mysignins.microsoft.com/register?authMethods=48&amp;authMethodCount=1</a></p>` + "\n"

func TestParts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Part
		err  error // errors.Is
	}{
		{
			name: "plain text is itself",
			in:   "Hi,\nplease register: " + link + "\n",
			want: []Part{{Text: "Hi,\nplease register: " + link + "\n"}},
		},
		{
			// What Outlook copies: headers a person reads, no MIME.
			name: "a pasted mail without MIME fields is text",
			in:   "From: IT <it@contoso.example>\nSubject: register\n\nPlease register: " + link + "\n",
			want: []Part{{Text: "From: IT <it@contoso.example>\nSubject: register\n\nPlease register: " + link + "\n"}},
		},
		{
			name: "base64 text/plain, CRLF, split lines",
			in: crlf("From: it@contoso.example\nMIME-Version: 1.0\nContent-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: base64\n\n" +
				linkB64[:40] + "\n" + linkB64[40:] + "\n"),
			want: []Part{{Section: "1", Type: "text/plain", Text: "link " + link + "\n", Note: "the mail's text/plain part, decoded from base64"}},
		},
		{
			name: "base64 without padding, spaces and upper-case header values",
			in:   "Content-Type: TEXT/PLAIN\nContent-Transfer-Encoding: BASE64\n\n" + strings.TrimRight(linkB64, "=") + " \n",
			want: []Part{{Section: "1", Type: "text/plain", Text: "link " + link + "\n", Note: "the mail's text/plain part, decoded from base64"}},
		},
		{
			name: "base64 cut off",
			in:   "Content-Transfer-Encoding: base64\n\n" + linkB64[:41],
			want: []Part{{Section: "1", Type: "text/plain", Text: "link https://mysignins.microso", Note: "the mail's text/plain part, decoded from base64; the base64 is cut off: its last character is dropped"}},
		},
		{
			name: "base64 with text after its end",
			in:   "Content-Transfer-Encoding: base64\n\n" + linkB64 + "==\n-- \nsignature\n",
			want: []Part{{Section: "1", Type: "text/plain", Text: "link " + link + "\n", Note: "the mail's text/plain part, decoded from base64; the base64 goes on after its end ('='): only what comes before is read"}},
		},
		{
			name: "quoted-printable HTML, soft break inside the tag",
			in: "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" +
				"<a href=3D\"ht=\ntps://evil.example/x\">https://mysignins.microsoft.com/register?au=\nthMethods=3D48&amp;authMethodCount=3D1</a>   \n",
			want: []Part{{Section: "1", Type: "text/html", Text: `<a href="https://evil.example/x">https://mysignins.microsoft.com/register?authMethods=48&amp;authMethodCount=1</a>` + "\n", Note: "the mail's text/html part, decoded from quoted-printable"}},
		},
		{
			// Go's mime/quotedprintable stops at a control byte or "= x"
			// before a line end; mail programs read on.
			name: "broken quoted-printable is read on",
			in:   "Content-Transfer-Encoding: quoted-printable\n\nform\ffeed =zz =\r\nauthMethods=3d48 =",
			want: []Part{{Section: "1", Type: "text/plain", Text: "form\ffeed =zz authMethods=48 ", Note: "the mail's text/plain part, decoded from quoted-printable"}},
		},
		{
			name: "only Content-Transfer-Encoding",
			in:   "Content-Transfer-Encoding: quoted-printable\n\nOpen https://mysignins.microsoft.com/register?authMethods=3D19=\n76&authMethodCount=3D1 now.\n",
			want: []Part{{Section: "1", Type: "text/plain", Text: "Open " + link + " now.\n", Note: "the mail's text/plain part, decoded from quoted-printable"}},
		},
		{
			name: "multipart/alternative: both parts, in order",
			in: crlf("MIME-Version: 1.0\nContent-Type: multipart/alternative;\n boundary=\"==b==\"\n\npreamble\n--==b==\nContent-Type: text/plain; charset=utf-8\n\n" + link +
				"\n--==b==\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + evilHTMLB64 + "\n--==b==--\nepilogue\n"),
			want: []Part{
				{Section: "1", Type: "text/plain", Text: link, Note: "part 1 of the mail, text/plain"},
				{Section: "2", Type: "text/html", Text: evilHTML, Note: "part 2 of the mail, text/html, decoded from base64"},
			},
		},
		{
			name: "multipart/mixed: nested alternative, an image skipped, a text attachment",
			in: "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=outer\n\n" +
				"--outer\nContent-Type: multipart/alternative; boundary=inner\n\n" +
				"--inner\nContent-Type: text/plain\n\nplain\n--inner\nContent-Type: text/html\n\n<p>html</p>\n--inner--\n" +
				"--outer\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n" +
				"--outer\nContent-Type: text/plain; name=a.txt\nContent-Disposition: attachment; filename=\"links.txt\"\n\n" + link + "\n--outer--\n",
			want: []Part{
				{Section: "1.1", Type: "text/plain", Text: "plain", Note: "part 1.1 of the mail, text/plain"},
				{Section: "1.2", Type: "text/html", Text: "<p>html</p>", Note: "part 1.2 of the mail, text/html"},
				{Section: "3", Type: "text/plain", Text: link, Note: `part 3 of the mail, text/plain, attachment "links.txt"`},
			},
		},
		{
			name: "a forwarded message",
			in: "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nSee below.\n" +
				"--b\nContent-Type: message/rfc822\n\nFrom: evil@evil.example\nSubject: hi\nContent-Type: text/html\nContent-Transfer-Encoding: base64\n\n" + evilHTMLB64 + "\n--b--\n",
			want: []Part{
				{Section: "1", Type: "text/plain", Text: "See below.", Note: "part 1 of the mail, text/plain"},
				{Section: "2.1", Type: "text/html", Text: evilHTML, Note: "part 2.1 of the mail, the text/html of a forwarded message, decoded from base64"},
			},
		},
		{
			name: "a forwarded multipart message",
			in: "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=c\n\n" +
				"--c\n\none\n--c\nContent-Type: text/html\n\ntwo\n--c--\n--b--\n",
			want: []Part{
				{Section: "1.1", Type: "text/plain", Text: "one", Note: "part 1.1 of the mail, text/plain, in a forwarded message"},
				{Section: "1.2", Type: "text/html", Text: "two", Note: "part 1.2 of the mail, text/html, in a forwarded message"},
			},
		},
		{
			name: "a forwarded message with broken headers is text",
			in:   "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\n not a header\n" + link + "\n--b--\n",
			want: []Part{{Section: "1", Type: "text/plain", Text: " not a header\n" + link, Note: "part 1 of the mail, text/plain; the forwarded message's headers are broken: read as text"}},
		},
		{
			name: "a digest's parts are messages",
			in:   "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\n" + link + "\n--d--\n",
			want: []Part{{Section: "1.1", Type: "text/plain", Text: link, Note: "part 1.1 of the mail, the text/plain of a forwarded message"}},
		},
		{
			name: "charset windows-1252",
			in:   "Content-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: quoted-printable\n\nCaf=E9 =80 " + strings.ReplaceAll(link, "=", "=3D"),
			want: []Part{{Section: "1", Type: "text/plain", Text: "Café € " + link, Note: "the mail's text/plain part, decoded from quoted-printable (charset windows-1252)"}},
		},
		{
			name: "charset iso-8859-1 is windows-1252, as in browsers",
			in:   "Content-Type: text/plain; charset=\"ISO-8859-1\"\n\nCaf\xe9",
			want: []Part{{Section: "1", Type: "text/plain", Text: "Café", Note: "the mail's text/plain part (charset windows-1252)"}},
		},
		{
			name: "unknown charset: the bytes as they are",
			in:   "Content-Type: text/plain; charset=x-klingon\n\n" + link,
			want: []Part{{Section: "1", Type: "text/plain", Text: link, Note: `the mail's text/plain part; charset "x-klingon" is unknown here: the bytes are read as they are`}},
		},
		{
			// WHATWG reads ISO-2022-KR as U+FFFD only: that would hide the link.
			name: "a replacement charset: the bytes as they are",
			in:   "Content-Type: text/html; charset=iso-2022-kr\n\n" + link,
			want: []Part{{Section: "1", Type: "text/html", Text: link, Note: `the mail's text/html part; charset "iso-2022-kr" is unknown here: the bytes are read as they are`}},
		},
		{
			name: "unknown transfer encoding",
			in:   "Content-Transfer-Encoding: x-uuencode\n\n" + link,
			want: []Part{{Section: "1", Type: "text/plain", Text: link, Note: `the mail's text/plain part; unknown Content-Transfer-Encoding "x-uuencode": read as it is`}},
		},
		{
			name: "malformed Content-Type",
			in:   "Content-Type: text/html; charset\n\n" + link,
			want: []Part{{Section: "1", Type: "text/html", Text: link, Note: "the mail's text/html part; its Content-Type is malformed: read as text/html"}},
		},
		{
			name: "a boundary that never comes: the body as text",
			in:   "Content-Type: multipart/alternative; boundary=nothere\n\n" + link + "\n",
			want: []Part{{Section: "1", Type: "text/plain", Text: link + "\n", Note: `part 1 of the mail, text/plain; read the whole multipart/alternative as text: its boundary "nothere" is not in it`}},
		},
		{
			name: "no boundary",
			in:   "Content-Type: multipart/mixed\n\n" + link,
			want: []Part{{Section: "1", Type: "text/plain", Text: link, Note: "part 1 of the mail, text/plain; read the whole multipart/mixed as text: it names no boundary"}},
		},
		{
			name: "cut off before the closing boundary",
			in:   "Content-Type: multipart/alternative; boundary=b\n\n--b\n\none\n--b\nContent-Type: text/html\n\n" + link,
			want: []Part{
				{Section: "1", Type: "text/plain", Text: "one", Note: "part 1 of the mail, text/plain"},
				{Section: "2", Type: "text/html", Text: link, Note: "part 2 of the mail, text/html; the part is cut off (the message ends before its closing boundary)"},
			},
		},
		{
			name: "only an image: no part",
			in:   "Content-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n",
			want: nil,
		},
		{
			name: "UTF-16 LE with a byte-order mark",
			in:   utf16LE("please register: "+link+"\r\n", true),
			want: []Part{{Text: "please register: " + link + "\r\n", Note: "converted from UTF-16LE (the input starts with a byte-order mark)"}},
		},
		{
			name: "UTF-16 BE with a byte-order mark",
			in:   utf16BE(link),
			want: []Part{{Text: link, Note: "converted from UTF-16BE (the input starts with a byte-order mark)"}},
		},
		{
			name: "UTF-8 byte-order mark dropped",
			in:   "\xEF\xBB\xBF" + link,
			want: []Part{{Text: link, Note: "without its UTF-8 byte-order mark"}},
		},
		{
			name: "UTF-16 LE, odd length: U+FFFD, no error",
			in:   utf16LE("ab", true) + "c",
			want: []Part{{Text: "ab\uFFFD", Note: "converted from UTF-16LE (the input starts with a byte-order mark)"}},
		},
		{
			name: "UTF-16 LE mail",
			in:   utf16LE("Content-Transfer-Encoding: base64\r\n\r\n"+linkB64, true),
			want: []Part{{Section: "1", Type: "text/plain", Text: "link " + link + "\n", Note: "converted from UTF-16LE (the input starts with a byte-order mark); the mail's text/plain part, decoded from base64"}},
		},
		{
			name: "UTF-16 without a byte-order mark is not guessed",
			in:   utf16LE("ab", false),
			want: []Part{{Text: "a\x00b\x00"}},
		},
		{
			name: "too large",
			in:   strings.Repeat("x", MaxInput+1),
			err:  ErrTooLarge,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parts([]byte(tt.in))
			if tt.err != nil || err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("error %v, want %v", err, tt.err)
				}
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%d parts, want %d:\n%s", len(got), len(tt.want), dump(got))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("part %d:\n got %#v\nwant %#v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func dump(ps []Part) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%#v\n", p)
	}
	return b.String()
}

// The bounds stop a crafted message with an *Error, after the parts
// before it.
func TestPartsBounds(t *testing.T) {
	nested := func(n int) string {
		var b strings.Builder
		b.WriteString("Content-Type: multipart/mixed; boundary=b0\n\n")
		for i := range n {
			fmt.Fprintf(&b, "--b%d\nContent-Type: text/plain\n\nlevel %d\n--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i, i, i, i+1)
		}
		return b.String()
	}
	forwards := func(n int) string {
		return strings.Repeat("Content-Type: message/rfc822\n\n", n) + "Subject: x\n\n" + link
	}
	// bulky is n forwards, each a multipart whose first part is the next,
	// around a 30 MB body: each level copies it.
	bulky := func(n int) string {
		inner := "Content-Type: text/plain\n\n" + strings.Repeat("x", 30<<20)
		for i := range n {
			inner = fmt.Sprintf("Content-Type: multipart/mixed; boundary=q%d\n\n--q%d\nContent-Type: message/rfc822\n\n%s\n--q%d--\n", i, i, inner, i)
		}
		return inner
	}
	many := func(n int) string {
		var b strings.Builder
		b.WriteString("Content-Type: multipart/mixed; boundary=b\n\n")
		for range n {
			b.WriteString("--b\n\nx\n")
		}
		return b.String() + "--b--\n"
	}
	tests := []struct {
		name  string
		in    string
		parts int
		err   string
	}{
		{"multiparts nested deep", nested(40), MaxDepth, "mailtext: part " + strings.Repeat("2.", MaxDepth-1) + "2: parts and forwarded messages nested more than 16 levels deep (a forward is one or two levels): the inner ones are not read"},
		{"forwards nested deep", forwards(40), 0, "mailtext: part " + strings.Repeat("1.", MaxDepth) + "1: parts and forwarded messages nested more than 16 levels deep (a forward is one or two levels): the inner ones are not read"},
		{"bulk copied level after level", bulky(12), -1, fmt.Sprintf("mailtext: part %s: the nested parts hold more than %d MiB in all: the rest is not read", "1.1.1", MaxCopied>>20)},
		{"too many parts", many(MaxParts + 50), MaxParts, fmt.Sprintf("mailtext: part %d: more than %d parts: the rest is not read", MaxParts+1, MaxParts)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parts([]byte(tt.in))
			var e *Error
			if !errors.As(err, &e) || err.Error() != tt.err {
				t.Fatalf("error %v, want %s", err, tt.err)
			}
			if tt.parts >= 0 && len(got) != tt.parts {
				t.Errorf("%d parts, want %d", len(got), tt.parts)
			}
		})
	}
}

func TestIsMessage(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"MIME-Version: 1.0\n\nx", true},
		{"content-type: text/html\r\n\r\n<p>", true},
		{"Content-Transfer-Encoding: base64\n\n", true},
		{"Received: from x\n  by y\nContent-Type: text/plain\n\nbody", true},
		{"Content-Type: text/plain", true}, // headers only, cut at the end
		{"Subject: hi\n\nContent-Type: text/plain\n", false},
		{"From: a\nTo: b\n\ntext", false},
		{"Note: see\nhttps://mysignins.microsoft.com/register?authMethods=48\n\n", false},
		{" Content-Type: text/plain\n\n", false},
		{"\nContent-Type: text/plain\n\n", false},
		{"Hi Anna: Content-Type: text/plain\n\n", false},
		{link, false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsMessage([]byte(tt.in)); got != tt.want {
			t.Errorf("IsMessage(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
