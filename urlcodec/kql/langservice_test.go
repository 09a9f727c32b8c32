package kql

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The language service the queries are checked with: npm
// @kusto/language-service-next, the parser and binder of Kusto.Language that
// Microsoft ships for its editors. .ci/run installs it with npm ci from
// testdata/kusto into kustoDir(); by hand:
//
//	npm ci --prefix "${XDG_CACHE_HOME:-$HOME/.cache}/authmethods/kusto" (after copying testdata/kusto/package*.json there)
const kustoVersion = "12.4.1"

// kustoDir is where the package is installed: $AUTHMETHODS_KUSTO_DIR, else
// authmethods/kusto in the user's cache directory.
func kustoDir() string {
	if d := os.Getenv("AUTHMETHODS_KUSTO_DIR"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "authmethods", "kusto")
	}
	return ""
}

// needKusto returns the path of node and the package directory, or skips
// the test with what is missing; under CI=true it fails instead, since CI
// installs both.
func needKusto(t *testing.T) (node, dir string) {
	t.Helper()
	missing := func(format string, a ...any) {
		msg := fmt.Sprintf(format, a...) + "; .ci/run installs it (npm ci from urlcodec/kql/testdata/kusto into $AUTHMETHODS_KUSTO_DIR or ~/.cache/authmethods/kusto)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("Kusto's language service needs node: %v", err)
	}
	dir = kustoDir()
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@kusto", "language-service-next", "Kusto.Language.Bridge.js")); err != nil {
		missing("@kusto/language-service-next is not installed in %q", dir)
	}
	return node, dir
}

type checkTable struct {
	Name   string `json:"name"`
	Schema string `json:"schema"`
}

type checkQuery struct {
	Name   string       `json:"name"`
	Text   string       `json:"text"`
	Tables []checkTable `json:"tables"`
}

type checkResult struct {
	Name        string `json:"name"`
	Diagnostics []struct {
		Severity string `json:"severity"`
		Code     string `json:"code"`
		Message  string `json:"message"`
		Start    int    `json:"start"`
		Length   int    `json:"length"`
	} `json:"diagnostics"`
	Columns []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"columns"`
}

// check runs testdata/kusto/check.js on the queries.
func check(t *testing.T, queries []checkQuery) map[string]checkResult {
	t.Helper()
	node, dir := needKusto(t)
	req, err := json.Marshal(map[string]any{"queries": queries})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join("testdata", "kusto", "check.js"), dir)
	cmd.Stdin = bytes.NewReader(req)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node check.js: %v\n%s", err, stderr.Bytes())
	}
	var resp struct {
		Version string        `json:"version"`
		Results []checkResult `json:"results"`
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("node check.js wrote %q: %v", out, err)
	}
	if resp.Version != kustoVersion {
		t.Fatalf("@kusto/language-service-next %s in %s, want %s (bash .ci/run reinstalls it)", resp.Version, dir, kustoVersion)
	}
	m := make(map[string]checkResult, len(resp.Results))
	for _, r := range resp.Results {
		m[r.Name] = r
	}
	if len(m) != len(queries) {
		t.Fatalf("check.js answered %d of %d queries", len(m), len(queries))
	}
	return m
}

// schemaOf writes a table's documented columns as Kusto writes a schema.
func schemaOf(tb Table, sentinel bool) string {
	var cols []string
	for _, c := range tb.columns(sentinel) {
		cols = append(cols, c.name+":"+c.typ)
	}
	return "(" + strings.Join(cols, ", ") + ")"
}

// database is what the query of a variant is bound against: every listed
// table with the schema of the product it was written for (so that a query
// naming another table or a column of the other product fails), plus the
// stand-in for a table the user named.
func database(name, custom string, sentinel bool) []checkTable {
	var db []checkTable
	for _, tb := range tables {
		db = append(db, checkTable{tb.Name, schemaOf(tb, sentinel)})
	}
	if custom != "" {
		db = append(db, checkTable{name, custom})
	}
	return db
}

// TestLanguageService parses and binds every query variant with Kusto's
// language service against the tables' documented schemas: an unknown
// table, column or function, a wrong argument or a type error is a
// diagnostic, and any error or warning fails. It also pins the columns each
// query returns, which saved hunts and follow-up queries rely on.
func TestLanguageService(t *testing.T) {
	var queries []checkQuery
	for _, v := range variants {
		table := v.o.Table
		if table == "" {
			table = DefaultTable
		}
		queries = append(queries, checkQuery{v.name, mustQuery(t, v.o), database(table, v.custom, v.o.Sentinel)})
	}
	// Controls, which must fail, so that a silent checker cannot pass:
	// an advanced hunting query against Sentinel's schemas (no Timestamp),
	// a misspelt function, and bits taken of the mask's text.
	xdr := mustQuery(t, Options{})
	queries = append(queries,
		checkQuery{"control-schema", xdr, database(DefaultTable, "", true)},
		checkQuery{"control-function", strings.Replace(xdr, "binary_shift_left(", "binary_shl(", 1), database(DefaultTable, "", false)},
		checkQuery{"control-type", strings.Replace(xdr, "binary_and(Mask, V)", "binary_and(MaskText, V)", 1), database(DefaultTable, "", false)},
	)
	res := check(t, queries)

	for _, control := range []struct{ name, code, text string }{
		{"control-schema", "KS142", "Timestamp"},
		{"control-function", "KS211", "binary_shl"},
		{"control-type", "KS134", "integer"},
	} {
		found := false
		for _, d := range res[control.name].Diagnostics {
			found = found || d.Code == control.code && strings.Contains(d.Message, control.text)
		}
		if !found {
			t.Errorf("%s: the language service did not report %s on %s: %+v", control.name, control.code, control.text, res[control.name].Diagnostics)
		}
	}

	for i, v := range variants {
		r := res[v.name]
		for _, d := range r.Diagnostics {
			if d.Severity == "Error" || d.Severity == "Warning" {
				text := queries[i].Text
				at := text[min(d.Start, len(text)):min(d.Start+max(d.Length, 1), len(text))]
				t.Errorf("%s: %s %s at %d %q: %s", v.name, d.Severity, d.Code, d.Start, at, d.Message)
			}
		}
		var cols []string
		for _, c := range r.Columns {
			cols = append(cols, c.Name+":"+c.Type)
		}
		if got, want := strings.Join(cols, " "), resultColumns(v.o); got != want {
			t.Errorf("%s returns\n\t%s\nwant\n\t%s", v.name, got, want)
		}
	}
}

// resultColumns is what a query returns, as name:type.
func resultColumns(o Options) string {
	time := timeXDR
	if o.Sentinel {
		time = timeSentinel
	}
	tb, known := lookupTable(o.Table)
	if o.Table == "" {
		tb, known = lookupTable(DefaultTable)
	}
	if o.Summary {
		s := "Day:datetime HostClass:string Mask:long MaskStatus:string Provenance:string Methods:string UnknownBits:string Events:long"
		if known {
			s += " " + tb.whoCount + ":long"
		}
		return s
	}
	s := time + ":datetime HostClass:string Host:string Mask:long MaskStatus:string Provenance:string " +
		"Methods:dynamic Labels:dynamic UnknownBits:dynamic NotStable:dynamic MethodCount:string"
	if known {
		for _, c := range tb.show {
			s += " " + c + ":" + tb.columnType(c, o.Sentinel)
		}
	}
	return s + " Url:string"
}
