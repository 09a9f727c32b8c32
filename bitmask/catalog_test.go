package bitmask

import (
	"errors"
	"strings"
	"testing"
)

func TestCatalogBuiltIn(t *testing.T) {
	c := NewCatalog()
	for _, tt := range []struct {
		m    Mask
		want Provenance
	}{
		{0, Observed}, // the blog's "none": Graph has no member for 0
		{16, Documented},
		{32768, Documented},
		{131072, Documented},
		{1720, Observed},
		{1960, Observed},
		{1976, Observed},
		{48, Unknown},
		{0x40000, Unknown},
	} {
		e := c.Lookup(tt.m)
		if e.Provenance != tt.want || e.Mask != tt.m {
			t.Errorf("Lookup(%d) = %+v; want %v", tt.m, e, tt.want)
		}
		if tt.want != Unknown && e.Source == "" {
			t.Errorf("Lookup(%d) has no source", tt.m)
		}
	}
	for _, m := range []Mask{0, 1976} {
		if src := c.Lookup(m).Source; !strings.Contains(src, Bakker2025) {
			t.Errorf("%d must cite Jan Bakker's post by author and title: %q", m, src)
		}
	}
	es := c.Entries()
	for i := 1; i < len(es); i++ {
		if es[i-1].Mask >= es[i].Mask {
			t.Fatalf("Entries not ascending at %d", i)
		}
	}
	if len(es) != 1+len(table)+3 {
		t.Errorf("%d entries; want %d", len(es), 1+len(table)+3)
	}
}

func TestCatalogLoad(t *testing.T) {
	c := NewCatalog()
	in := "# what we saw\n\n48\tSMS and passkey only (tenant A)\nsms,fido2,tap TAP too\n16\tnote on a documented bit\n"
	if err := c.Load(strings.NewReader(in), "notes.tsv"); err != nil {
		t.Fatal(err)
	}
	e := c.Lookup(48)
	if e.Provenance != Observed || e.Source != "notes.tsv:3" || e.Note != "SMS and passkey only (tenant A)" {
		t.Errorf("48 = %+v", e)
	}
	if e := c.Lookup(1584); e.Provenance != Observed || e.Source != "notes.tsv:4" || e.Note != "TAP too" {
		t.Errorf("1584 = %+v", e)
	}
	if e := c.Lookup(16); e.Provenance != Documented || !strings.Contains(e.Source, "notes.tsv:5") {
		t.Errorf("16 = %+v; a documented bit stays documented and gains the note", e)
	}
}

func TestCatalogLoadErrors(t *testing.T) {
	tests := []struct {
		in    string
		line  int
		cause error
	}{
		{"1976\tok\nsmss\tbad\n", 2, ErrUnknownName},
		{"\n\n99999999999\tx\n", 3, ErrRange},
		{"48\tok\n" + strings.Repeat("x", MaxCatalogLine+10) + "\n", 2, ErrCatalogLine},
	}
	for _, tt := range tests {
		err := NewCatalog().Load(strings.NewReader(tt.in), "cat.tsv")
		var ce *CatalogError
		if !errors.As(err, &ce) || ce.File != "cat.tsv" || ce.Line != tt.line || !errors.Is(err, tt.cause) {
			t.Errorf("Load(%.20q) = %v; want cat.tsv:%d caused by %v", tt.in, err, tt.line, tt.cause)
		}
	}
	err := NewCatalog().Load(strings.NewReader("1976\tok\nsmss\tbad\n"), "cat.tsv")
	if want := `cat.tsv:2: bitmask.Parse: parsing "smss": unknown method name "smss" (did you mean "sms"?)`; err.Error() != want {
		t.Errorf("got %q\nwant %q", err, want)
	}
}
