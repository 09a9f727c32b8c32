package strength

import (
	"github.com/authmethods/authmethods/bitmask/suggest"

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

var fields = [...]struct {
	name string
	bit  int
}{
	{"id", fID},
	{"displayName", fName},
	{"description", fDescription},
	{"policyType", fPolicyType},
	{"allowedCombinations", fCombinations},
	{"value", fValue},
}

// field reads an object key and returns the bit and Graph spelling of a
// known field, 0 for others.
func (p *parser) field() (int, string) {
	raw, plain := p.rawStr()
	if !plain {
		raw = []byte(unquote(raw))
	}
	for _, f := range fields {
		if len(raw) == len(f.name) && bytes.EqualFold(raw, []byte(f.name)) {
			return f.bit, f.name
		}
	}
	return 0, ""
}

// unquote decodes a quoted JSON string as encoding/json does.
func unquote(quoted []byte) string {
	var s string
	_ = json.Unmarshal(quoted, &s) // escapes; invalid UTF-8 becomes U+FFFD
	return s
}

type parser struct {
	file  string
	data  []byte         // the JSON text, valid once run has checked it
	shift int64          // bytes of the input before data (a byte order mark)
	utf16 bool           // the input is UTF-16, data its conversion
	size  int            // of the input
	i     int            // the walk's position in data
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
	combinations                 []combination
	combinationsOff              int
	combinationsPath             string
}

type combination struct {
	text string
	off  int
}

// label names the policy in errors.
func (pol *policy) label() string {
	if pol.name != "" {
		return shorten(pol.name)
	}
	return shorten(pol.id)
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

// discard lets json.Unmarshal check a text without keeping anything.
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

// The walk below reads a text check has accepted, so it need not handle
// malformed JSON; it still never indexes past the end.

func (p *parser) ws() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
			continue
		}
		return
	}
}

// peek returns the next byte after white space, 0 at the end.
func (p *parser) peek() byte {
	p.ws()
	if p.i < len(p.data) {
		return p.data[p.i]
	}
	return 0
}

// more reads the separator before the next element of an object or array
// and reports whether there is one; it consumes the closing bracket.
func (p *parser) more(first bool) bool {
	c := p.peek()
	if c == '}' || c == ']' || c == 0 {
		p.i++
		return false
	}
	if !first && c == ',' {
		p.i++
		p.ws()
	}
	return p.i < len(p.data)
}

// str reads the string at p.i, decoded as encoding/json decodes it.
func (p *parser) str() string {
	raw, plain := p.rawStr()
	if plain {
		return string(raw)
	}
	return unquote(raw)
}

// rawStr reads the string at p.i. plain reports that it has no escapes
// and is valid UTF-8; then raw is its content, else the quoted text.
func (p *parser) rawStr() (raw []byte, plain bool) {
	start := p.i
	p.skipString()
	raw = p.data[start:p.i]
	if len(raw) >= 2 && bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return raw[1 : len(raw)-1], true
	}
	return raw, false
}

func (p *parser) skipString() {
	p.i++ // '"'
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case '\\':
			p.i += 2
			continue
		case '"':
			p.i++
			return
		}
		p.i++
	}
}

// skip steps over one value, without recursion.
func (p *parser) skip() {
	depth := 0
	for p.i < len(p.data) {
		switch c := p.data[p.i]; c {
		case '"':
			p.skipString()
			if depth == 0 {
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return // the end of the enclosing object or array
			}
			depth--
			if depth == 0 {
				p.i++
				return
			}
		case ',', ' ', '\t', '\r', '\n':
			if depth == 0 {
				return
			}
		}
		p.i++
	}
}

// kind names the type of the value at p.i for errors.
func (p *parser) kind() string {
	switch p.peek() {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't':
		return "true"
	case 'f':
		return "false"
	case 'n':
		return "null"
	}
	return "a number"
}

func (p *parser) run() error {
	if err := p.check(); err != nil {
		return err
	}
	off := p.i
	switch p.peek() {
	case '{':
		p.i++
		if err := p.object("", off, true); err != nil {
			return err
		}
	case '[':
		p.i++
		if err := p.list(""); err != nil {
			return err
		}
	default:
		return p.fail(p.i, "", "", schemaf("expected an authenticationStrengthPolicy object or a list response, not %s", p.kind()))
	}
	if p.out == nil {
		p.out = []Strength{}
	}
	return nil
}

// list reads the elements of an array of policies whose '[' was read.
func (p *parser) list(path string) error {
	for i := 0; p.more(i == 0); i++ {
		ipath := path + "[" + strconv.Itoa(i) + "]"
		if p.peek() != '{' {
			return p.fail(p.i, ipath, "", schemaf("expected an authenticationStrengthPolicy object, not %s", p.kind()))
		}
		off := p.i
		p.i++
		if err := p.object(ipath, off, false); err != nil {
			return err
		}
	}
	return nil
}

// object reads an object whose '{' was read at off: a policy, or at the top
// a list response.
func (p *parser) object(path string, off int, top bool) error {
	pol := policy{off: off}
	for first := true; p.more(first); first = false {
		keyOff := p.i
		bit, name := p.field()
		p.peek()
		p.i++ // ':'
		p.ws()
		if bit == fValue && !top {
			bit = 0
		}
		if bit == 0 {
			p.skip()
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
		var err error
		switch bit {
		case fID:
			err = p.strField(fpath, &pol, &pol.id)
		case fName:
			err = p.strField(fpath, &pol, &pol.name)
		case fDescription:
			err = p.strField(fpath, &pol, &pol.description)
		case fPolicyType:
			err = p.strField(fpath, &pol, &pol.ptype)
		case fCombinations:
			err = p.combinations(fpath, &pol)
		case fValue:
			if p.peek() != '[' {
				return p.fail(p.i, fpath, "", schemaf("value must be an array of authenticationStrengthPolicy objects, not %s", p.kind()))
			}
			p.i++
			err = p.list(fpath)
		}
		if err != nil {
			return err
		}
	}
	if pol.seen&fValue != 0 {
		if pol.seen&^fValue != 0 {
			return p.fail(off, path, pol.label(), schemaf("an object with both a list (value) and policy fields"))
		}
		return nil
	}
	return p.finish(path, &pol, top)
}

// strField reads a string or null into dst.
func (p *parser) strField(path string, pol *policy, dst *string) error {
	switch p.peek() {
	case '"':
		*dst = p.str()
		return nil
	case 'n':
		p.skip()
		return nil
	}
	return p.fail(p.i, path, pol.label(), schemaf("expected a string, not %s", p.kind()))
}

// combinations reads allowedCombinations: an array of strings, or null.
func (p *parser) combinations(path string, pol *policy) error {
	pol.combinationsOff, pol.combinationsPath = p.i, path
	switch p.peek() {
	case 'n':
		p.skip()
		return nil
	case '[':
		p.i++
	default:
		return p.fail(p.i, path, pol.label(), schemaf(`expected an array of strings like ["fido2", "password,sms"], not %s`, p.kind()))
	}
	pol.combinations = []combination{}
	for i := 0; p.more(i == 0); i++ {
		if p.peek() != '"' {
			return p.fail(p.i, path+"["+strconv.Itoa(i)+"]", pol.label(), schemaf(`expected a string of modes joined by "," like "password,sms", not %s`, p.kind()))
		}
		off := p.i
		pol.combinations = append(pol.combinations, combination{p.str(), off})
	}
	return nil
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
			return p.fail(pol.off, path, label, schemaf("duplicate id %q (first at %d:%d)", shorten(pol.id), line, col))
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
		m, err := parseCombination(c.text)
		if err != nil {
			return p.fail(c.off, pol.combinationsPath+"["+strconv.Itoa(i)+"]", label, err)
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
			return 0, schemaf("empty mode in combination %q", shorten(s))
		}
		bit, ok := mode(tok)
		if !ok {
			return 0, &bitmask.NameError{Name: shorten(tok), Suggest: suggestMode(tok)}
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
