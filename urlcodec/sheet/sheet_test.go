package sheet

import (
	"bytes"
	"encoding/csv"
	"iter"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/authmethods/authmethods/bitmask"
)

func rowsOf(masks ...bitmask.Mask) iter.Seq[Row] {
	c := bitmask.NewCatalog()
	return func(yield func(Row) bool) {
		for _, m := range masks {
			e := c.Lookup(m)
			link := "https://mysignins.microsoft.com/register?authMethods=" + strconv.FormatUint(uint64(m), 10) + "&authMethodCount=1"
			if !yield(Row{Mask: m, Status: e.Provenance, Source: e.Source, Link: link}) {
				return
			}
		}
	}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, CSV, "", rowsOf(0, 16, 1976, 0x40010)); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || strings.Join(recs[0], ",") != "mask,methods,catalog,link" {
		t.Fatalf("records: %q", recs)
	}
	want := [][]string{
		{"0", "none", "observed"},
		{"16", "sms", "documented"},
		{"1976", "softwareOath,sms,fido2,microsoftAuthenticatorPush,deviceBasedPush,temporaryAccessPassOneTime,temporaryAccessPassMultiUse", "observed"},
		{"262160", "sms,0x40000", "unknown"},
	}
	for i, w := range want {
		r := recs[i+1]
		if r[0] != w[0] || r[1] != w[1] || r[2] != w[2] || !strings.HasSuffix(r[3], "authMethods="+w[0]+"&authMethodCount=1") {
			t.Errorf("row %d = %q; want %q + link", i+1, r, w)
		}
	}
}

func TestHTMLEscapes(t *testing.T) {
	rows := func(yield func(Row) bool) {
		yield(Row{Mask: 48, Status: bitmask.Observed, Source: `notes<script>alert(1)</script>.tsv:"3"`,
			Link: `https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1`})
	}
	var buf bytes.Buffer
	if err := Write(&buf, HTML, `sheet <b>&</b>`, rows); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script>", "<b>", `:"3"`} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML holds unescaped %q", bad)
		}
	}
	for _, good := range []string{
		"<!DOCTYPE html>", "</html>",
		`<a href="https://mysignins.microsoft.com/register?authMethods=48&amp;authMethodCount=1"`,
		"sheet &lt;b&gt;&amp;&lt;/b&gt;",
		`contenteditable="true"`,
		"&lt;script&gt;",
	} {
		if !strings.Contains(out, good) {
			t.Errorf("HTML lacks %q", good)
		}
	}
	if n := strings.Count(out, "<tr>"); n != 2 {
		t.Errorf("%d table rows; want header + 1", n)
	}
}

func TestMarkdownAndText(t *testing.T) {
	var md, txt bytes.Buffer
	if err := Write(&md, Markdown, "subsets of 48", rowsOf(0, 16, 32, 48)); err != nil {
		t.Fatal(err)
	}
	if err := Write(&txt, Text, "", rowsOf(0, 16, 32, 48)); err != nil {
		t.Fatal(err)
	}
	mdLines := strings.Split(strings.TrimSpace(md.String()), "\n")
	if mdLines[0] != "## subsets of 48" || len(mdLines) != 2+2+4 {
		t.Errorf("markdown:\n%s", md.String())
	}
	if !strings.Contains(md.String(), "| 48 | sms,fido2 | unknown | <https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1> | |") {
		t.Errorf("markdown row for 48 missing:\n%s", md.String())
	}
	txtLines := strings.Split(strings.TrimSuffix(txt.String(), "\n"), "\n")
	if len(txtLines) != 5 || !strings.HasPrefix(txtLines[0], "      MASK  CATALOG     LINK ") {
		t.Errorf("text:\n%s", txt.String())
	}
	if txtLines[2] != "        16  documented  https://mysignins.microsoft.com/register?authMethods=16&authMethodCount=1       sms" {
		t.Errorf("text row = %q", txtLines[2])
	}
}

func TestParseFormat(t *testing.T) {
	for s, want := range map[string]Format{"text": Text, "MD": Markdown, "markdown": Markdown, "Html": HTML, "csv": CSV} {
		if f, err := ParseFormat(s); err != nil || f != want {
			t.Errorf("ParseFormat(%q) = %v, %v", s, f, err)
		}
	}
	if _, err := ParseFormat("xlsx"); err == nil || !strings.Contains(err.Error(), `"xlsx"`) {
		t.Errorf("ParseFormat(xlsx) error = %v", err)
	}
}

func ExampleWrite() {
	rows := func(yield func(Row) bool) {
		for m := range bitmask.Mask(48).Subsets {
			link := "https://mysignins.microsoft.com/register?authMethods=" + strconv.FormatUint(uint64(m), 10) + "&authMethodCount=1"
			if !yield(Row{Mask: m, Status: bitmask.NewCatalog().Lookup(m).Provenance, Link: link}) {
				return
			}
		}
	}
	if err := Write(os.Stdout, CSV, "", rows); err != nil {
		panic(err)
	}
	// Output:
	// mask,methods,catalog,link
	// 0,none,observed,https://mysignins.microsoft.com/register?authMethods=0&authMethodCount=1
	// 16,sms,documented,https://mysignins.microsoft.com/register?authMethods=16&authMethodCount=1
	// 32,fido2,documented,https://mysignins.microsoft.com/register?authMethods=32&authMethodCount=1
	// 48,"sms,fido2",unknown,https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1
}
