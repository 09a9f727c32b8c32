package main

// Exit statuses, and how a command reports errors and verdicts: the one
// place that maps what happened to the status the process exits with.

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/authmethods/authmethods/urlcodec"
)

// Exit statuses. When several apply, usage (2) wins, then notGenuine (3),
// then invalid (1): see invocation.fail.
const (
	exitOK         = 0
	exitInvalid    = 1 // nothing found, or an input is invalid
	exitUsage      = 2 // bad flag, argument, catalog or policy file; nothing processed
	exitNotGenuine = 3 // a link's host is not the genuine one
	exitInternal   = 4 // a bug: recovered panic
)

// fail records an exit status; the most important one is kept:
// usage (2) over not genuine (3) over invalid (1) over ok.
func (c *invocation) fail(status int) {
	rank := func(s int) int {
		switch s {
		case exitUsage:
			return 3
		case exitNotGenuine:
			return 2
		case exitInvalid:
			return 1
		}
		return 0
	}
	if rank(status) > rank(c.status) {
		c.status = status
	}
}

// judge records the verdict of a link: status 3 when it is not genuine.
// It returns whether the link is trusted.
func (c *invocation) judge(l *urlcodec.Link) bool {
	if l != nil && !l.Verdict.Trusted {
		c.fail(exitNotGenuine)
		return false
	}
	return true
}

func (c *invocation) prefix() string { return "authmethods " + c.cmd.name + ": " }

// invalid reports a bad input on stderr, naming it, and records status 1.
// A stderr that keeps them (serve's, for its page) is also told.
func (c *invocation) invalid(input string, err error) {
	fmt.Fprintf(c.stderr, "%s%s: %s\n", c.prefix(), input, errText(err))
	if k, ok := c.stderr.(invalidKeeper); ok {
		k.keepInvalid(input, errText(err))
	}
	c.fail(exitInvalid)
}

// invalidKeeper is a stderr that keeps the inputs reported invalid.
type invalidKeeper interface{ keepInvalid(input, msg string) }

// warnf writes a warning on stderr; the status is unchanged.
func (c *invocation) warnf(format string, a ...any) {
	fmt.Fprintf(c.stderr, "%swarning: %s\n", c.prefix(), fmt.Sprintf(format, a...))
}

// notef writes a note on stderr (what the command did, for the person
// watching); the status is unchanged.
func (c *invocation) notef(format string, a ...any) {
	fmt.Fprintf(c.stderr, "%s%s\n", c.prefix(), fmt.Sprintf(format, a...))
}

// usagef reports a usage error once, with a pointer to the help, and returns 2.
func (c *invocation) usagef(format string, a ...any) int {
	fmt.Fprintf(c.stderr, "%s%s\nRun 'authmethods %s --help' for usage.\n", c.prefix(), fmt.Sprintf(format, a...), c.cmd.name)
	c.fail(exitUsage)
	return exitUsage
}

// done flushes stdout and returns the exit status of the command so far; a
// failed write to stdout (other than a closed pipe, where nobody reads) is
// status 1.
func (c *invocation) done() int {
	c.flush()
	if c.broken() && !errors.Is(c.wErr.err, syscall.EPIPE) {
		fmt.Fprintf(c.stderr, "%swriting output: %v\n", c.prefix(), c.wErr.err)
		c.fail(exitInvalid)
	}
	return c.status
}
