package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

const link1976 = "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"

// runCapture runs the program as main would, with stdout seen as a terminal
// when tty is true.
func runCapture(t *testing.T, tty bool, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	old := isTerminal
	isTerminal = func(io.Writer) bool { return tty }
	defer func() { isTerminal = old }()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// Colours and tables only on a terminal, and never with NO_COLOR,
// --no-color or --json.
func TestStyling(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	for _, args := range [][]string{
		{"explain", link1976},
		{"list"},
		{"decode", "https://mysignins.microsoft.com.evil.example/register?authMethods=48"},
		{"diff", "1720", "1976"},
	} {
		_, out, _ := runCapture(t, true, "", args...)
		if !strings.Contains(out, "\x1b[") {
			t.Errorf("%v on a terminal: no styling:\n%s", args, out)
		}
		_, out, _ = runCapture(t, false, "", args...)
		if strings.Contains(out, "\x1b") {
			t.Errorf("%v into a pipe: escape codes:\n%q", args, out)
		}
		_, out, _ = runCapture(t, true, "", append(args, "--no-color")...)
		if strings.Contains(out, "\x1b") {
			t.Errorf("%v --no-color: escape codes:\n%q", args, out)
		}
		_, out, _ = runCapture(t, true, "", append(args, "--json")...)
		if strings.Contains(out, "\x1b") {
			t.Errorf("%v --json: escape codes:\n%q", args, out)
		}
		t.Setenv("NO_COLOR", "1")
		_, out, _ = runCapture(t, true, "", args...)
		if strings.Contains(out, "\x1b") {
			t.Errorf("%v NO_COLOR=1: escape codes:\n%q", args, out)
		}
		t.Setenv("NO_COLOR", "")
	}
}

// Whatever an input holds, it reaches the terminal as text: escape codes and
// bidi overrides in a pasted link are written as \u escapes.
func TestInputCannotDriveTerminal(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	evil := "https://mysignins.microsoft.com\u202e.evil.example/register?authMethods=48\x1b]0;pwned\x07"
	for _, cmd := range []string{"decode", "explain"} {
		_, out, errs := runCapture(t, false, "", cmd, evil, "sms\x1b[31m")
		for _, s := range []string{out, errs} {
			if strings.ContainsAny(s, "\x1b\x07\u202e") {
				t.Errorf("%s: raw control characters reach the terminal:\n%q", cmd, s)
			}
		}
	}
}

// A bug ends in status 4 with a message, not a stack trace.
func TestRunRecovers(t *testing.T) {
	boom := &command{name: "boom", setup: func(*pflag.FlagSet) runFunc {
		return func(*invocation, []string) int { panic("boom") }
	}}
	commands = append(commands, boom)
	defer func() { commands = commands[:len(commands)-1] }()
	code, _, errs := runCapture(t, false, "", "boom")
	if code != exitInternal || !strings.Contains(errs, "internal error: boom") || strings.Contains(errs, "goroutine") {
		t.Errorf("status %d, stderr %q", code, errs)
	}
}

// No input reaches that last resort: hostile and malformed inputs get
// statuses 0 to 3.
func TestNoPanics(t *testing.T) {
	inputs := []string{
		"", "-", "--", "\x00", "0x", "-0", "+", "4294967296", "0xffffffff", "sms,,", ",,,", "|", "\"", "'",
		"https://", "https://mysignins.microsoft.com/register?authMethods=",
		"https://mysignins.microsoft.com/register?authMethods=1&authMethods=1&authMethodCount=1&authMethodCount=2",
		"https://[::1]/register?authMethods=1", "https://mysignins.microsoft.com:99999/register?authMethods=1",
		"https://%zz/register?authMethods=1", "mysignins.microsoft.com/register?authMethods=" + strings.Repeat("9", 1000),
		strings.Repeat("authMethods=1&", 5000), strings.Repeat("%25", 30000) + "authMethods=1",
		"https://a.safelinks.protection.outlook.com/?url=" + strings.Repeat("https%3A%2F%2Fa.safelinks.protection.outlook.com%2F%3Furl%3D", 20),
		"\xff\xfe", "ｍｙｓｉｇｎｉｎｓ.microsoft.com/register?authMethods=48",
	}
	for _, in := range inputs {
		for _, cmd := range [][]string{{"decode"}, {"decode", "--json"}, {"explain"}, {"explain", "--json"}, {"build"}, {"strip"}, {"diff", "1"}} {
			args := append(append([]string{}, cmd...), "--", in)
			code, _, errs := runCapture(t, false, in, args...)
			if code > exitNotGenuine || strings.Contains(errs, "internal error") {
				t.Errorf("%v: status %d\n%s", args, code, errs)
			}
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(link1976)
	f.Add("sms,fido2")
	f.Add("https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48&data=1")
	f.Fuzz(func(t *testing.T, in string) {
		for _, cmd := range []string{"decode", "explain"} {
			code, _, errs := runCapture(t, false, in, cmd, "--", in, "-")
			if code > exitNotGenuine || strings.Contains(errs, "internal error") {
				t.Fatalf("%s %q: status %d\n%s", cmd, in, code, errs)
			}
		}
	})
}

// Prose breaks at spaces only: every line fits unless it is one long word
// (a URL), which is never broken.
func TestWrap(t *testing.T) {
	url := "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"
	for _, tt := range []struct {
		in          string
		width, hang int
		want        string
	}{
		{"one two three", 80, 0, "one two three"},
		{strings.Repeat("word ", 12) + "end", 40, 2, "word word word word word word word word\n  word word word word end"},
		{"Link: " + url + " ok", 40, 4, "Link:\n    " + url + "\n    ok"},
		{"short", 10, 0, "short"}, // narrower than minWidth: wrapped at minWidth
	} {
		if got := wrap(tt.in, tt.width, tt.hang); got != tt.want {
			t.Errorf("wrap(%q, %d, %d) =\n%s\nwant\n%s", tt.in, tt.width, tt.hang, got, tt.want)
		}
	}
}

// A table is fitted by wrapping cells, never its headers; when the headers
// alone do not fit, it is not drawn as a table.
func TestFitColumns(t *testing.T) {
	head := []string{"bit", "name", "description"}
	rows := [][]string{{"1", "password", strings.Repeat("a long description ", 5)}}
	h, r, fits := fitColumns(head, rows, 40)
	if !fits || strings.Join(h, "|") != "bit|name|description" {
		t.Fatalf("headers %q, fits %v", h, fits)
	}
	for _, cell := range r[0] {
		for _, line := range strings.Split(cell, "\n") {
			if w := len(strings.TrimRight(line, " ")); w > 40-4-6 {
				t.Errorf("cell line %q is %d wide", line, w)
			}
		}
	}
	if r[0][0] != "1" && strings.TrimSpace(r[0][0]) != "1" {
		t.Errorf("narrow cell changed: %q", r[0][0])
	}
	if _, _, fits := fitColumns([]string{"a long header", "another long header"}, nil, 20); fits {
		t.Error("headers wider than the screen were said to fit")
	}
}

// On a terminal narrower than 80 columns, help is rewrapped: its prose
// and the command list fit, and it says the same words as in a pipe.
func TestHelpNarrowTerminal(t *testing.T) {
	t.Setenv("COLUMNS", "60")
	all := [][]string{{"--help"}}
	for _, c := range commands {
		all = append(all, []string{c.name, "--help"})
	}
	for _, args := range all {
		_, narrow, _ := runCapture(t, true, "", args...)
		_, wide, _ := runCapture(t, false, "", args...)
		if squeeze(narrow) != squeeze(wide) {
			t.Errorf("%v: the narrow help says other words:\n%s", args, narrow)
		}
		rows := map[string]bool{} // the command list of the root help
		for _, c := range commands {
			rows["  "+c.name+" "] = true
		}
		for line := range strings.Lines(narrow) {
			line = strings.TrimSuffix(line, "\n")
			// Examples, flags and literal links are indented and kept whole.
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "  "), " ")
			row := strings.HasPrefix(line, "  ") && rows["  "+name+" "]
			if n := len([]rune(line)); n > 60 && (!strings.HasPrefix(line, " ") || row) {
				t.Errorf("%v: a line of %d columns at 60:\n%s", args, n, line)
			}
		}
	}
}

// squeeze drops all white space, which rewrapping moves.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }
