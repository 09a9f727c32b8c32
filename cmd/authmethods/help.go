package main

// Help for people: the root help, each command's help, and what to say when
// a command or flag is mistyped.

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/suggest"
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
%s
Examples:
  authmethods explain 'https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1'
  authmethods explain -v mail.eml
  authmethods decode 1976 0x30 'sms,fido2' 'Temporary Access Pass'
  authmethods --color=always explain 1976 | less -R
  pbpaste | authmethods decode --json
  authmethods build --methods sms,fido2
  authmethods build --strength phishing-resistant
  authmethods diff 1720 1976
  authmethods scan --stats /var/log/proxy/*.log.gz
  authmethods probe --subsets 1976 --format html > sheet.html

Every command takes --json (JSON Lines on stdout), --color, --no-color and
--help; --json, --color and --no-color may also come before the command.
Colours and tables are drawn only when stdout is a terminal; pipes get plain
text, its prose wrapped at 80 columns. --color=always draws them anyway (for
less -R); NO_COLOR (any non-empty value), TERM=dumb, --color=never or
--no-color turn them off.

Exit status:
  0  ok
  1  nothing found, or an input is invalid (named on stderr; the other inputs
     are still processed)
  2  usage error: unknown command or flag, missing argument, or a catalog or
     policy file that cannot be read (nothing is processed); for scan, a file
     that cannot be read (named on stderr; the other files are still scanned)
  3  a link's host is not the genuine mysignins.microsoft.com, or a link was
     read from a screenshot and cannot be confirmed (decode, explain, diff,
     strip)
  4  internal error (a bug; please report it with the command line)
When several apply, 2 wins over 3, and 3 over 1.

Environment:
  NO_COLOR             any non-empty value: no colours
  TERM                 "dumb": no colours
  COLUMNS              the width to wrap text and fit tables to, on a terminal
  AUTHMETHODS_CATALOG  catalog files of observed values, separated by ':' (';'
                       on Windows); see 'authmethods help list'
`

func writeRootHelp(w io.Writer) {
	width := outputWidth(w)
	var b strings.Builder
	rows := append(commands[:len(commands):len(commands)], &command{name: "help", summary: "show the help of a command: authmethods help decode"})
	for _, c := range rows {
		row := fmt.Sprintf("  %-10s %s", c.name, c.summary)
		if width < pipeWidth {
			row = wrap(row, width, 13) // the summary's column
		}
		b.WriteString(row + "\n")
	}
	io.WriteString(w, reflow(fmt.Sprintf(rootHelp, b.String()), width))
}

// reflow rewraps the prose of a help text, written for 80 columns, to a
// narrower terminal: each paragraph of lines that start at column 0 is
// joined and wrapped again; indented lines (examples, tables) stay as
// written. A word broken after its hyphen ("percent-⏎encoding") is joined
// whole.
func reflow(text string, width int) string {
	if width >= pipeWidth {
		return text
	}
	lines := strings.Split(text, "\n")
	out := make([]string, 0, len(lines))
	prose := func(l string) bool { return l != "" && l[0] != ' ' }
	for i := 0; i < len(lines); i++ {
		if !prose(lines[i]) {
			out = append(out, lines[i])
			continue
		}
		para := lines[i]
		for ; i+1 < len(lines) && prose(lines[i+1]); i++ {
			if n := len(para); n > 1 && para[n-1] == '-' && isLetter(para[n-2]) {
				para += lines[i+1]
			} else {
				para += " " + lines[i+1]
			}
		}
		out = append(out, wrap(para, width, 0))
	}
	return strings.Join(out, "\n")
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

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
	fs, _, _ := cmd.flagSet(&invocation{}, io.Discard)
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
func (cmd *command) writeHelp(w io.Writer, fs *pflag.FlagSet) {
	// pflag 1.1 writes every bool flag as "--json[=true|false]": noise for a
	// person, who types --json. Remove it and realign.
	width := outputWidth(w)
	flags := fs.FlagUsages()
	if width < pipeWidth {
		flags = fs.FlagUsagesWrapped(width)
	}
	flags = strings.ReplaceAll(flags, "[=true|false]", "             ")
	usage := "Usage: authmethods " + cmd.name + " " + cmd.usage
	fmt.Fprintf(w, "%s\n\n%s\nFlags:\n%s", reflow(usage, width), reflow(cmd.help, width), flags)
}

// unknownGlobalFlag reports a flag before the command that no command takes
// there.
func unknownGlobalFlag(flag string, stderr io.Writer) int {
	fmt.Fprintf(stderr, "authmethods: unknown flag %s before the command: only --json, --color and --no-color go there\nRun 'authmethods --help' for usage.\n", quote(flag))
	return exitUsage
}

// flagSuggestion returns " (did you mean --NAME?)" for pflag's error about
// an unknown flag within two edits of a flag fs has, written with two dashes
// or, by mistake, one (-json); "" otherwise.
func flagSuggestion(fs *pflag.FlagSet, err error) string {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, "unknown flag: --")
	if !ok {
		// pflag reads -json as -j -s -o -n: "unknown shorthand flag: 'j' in -json".
		_, word, found := strings.Cut(msg, "' in -")
		if !strings.HasPrefix(msg, "unknown shorthand flag: ") || !found || len(word) < 3 {
			return ""
		}
		name = word
	}
	name, _, _ = strings.Cut(name, "=")
	if len(name) > suggest.MaxWord {
		return ""
	}
	best, bestD := "", 3
	fs.VisitAll(func(f *pflag.Flag) {
		if d := suggest.Distance(strings.ToLower(name), f.Name); d < bestD {
			best, bestD = f.Name, d
		}
	})
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean --%s?)", best)
}
