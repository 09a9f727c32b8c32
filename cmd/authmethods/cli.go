package main

import (
	"github.com/authmethods/authmethods/bitmask/suggest"

	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/authmethods/authmethods/bitmask"
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
	common  common // the shared flags it takes besides --json and --no-color
	// setup defines the command's own flags on fs and returns the function
	// that runs it once fs is parsed. It is called once per invocation, so
	// flag variables are locals of setup.
	setup func(fs *pflag.FlagSet) runFunc
}

// runFunc runs a command with the positional arguments left after the flags
// and returns the exit status, usually c.done() or c.usagef(…).
type runFunc func(c *ctx, args []string) int

// common selects the shared flags a command takes. Every command takes
// --json, --no-color and --help.
type common uint8

const (
	// withTrust adds --trust-host H (repeatable): hosts the user trusts
	// besides the genuine one.
	withTrust common = 1 << iota
	// withCatalog adds --catalog FILE (repeatable) and reads
	// AUTHMETHODS_CATALOG: files of observed values that extend the catalog.
	withCatalog
)

// Exit statuses. When several apply, usage (2) wins, then notGenuine (3),
// then invalid (1): see ctx.fail.
const (
	exitOK         = 0
	exitInvalid    = 1 // nothing found, or an input is invalid
	exitUsage      = 2 // bad flag, argument or catalog file; nothing processed
	exitNotGenuine = 3 // a link's host is not the genuine one
	exitInternal   = 4 // a bug: recovered panic
)

const rootHelp = `authmethods reads and writes the links of the Microsoft Entra ID security-info
registration wizard:

  https://mysignins.microsoft.com/register?authMethods=NNNN&authMethodCount=1

authMethods is a bitmask of Microsoft Graph authentication methods (1 password,
2 voice, … 16 sms, 32 fido2, …): it decides what the wizard offers the user.
Microsoft does not document the parameter; this tool says what is documented,
what was only observed, and what nobody knows.

Usage:
  authmethods COMMAND [flags] [arguments]

Commands:
%s  help       show the help of a command: authmethods help decode

Examples:
  authmethods explain 'https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1'
  authmethods decode 1976 0x30 'sms,fido2'
  pbpaste | authmethods decode --json
  authmethods build --methods sms,fido2
  authmethods build --strength phishing-resistant
  authmethods diff 1720 1976
  authmethods scan --stats /var/log/proxy/*.log.gz
  authmethods probe --subsets 1976 --format html > sheet.html

Every command takes --json (JSON Lines on stdout), --no-color and --help.
Colours and tables are drawn only when stdout is a terminal; pipes get plain
text. NO_COLOR (any non-empty value) or --no-color turns colours off.

Exit status:
  0  ok
  1  nothing found, or an input is invalid (named on stderr; the other inputs
     are still processed)
  2  usage error: unknown command or flag, missing argument, or a catalog file
     that cannot be read (nothing is processed); for scan, a file that cannot
     be read (named on stderr; the other files are still scanned)
  3  a link's host is not the genuine mysignins.microsoft.com (decode, explain,
     diff, strip)
  4  internal error (a bug; please report it with the command line)
When several apply, 2 wins over 3, and 3 over 1.

Environment:
  NO_COLOR             any non-empty value: no colours
  AUTHMETHODS_CATALOG  catalog files of observed values, separated by ':' (';'
                       on Windows); see 'authmethods help list'
`

// run is the whole program: main only passes the process's arguments and
// streams. It never panics: a bug is reported as exit status 4.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "authmethods: internal error: %v\nThis is a bug; please report it with the command line that caused it.\n", r)
			status = exitInternal
		}
	}()
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
		return unknownCommand(args[0], stderr)
	}
	return cmd.exec(args[1:], stdin, stdout, stderr)
}

func lookupCommand(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func writeRootHelp(w io.Writer) {
	var b strings.Builder
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, rootHelp, b.String())
}

// runHelp is "authmethods help [COMMAND]".
func runHelp(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		writeRootHelp(stdout)
		return exitOK
	}
	if len(args) > 1 {
		fmt.Fprintf(stderr, "authmethods help: one command at a time, got %d\nRun 'authmethods --help' for usage.\n", len(args))
		return exitUsage
	}
	if args[0] == "help" {
		writeRootHelp(stdout)
		return exitOK
	}
	cmd := lookupCommand(args[0])
	if cmd == nil {
		return unknownCommand(args[0], stderr)
	}
	fs, _, _ := cmd.flagSet(&ctx{}, io.Discard)
	cmd.writeHelp(stdout, fs)
	return exitOK
}

func unknownCommand(name string, stderr io.Writer) int {
	msg := fmt.Sprintf("authmethods: unknown command %s", quote(name))
	switch {
	case closestCommand(name) != "":
		msg += fmt.Sprintf(" (did you mean %q?)", closestCommand(name))
	case looksLikeInput(name):
		msg += fmt.Sprintf(" (to decode it: authmethods decode %s)", shellQuote(name))
	}
	fmt.Fprintf(stderr, "%s\nRun 'authmethods --help' for usage.\n", msg)
	return exitUsage
}

// looksLikeInput reports whether a word the user gave as a command is rather a
// mask or a link.
func looksLikeInput(s string) bool {
	if _, err := bitmask.Parse(s); err == nil {
		return true
	}
	return strings.Contains(strings.ToLower(s), "authmethods")
}

// closestCommand returns the command name within two edits of name, if any.
func closestCommand(name string) string {
	if len(name) > suggest.MaxWord {
		return ""
	}
	best, bestD := "", 3
	try := func(cand string) {
		if d := suggest.Distance(strings.ToLower(name), cand); d < bestD {
			best, bestD = cand, d
		}
	}
	for _, c := range commands {
		try(c.name)
	}
	try("help")
	return best
}

// flagSet builds the command's flags: its own first, then the shared ones,
// all bound to c.
func (cmd *command) flagSet(c *ctx, stderr io.Writer) (*pflag.FlagSet, runFunc, *[]string) {
	fs := pflag.NewFlagSet("authmethods "+cmd.name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // errors and help are written by exec, once
	fs.SortFlags = false
	fn := cmd.setup(fs)
	c.img.addFlags(cmd.name, fs) // --tesseract for the commands that read screenshots (image.go)
	fs.BoolVar(&c.json, "json", false, "write JSON Lines: one JSON object per line")
	fs.BoolVar(&c.noColor, "no-color", false, "no colours or tables even on a terminal (as NO_COLOR=1)")
	if cmd.common&withTrust != 0 {
		fs.StringArrayVar(&c.trustHosts, "trust-host", nil, "also trust links on host `H` (repeatable); by default\nonly mysignins.microsoft.com is genuine")
	}
	var catalogs []string
	if cmd.common&withCatalog != 0 {
		fs.StringArrayVar(&catalogs, "catalog", nil, "add the values in catalog `FILE` as observed (repeatable;\nformat in 'authmethods help list')")
	}
	fs.BoolP("help", "h", false, "show this help")
	return fs, fn, &catalogs
}

func (cmd *command) writeHelp(w io.Writer, fs *pflag.FlagSet) {
	// pflag 1.1 writes every bool flag as "--json[=true|false]": noise for a
	// person, who types --json. Remove it and realign.
	flags := strings.ReplaceAll(fs.FlagUsages(), "[=true|false]", "             ")
	fmt.Fprintf(w, "Usage: authmethods %s %s\n\n%s\nFlags:\n%s", cmd.name, cmd.usage, cmd.help, flags)
}

// exec parses the flags, prepares the context and runs the command.
func (cmd *command) exec(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &ctx{cmd: cmd, stdin: stdin, stderr: stderr}
	fs, fn, catalogs := cmd.flagSet(c, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			cmd.writeHelp(stdout, fs)
			return exitOK
		}
		return c.usagef("%v", err)
	}
	if help, _ := fs.GetBool("help"); help {
		cmd.writeHelp(stdout, fs)
		return exitOK
	}
	c.setOutput(stdout)
	files := *catalogs
	if cmd.common&withCatalog != 0 {
		files = append(envCatalogs(), files...)
	}
	if code := c.loadCatalogs(files); code != exitOK {
		return code
	}
	status := fn(c, fs.Args())
	c.flush()
	return status
}
