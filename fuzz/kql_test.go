package fuzz

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/authmethods/authmethods/urlcodec/kql"
)

// FuzzKQLQuery: whatever the flags of 'authmethods kql', Query either
// refuses them with a short *kql.Error naming the option, or writes a query
// in which they cannot add a statement: the header stays comments, the
// names are plain Kusto names, and the text is the same each time.
func FuzzKQLQuery(f *testing.F) {
	f.Add("", "", "", false, false)
	f.Add("UrlClickEvents", "UrlChain", "90m", true, true)
	f.Add("DeviceNetworkEvents", "", "7d", false, true)
	f.Add("ProxyLogs", "RequestUrl", "12h", true, false)
	f.Add("T | take 1", "x']; print 1; //", "30d) or true //", false, false)
	f.Add("UrlClickEvent", "Nope", "0d", false, false)
	f.Add("Proxy_CL", "url\n| print 1", "1d\n", true, true)
	name := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	f.Fuzz(func(t *testing.T, table, column, since string, summary, sentinel bool) {
		o := kql.Options{Table: table, Column: column, Since: since, Summary: summary, Sentinel: sentinel}
		q, err := kql.Query(o)
		if err != nil {
			var e *kql.Error
			if !errors.As(err, &e) || e.Option != "table" && e.Option != "column" && e.Option != "since" {
				t.Fatalf("Query(%+v): %v is not a *kql.Error naming an option", o, err)
			}
			if n := len(err.Error()); n > 1024 {
				t.Fatalf("Query(%+v): error of %d bytes", o, n)
			}
			return
		}
		for _, s := range []string{table, column} {
			if s != "" && !name.MatchString(s) {
				t.Fatalf("Query accepted the name %q", s)
			}
		}
		head, _, ok := strings.Cut(q, "\nlet ")
		if !ok {
			t.Fatalf("Query(%+v): no let statement", o)
		}
		for _, l := range strings.Split(head, "\n") {
			if !strings.HasPrefix(l, "//") {
				t.Fatalf("Query(%+v): header line %q is not a comment", o, l)
			}
		}
		if again, _ := kql.Query(o); again != q {
			t.Fatalf("Query(%+v) differs between two calls", o)
		}
	})
}
