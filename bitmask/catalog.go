package bitmask

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Provenance says what is known about a mask value as a whole.
type Provenance uint8

const (
	// Unknown: nobody recorded this exact value.
	Unknown Provenance = iota
	// Documented: Microsoft documents the value (a single Graph bit, or 0).
	Documented
	// Observed: seen in real register links, meaning not documented.
	Observed
)

var provenanceNames = [...]string{Unknown: "unknown", Documented: "documented", Observed: "observed"}

func (p Provenance) String() string {
	if int(p) < len(provenanceNames) {
		return provenanceNames[p]
	}
	return "unknown"
}

// Entry is what a catalog knows about one mask value.
type Entry struct {
	Mask       Mask
	Provenance Provenance
	Source     string // where the value is documented or was seen
	Note       string // what it means or what was seen
}

// Sources of the built-in observed values.
const srcSeedObserved = "seed (Jan Bakker, security-info-registration, 2025-08-29): \"undocumented versions like 1720, 1960, and 1976\""

// observed lists values seen in real links that no Microsoft document gives
// (Jan Bakker, "Security Info Registration. Entra ID's rabbit hole.",
// janbakker.tech, 2025-08-29). Their meaning is derived from the bits.
var observed = []Entry{
	{1720, Observed, srcSeedObserved, "bits derived here, not documented by Microsoft"},
	{1960, Observed, srcSeedObserved, "bits derived here, not documented by Microsoft"},
	{1976, Observed, srcSeedObserved, "bits derived here, not documented by Microsoft"},
}

// Catalog holds known mask values with their provenance. The zero value is
// empty; NewCatalog returns one with every built-in value.
type Catalog struct {
	entries map[Mask]Entry
}

// NewCatalog returns a catalog of every documented single bit, 0 (the seed's
// "none"), and the values observed in the wild.
func NewCatalog() *Catalog {
	c := &Catalog{entries: make(map[Mask]Entry, len(table)+len(observed)+1)}
	c.entries[0] = Entry{0, Documented, "seed table (0 = none); Graph has no member for 0", "no method"}
	for _, m := range table {
		note := m.Description
		switch m.Status {
		case Beta:
			note += " (Graph beta only)"
		case Sentinel:
			note += " (sentinel)"
		}
		c.entries[m.Bit] = Entry{m.Bit, Documented, m.Source, note}
	}
	for _, e := range observed {
		c.entries[e.Mask] = e
	}
	return c
}

// Lookup returns what the catalog knows of m; an Entry with Provenance
// Unknown when nothing.
func (c *Catalog) Lookup(m Mask) Entry {
	if e, ok := c.entries[m]; ok {
		return e
	}
	return Entry{Mask: m, Provenance: Unknown}
}

// Entries returns every entry in ascending mask order.
func (c *Catalog) Entries() []Entry {
	out := make([]Entry, 0, len(c.entries))
	for _, e := range c.entries {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int {
		switch {
		case a.Mask < b.Mask:
			return -1
		case a.Mask > b.Mask:
			return 1
		}
		return 0
	})
	return out
}

// Add records e, replacing what the catalog had for e.Mask, except that a
// documented value stays documented: a note on it is kept beside the
// documented source.
func (c *Catalog) Add(e Entry) {
	if c.entries == nil {
		c.entries = make(map[Mask]Entry)
	}
	if old, ok := c.entries[e.Mask]; ok && old.Provenance == Documented && e.Provenance != Documented {
		old.Source += "; " + e.Source
		if e.Note != "" {
			old.Note += "; " + e.Note
		}
		c.entries[e.Mask] = old
		return
	}
	c.entries[e.Mask] = e
}

// Limits on a catalog file, which is untrusted input.
const (
	MaxCatalogLine    = 4096
	MaxCatalogEntries = 1 << 20
)

// ErrCatalogLine is the cause of a CatalogError for a line that is too long.
var ErrCatalogLine = errors.New("line too long")

// CatalogError names the file and line of a bad catalog line.
type CatalogError struct {
	File string
	Line int
	Err  error
}

func (e *CatalogError) Error() string {
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *CatalogError) Unwrap() error { return e.Err }

// Load adds the entries of a catalog file to c, each as Observed with
// "name:line" as its source. The format is text, one value per line:
//
//	# comments and blank lines are ignored
//	MASK<TAB>what was seen
//	1976	wizard offered SMS, Authenticator and passkey (tenant A, 2025-09)
//	sms,fido2	only SMS shown
//
// MASK is anything Parse accepts without spaces (or the whole line up to
// a tab); the note is the rest of the line. A bad line stops the load with a
// *CatalogError naming name and line; entries before it stay added.
func (c *Catalog) Load(r io.Reader, name string) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 512), MaxCatalogLine)
	n, added := 0, 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		field, note, ok := strings.Cut(line, "\t")
		if !ok {
			field, note, _ = strings.Cut(line, " ")
		}
		m, err := Parse(field)
		if err != nil {
			return &CatalogError{name, n, err}
		}
		if added++; added > MaxCatalogEntries {
			return &CatalogError{name, n, fmt.Errorf("more than %d entries", MaxCatalogEntries)}
		}
		c.Add(Entry{Mask: m, Provenance: Observed, Source: name + ":" + strconv.Itoa(n), Note: strings.TrimSpace(note)})
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("%w (over %d bytes)", ErrCatalogLine, MaxCatalogLine)
		}
		return &CatalogError{name, n + 1, err}
	}
	return nil
}
