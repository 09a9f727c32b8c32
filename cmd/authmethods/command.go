package main

// The command type, the table of commands, the flags every command shares,
// and how one invocation runs: run -> command.exec -> the command's runFunc.

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/pflag"
)

// commands is the command table: one line per command, in the order the root
// help lists them. A command lives in its own file (decode.go, …).
var commands = []*command{
	decodeCmd,
	explainCmd,
	buildCmd,
	strengthsCmd,
	stripCmd,
	scanCmd,
	kqlCmd,
	serveCmd,
	listCmd,
	diffCmd,
	probeCmd,
	versionCmd,
}

// command declares one subcommand.
type command struct {
	name    string // what the user types
	summary string // one line for the root help
	usage   string // the synopsis after "authmethods NAME "
	help    string // what it does and examples, for a person; ends with a newline
	common  common // the shared flags it takes besides --json, --color and --no-color
	// setup defines the command's own flags on fs and returns the function
	// that runs it once fs is parsed. It is called once per invocation, so
	// flag variables are locals of setup.
	setup func(fs *pflag.FlagSet) runFunc
}

// runFunc runs a command with the positional arguments left after the flags
// and returns the exit status, usually c.done() or c.usagef(…).
type runFunc func(c *invocation, args []string) int

// common selects the shared flags a command takes. Every command takes
// --json, --color, --no-color and --help.
type common uint8

const (
	// withTrust adds --trust-host H (repeatable): hosts the user trusts
	// besides the genuine one.
	withTrust common = 1 << iota
	// withCatalog adds --catalog FILE (repeatable) and reads
	// AUTHMETHODS_CATALOG: files of observed values that extend the catalog.
	withCatalog
	// withMasks: the arguments are masks and links, so that "-1" is a
	// negative mask, not a flag.
	withMasks
)

// globalFlags are the flags every command takes, which may also come before
// the command: "authmethods --no-color explain 48". The value says whether
// the flag takes a value as the next argument.
var globalFlags = map[string]bool{"--json": false, "--no-color": false, "--color": true}

// run is the whole program: main only passes the process's arguments and
// streams. It never panics: a bug is reported as exit status 4.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "authmethods: internal error: %v\nThis is a bug; please report it with the command line that caused it.\n", r)
			status = exitInternal
		}
	}()
	global, args := leadingGlobalFlags(args)
	if len(args) == 0 {
		writeRootHelp(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		writeRootHelp(stdout)
		return exitOK
	case "-version", "--version":
		args = append([]string{"version"}, args[1:]...)
	case "help":
		return runHelp(args[1:], stdout, stderr)
	}
	cmd := lookupCommand(args[0])
	if cmd == nil {
		if strings.HasPrefix(args[0], "-") {
			return unknownGlobalFlag(args[0], stderr)
		}
		return unknownCommand(args[0], stderr)
	}
	return cmd.exec(append(global, args[1:]...), stdin, stdout, stderr)
}

// leadingGlobalFlags splits off the global flags written before the command.
func leadingGlobalFlags(args []string) (global, rest []string) {
	for len(args) > 0 {
		name, _, hasValue := strings.Cut(args[0], "=")
		takesValue, ok := globalFlags[name]
		if !ok {
			break
		}
		n := 1
		if takesValue && !hasValue && len(args) > 1 {
			n = 2
		}
		global, args = append(global, args[:n]...), args[n:]
	}
	return global, args
}

func lookupCommand(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// flagSet builds the command's flags: its own first, then the shared ones,
// all bound to c.
func (cmd *command) flagSet(c *invocation, stderr io.Writer) (*pflag.FlagSet, runFunc, *[]string) {
	fs := pflag.NewFlagSet("authmethods "+cmd.name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // errors and help are written by exec, once
	fs.SortFlags = false
	fn := cmd.setup(fs)
	c.img.addFlags(cmd.name, fs)
	fs.BoolVar(&c.json, "json", false, "write JSON Lines: one JSON object per line")
	fs.StringVar(&c.color, "color", "auto", "colours and tables: `WHEN` = auto (on a terminal), always\n(e.g. for less -R) or never")
	fs.BoolVar(&c.noColor, "no-color", false, "no colours or tables even on a terminal (as NO_COLOR=1)")
	if cmd.common&withTrust != 0 {
		fs.StringArrayVar(&c.trustHosts, "trust-host", nil, "also trust links on host `H` (repeatable; a URL gives its\nhost); by default only mysignins.microsoft.com is genuine")
	}
	var catalogs []string
	if cmd.common&withCatalog != 0 {
		fs.StringArrayVar(&catalogs, "catalog", nil, "add the values in catalog `FILE` as observed (repeatable;\nformat in 'authmethods help list')")
	}
	fs.BoolP("help", "h", false, "show this help")
	return fs, fn, &catalogs
}

// negative matches an argument that is a negative number, which pflag would
// take for a flag.
var negative = regexp.MustCompile(`^-[0-9]`)

// exec parses the flags, prepares the invocation and runs the command.
func (cmd *command) exec(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &invocation{cmd: cmd, stdin: stdin, stderr: stderr}
	fs, fn, catalogs := cmd.flagSet(c, stderr)
	var negatives []string
	if cmd.common&withMasks != 0 {
		args, negatives = splitNegatives(fs, args)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			cmd.writeHelp(stdout, fs)
			return exitOK
		}
		return c.usagef("%v%s", err, flagSuggestion(fs, err))
	}
	if help, _ := fs.GetBool("help"); help {
		cmd.writeHelp(stdout, fs)
		return exitOK
	}
	switch c.color {
	case "auto", "always", "never":
	default:
		return c.usagef("--color %s: want auto, always or never", quote(c.color))
	}
	c.setOutput(stdout)
	if code := c.resolveTrustHosts(); code != exitOK {
		return code
	}
	files := *catalogs
	if cmd.common&withCatalog != 0 {
		files = append(envCatalogs(), files...)
	}
	if code := c.loadCatalogs(files); code != exitOK {
		return code
	}
	for _, n := range negatives {
		c.invalid(quote(n), errors.New("negative masks are invalid: a mask is 0 to 4294967295"))
	}
	rest := fs.Args()
	if len(negatives) > 0 && len(rest) == 0 {
		return c.done() // nothing valid to read; not stdin either
	}
	status := fn(c, rest)
	c.flush()
	return status
}

// splitNegatives takes the negative numbers out of args, up to "--", but
// not the value of a flag ("--count -1" is --count's to judge).
func splitNegatives(fs *pflag.FlagSet, args []string) (rest, negatives []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(rest, args[i:]...), negatives
		case negative.MatchString(a):
			negatives = append(negatives, a)
		default:
			rest = append(rest, a)
			if takesValue(fs, a) && i+1 < len(args) {
				i++
				rest = append(rest, args[i])
			}
		}
	}
	return rest, negatives
}

// takesValue reports whether argument a is a flag of fs whose value is the
// next argument: "--count" or "-n", not "--count=2" or "--json".
func takesValue(fs *pflag.FlagSet, a string) bool {
	var f *pflag.Flag
	switch {
	case strings.HasPrefix(a, "--") && !strings.Contains(a, "="):
		f = fs.Lookup(a[2:])
	case len(a) == 2 && a[0] == '-':
		f = fs.ShorthandLookup(a[1:])
	}
	return f != nil && f.NoOptDefVal == ""
}
