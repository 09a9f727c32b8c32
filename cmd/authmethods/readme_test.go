package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// The README shows real output of explain and decode for the 1976 link, and
// of explain for a lookalike link;
// this keeps it real as the commands change.
func TestREADMEOutput(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const link = "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"
	const lookalike = "https://mysignins.microsoft.com.evil.io/register?authMethods=48&authMethodCount=1"
	for _, tt := range []struct {
		args   []string
		status int
	}{
		{[]string{"explain", link}, exitOK},
		{[]string{"decode", link}, exitOK},
		{[]string{"decode", "--json", link}, exitOK},
		{[]string{"explain", lookalike}, exitNotGenuine},
	} {
		args := tt.args
		heading := "`authmethods " + strings.Join(args[:len(args)-1], " ") + " '" + args[len(args)-1] + "'`:\n\n"
		i := bytes.Index(readme, []byte(heading))
		if i < 0 {
			t.Errorf("README has no block headed %q", heading)
			continue
		}
		block := readme[i+len(heading):]
		start := bytes.IndexByte(block, '\n') + 1 // past the ``` line
		end := bytes.Index(block, []byte("\n```\n"))
		if start <= 0 || end < start {
			t.Errorf("README block for %v is not fenced", args)
			continue
		}
		want := string(block[start : end+1])
		var stdout, stderr bytes.Buffer
		if status := run(args, strings.NewReader(""), &stdout, &stderr); status != tt.status {
			t.Fatalf("%v: status %d: %s", args, status, stderr.String())
		}
		if got := stdout.String(); got != want {
			t.Errorf("README output of %v is stale.\ngot:\n%s\nREADME:\n%s", args, got, want)
		}
	}
}
