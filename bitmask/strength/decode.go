package strength

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/echo"
	"github.com/authmethods/authmethods/bitmask/suggest"
)

// MaxInput is the most [Decode] reads, 16 MiB: a tenant's whole export is a
// few kilobytes, and the input is untrusted.
const MaxInput = 16 << 20

// Errors a caller can test with errors.Is on what [Decode] returns. An
// unknown mode matches [bitmask.ErrUnknownName] (the cause is a
// *[bitmask.NameError]); a JSON syntax error has a *[json.SyntaxError] as
// its cause.
var (
	ErrTooLarge  = errors.New("input larger than 16 MiB")
	ErrTruncated = errors.New("unexpected end of input (truncated JSON?)")
	ErrSchema    = errors.New("not what Graph returns for authenticationStrengthPolicy")
)

// schemaError is a cause that matches ErrSchema and says exactly what is
// wrong.
type schemaError string

func (e schemaError) Error() string        { return string(e) }
func (e schemaError) Is(target error) bool { return target == ErrSchema }

func schemaf(format string, a ...any) error { return schemaError(fmt.Sprintf(format, a...)) }

// DecodeError says where and why [Decode] failed.
type DecodeError struct {
	File   string // the name given to Decode
	Offset int64  // byte offset in the input, from 0
	Line   int    // from 1; 0 when the error has no position (a read error, ErrTooLarge)
	Column int    // from 1, in bytes like Go's own tools
	Path   string // where in the JSON: "value[1].allowedCombinations[3]"
	Policy string // displayName (or id) of the policy, when known
	Err    error  // the cause
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.File == "" {
		b.WriteString("input")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d (offset %d)", e.Line, e.Column, e.Offset)
	}
	b.WriteString(": ")
	switch {
	case e.Path != "" && e.Policy != "":
		fmt.Fprintf(&b, "%s of %q: ", e.Path, e.Policy)
	case e.Path != "":
		b.WriteString(e.Path + ": ")
	case e.Policy != "":
		fmt.Fprintf(&b, "%q: ", e.Policy)
	}
	var ne *bitmask.NameError
	if errors.As(e.Err, &ne) {
		// Graph calls them modes; say so, and suggest Graph's spelling.
		fmt.Fprintf(&b, "unknown mode %q", ne.Name)
		if ne.Suggest != "" {
			fmt.Fprintf(&b, " (did you mean %q?)", ne.Suggest)
		}
		return b.String()
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Decode reads authentication strengths from Microsoft Graph JSON: one
// authenticationStrengthPolicy object as GET
// /policies/authenticationStrengthPolicies/{id} returns it, a list response
// ({"@odata.context": …, "value": [ … ]}) as GET
// /policies/authenticationStrengthPolicies returns it, or a bare array of
// policies (what `jq .value` leaves). name labels errors and each
// Strength's Source ("policy.json", "-" for stdin).
//
// Of each policy it reads id, displayName, description, policyType and
// allowedCombinations (field names in any case, as encoding/json and the
// PowerShell SDK's ConvertTo-Json have them); every other field is ignored,
// among them combinationConfigurations, whose restrictions (allowed FIDO2
// AAGUIDs, certificate issuers) no mask can express. A policy of policyType
// builtIn with a built-in id gets that built-in's Aliases.
//
// Decisions on input Graph would not return, each an error rather than a
// guess: a policy with a missing, null or empty allowedCombinations (nothing
// could satisfy it, and a union of nothing would relate to nothing); a
// policy with neither id nor displayName (nothing could select it); two
// policies with the same id in one input (use [Merge] to combine inputs on
// purpose); an empty combination or an empty mode in one ("password,,sms");
// a mode that is not a Graph authenticationMethodModes member name, in any
// case (aliases such as "passkey" are refused with Graph's name suggested).
// Spaces around modes and a mode repeated within a combination are
// accepted. unknownFutureValue and the beta qrCodePin are members and are
// accepted. An empty list response gives an empty slice and no error. A
// paged response (@odata.nextLink) holds only its first page.
//
// The input is untrusted: Decode reads at most [MaxInput] bytes, nesting
// deeper than encoding/json's limit (10000) is an error, and it never
// panics. A leading UTF-8 byte order mark is skipped; UTF-16 with a byte
// order mark (what Windows PowerShell's > writes) is converted, and then
// line and column count in the converted UTF-8 text while Offset stays an
// offset in the input. Every error is a
// *[DecodeError] with the position of the offending value; the text is
// checked as JSON whole before it is read, so a syntax error has a position
// but no Path.
func Decode(r io.Reader, name string) ([]Strength, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return nil, &DecodeError{File: name, Offset: int64(len(data)), Err: err}
	}
	if len(data) > MaxInput {
		return nil, &DecodeError{File: name, Offset: MaxInput, Err: ErrTooLarge}
	}
	p := &parser{file: name, ids: map[string]int{}, size: len(data)}
	p.data, p.shift, p.utf16 = text(data)
	if err := p.run(); err != nil {
		return nil, err
	}
	return p.out, nil
}

// text returns the JSON text of data and how many bytes of data precede it:
// a UTF-8 byte order mark is skipped, UTF-16 with a byte order mark is
// converted to UTF-8 (wide is then true).
func text(data []byte) (_ []byte, shift int64, wide bool) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], 3, false
	case len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF):
		le := data[0] == 0xFF
		u := make([]uint16, 0, len(data)/2)
		for i := 2; i+1 < len(data); i += 2 {
			if le {
				u = append(u, uint16(data[i])|uint16(data[i+1])<<8)
			} else {
				u = append(u, uint16(data[i])<<8|uint16(data[i+1]))
			}
		}
		out := make([]byte, 0, len(u))
		for _, r := range utf16.Decode(u) {
			out = utf8.AppendRune(out, r)
		}
		if len(data)%2 == 1 {
			// A lone trailing byte is half a character: make the text
			// invalid at its end rather than silently dropping it.
			out = append(out, 0xFF)
		}
		return out, 2, true
	}
	return data, 0, false
}

// inputOffset maps an offset in the UTF-8 text to one in the input.
func (p *parser) inputOffset(off int) int64 {
	if !p.utf16 {
		return int64(off) + p.shift
	}
	units := 0
	for i := 0; i < off; {
		r, n := utf8.DecodeRune(p.data[i:off])
		units++
		if r > 0xFFFF {
			units++
		}
		i += n
	}
	return min(p.shift+2*int64(units), int64(p.size))
}

// Known policy fields; a bit each, to catch duplicates.
const (
	fID = 1 << iota
	fName
	fDescription
	fPolicyType
	fCombinations
	fValue
)

var fields = [...]string{"id", "displayName", "description", "policyType", "allowedCombinations", "value"}

// field returns the bit and Graph spelling of a known field name in any
// ASCII case, 0 for others.
func field(key string) (int, string) {
	for i, f := range fields {
		if len(key) == len(f) && strings.EqualFold(key, f) {
			return 1 << i, f
		}
	}
	return 0, ""
}

type parser struct {
	file  string
	data  []byte         // the JSON text, valid once run has checked it
	shift int64          // bytes of the input before data (a byte order mark)
	utf16 bool           // the input is UTF-16, data its conversion
	size  int            // of the input
	dec   *json.Decoder  // reads data; the walk asks it for tokens and values
	ids   map[string]int // idKey -> offset of its policy
	out   []Strength

	// A cursor for pos, which is mostly asked for growing offsets.
	lineOff, lineStart, line int
}

// policy is one authenticationStrengthPolicy object as read.
type policy struct {
	off                          int // of its '{'
	seen                         int // field bits
	id, name, description, ptype string
	combinations                 []string
	combinationOffs              []int
	combinationsOff              int
	combinationsPath             string
}

// label names the policy in errors.
func (pol *policy) label() string {
	if pol.name != "" {
		return echo.Clip(pol.name, maxEcho)
	}
	return echo.Clip(pol.id, maxEcho)
}

// pos returns the line and column of off in data.
func (p *parser) pos(off int) (line, col int) {
	off = max(0, min(off, len(p.data)))
	if off < p.lineOff || p.line == 0 {
		p.lineOff, p.lineStart, p.line = 0, 0, 1
	}
	for i := p.lineOff; i < off; i++ {
		if p.data[i] == '\n' {
			p.line++
			p.lineStart = i + 1
		}
	}
	p.lineOff = off
	return p.line, off - p.lineStart + 1
}

// fail returns a *DecodeError at off in data.
func (p *parser) fail(off int, path, policy string, err error) error {
	line, col := p.pos(off)
	off = max(0, min(off, len(p.data)))
	return &DecodeError{File: p.file, Offset: p.inputOffset(off), Line: line, Column: col, Path: path, Policy: policy, Err: err}
}

// discard lets encoding/json check or skip a value without keeping it.
type discard struct{}

func (*discard) UnmarshalJSON([]byte) error { return nil }

// check reports the first syntax error of the whole text, with its exact
// position, using encoding/json's own scanner (which also refuses nesting
// deeper than 10000).
func (p *parser) check() error {
	if len(bytes.TrimLeft(p.data, " \t\r\n")) == 0 {
		return p.fail(len(p.data), "", "", schemaf("empty input: expected an authenticationStrengthPolicy or a list response"))
	}
	if json.Valid(p.data) {
		return nil
	}
	var se *json.SyntaxError
	if err := json.Unmarshal(p.data, &discard{}); errors.As(err, &se) {
		if se.Offset >= int64(len(p.data)) && err.Error() == "unexpected end of JSON input" {
			return p.fail(len(p.data), "", "", ErrTruncated)
		}
		return p.fail(int(se.Offset)-1, "", "", se) // Offset counts the offending byte
	} else if err != nil {
		return p.fail(0, "", "", err)
	}
	return nil
}

// The walk below reads a text check has accepted with encoding/json's
// Decoder, so the decoder does not fail on it (UseNumber keeps numbers
// like 1e999 from failing); the walk adds only the positions of values.

// at returns the offset of the next key or value: where the decoder
// stopped, past the separators it has yet to read.
func (p *parser) at() int {
	i := int(p.dec.InputOffset())
	for i < len(p.data) && strings.IndexByte(" \t\r\n:,", p.data[i]) >= 0 {
		i++
	}
	return i
}

// kinds name the types of JSON values by their first byte, for errors.
var kinds = map[byte]string{'{': "an object", '[': "an array", '"': "a string", 't': "true", 'f': "false", 'n': "null"}

// kind names the type of the value at off for errors.
func (p *parser) kind(off int) string {
	if k, ok := kinds[p.data[off]]; ok {
		return k
	}
	return "a number"
}

// next decodes the value at off into v, nil to skip it.
func (p *parser) next(off int, v any) error {
	if v == nil {
		v = &discard{}
	}
	if err := p.dec.Decode(v); err != nil {
		return p.fail(off, "", "", err)
	}
	return nil
}

// delim reads a bracket the walk has already seen at off.
func (p *parser) delim(off int) error {
	if _, err := p.dec.Token(); err != nil {
		return p.fail(off, "", "", err)
	}
	return nil
}

func (p *parser) run() error {
	if err := p.check(); err != nil {
		return err
	}
	p.dec = json.NewDecoder(bytes.NewReader(p.data))
	p.dec.UseNumber()
	var err error
	switch off := p.at(); p.data[off] {
	case '{':
		err = p.object("", off, true)
	case '[':
		err = p.list("", off)
	default:
		err = p.fail(off, "", "", schemaf("expected an authenticationStrengthPolicy object or a list response, not %s", p.kind(off)))
	}
	if p.out == nil {
		p.out = []Strength{}
	}
	return err
}

// list reads an array of policies at off.
func (p *parser) list(path string, off int) error {
	if err := p.delim(off); err != nil {
		return err
	}
	for i := 0; p.dec.More(); i++ {
		ipath := path + "[" + strconv.Itoa(i) + "]"
		off := p.at()
		if p.data[off] != '{' {
			return p.fail(off, ipath, "", schemaf("expected an authenticationStrengthPolicy object, not %s", p.kind(off)))
		}
		if err := p.object(ipath, off, false); err != nil {
			return err
		}
	}
	return p.delim(p.at())
}

// object reads the object at off: a policy, or at the top a list response.
func (p *parser) object(path string, off int, top bool) error {
	if err := p.delim(off); err != nil {
		return err
	}
	pol := policy{off: off}
	for p.dec.More() {
		keyOff := p.at()
		tok, err := p.dec.Token()
		if err != nil {
			return p.fail(keyOff, "", "", err)
		}
		key, _ := tok.(string)
		bit, name := field(key)
		if bit == fValue && !top {
			bit = 0
		}
		valOff := p.at()
		if bit == 0 {
			if err := p.next(valOff, nil); err != nil {
				return err
			}
			continue
		}
		fpath := name
		if path != "" {
			fpath = path + "." + name
		}
		if pol.seen&bit != 0 {
			return p.fail(keyOff, fpath, pol.label(), schemaf("field %s appears twice", name))
		}
		pol.seen |= bit
		switch c := p.data[valOff]; bit {
		case fID, fName, fDescription, fPolicyType:
			if c != '"' && c != 'n' {
				return p.fail(valOff, fpath, pol.label(), schemaf("expected a string, not %s", p.kind(valOff)))
			}
			dst := map[int]*string{fID: &pol.id, fName: &pol.name, fDescription: &pol.description, fPolicyType: &pol.ptype}[bit]
			err = p.next(valOff, dst) // null leaves it ""
		case fCombinations:
			err = p.combinations(fpath, valOff, &pol)
		case fValue:
			if c != '[' {
				return p.fail(valOff, fpath, "", schemaf("value must be an array of authenticationStrengthPolicy objects, not %s", p.kind(valOff)))
			}
			err = p.list(fpath, valOff)
		}
		if err != nil {
			return err
		}
	}
	if err := p.delim(p.at()); err != nil {
		return err
	}
	if pol.seen&fValue != 0 {
		if pol.seen&^fValue != 0 {
			return p.fail(off, path, pol.label(), schemaf("an object with both a list (value) and policy fields"))
		}
		return nil
	}
	return p.finish(path, &pol, top)
}

// combinations reads allowedCombinations at off: an array of strings, or
// null.
func (p *parser) combinations(path string, off int, pol *policy) error {
	pol.combinationsOff, pol.combinationsPath = off, path
	switch p.data[off] {
	case 'n':
		return p.next(off, nil)
	case '[':
	default:
		return p.fail(off, path, pol.label(), schemaf(`expected an array of strings like ["fido2", "password,sms"], not %s`, p.kind(off)))
	}
	if err := p.delim(off); err != nil {
		return err
	}
	pol.combinations = []string{}
	for i := 0; p.dec.More(); i++ {
		off := p.at()
		if p.data[off] != '"' {
			return p.fail(off, path+"["+strconv.Itoa(i)+"]", pol.label(), schemaf(`expected a string of modes joined by "," like "password,sms", not %s`, p.kind(off)))
		}
		var s string
		if err := p.next(off, &s); err != nil {
			return err
		}
		pol.combinations = append(pol.combinations, s)
		pol.combinationOffs = append(pol.combinationOffs, off)
	}
	return p.delim(p.at())
}

// finish checks a policy read whole and adds it to the output.
func (p *parser) finish(path string, pol *policy, top bool) error {
	label := pol.label()
	switch {
	case top && pol.seen == 0:
		return p.fail(pol.off, path, "", schemaf(`expected an authenticationStrengthPolicy (with "allowedCombinations") or a list response (with "value")`))
	case pol.combinations == nil:
		what := "missing"
		if pol.seen&fCombinations != 0 {
			what = "null"
		}
		return p.fail(pol.off, path, label, schemaf("allowedCombinations is %s: nothing could satisfy this strength", what))
	case len(pol.combinations) == 0:
		return p.fail(pol.combinationsOff, pol.combinationsPath, label, schemaf("allowedCombinations is empty: nothing could satisfy this strength"))
	case pol.id == "" && pol.name == "":
		return p.fail(pol.off, path, "", schemaf("the policy has neither id nor displayName, so nothing could select it"))
	}
	if pol.id != "" {
		k := idKey(pol.id)
		if first, dup := p.ids[k]; dup {
			line, col := p.pos(first)
			return p.fail(pol.off, path, label, schemaf("duplicate id %q (first at %d:%d)", echo.Clip(pol.id, maxEcho), line, col))
		}
		p.ids[k] = pol.off
	}
	s := Strength{
		ID:           pol.id,
		Name:         pol.name,
		Description:  pol.description,
		BuiltIn:      equalASCII(pol.ptype, "builtIn"),
		Combinations: make([]bitmask.Mask, 0, len(pol.combinations)),
	}
	for i, c := range pol.combinations {
		m, err := parseCombination(c)
		if err != nil {
			return p.fail(pol.combinationOffs[i], pol.combinationsPath+"["+strconv.Itoa(i)+"]", label, err)
		}
		s.Combinations = append(s.Combinations, m)
	}
	if b, ok := builtInByID(s.ID); ok && s.BuiltIn {
		s.Aliases = append([]string(nil), b.Aliases...)
	}
	line, col := p.pos(pol.off)
	src := p.file
	if src == "" {
		src = "input"
	}
	s.Source = fmt.Sprintf("%s:%d:%d (Graph authenticationStrengthPolicy JSON)", src, line, col)
	p.out = append(p.out, s)
	return nil
}

// parseCombination reads one combination as Graph writes it: member names
// of authenticationMethodModes joined by ",". Names match in any case;
// spaces around them are ignored.
func parseCombination(s string) (bitmask.Mask, error) {
	if strings.TrimSpace(s) == "" {
		return 0, schemaf("empty combination")
	}
	var m bitmask.Mask
	for rest := s; ; {
		tok, after, more := strings.Cut(rest, ",")
		tok = strings.TrimSpace(tok)
		if tok == "" {
			return 0, schemaf("empty mode in combination %q", echo.Clip(s, maxEcho))
		}
		bit, ok := mode(tok)
		if !ok {
			return 0, &bitmask.NameError{Name: echo.Clip(tok, maxEcho), Suggest: suggestMode(tok)}
		}
		m |= bit
		if !more {
			return m, nil
		}
		rest = after
	}
}

// mode returns the bit of a Graph member name, in any case.
func mode(name string) (bitmask.Mask, bool) {
	for i := range modes {
		if len(name) == len(modes[i].Name) && strings.EqualFold(name, modes[i].Name) { // ASCII only
			return modes[i].Bit, true
		}
	}
	return 0, false
}

// suggestMode returns the Graph member name someone probably meant: the
// member an alias stands for ("passkey" → "fido2"), or the closest spelling
// ("smss" → "sms"); "" when unsure, as for an alias of two members ("tap").
func suggestMode(word string) string {
	bits, ok := bitmask.Lookup(word)
	if !ok {
		s := bitmask.Suggest(word)
		// bitmask.Suggest is generous with short words ("x" → "pw"): only
		// take a suggestion that changes at most half of the word.
		if s == "" || 2*suggest.Distance(strings.ToLower(word), strings.ToLower(s)) > len(word) {
			return ""
		}
		if bits, ok = bitmask.Lookup(s); !ok {
			return ""
		}
	}
	if bits.Count() != 1 || bits.Unknown() != 0 {
		return ""
	}
	return bits.String()
}
