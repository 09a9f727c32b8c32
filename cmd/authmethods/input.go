package main

// Everything a command reads: its inputs (arguments, files named as
// arguments, stdin), catalog files, policy files and --trust-host values.
// Each input is untrusted: what is wrong is named, and memory stays bounded.

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/strength"
	"github.com/authmethods/authmethods/urlcodec"
)

// readInputs calls fn for every item in args and stops when stdout is
// gone. An argument is a mask or text holding links (classify); one that is
// neither but names a file is read as a text or mail file, line by line,
// saying so on stderr; "-", or no argument, reads stdin. Invalid inputs are
// reported (status 1), and so is finding nothing. fn gets usable items only;
// c.where names them in messages.
func readInputs(c *invocation, args []string, fn func(item)) {
	found := false
	take := func(it item) bool {
		if it.Err != nil {
			c.invalid(c.where(it), it.Err)
		} else {
			found = true
			fn(it)
		}
		return !c.broken()
	}
	if len(args) == 0 {
		args = []string{"-"}
	}
	stdinRead := false
	for _, a := range args {
		if a != "-" {
			// A screenshot named as an argument is read with OCR (image.go).
			if handled, stop := imageArg(c, a, take); handled {
				if stop {
					return
				}
				continue
			}
		}
		switch items := classify(c.parser(), a); {
		case a == "-":
			if stdinRead {
				continue
			}
			stdinRead = true
			if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(f.Fd()) {
				c.notef("reading stdin: paste text or links, then Ctrl-D (Ctrl-Z Enter on Windows)")
			}
			c.source = "stdin"
			// A screenshot on stdin is read with OCR (image.go).
			if r := imageStdin(c, take); r != nil {
				if err := readText(c, r, take); err != nil {
					c.invalid("stdin", err)
				}
			}
		case items[0].Err != nil && isFile(a):
			c.readFile(a, take)
		default:
			c.source = ""
			for _, it := range items {
				if it.Link != nil {
					cutHint(c, a, it.Link)
				}
				if !take(it) {
					return
				}
			}
		}
		if c.broken() {
			return
		}
	}
	if !found && c.status == exitOK {
		c.notef("no mask or register link found")
		c.fail(exitInvalid)
	}
}

// readFile reads the text or mail file name as stdin would be read.
func (c *invocation) readFile(name string, take func(item) bool) {
	f, err := os.Open(name)
	if err != nil {
		c.invalid(quote(name), unwrapPath(err))
		return
	}
	defer f.Close()
	c.notef("reading file %s", quote(name))
	c.source = safeText(name)
	if err := readText(c, f, take); err != nil {
		c.invalid(quote(name), unwrapPath(err))
	}
}

// where names an item in messages: the input, with its file or stdin line.
func (c *invocation) where(it item) string {
	if it.Line > 0 && c.source != "" {
		return fmt.Sprintf("%s:%d: %s", c.source, it.Line, quote(it.Input))
	}
	return it.where()
}

// cutAtAmp matches a link that ends right after its authMethods value: what
// is left when a shell cuts an unquoted link at '&'.
var cutAtAmp = regexp.MustCompile(`(?i)[?&]authMethods=[0-9a-z,]*$`)

// cutHint warns when argument arg looks like a link pasted unquoted: the
// shell ended it at '&' and ran the rest as another command.
func cutHint(c *invocation, arg string, l *urlcodec.Link) {
	if !l.HasCount && cutAtAmp.MatchString(strings.TrimSpace(arg)) {
		c.warnf("the link ends after authMethods: if it was pasted without quotes, the shell cut it at '&'; put it in single quotes: authmethods %s '…'", c.cmd.name)
	}
}

// readLink returns the one LINK argument of a command, read from stdin
// (at most urlcodec.MaxInput bytes, trimmed) when it is "-".
func readLink(c *invocation, arg string) (string, error) {
	if arg != "-" {
		return arg, nil
	}
	if c.stdin == nil {
		return "", errors.New("stdin is empty")
	}
	b, err := io.ReadAll(io.LimitReader(c.stdin, urlcodec.MaxInput+1))
	if err != nil {
		return "", err
	}
	if len(b) > urlcodec.MaxInput {
		return "", fmt.Errorf("more than %d bytes on stdin: not one link", urlcodec.MaxInput)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", errors.New("stdin is empty")
	}
	return s, nil
}

// resolveTrustHosts turns the --trust-host values into hosts: a URL gives its host.
// A value with no host in it is a usage error.
func (c *invocation) resolveTrustHosts() int {
	for i, h := range c.trustHosts {
		if !strings.ContainsAny(h, "/:@?#") {
			continue
		}
		u, err := url.Parse(h)
		if err == nil && u.Host == "" && !strings.Contains(h, "://") {
			u, err = url.Parse("https://" + h)
		}
		if err != nil || u.Hostname() == "" {
			return c.usagef("--trust-host %s: want a host name such as links.contoso.example", quote(h))
		}
		c.trustHosts[i] = u.Hostname()
		c.notef("--trust-host: trusting host %s of the URL given", safeText(u.Hostname()))
	}
	return exitOK
}

// unwrapPath drops the operation and file name of an *os.PathError, which
// the caller names already.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// envCatalogs returns the files named by AUTHMETHODS_CATALOG.
func envCatalogs() []string {
	var out []string
	for _, f := range filepath.SplitList(os.Getenv("AUTHMETHODS_CATALOG")) {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// loadCatalogs builds c.catalog from the built-in values and files. A file
// that cannot be read or has a bad line is a usage error (status 2), named
// with its line: nothing would be right with half a catalog.
func (c *invocation) loadCatalogs(files []string) int {
	c.catalog = bitmask.NewCatalog()
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return c.usagef("catalog %s: %v", quote(name), unwrapPath(err))
		}
		err = c.catalog.Load(f, name)
		f.Close()
		var ce *bitmask.CatalogError
		if errors.As(err, &ce) {
			return c.usagef("catalog %s:%d: %s", quote(ce.File), ce.Line, errText(ce.Err))
		}
		if err != nil {
			return c.usagef("catalog %s: %v", quote(name), err)
		}
	}
	return exitOK
}

// readPolicy reads the strengths of a Graph authenticationStrengthPolicy file,
// stdin for "-". The error names the file and, for bad JSON, the line and
// column, in text safe for a terminal.
func readPolicy(c *invocation, file string) ([]strength.Strength, error) {
	r, name := c.stdin, "stdin"
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", safeText(file), unwrapPath(err))
		}
		defer f.Close()
		r, name = f, safeText(file)
	}
	if r == nil {
		r = strings.NewReader("")
	}
	list, err := strength.Decode(r, name)
	if err != nil {
		return nil, errors.New(safeText(err.Error()))
	}
	return list, nil
}

// strengthList returns the built-in strengths with those of file over them
// (none when file is ""), and the strengths of the file alone. ok is false
// when the file was bad; that is a usage error (status 2), as for a bad
// catalog file: nothing would be right with it.
func strengthList(c *invocation, file string) (list, imported []strength.Strength, ok bool) {
	list = strength.BuiltIn()
	if file == "" {
		return list, nil, true
	}
	imported, err := readPolicy(c, file)
	if err != nil {
		c.usagef("--policy %s", errText(err))
		return nil, nil, false
	}
	if len(imported) == 0 {
		c.warnf("--policy %s: no authentication strength in it", quote(file))
	}
	return strength.Merge(list, imported), imported, true
}
