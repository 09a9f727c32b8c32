package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Which inputs are read whole: a MIME message or HTML, decided from the
// start alone.
func TestWholeKind(t *testing.T) {
	tests := []struct {
		head, want string
	}{
		{"MIME-Version: 1.0\nContent-Type: text/html\n\n<p>", "mail"},
		{"Content-Transfer-Encoding: quoted-printable\r\n\r\nx", "mail"},
		{"Subject: hi\n\ntext", ""}, // a pasted mail without MIME fields
		{"<html><body>", "HTML"},
		{"\n  <p>Hi", "HTML"},
		{"<a href=\"https://evil.example\">", "HTML"},
		{"<A\nhref=x>", "HTML"},
		{"<!DOCTYPE html>", "HTML"},
		{"<!-- saved -->", "HTML"},
		{"<h1>", "HTML"},
		{"<https://mysignins.microsoft.com/register?authMethods=48>", ""},
		{"<mysignins.microsoft.com/register?authMethods=48>", ""},
		{"<https://evil.example|https://mysignins.microsoft.com/>", ""},
		{"<1976>", ""},
		{"Fwd: see below\n<p>Register: <a\nhref=\"https://evil.example\">", "HTML"},
		{"Hi, this came in: <A HREF=x>link</A>", "HTML"},
		{"a <abbr> is not <a>", ""},
		{"<v:roundrect href=x>", "HTML"}, // Outlook's VML button starts it
		{"<o:p></o:p>", "HTML"},
		{"See: <v:rect href=\"https://evil.example\">", "HTML"},
		{"Map: <AREA\thref=x>", "HTML"},
		{"<v:1> is no shape", ""},
		{"vote <v: yes>", ""},
		{"<!x>", ""},
		{"1976\n", ""},
		{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", "mail"}, // an Outlook .msg
		{"https://mysignins.microsoft.com/register?authMethods=48", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := wholeKind([]byte(tt.head)); got != tt.want {
			t.Errorf("wholeKind(%q) = %q, want %q", tt.head, got, tt.want)
		}
	}
}

// peekHead waits for more only while the start could still be a header
// block or a tag: a pipe that sends a line of text at a time is not held
// up.
func TestPeekHeadDoesNotWait(t *testing.T) {
	tests := []struct {
		sent string
		wait bool
	}{
		{"1976\n", false},
		{"hello world, see https://x\n", false},
		{"  indented\n", false},
		{"<p>", false},
		{"\xD0\xCF\x11", true}, // an Outlook .msg so far
		{"<https://mysignins.microsoft.com/", false},
		{"Subject: hi\nTo: x\n\n", false},
		{"Subject: hi\nThis is text\n", false},
		{"Subject: hi\n", true},           // more header fields may come
		{"Subject: hi\n  folded\n", true}, // so may after a folded one
		{"\n\n", true},                    // white space only
		{"<ht", true},                     // a tag name, or a link
	}
	for _, tt := range tests {
		pr, pw := io.Pipe()
		go pw.Write([]byte(tt.sent))
		done := make(chan []byte)
		go func() { done <- peekHead(bufio.NewReaderSize(pr, peekSize)) }()
		select {
		case got := <-done:
			if tt.wait {
				t.Errorf("%q: peekHead returned %q; it should wait for more", tt.sent, got)
			}
		case <-time.After(200 * time.Millisecond):
			if !tt.wait {
				t.Errorf("%q: peekHead waits for more input", tt.sent)
			}
		}
		pw.Close()
		if tt.wait {
			<-done
		}
	}
}

// A message over the cap is read line by line, saying so, and its links
// are still found.
func TestMailOverCap(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 33 MiB")
	}
	filler := strings.Repeat(strings.Repeat("x", 99)+"\n", (33<<20)/100)
	in := "MIME-Version: 1.0\n\n" + filler + "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1\n"
	var out, errb bytes.Buffer
	if code := run([]string{"decode"}, strings.NewReader(in), &out, &errb); code != exitOK {
		t.Fatalf("status %d\n%s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "stdin: over 32 MiB: read line by line, not as a whole mail") {
		t.Errorf("stderr %q does not say the mail was over the cap", errb.String())
	}
	if !strings.Contains(out.String(), "authMethods=48 ") {
		t.Errorf("stdout %q: the link is not found", out.String())
	}
}

// Notepad saves UTF-8 with a byte-order mark: the mark is no part of the
// first line, which is then a mask.
func TestUTF8ByteOrderMark(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"decode"}, strings.NewReader("\xEF\xBB\xBF1976\n"), &out, &errb); code != exitOK {
		t.Fatalf("status %d\n%s", code, errb.String())
	}
	if !strings.HasPrefix(out.String(), "kind=mask authMethods=1976 ") || errb.Len() > 0 {
		t.Errorf("stdout %q, stderr %q: want the mask and nothing said", out.String(), errb.String())
	}
}

// A header block padded past the 64 KiB peek, with the MIME fields after
// the padding, is still read as mail: its base64 HTML part, which holds an
// evil <a> around the register link, is decoded and flagged.
func TestMailHeadersPastThePeek(t *testing.T) {
	var in strings.Builder
	for i := 0; in.Len() < 2*peekSize; i++ {
		fmt.Fprintf(&in, "Received: from host%d.example.com by mx.example.com; Mon, 6 Jan 2025 10:00:00 +0000\n", i)
	}
	html := `<a href="https://evil.example/x">https://mysignins.microsoft.com/register?authMethods=48&amp;authMethodCount=1</a>`
	in.WriteString("MIME-Version: 1.0\nContent-Type: text/html\nContent-Transfer-Encoding: base64\n\n")
	in.WriteString(base64.StdEncoding.EncodeToString([]byte(html)) + "\n")
	var out, errb bytes.Buffer
	if code := run([]string{"decode"}, strings.NewReader(in.String()), &out, &errb); code != exitNotGenuine {
		t.Fatalf("status %d, want %d\nstdout %s\nstderr %s", code, exitNotGenuine, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "reasons=link-text") {
		t.Errorf("stdout %q: want the link-text reason", out.String())
	}
}

// HTML that starts past the 64 KiB peek is read whole from its first link
// tag on: an <a> and its link text on different lines, or a link tag far
// back in a line longer than maxLine, still give the link its href, and
// line numbers count from the input's start.
func TestHTMLPastThePeek(t *testing.T) {
	prose := strings.Repeat("Thanks for getting back to me about the new phone.\n", 2*peekSize/51)
	lines := int64(strings.Count(prose, "\n"))
	const g = "https://mysignins.microsoft.com/register?authMethods=48&amp;authMethodCount=1"
	for _, tt := range []struct {
		name, html string
		line       int64 // of the link, counted in html from 1
	}{
		{"a over lines", "<a href=\"https://evil.example/x\">\n" + g + "\n</a>\n", 2},
		{"VML over lines", "<v:roundrect href=\"https://evil.example/x\">\n<center>" + g + "</center></v:roundrect>\n", 2},
		{"tag far back in a long line", "<a href=\"https://evil.example/x\">" + strings.Repeat("y ", maxLine) + g + "</a>\n", 1},
	} {
		var out, errb bytes.Buffer
		if code := run([]string{"decode", "--json"}, strings.NewReader(prose+tt.html), &out, &errb); code != exitNotGenuine {
			t.Fatalf("%s: status %d, want %d\nstderr %s", tt.name, code, exitNotGenuine, errb.String())
		}
		var rec struct {
			Line    int64 `json:"line"`
			Trusted bool  `json:"trusted"`
			Reasons []struct {
				Code string `json:"code"`
			} `json:"reasons"`
		}
		if err := json.Unmarshal(out.Bytes(), &rec); err != nil {
			t.Fatalf("%s: %v\n%s", tt.name, err, out.String())
		}
		if rec.Trusted || len(rec.Reasons) == 0 || rec.Reasons[0].Code != "link-text" || rec.Line != lines+tt.line {
			t.Errorf("%s: line %d, trusted %v, reasons %v; want line %d, link-text", tt.name, rec.Line, rec.Trusted, rec.Reasons, lines+tt.line)
		}
	}
}

// Text that is all there (a paste, a page's request, a file) is read line
// by line, and each link is judged with the whole text around it too:
// Markdown link text over lines and a reference defined lines away open
// their href, which their lines alone do not show.
func TestTextInContext(t *testing.T) {
	const g = "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"
	file := filepath.Join(t.TempDir(), "paste.txt")
	for _, tt := range []struct{ name, in string }{
		{"markdown text over lines", "[Please register at\n" + g + "](https://evil.example/r)\n"},
		{"markdown reference defined below", "Hi,\n\n[" + g + "][1]\n\nThanks\n\n[1]: https://evil.example/r\n"},
		{"textile text over lines", "\"Register at\n" + g + "\":https://evil.example/r\n"},
	} {
		if err := os.WriteFile(file, []byte(tt.in), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"decode", "--json"}, {"decode", "--json", file}} {
			var out, errb bytes.Buffer
			if code := run(args, strings.NewReader(tt.in), &out, &errb); code != exitNotGenuine || !strings.Contains(out.String(), `"code":"link-text"`) || strings.Contains(out.String(), `"trusted":true`) {
				t.Errorf("%s, %v: status %d, want %d and link-text only\n%s%s", tt.name, args[2:], code, exitNotGenuine, out.String(), errb.String())
			}
		}
	}
}
