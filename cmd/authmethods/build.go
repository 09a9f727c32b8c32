package main

import (
	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec"

	"github.com/spf13/pflag"
)

var buildCmd = &command{
	name:    "build",
	summary: "write the register link for a set of methods",
	usage:   "[flags] [MASK...]",
	help: `Write the canonical register link for a mask, and nothing else on stdout, so
that $(authmethods build …) can be used in scripts:

  https://mysignins.microsoft.com/register?authMethods=NNNN&authMethodCount=N

MASK and --methods take numbers (1976, 0x30), Graph names (sms, fido2) and
aliases (passkey, tap, whfb …), joined by ',' '|' '+' or spaces; see
'authmethods list'. Everything given is combined: the link offers every
method named by any MASK and --methods (a bitwise OR). An unknown name is an
error that suggests the closest known one (status 1).

--strength NAME|ID gives the union mask of a Conditional Access authentication
strength: every method of every combination it accepts (see 'authmethods
strengths'). That mask is derived here, not observed: which mask Entra puts
in the link for a strength is not documented, and a note on stderr says so.
--policy FILE reads your tenant's strengths from Microsoft Graph JSON; without
--strength it takes the one custom strength in FILE. An unknown strength or a
bad FILE is an error (status 1); a FILE holding several custom strengths and
no --strength is a usage error (status 2) listing them.

Warnings (an empty mask, bits nobody knows, Graph's sentinel) go to stderr.
With --json, one object: link, authMethods, authMethodCount, methods,
unknownBits, warnings, and with --strength or --policy derivedFrom
({strength, id, builtIn, source, union, note}).

Examples:
  authmethods build --methods sms,fido2
  authmethods build 1976
  authmethods build passkey tap --count 1
  authmethods build --strength phishing-resistant
  authmethods build --policy policies.json --strength 'Contoso keys or Hello'
  open "$(authmethods build --methods fido2)"
`,
	setup: setupBuild,
}

type buildJSON struct {
	Link            string   `json:"link"`
	AuthMethods     uint32   `json:"authMethods"`
	AuthMethodCount int      `json:"authMethodCount"`
	Methods         []string `json:"methods"`
	UnknownBits     []uint32 `json:"unknownBits"`
	Warnings        []string `json:"warnings"`
	DerivedFrom     any      `json:"derivedFrom,omitempty"`
}

func setupBuild(fs *pflag.FlagSet) runFunc {
	methods := fs.StringP("methods", "m", "", "the methods: names, aliases or numbers, e.g. `LIST` = sms,fido2")
	count := fs.IntP("count", "n", 1, "authMethodCount: how many methods (`N`) the wizard asks for\n(every observed link has 1)")
	fromStrength := buildStrengthFlags(fs) // --strength, --policy (strengths.go)
	return func(c *ctx, args []string) int {
		if *count < 0 || *count > urlcodec.MaxCount {
			return c.usagef("--count %d: must be 0 to %d", *count, urlcodec.MaxCount)
		}
		used := fs.Changed("methods") || len(args) > 0
		var m bitmask.Mask
		add := func(name, s string) {
			v, err := bitmask.Parse(s)
			if err != nil {
				c.invalid(name, err)
				return
			}
			m |= v
		}
		for _, a := range args {
			add(quote(a), a)
		}
		if fs.Changed("methods") {
			add("--methods "+quote(*methods), *methods)
		}
		// A strength's union mask is derived, not named: derived says from
		// what, for --json's derivedFrom.
		v, ok, derived, err := fromStrength(c)
		if err != nil {
			c.invalid("build", err)
		}
		used = used || ok
		m |= v
		if !used {
			return c.usagef("no methods given: name them as MASK or with --methods")
		}
		if c.status != exitOK {
			return c.done()
		}
		warnings := maskWarnings(m)
		if *count != 1 {
			warnings = append(warnings, "authMethodCount "+itoa(*count)+": every observed link has 1; what the wizard does with another count is not known")
		}
		link := urlcodec.Build(m, *count)
		if c.json {
			c.writeJSON(buildJSON{link, uint32(m), *count, m.Names(), unknownBits(m), append([]string{}, warnings...), derived})
		} else {
			c.println(link)
		}
		for _, w := range warnings {
			c.warnf("%s", w)
		}
		return c.done()
	}
}
