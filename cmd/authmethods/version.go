package main

import (
	"runtime"
	"runtime/debug"

	"github.com/spf13/pflag"
)

var versionCmd = &command{
	name:    "version",
	summary: "print the version of authmethods",
	usage:   "[flags]",
	help: `Print the version of authmethods and of the Go toolchain that built it.
"(devel)" means a build from a source tree (go run, go build) rather than
go install …@version.

With --json, one object: version, go.

Examples:
  authmethods version
  authmethods --version
`,
	setup: func(fs *pflag.FlagSet) runFunc { return runVersion },
}

func runVersion(c *invocation, args []string) int {
	if len(args) > 0 {
		return c.usagef("version takes no arguments, got %s", quote(args[0]))
	}
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	if c.json {
		c.writeJSON(struct {
			Version string `json:"version"`
			Go      string `json:"go"`
		}{v, runtime.Version()})
	} else {
		c.printf("authmethods %s %s\n", v, runtime.Version())
	}
	return c.done()
}
