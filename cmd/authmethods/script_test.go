package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/charmbracelet/x/ansi"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the golden outputs of testdata/script")

// TestMain lets the test binary run as the authmethods command inside the
// scripts of testdata/script. testscript cannot give it a terminal: with
// TEST_TERMINAL=1 in a script, stdout is taken for one whose size is unknown,
// so that COLUMNS decides the width, as on a real terminal that sets it.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"authmethods": func() {
			if os.Getenv("TEST_TERMINAL") == "1" {
				isTerminal = func(w io.Writer) bool { return w == os.Stdout }
				terminalSize = func(io.Writer) int { return 0 }
			}
			os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
		},
	})
}

// TestScript pins the command-line behaviour: every command, its --json, each
// exit status and a bad input each. After a deliberate change, rewrite the
// golden outputs with "go test ./cmd/authmethods -run TestScript -update" and
// read the diff before committing it.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "")
			env.Setenv("TERM", "xterm")
			env.Setenv("COLUMNS", "")
			env.Setenv("AUTHMETHODS_CATALOG", "")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"jsonfields": jsonFields,
			"gzip":       gzipFile,
			"maxlines":   maxLines,
			"maxwidth":   maxWidth,
			"utf16":      utf16File,
		},
	})
}

// jsonFields is the script command "jsonfields OUT KEY...": for each JSON
// line of the last stdout it writes the KEYs' values, compactly, to file OUT,
// so that a script can pin what matters without every message's wording.
// "reasons.code" picks the code of each reason.
func jsonFields(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: jsonfields OUT KEY...")
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(ts.ReadFile("stdout")), "\n") {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			ts.Fatalf("stdout line %q: %v", line, err)
		}
		var fields []string
		for _, key := range args[1:] {
			fields = append(fields, key+"="+pick(obj, key))
		}
		fmt.Fprintln(&b, strings.Join(fields, " "))
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(b.String()), 0o666))
}

func pick(obj map[string]any, key string) string {
	head, rest, dotted := strings.Cut(key, ".")
	v, ok := obj[head]
	if !ok {
		return "<absent>"
	}
	if dotted {
		list, _ := v.([]any)
		var out []any
		for _, e := range list {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m[rest])
			}
		}
		v = out
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSpace(buf.String())
}

// gzipFile is the script command "gzip [-truncate] SRC DST": it writes SRC
// gzip-compressed to DST, cut in the middle with -truncate (a corrupt .gz).
func gzipFile(ts *testscript.TestScript, neg bool, args []string) {
	truncate := len(args) > 0 && args[0] == "-truncate"
	if truncate {
		args = args[1:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: gzip [-truncate] SRC DST")
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write([]byte(ts.ReadFile(args[0])))
	ts.Check(err)
	ts.Check(zw.Close())
	out := b.Bytes()
	if truncate {
		out = out[:len(out)/2]
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), out, 0o666))
}

// utf16File is the script command "utf16 [-be] SRC DST": DST is SRC in
// UTF-16 after a byte-order mark, little-endian (what Windows PowerShell's >
// writes) unless -be.
func utf16File(ts *testscript.TestScript, neg bool, args []string) {
	be := len(args) > 0 && args[0] == "-be"
	if be {
		args = args[1:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: utf16 [-be] SRC DST")
	}
	out := []byte{0xFF, 0xFE}
	if be {
		out = []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(ts.ReadFile(args[0]))) {
		if be {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), out, 0o666))
}

// maxLines is the script command "maxlines N": the last stdout has at most N
// lines.
func maxLines(ts *testscript.TestScript, neg bool, args []string) {
	n := scriptInt(ts, neg, args, "maxlines N")
	if got := strings.Count(ts.ReadFile("stdout"), "\n"); got > n {
		ts.Fatalf("stdout has %d lines, more than %d", got, n)
	}
}

// maxWidth is the script command "maxwidth N": every line of the last
// stdout fits N columns (escape codes take none), except a line that ends
// in a URL or holds a single word, which is never broken.
func maxWidth(ts *testscript.TestScript, neg bool, args []string) {
	n := scriptInt(ts, neg, args, "maxwidth N")
	for i, line := range strings.Split(ts.ReadFile("stdout"), "\n") {
		fields := strings.Fields(ansi.Strip(line))
		if ansi.StringWidth(line) > n && len(fields) > 1 && !strings.HasPrefix(fields[len(fields)-1], "https://") {
			ts.Fatalf("stdout line %d is %d columns, more than %d: %q", i+1, ansi.StringWidth(line), n, line)
		}
	}
}

func scriptInt(ts *testscript.TestScript, neg bool, args []string, usage string) int {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: %s", usage)
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	return n
}
