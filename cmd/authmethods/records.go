package main

// The JSON shapes several commands share (decode, scan, probe, build, list),
// and the values they hold, derived from the bitmask method table, the
// catalog and the urlcodec verdict. Explain's shape is the Explanation of
// package urlcodec/explain.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec"
	"github.com/authmethods/authmethods/urlcodec/explain"
)

// catalogJSON is what the catalog knows of a whole mask value; the same
// shape as explain's.
type catalogJSON = explain.Catalog

func (c *invocation) catalogOf(m bitmask.Mask) catalogJSON {
	e := c.catalog.Lookup(m)
	return catalogJSON{Provenance: e.Provenance.String(), Source: e.Source, Note: e.Note}
}

// reasonJSON is one cause of an untrusted verdict; the same shape as
// explain's.
type reasonJSON = explain.Reason

func reasonsOf(v urlcodec.Verdict) []reasonJSON {
	out := make([]reasonJSON, 0, len(v.Reasons))
	for _, r := range v.Reasons {
		out = append(out, reasonJSON{Code: r.Code, Message: r.Message})
	}
	return out
}

// noteBits are the bits maskWarnings speaks of: the sentinel and the beta
// ones. (Copying every method of every mask cost scan 1 KB a link.)
var noteBits = func() (m bitmask.Mask) {
	for _, meth := range bitmask.Methods() {
		if meth.Status == bitmask.Sentinel || meth.Status == bitmask.Beta {
			m |= meth.Bit
		}
	}
	return m
}()

// maskWarnings says what is odd about a mask itself, in words for a person:
// empty, Graph's sentinel, a beta-only bit, bits nobody knows.
func maskWarnings(m bitmask.Mask) []string {
	var out []string
	if m == 0 {
		out = append(out, "authMethods is 0 (none): it names no method; what the wizard shows for it is not documented")
	}
	for _, meth := range (m & noteBits).Methods() {
		switch meth.Status {
		case bitmask.Sentinel:
			out = append(out, fmt.Sprintf("bit %d is %s: %s", meth.Bit, meth.Name, meth.Description))
		case bitmask.Beta:
			out = append(out, fmt.Sprintf("bit %d is %s (%s), known only to Graph beta", meth.Bit, meth.Name, meth.Label))
		}
	}
	if u := m.Unknown(); u != 0 {
		out = append(out, fmt.Sprintf("unknown bits %s: not in Graph's authenticationMethodModes; nobody knows what they mean", hexBits(u)))
	}
	return out
}

// provenanceWords says what is known of a whole value in a few words: a
// single method's meaning is documented but its use in the link observed,
// so "documented" is never said bare.
func provenanceWords(e bitmask.Entry) string {
	switch e.Provenance {
	case bitmask.Documented:
		return "one Graph method"
	case bitmask.Observed:
		return "observed, not documented"
	}
	return "never recorded"
}

// countWarning says what is odd about authMethodCount n, "" when nothing.
func countWarning(n int) string {
	if n == bitmask.ObservedCount {
		return ""
	}
	return fmt.Sprintf("authMethodCount %d: every observed link has %d; what the wizard does with another count is not known", n, bitmask.ObservedCount)
}

// hexBits writes each bit of m as "0x40000 (262144)", joined by ", ".
func hexBits(m bitmask.Mask) string {
	var parts []string
	for b := m; b != 0; b &= b - 1 {
		bit := b & -b
		parts = append(parts, fmt.Sprintf("0x%x (%d)", uint32(bit), uint32(bit)))
	}
	return strings.Join(parts, ", ")
}

// unknownBits returns the unknown bits of m as numbers, never nil.
func unknownBits(m bitmask.Mask) []uint32 {
	out := []uint32{}
	for _, b := range m.UnknownBits() {
		out = append(out, uint32(b))
	}
	return out
}

// names returns the Graph names of m in bit order with each unknown bit in
// hex, as Mask.String writes them; empty (not nil) for 0.
func names(m bitmask.Mask) []string {
	if m == 0 {
		return []string{}
	}
	return strings.Split(m.String(), ",")
}

// warningsOf joins the link's own warnings and the mask's, without repeats.
func warningsOf(it item) []string {
	out := []string{}
	seen := map[string]bool{}
	add := func(ws []string) {
		for _, w := range ws {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	if it.Link != nil {
		add(it.Link.Warnings)
	}
	add(maskWarnings(it.Mask))
	return out
}

// hopJSON is one URL on the browser's way to the register link.
type hopJSON struct {
	URL  string `json:"url"`
	Host string `json:"host"`
	Via  string `json:"via"` // "clicked", or the wrapper that sent the browser on
	Safe bool   `json:"safe"`
}

// pathOf is the browser's path in JSON: from the URL clicked to where the
// browser lands.
func pathOf(l *urlcodec.Link) []hopJSON {
	hops := l.Hops()
	out := make([]hopJSON, len(hops))
	for i, h := range hops {
		out[i] = hopJSON{h.URL, h.Host, h.Via, h.Safe}
	}
	return out
}

// countOf returns authMethodCount, nil when the link has none or for a mask.
func countOf(it item) *int {
	if it.Link == nil || !it.Link.HasCount {
		return nil
	}
	n := it.Link.Count
	return &n
}

func itoa(n int) string { return strconv.Itoa(n) }

// decodeJSON is one decode result in --json output.
type decodeJSON struct {
	Input           string       `json:"input"`
	Line            int64        `json:"line,omitempty"`
	Part            string       `json:"part,omitempty"`
	Kind            string       `json:"kind"`
	AuthMethods     uint32       `json:"authMethods"`
	AuthMethodCount *int         `json:"authMethodCount"`
	Methods         []string     `json:"methods"`
	UnknownBits     []uint32     `json:"unknownBits"`
	URL             string       `json:"url,omitempty"`
	Host            string       `json:"host,omitempty"`
	Path            []hopJSON    `json:"path,omitempty"`
	Trusted         *bool        `json:"trusted,omitempty"`
	Reasons         []reasonJSON `json:"reasons,omitempty"`
	Wrapped         []string     `json:"wrapped,omitempty"`
	Catalog         catalogJSON  `json:"catalog"`
	Warnings        []string     `json:"warnings"`
	imageJSON
}

func decodeResult(c *invocation, it item) decodeJSON {
	r := decodeJSON{
		Input:           it.Input,
		Line:            it.Line,
		Part:            it.Part,
		Kind:            it.kind(),
		AuthMethods:     uint32(it.Mask),
		AuthMethodCount: countOf(it),
		Methods:         it.Mask.Names(),
		UnknownBits:     unknownBits(it.Mask),
		Catalog:         c.catalogOf(it.Mask),
		Warnings:        warningsOf(it),
		imageJSON:       it.imageJSON(),
	}
	if l := it.Link; l != nil {
		trusted := l.Verdict.Trusted
		r.URL, r.Host, r.Trusted, r.Path = l.URL, l.Host, &trusted, pathOf(l)
		if !trusted {
			r.Reasons = reasonsOf(l.Verdict)
		}
		r.Wrapped = l.Wrapped
	}
	return r
}
