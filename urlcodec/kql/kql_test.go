package kql

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec"
)

var update = flag.Bool("update", false, "rewrite the golden queries in testdata/golden")

// variants are the queries the tests write: every table with and without
// --summary and --sentinel, and --column on a known and on another table.
// golden marks those kept as files to read by eye.
var variants = []struct {
	name   string
	o      Options
	golden bool
	custom string // schema of a table that is not in the list, for --column
}{
	{name: "UrlClickEvents", o: Options{}, golden: true},
	{name: "UrlClickEvents-summary", o: Options{Summary: true}, golden: true},
	{name: "UrlClickEvents-sentinel", o: Options{Sentinel: true}},
	{name: "UrlClickEvents-summary-sentinel", o: Options{Summary: true, Sentinel: true}},
	{name: "EmailUrlInfo", o: Options{Table: "EmailUrlInfo"}, golden: true},
	{name: "EmailUrlInfo-summary", o: Options{Table: "EmailUrlInfo", Summary: true}},
	{name: "EmailUrlInfo-sentinel", o: Options{Table: "EmailUrlInfo", Sentinel: true}},
	{name: "EmailUrlInfo-summary-sentinel", o: Options{Table: "EmailUrlInfo", Summary: true, Sentinel: true}, golden: true},
	{name: "DeviceNetworkEvents", o: Options{Table: "DeviceNetworkEvents", Since: "7d"}, golden: true},
	{name: "DeviceNetworkEvents-summary", o: Options{Table: "DeviceNetworkEvents", Summary: true}},
	{name: "DeviceNetworkEvents-sentinel", o: Options{Table: "DeviceNetworkEvents", Sentinel: true}, golden: true},
	{name: "DeviceNetworkEvents-summary-sentinel", o: Options{Table: "DeviceNetworkEvents", Summary: true, Sentinel: true}},
	{name: "UrlClickEvents-column-UrlChain", o: Options{Column: "UrlChain", Since: "90m"}},
	{name: "ProxyLogs-column", o: Options{Table: "ProxyLogs", Column: "RequestUrl", Since: "12h"}, golden: true,
		custom: "(Timestamp:datetime, RequestUrl:string, ClientIP:string)"},
	{name: "Proxy_CL-column-summary-sentinel", o: Options{Table: "Proxy_CL", Column: "url_s", Summary: true, Sentinel: true},
		custom: "(TimeGenerated:datetime, url_s:string, src_s:string)"},
}

func mustQuery(t *testing.T, o Options) string {
	t.Helper()
	q, err := Query(o)
	if err != nil {
		t.Fatalf("Query(%+v): %v", o, err)
	}
	return q
}

// TestGolden pins the text of the queries. After a deliberate change, run
// "go test ./urlcodec/kql -run TestGolden -update" and read the diff.
func TestGolden(t *testing.T) {
	for _, v := range variants {
		if !v.golden {
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			got := mustQuery(t, v.o)
			file := filepath.Join("testdata", "golden", v.name+".kql")
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("query differs from %s (rerun with -update and read the diff):\n%s", file, got)
			}
		})
	}
}

// TestDeterministic: the same options give the same text, whatever the
// order the catalog was filled in.
func TestDeterministic(t *testing.T) {
	for _, v := range variants {
		if a, b := mustQuery(t, v.o), mustQuery(t, v.o); a != b {
			t.Errorf("%s: two runs differ", v.name)
		}
	}
}

// datatableRows returns the rows of the datatable bound to name in query q,
// each as its fields.
func datatableRows(t *testing.T, q, name string) [][]string {
	t.Helper()
	start := strings.Index(q, "let "+name+" = datatable(")
	if start < 0 {
		t.Fatalf("no datatable %s in the query", name)
	}
	body := q[start:]
	body = body[strings.Index(body, "[\n")+2 : strings.Index(body, "\n];")]
	field := regexp.MustCompile(`^(?:"(?:[^"\\]|\\.)*"|[0-9]+)`)
	var rows [][]string
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSuffix(strings.TrimSpace(line), ",")
		var row []string
		for line != "" {
			f := field.FindString(line)
			if f == "" {
				t.Fatalf("datatable %s: cannot read %q", name, line)
			}
			if f[0] == '"' {
				var err error
				if f, err = strconv.Unquote(f); err != nil {
					t.Fatal(err)
				}
			}
			row = append(row, f)
			line = strings.TrimPrefix(strings.TrimPrefix(line[len(field.FindString(line)):], ","), " ")
		}
		rows = append(rows, row)
	}
	return rows
}

// TestMethodDatatable checks the generated datatable against the Go method
// table, row by row.
func TestMethodDatatable(t *testing.T) {
	rows := datatableRows(t, mustQuery(t, Options{}), "AuthMethodBit")
	methods := bitmask.Methods()
	if len(rows) != len(methods) {
		t.Fatalf("datatable has %d rows, method table %d", len(rows), len(methods))
	}
	for i, m := range methods {
		want := []string{strconv.FormatUint(uint64(m.Bit), 10), m.Name, m.Label, m.Status.String()}
		if strings.Join(rows[i], "|") != strings.Join(want, "|") {
			t.Errorf("row %d: datatable %q, method table %q", i, rows[i], want)
		}
	}
}

// TestCatalogDatatable: the catalog datatable holds every catalog value with
// its provenance, and a value a user observed changes the query.
func TestCatalogDatatable(t *testing.T) {
	c := bitmask.NewCatalog()
	if err := c.Load(strings.NewReader("4194352\tsms, fido2 and bit 22, tenant A\n"), "mine.tsv"); err != nil {
		t.Fatal(err)
	}
	for _, cat := range []*bitmask.Catalog{nil, c} {
		q := mustQuery(t, Options{Catalog: cat})
		if cat == nil {
			cat = bitmask.NewCatalog()
		}
		rows := datatableRows(t, q, "CatalogMask")
		entries := cat.Entries()
		if len(rows) != len(entries) {
			t.Fatalf("datatable has %d rows, catalog %d", len(rows), len(entries))
		}
		for i, e := range entries {
			want := []string{strconv.FormatUint(uint64(e.Mask), 10), e.Provenance.String()}
			if strings.Join(rows[i], "|") != strings.Join(want, "|") {
				t.Errorf("row %d: datatable %q, catalog %q", i, rows[i], want)
			}
		}
	}
	if !strings.Contains(mustQuery(t, Options{Catalog: c}), "    4194352, \"observed\"") {
		t.Error("a value loaded into the catalog is not marked observed in the query")
	}
}

// TestHeader: every query says what Kusto cannot check and how to get the
// exact verdict, before any statement.
func TestHeader(t *testing.T) {
	for _, v := range variants {
		q := mustQuery(t, v.o)
		head, _, _ := strings.Cut(q, "\nlet ")
		for _, l := range strings.Split(head, "\n") {
			if !strings.HasPrefix(l, "//") {
				t.Errorf("%s: header line %q is not a comment", v.name, l)
			}
		}
		for _, want := range []string{"WHATWG", "wrapper", "authmethods decode --json < urls.txt", "Written by: authmethods kql --table "} {
			if !strings.Contains(head, want) {
				t.Errorf("%s: header lacks %q", v.name, want)
			}
		}
	}
}

// TestTimeColumn: advanced hunting queries use Timestamp, Sentinel ones
// TimeGenerated, and never the other.
func TestTimeColumn(t *testing.T) {
	for _, v := range variants {
		q := mustQuery(t, v.o)
		use, avoid := timeXDR, timeSentinel
		if v.o.Sentinel {
			use, avoid = avoid, use
		}
		if !strings.Contains(q, "| where "+use+" > ago(") || strings.Contains(q, avoid) {
			t.Errorf("%s: want %s and no %s", v.name, use, avoid)
		}
	}
}

// TestTables checks the table list against itself: what each query uses is
// in both documented schemas, with the right type, and no column the query
// adds hides a documented one.
func TestTables(t *testing.T) {
	added := []string{"Url", "U", "Scheme", "Host", "Port", "UserInfo", "Skeleton", "HostClass", "HasMask", "MaskText",
		"MethodCount", "Mask", "MaskStatus", "Methods", "Labels", "UnknownBits", "NotStable", "Provenance", "Day", "Events"}
	for _, tb := range tables {
		for _, sentinel := range []bool{false, true} {
			time := timeXDR
			if sentinel {
				time = timeSentinel
			}
			need := map[string]string{time: "datetime", tb.Column: "string", tb.who: ""}
			for _, c := range tb.show {
				need[c] = ""
			}
			for name, typ := range need {
				got := tb.columnType(name, sentinel)
				if got == "" || typ != "" && got != typ {
					t.Errorf("%s (sentinel %v): column %s is %q, want %q", tb.Name, sentinel, name, got, typ)
				}
			}
			for _, c := range append(tb.show, tb.whoCount) {
				for _, a := range added {
					if c == a {
						t.Errorf("%s: column %s is also a column the query adds", tb.Name, c)
					}
				}
			}
		}
	}
}

func TestOptionErrors(t *testing.T) {
	for _, tc := range []struct {
		o      Options
		option string
		err    error
		hint   string
	}{
		{Options{Table: "UrlClickEvent"}, "table", ErrUnknownTable, "did you mean UrlClickEvents?"},
		{Options{Table: "ProxyLogs"}, "table", ErrUnknownTable, "known: UrlClickEvents, EmailUrlInfo, DeviceNetworkEvents; for another table, name its URL column"},
		{Options{Table: "Url Click"}, "table", ErrName, ""},
		{Options{Table: "T | take 1"}, "table", ErrName, ""},
		{Options{Table: strings.Repeat("a", 129)}, "table", ErrName, ""},
		{Options{Table: "ProxyLogs", Column: "x']; print 1; //"}, "column", ErrName, ""},
		{Options{Column: "Nope"}, "column", ErrNoColumn, "UrlClickEvents has string columns Url, ActionType"},
		{Options{Column: "IsClickedThrough"}, "column", ErrNoColumn, "UrlClickEvents has string columns"},
		{Options{Table: "EmailUrlInfo", Column: "Timestamp"}, "column", ErrNoColumn, "EmailUrlInfo has string columns NetworkMessageId, Url"},
		{Options{Since: "30"}, "since", ErrSince, ""},
		{Options{Since: "0d"}, "since", ErrSince, ""},
		{Options{Since: "-1d"}, "since", ErrSince, ""},
		{Options{Since: "30x"}, "since", ErrSince, ""},
		{Options{Since: "1.5d"}, "since", ErrSince, ""},
		{Options{Since: "100000d"}, "since", ErrSince, ""},
		{Options{Since: "30d) or true //"}, "since", ErrSince, ""},
	} {
		_, err := Query(tc.o)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, tc.err) || e.Option != tc.option || !strings.HasPrefix(e.Hint, tc.hint) {
			t.Errorf("Query(%+v) = %v, want a %s error %v with hint %q", tc.o, err, tc.option, tc.err, tc.hint)
		}
	}
}

func TestErrorText(t *testing.T) {
	_, err := Query(Options{Table: "UrlClickEvent"})
	want := `kql: table "UrlClickEvent": unknown table (did you mean UrlClickEvents?)`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	// A long value is shortened, not repeated whole.
	_, err = Query(Options{Since: strings.Repeat("9", 1<<20)})
	want = `kql: since "` + strings.Repeat("9", shownValue) + `…": ` + ErrSince.Error()
	if err == nil || err.Error() != want {
		t.Errorf("error %.100v…, want %s", err, want)
	}
}

// TestPatterns runs the query's regular expressions, which Kusto evaluates
// as RE2 like Go's regexp, on links as they arrive.
func TestPatterns(t *testing.T) {
	mask, count := regexp.MustCompile(maskValueRE), regexp.MustCompile(countValueRE)
	for _, tc := range []struct{ url, mask, count string }{
		{"https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", "1976", "1"},
		{"https://mysignins.microsoft.com/register?authMethodCount=1&authMethods=48", "48", "1"},
		{"https://mysignins.microsoft.com/register?AUTHMETHODS=48", "48", ""},
		{"https://mysignins.microsoft.com/register?authMethods=0x30&authMethodCount=1", "0x30", "1"},
		{"https://mysignins.microsoft.com/register?authMethods=l976#x", "l976", ""},
		{"https://mysignins.microsoft.com/register?authMethods=&authMethodCount=1", "", "1"},
		{"https://urldefense.example/v3/__https://mysignins.microsoft.com/register%3FauthMethods%3D1976%26authMethodCount%3D1", "1976", "1"},
		{"https://example.com/?next=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D48", "48", ""},
	} {
		if m := mask.FindStringSubmatch(tc.url); m == nil || m[1] != tc.mask {
			t.Errorf("mask of %s: %q, want %q", tc.url, m, tc.mask)
		}
		got := ""
		if m := count.FindStringSubmatch(tc.url); m != nil {
			got = m[1]
		}
		if got != tc.count {
			t.Errorf("count of %s: %q, want %q", tc.url, got, tc.count)
		}
	}
	for _, u := range []string{
		"https://mysignins.microsoft.com/register?authMethodCount=1",
		"https://example.com/docs/authMethods-explained",
		"https://example.com/?xauthMethods=48",
	} {
		if regexp.MustCompile(maskParamRE).MatchString(u) {
			t.Errorf("%s: read as carrying authMethods", u)
		}
	}
	scheme, decimal := regexp.MustCompile(schemeRE), regexp.MustCompile(decimalRE)
	for s, want := range map[string]bool{"https://x": true, "HTTP://x": true, "mysignins.microsoft.com/register": false, "//x": false} {
		if scheme.MatchString(s) != want {
			t.Errorf("scheme of %q: %v, want %v", s, !want, want)
		}
	}
	for s, want := range map[string]bool{"1976": true, "4294967295": true, "12345678901": false, "0x30": false, "": false, "-1": false} {
		if decimal.MatchString(s) != want {
			t.Errorf("decimal %q: %v, want %v", s, !want, want)
		}
	}
}

// TestCandidateTerms: Kusto's has_any matches whole terms, runs of letters
// and digits, without regard to case. The candidate terms must catch the
// link plain, wrapped with one layer of percent-encoding, and a look-alike
// host without a mask.
func TestCandidateTerms(t *testing.T) {
	isTerm := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	found := func(url string) bool {
		for _, term := range strings.FieldsFunc(url, isTerm) {
			for _, c := range candidateTerms {
				if strings.EqualFold(term, c) {
					return true
				}
			}
		}
		return false
	}
	for _, url := range []string{
		"https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1",
		"https://mysignins.microsoft.com/register?authmethodcount=1&AUTHMETHODS=48",
		"https://urldefense.example/v3/__https://mysignins.microsoft.com/register%3FauthMethods%3D1976%26authMethodCount%3D1",
		"https://example.com/r?u=https%3a%2f%2fmysignins.microsoft.com%2fregister%3fauthMethods%3d48",
		"https://example.com/r?u=https%3A%2F%2Fexample.org%2Fx%3Fa%3D1%26authMethods%3D48",
		"https://mysignins-microsoft.com/register",
		"mysignins.microsoft.com.evil.example",
	} {
		if !found(url) {
			t.Errorf("%s: no candidate term", url)
		}
	}
	for _, url := range []string{"https://contoso.com/", "https://login.microsoftonline.com/common/oauth2"} {
		if found(url) {
			t.Errorf("%s: a candidate", url)
		}
	}
}

// skeletonOf does in Go what the query's Skeleton column does in Kusto
// (translate, replace_regex, replace_string), from the same tables.
func skeletonOf(host string) string {
	for _, p := range skeletonChars {
		host = strings.ReplaceAll(host, p[0], p[1]) // no target is also a source: as translate
	}
	host = strings.NewReplacer(".", "", "-", "", "_", "").Replace(host)
	for _, p := range skeletonPairs {
		host = strings.ReplaceAll(host, p[0], p[1])
	}
	return host
}

// TestLookalikeAgreesWithVerdict: a host the query calls a look-alike is
// one urlcodec's verdict calls a look-alike too, for every folding the
// query makes that can touch the genuine host, and an unrelated host is
// neither.
func TestLookalikeAgreesWithVerdict(t *testing.T) {
	hosts := []string{"mysignins-microsoft.com", "mysignins.microsoft.com.evil.example", "login.microsoftonline.com"}
	for _, p := range append(skeletonChars[:], skeletonPairs[:]...) {
		if strings.Contains(urlcodec.Host, p[1]) {
			hosts = append(hosts, strings.Replace(urlcodec.Host, p[1], p[0], 1))
		}
	}
	isLookalike := func(h string) bool {
		for _, w := range lookalikeWords {
			if strings.Contains(skeletonOf(h), w) {
				return true
			}
		}
		return false
	}
	judge := func(h string) bool {
		for _, r := range new(urlcodec.Parser).Judge("https://" + h + "/register?authMethods=48").Reasons {
			if r.Code == "lookalike" {
				return true
			}
		}
		return false
	}
	for _, h := range hosts {
		if !isLookalike(h) || !judge(h) {
			t.Errorf("%s: query look-alike %v, urlcodec look-alike %v; want both", h, isLookalike(h), judge(h))
		}
	}
	for _, h := range []string{"contoso.com", "safelinks.protection.outlook.com"} {
		if isLookalike(h) || judge(h) {
			t.Errorf("%s: query look-alike %v, urlcodec look-alike %v; want neither", h, isLookalike(h), judge(h))
		}
	}
	if len(hosts) < 7 {
		t.Errorf("only %d hosts tried: %q", len(hosts), hosts)
	}
}
