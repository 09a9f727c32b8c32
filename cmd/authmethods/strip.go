package main

import (
	"github.com/authmethods/authmethods/urlcodec"

	"github.com/spf13/pflag"
)

var stripCmd = &command{
	name:    "strip",
	summary: "write the plain register link, without authMethods",
	usage:   "[flags] LINK",
	common:  withTrust,
	help: `Write the register link without its query, and nothing else on stdout:

  https://mysignins.microsoft.com/register

Jan Bakker's post "Security Info Registration. Entra ID's rabbit hole." found
that this link brings back the combined MFA and password-reset (SSPR)
registration wizard, which offers the SSPR methods (email, security
questions) that the authMethods wizard hides, but it advises against telling
users to strip their links ("please don't"). strip says so on stderr unless
--quiet.

LINK "-" reads the link from stdin.

The output is always the genuine Microsoft host, whatever the host of LINK;
but when LINK's host is not genuine, strip says so on stderr and exits 3.
An unreadable LINK is an error (status 1).

With --json, one object: input, link, host, trusted, reasons.

Examples:
  authmethods strip 'https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1'
  authmethods strip -q "$link"
  pbpaste | authmethods strip -
`,
	setup: func(fs *pflag.FlagSet) runFunc {
		quiet := fs.BoolP("quiet", "q", false, "no advice on stderr")
		return func(c *invocation, args []string) int { return runStrip(c, args, *quiet) }
	},
}

type stripJSON struct {
	Input   string       `json:"input"`
	Link    string       `json:"link"`
	Host    string       `json:"host"`
	Trusted bool         `json:"trusted"`
	Reasons []reasonJSON `json:"reasons,omitempty"`
}

func runStrip(c *invocation, args []string, quiet bool) int {
	if len(args) != 1 {
		return c.usagef("strip takes one LINK, got %d arguments", len(args))
	}
	in, err := readLink(c, args[0])
	if err != nil {
		c.invalid(args[0], err)
		return c.done()
	}
	l, err := c.parser().Parse(in)
	if err != nil {
		c.invalid(quote(in), err)
		return c.done()
	}
	cutHint(c, in, &l)
	out, err := urlcodec.Strip(in)
	if err != nil {
		c.invalid(quote(in), err)
		return c.done()
	}
	if c.json {
		j := stripJSON{Input: in, Link: out, Host: l.Host, Trusted: l.Verdict.Trusted}
		if !l.Verdict.Trusted {
			j.Reasons = reasonsOf(l.Verdict)
		}
		c.writeJSON(j)
	} else {
		c.println(out)
	}
	if !c.judge(&l) {
		for _, r := range l.Verdict.Reasons {
			c.warnf("the link's host %s is not genuine: %s [%s]", safeText(l.Host), safeText(r.Message), r.Code)
		}
	}
	if !quiet {
		c.warnf("Jan Bakker's post advises against telling users to strip their links (\"please don't\"); see 'authmethods help strip'")
	}
	return c.done()
}
