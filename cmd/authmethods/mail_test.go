package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
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
