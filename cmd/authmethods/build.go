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
	common:  withMasks,
	help: `Write the canonical register link for a mask, and nothing else on stdout, so
that $(authmethods build …) can be used in scripts:

  https://mysignins.microsoft.com/register?authMethods=NNNN&authMethodCount=N

MASK and --methods take numbers (1976, 0x30), Graph names (sms, fido2),
aliases (passkey, tap, whfb …) and the labels the tool prints ("Authenticator
app code", "Temporary Access Pass"), in any case, joined by ',' '|' '+' or
spaces; see 'authmethods list'. Everything given is combined: the link offers
every method named by any MASK and every --methods (a bitwise OR), so
"build -m sms -m fido2" is 48. An unknown name is an
error that suggests the closest known one (status 1).

--strength NAME|ID gives the union mask of a Conditional Access authentication
strength: every method of every combination it accepts (see 'authmethods
strengths'). That mask is derived here, not observed: which mask Entra puts
in the link for a strength is not documented, and a note on stderr says so.
--policy FILE reads your tenant's strengths from Microsoft Graph JSON; without
--strength it takes the one custom strength in FILE. An unknown strength is
an error (status 1); a bad FILE, like a bad catalog file, is a usage error
(status 2), and so is a FILE holding several custom strengths and no
--strength (the error lists them).

Warnings (an empty mask, bits nobody knows, Graph's sentinel) go to stderr.
With --json, one object: link, authMethods, authMethodCount, methods,
unknownBits, warnings, and with --strength or --policy derivedFrom
({strength, id, builtIn, source, union, note}).

Examples:
  authmethods build --methods sms,fido2
  authmethods build -m sms -m fido2
  authmethods build 'Temporary Access Pass' 
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
	methods := fs.StringArrayP("methods", "m", nil, "the methods: names, aliases, labels or numbers, e.g. `LIST` =\nsms,fido2 (repeatable: -m sms -m fido2)")
	count := fs.IntP("count", "n", bitmask.ObservedCount, "authMethodCount: how many methods (`N`) the wizard asks for\n(every observed link has 1)")
	fromStrength := buildStrengthFlags(fs) // --strength, --policy (strengths.go)
	return func(c *invocation, args []string) int {
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
		for _, s := range *methods {
			add("--methods "+quote(s), s)
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
		if w := countWarning(*count); w != "" {
			warnings = append(warnings, w)
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
