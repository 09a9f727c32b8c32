// Package kql writes Kusto (KQL) queries that hunt Microsoft Entra ID
// security-info register links,
// https://mysignins.microsoft.com/register?authMethods=NNNN&authMethodCount=1,
// and look-alike hosts, in the tables where a tenant's records live:
// Microsoft Defender XDR advanced hunting and Microsoft Sentinel.
//
// Those records sit in a distributed engine that already holds them;
// exporting them to scan locally is what nobody does. Query writes the query
// that runs there instead. It finds candidate rows through the term index
// first (has "authMethods", has "mysignins"), reads host and query with
// parse_url and extract, decodes the mask into Graph method names and labels
// with a datatable written from the bitmask method table, lists unknown bits,
// marks the catalog's documented and observed values and classes the host
// (see Classes). Everything comes from data: a new method, catalog value,
// table or host class changes the query without a change to the code that
// writes it, and the same options always give the same text.
//
// Kusto cannot judge a link as urlcodec does; Limits says how, and every
// query carries it in its header comment.
package kql

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/suggest"
	"github.com/authmethods/authmethods/urlcodec"
)

// Options choose the query. The zero value hunts UrlClickEvents over the
// last 30 days in Defender XDR advanced hunting.
type Options struct {
	// Table is a name from Tables, exactly as Kusto spells it, or any other
	// table when Column names its URL column. "" is UrlClickEvents.
	Table string
	// Column is the string column holding URLs; "" is the table's
	// documented one.
	Column string
	// Since is how far back to look: a whole number and d (days), h or m,
	// as Kusto writes a timespan. "" is 30d, what advanced hunting keeps.
	Since string
	// Summary counts rows by day, host class and mask instead of listing them.
	Summary bool
	// Sentinel writes the query for Microsoft Sentinel, whose copies of the
	// tables name the event time TimeGenerated instead of Timestamp.
	Sentinel bool
	// Catalog marks mask values as documented or observed; nil is
	// bitmask.NewCatalog().
	Catalog *bitmask.Catalog
}

// Defaults of Options.
const (
	DefaultTable = "UrlClickEvents"
	DefaultSince = "30d"
)

// Errors a caller can test with errors.Is.
var (
	ErrUnknownTable = errors.New("unknown table")
	ErrNoColumn     = errors.New("no such string column")
	ErrName         = errors.New("not a Kusto name (a letter or '_', then letters, digits or '_', at most 128)")
	ErrSince        = errors.New("want a whole number of days, hours or minutes, such as 30d, 12h or 90m")
)

// Error records an option Query cannot use, in the shape of
// strconv.NumError.
type Error struct {
	Option string // "table", "column" or "since"
	Value  string // the value given
	Err    error  // the cause
	Hint   string // what to do instead, or ""
}

// shownValue is how much of a bad value an error repeats.
const shownValue = 64

func (e *Error) Error() string {
	v := e.Value
	if len(v) > shownValue {
		v = strings.ToValidUTF8(v[:shownValue], "") + "…"
	}
	s := "kql: " + e.Option + " " + strconv.Quote(v) + ": " + e.Err.Error()
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Class is a verdict on the host of a URL, as far as Kusto can reach it.
// The query gives every row the first class whose condition holds.
type Class struct {
	Name    string
	Meaning string
	// Alone: a row of this class is reported even when its URL carries no
	// authMethods; the other classes are noise without a mask.
	Alone bool
	when  string // KQL condition over Scheme, Host, Port, UserInfo, Skeleton; "" matches all
}

// classes is the order the query tests hosts in. Trust follows urlcodec's
// verdict: https, exactly mysignins.microsoft.com, no port, no user info.
var classes = []Class{
	{"unparsed", "parse_url found no host", true, `isempty(Host)`},
	{"userinfo", "user info before the host: a@evil.example goes to evil.example", true, `isnotempty(UserInfo)`},
	{"punycode", "an internationalized (xn--) host, where look-alikes hide", true, `Host contains "xn--"`},
	{"lookalike", "another host that reads as mysignins or microsoft", true, "Host != GenuineHost and (" + skeletonHas(lookalikeWords) + ")"},
	{"other-host", "another host: a wrapper, a redirect, a page naming authMethods", false, `Host != GenuineHost`},
	{"not-https", "the genuine host without https", true, `Scheme != "https"`},
	{"port", "the genuine host with a port (decode trusts :443, warning)", true, `isnotempty(Port)`},
	{"genuine", "exactly https://" + urlcodec.Host + ", no port, no user info", false, ""},
}

// Classes returns the host classes in the order the query tests them.
func Classes() []Class {
	out := make([]Class, len(classes))
	copy(out, classes)
	return out
}

// The skeleton is the ASCII part of how urlcodec reads a host for
// look-alikes: characters that pass for letters, letter pairs that pass for
// one, separators ('.', '-', '_') dropped. A host other than the genuine one
// whose skeleton holds a lookalikeWord is a look-alike, as urlcodec says.
var (
	skeletonChars  = [...][2]string{{"0", "o"}, {"1", "i"}, {"l", "i"}, {"5", "s"}, {"3", "e"}}
	skeletonPairs  = [...][2]string{{"rn", "m"}, {"vv", "w"}}
	lookalikeWords = []string{"mysignins", "microsoft"}
)

// skeletonHas is the KQL condition that the skeleton holds one of words.
func skeletonHas(words []string) string {
	var conds []string
	for _, w := range words {
		conds = append(conds, "Skeleton contains "+str(w))
	}
	return strings.Join(conds, " or ")
}

// candidateTerms are what the term index is asked for first: the mask
// parameter and the first label of the genuine host. Kusto cuts terms at
// every character that is not a letter or digit, so one percent-encoded
// '?' or '&' (%3F, %26) before authMethods, or '/' (%2F) before mysignins,
// as in a link wrapped by a redirect, glues two hex digits to the term.
var candidateTerms = []string{paramMask, "3F" + paramMask, "26" + paramMask, "mysignins", "2Fmysignins"}

// Query parameters and the patterns that read them. Kusto's extract and
// matches regex use RE2, the syntax of Go's regexp, which the tests compile
// and run. A parameter is also found percent-encoded (%3F, %26, %3D) inside
// a wrapper's own query.
const (
	paramMask  = "authMethods"
	paramCount = "authMethodCount"
	paramLead  = `(?i)(?:[?&]|%3F|%26)`
	paramEq    = `(?:=|%3D)`
	paramValue = `([^&#%]*)`
	schemeRE   = `^[A-Za-z][A-Za-z0-9+.-]*://`
	decimalRE  = `^[0-9]{1,10}$`
)

var (
	maskParamRE  = paramLead + paramMask + paramEq
	maskValueRE  = maskParamRE + paramValue
	countValueRE = paramLead + paramCount + paramEq + paramValue
)

// Limits says what the query cannot check as 'authmethods decode' does, and
// how to get the exact verdict. It heads every query, as comment lines.
const Limits = `Kusto cannot judge these links as 'authmethods decode' does:
- parse_url is not a browser: the full WHATWG URL rules (a '\' read as '/',
  tabs and newlines dropped, percent-encoded or Unicode hosts mapped with
  UTS #46) are not applied; such a host is classed by its raw text.
- Only the wrapping the table itself resolved is gone. A link inside another
  wrapper or redirect is found while its text still holds "authMethods",
  but it is classed by the wrapper's host (other-host).
- A look-alike is a host that reads as mysignins or microsoft once 0, 1, l,
  5, 3, rn and vv are folded; no Unicode confusables, no misspellings. Only
  URLs where Kusto's term index finds authMethods or mysignins (plain, or
  after one percent-encoded '?', '&' or '/') are looked at.
- Masks are read in decimal only: hex, or letters retyped from a
  screenshot, show as MaskStatus "not-decimal".
For the exact verdict, export the Url column (one link per line) and run:
  authmethods decode --json < urls.txt
`

// Query returns the query o asks for, or an *Error naming the option it
// cannot use.
func Query(o Options) (string, error) {
	q, err := resolve(o)
	if err != nil {
		return "", err
	}
	return q.write(), nil
}

// query is Options resolved against the table list.
type query struct {
	Options
	table Table
	known bool   // table is in the list
	time  string // the time column
}

var (
	nameRE  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)
	sinceRE = regexp.MustCompile(`^[1-9][0-9]{0,4}[dhm]$`)
)

func resolve(o Options) (*query, error) {
	q := &query{Options: o, time: timeXDR}
	if q.Sentinel {
		q.time = timeSentinel
	}
	if q.Catalog == nil {
		q.Catalog = bitmask.NewCatalog()
	}
	if q.Table == "" {
		q.Table = DefaultTable
	}
	if q.Since == "" {
		q.Since = DefaultSince
	}
	if !sinceRE.MatchString(q.Since) {
		return nil, &Error{Option: "since", Value: q.Since, Err: ErrSince}
	}
	if !nameRE.MatchString(q.Table) {
		return nil, &Error{Option: "table", Value: q.Table, Err: ErrName}
	}
	if q.Column != "" && !nameRE.MatchString(q.Column) {
		return nil, &Error{Option: "column", Value: q.Column, Err: ErrName}
	}
	q.table, q.known = lookupTable(q.Table)
	if !q.known {
		if q.Column == "" {
			return nil, &Error{Option: "table", Value: q.Table, Err: ErrUnknownTable, Hint: unknownTableHint(q.Table)}
		}
		q.table = Table{Name: q.Table, Column: q.Column}
		return q, nil
	}
	if q.Column == "" {
		q.Column = q.table.Column
	}
	if q.table.columnType(q.Column, q.Sentinel) != "string" {
		return nil, &Error{Option: "column", Value: q.Column, Err: ErrNoColumn, Hint: q.stringColumns()}
	}
	return q, nil
}

func unknownTableHint(name string) string {
	var names []string
	for _, t := range tables {
		if len(name) <= 64 && suggest.Distance(strings.ToLower(name), strings.ToLower(t.Name)) <= 3 {
			return fmt.Sprintf("did you mean %s?", t.Name)
		}
		names = append(names, t.Name)
	}
	return "known: " + strings.Join(names, ", ") + "; for another table, name its URL column"
}

func (q *query) stringColumns() string {
	var names []string
	for _, c := range q.table.columns(q.Sentinel) {
		if c.typ == "string" {
			names = append(names, c.name)
		}
	}
	return q.table.Name + " has string columns " + strings.Join(names, ", ")
}

// ident writes a table or column name: a known one as it is, one the user
// gave quoted, so that a name that is also a keyword still works.
func (q *query) ident(name string) string {
	if q.known {
		return name
	}
	return "['" + name + "']"
}

// str writes s as a Kusto string literal.
func str(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// verbatim writes a regular expression as a Kusto verbatim string.
func verbatim(s string) string {
	return `@"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func (q *query) command() string {
	s := "authmethods kql --table " + q.Table
	if q.Column != q.table.Column || !q.known {
		s += " --column " + q.Column
	}
	s += " --since " + q.Since
	if q.Summary {
		s += " --summary"
	}
	if q.Sentinel {
		s += " --sentinel"
	}
	return s
}

func (q *query) write() string {
	var b strings.Builder
	line := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }

	// Header: what, where, and the limits.
	where := "Microsoft Defender XDR advanced hunting"
	if q.Sentinel {
		where = "Microsoft Sentinel"
	}
	line("// Microsoft Entra ID security-info register links, and look-alike hosts,")
	line("// in %s.%s over the last %s (%s).", q.Table, q.Column, q.Since, where)
	if q.known && q.table.About != "" {
		line("// %s: %s.", q.Table, q.table.About)
	}
	line("// Written by: %s", q.command())
	line("//")
	for _, l := range strings.Split(strings.TrimSuffix(Limits, "\n"), "\n") {
		line("// %s", l)
	}

	// Data: the method table and the catalog, row for row.
	line("let AuthMethodBit = datatable(Bit:long, Name:string, Label:string, Status:string) [")
	methods := bitmask.Methods()
	for i, m := range methods {
		line("    %d, %s, %s, %s%s", m.Bit, str(m.Name), str(m.Label), str(m.Status.String()), comma(i, len(methods)))
	}
	line("];")
	line("let CatalogMask = datatable(Mask:long, Provenance:string) [")
	entries := q.Catalog.Entries()
	for i, e := range entries {
		line("    %d, %s%s", e.Mask, str(e.Provenance.String()), comma(i, len(entries)))
	}
	line("];")
	line("let MethodName = toscalar(AuthMethodBit | summarize make_bag(bag_pack(tostring(Bit), Name)));")
	line("let MethodLabel = toscalar(AuthMethodBit | summarize make_bag(bag_pack(tostring(Bit), Label)));")
	line("let MethodStatus = toscalar(AuthMethodBit | summarize make_bag(bag_pack(tostring(Bit), Status)));")
	line("let GenuineHost = %s;", str(urlcodec.Host))

	// Candidates through the term index, then only the columns needed.
	col := q.ident(q.Column)
	line("%s", q.ident(q.Table))
	line("| where %s > ago(%s)", q.time, q.Since)
	var terms []string
	for _, t := range candidateTerms {
		terms = append(terms, str(t))
	}
	line("| where %s has_any (%s)", col, strings.Join(terms, ", "))
	keep := []string{q.time}
	if q.known {
		keep = append(keep, q.table.show...)
	}
	url := "Url"
	if q.Column != "Url" {
		url = "Url = " + col
	}
	line("| project %s, %s", strings.Join(keep, ", "), url)

	// Host: parsed as https when the URL has no scheme (a bare FQDN, a chat
	// paste), as urlcodec judges it.
	line("| extend U = parse_url(iff(Url matches regex %s, Url, strcat(\"https://\", Url)))", verbatim(schemeRE))
	line("| extend Scheme = tolower(tostring(U.Scheme)), Host = tolower(tostring(U.Host)), Port = tostring(U.Port),")
	line("    UserInfo = strcat(tostring(U.Username), tostring(U.Password))")
	from, to := "", ""
	for _, p := range skeletonChars {
		from, to = from+p[0], to+p[1]
	}
	skel := fmt.Sprintf("replace_regex(translate(%s, %s, Host), @\"[-._]\", \"\")", str(from), str(to))
	for _, p := range skeletonPairs {
		skel = fmt.Sprintf("replace_string(%s, %s, %s)", skel, str(p[0]), str(p[1]))
	}
	line("| extend Skeleton = %s", skel)
	line("| extend HostClass = case(")
	for _, c := range classes {
		if c.when == "" {
			line("    %s)", str(c.Name))
			break
		}
		line("    %s, %s,", c.when, str(c.Name))
	}

	// Mask: only decimal, as Entra writes it, up to the largest mask.
	line("| extend HasMask = Url matches regex %s", verbatim(maskParamRE))
	var alone []string
	for _, c := range classes {
		if c.Alone {
			alone = append(alone, str(c.Name))
		}
	}
	line("| where HasMask or HostClass in (%s)", strings.Join(alone, ", "))
	line("| extend MaskText = extract(%s, 1, Url),", verbatim(maskValueRE))
	line("    MethodCount = extract(%s, 1, Url)", verbatim(countValueRE))
	line("| extend Mask = iff(MaskText matches regex %s, tolong(MaskText), long(null))", verbatim(decimalRE))
	line("| extend Mask = iff(Mask <= %d, Mask, long(null))", uint64(math.MaxUint32))
	line("| extend MaskStatus = case(not(HasMask), \"no-mask\", isnotnull(Mask), \"ok\",")
	line("    MaskText matches regex @\"^[0-9]+$\", \"out-of-range\", \"not-decimal\")")
	line("| mv-apply B = range(0, 31, 1) to typeof(long) on (")
	line("    extend V = binary_shift_left(1, B)")
	line("    | where binary_and(Mask, V) != 0")
	line("    | extend K = tostring(V)")
	line("    | extend Name = tostring(MethodName[K]), Label = tostring(MethodLabel[K]), Status = tostring(MethodStatus[K])")
	line("    | summarize Methods = make_list_if(Name, isnotempty(Name)), Labels = make_list_if(Label, isnotempty(Label)),")
	line("        UnknownBits = make_list_if(strcat(\"0x\", tohex(V)), isempty(Name)),")
	line("        NotStable = make_list_if(strcat(Name, \" (\", Status, \")\"), isnotempty(Status) and Status != %s)", str(bitmask.Stable.String()))
	line("    )")
	line("| lookup kind=leftouter CatalogMask on Mask")
	line("| extend Provenance = case(isnull(Mask), \"\", isempty(Provenance), %s, Provenance)", str(bitmask.Unknown.String()))

	if q.Summary {
		by := "Day = startofday(" + q.time + "), HostClass, Mask, MaskStatus, Provenance, Methods = strcat_array(Methods, \",\"), UnknownBits = strcat_array(UnknownBits, \",\")"
		agg := "Events = count()"
		if q.known && q.table.who != "" {
			agg += ", " + q.table.whoCount + " = dcount(" + q.table.who + ")"
		}
		line("| summarize %s by %s", agg, by)
		line("| order by Day desc, Events desc, HostClass asc, Mask asc")
	} else {
		out := []string{q.time, "HostClass", "Host", "Mask", "MaskStatus", "Provenance", "Methods", "Labels", "UnknownBits", "NotStable", "MethodCount"}
		out = append(out, keep[1:]...)
		out = append(out, "Url")
		line("| project %s", strings.Join(out, ", "))
		line("| order by %s desc", q.time)
	}
	return b.String()
}

func comma(i, n int) string {
	if i < n-1 {
		return ","
	}
	return ""
}
