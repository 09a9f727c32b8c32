package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/authmethods/authmethods/urlcodec/kql"
)

var kqlCmd = &command{
	name:    "kql",
	summary: "write a Kusto query that hunts register links in Defender XDR or Sentinel",
	usage:   "[--table T] [--column C] [--since 30d] [--summary] [--sentinel]",
	common:  withCatalog,
	help:    kqlHelp(),
	setup: func(fs *pflag.FlagSet) runFunc {
		var o kql.Options
		fs.StringVar(&o.Table, "table", kql.DefaultTable, "hunt in table `T` (see Tables)")
		fs.StringVar(&o.Column, "column", "", "read URLs from column `C` (default: the table's URL\ncolumn; required for a table not listed)")
		fs.StringVar(&o.Since, "since", kql.DefaultSince, "look back `SPAN`: whole days, hours or minutes\n(30d, 12h, 90m)")
		fs.BoolVar(&o.Summary, "summary", false, "count events by day, host class and mask")
		fs.BoolVar(&o.Sentinel, "sentinel", false, "write for Microsoft Sentinel (TimeGenerated), not\nadvanced hunting (Timestamp)")
		return func(c *invocation, args []string) int { return runKQL(c, args, o) }
	},
}

// kqlHelp writes the help from the library's tables, so that a new table
// or host class shows here without an edit.
func kqlHelp() string {
	var b strings.Builder
	b.WriteString(`Write a Kusto (KQL) query on stdout that finds, across a whole tenant, the
register links users received and clicked, with their masks, and look-alike
register links. Paste it into Microsoft Defender XDR advanced hunting, or,
with --sentinel, into Microsoft Sentinel's Logs. The records stay where they
are: nothing is exported.

The query first keeps rows whose URL holds authMethods or mysignins (the term
index, cheap), reads host and query with parse_url and extract, decodes the
mask into Graph method names and labels with a datatable written from the
method table (unknown bits in hex, beta and sentinel bits named), marks the
catalog's documented and observed values (yours too, with --catalog) and
classes each host, first match wins:
`)
	var quiet []string
	for _, cl := range kql.Classes() {
		fmt.Fprintf(&b, "  %-11s %s\n", cl.Name, cl.Meaning)
		if !cl.Alone {
			quiet = append(quiet, cl.Name)
		}
	}
	fmt.Fprintf(&b, "Rows of class %s are kept only when they carry authMethods.\n", strings.Join(quiet, " or "))
	b.WriteString("--summary counts events by day, host class and mask instead.\n\nTables (--table), with their schema pages for advanced hunting and Sentinel:\n")
	for _, t := range kql.Tables() {
		fmt.Fprintf(&b, "  %s, column %s\n      %s\n      %s\n      %s\n", t.Name, t.Column, t.About, t.Doc, t.SentinelDoc)
	}
	b.WriteString(`Any other table works when --column names its URL column; its time column
is Timestamp, or TimeGenerated with --sentinel.

`)
	b.WriteString(kql.Limits)
	b.WriteString(`
The queries are checked with Kusto's own language service (syntax, names and
types) against the tables' documented schemas; they are not run against a
live tenant here.

With --json, one object: table, column, since, sentinel, summary, query.

Examples:
  authmethods kql > hunt.kql
  authmethods kql --table EmailUrlInfo --summary
  authmethods kql --table DeviceNetworkEvents --since 7d --sentinel
  authmethods kql --table CommonSecurityLog --column RequestURL --sentinel
`)
	return b.String()
}

type kqlJSON struct {
	Table    string `json:"table"`
	Column   string `json:"column"`
	Since    string `json:"since"`
	Sentinel bool   `json:"sentinel"`
	Summary  bool   `json:"summary"`
	Query    string `json:"query"`
}

func runKQL(c *invocation, args []string, o kql.Options) int {
	if len(args) > 0 {
		return c.usagef("kql takes no arguments, got %s", quote(args[0]))
	}
	o.Catalog = c.catalog
	q, err := kql.Query(o)
	if err != nil {
		return c.usagef("%s", kqlErrText(err))
	}
	if !c.json {
		c.printf("%s", q)
		return c.done()
	}
	if o.Column == "" {
		for _, t := range kql.Tables() {
			if t.Name == o.Table {
				o.Column = t.Column
			}
		}
	}
	c.writeJSON(kqlJSON{o.Table, o.Column, o.Since, o.Sentinel, o.Summary, q})
	return c.done()
}

// kqlErrText names the flag an option error is about.
func kqlErrText(err error) string {
	var e *kql.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	msg := fmt.Sprintf("--%s %s: %v", e.Option, quote(e.Value), e.Err)
	if e.Hint != "" {
		msg += " (" + e.Hint + ")"
	}
	return msg
}
