package strength

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/echo"
)

// MaxInput is the most [Decode] reads, 16 MiB: a tenant's whole export is a
// few kilobytes, and the input is untrusted.
const MaxInput = 16 << 20

// Causes of a [DecodeError], for errors.Is. An unknown mode wraps a
// *[bitmask.NameError], a syntax error is a *[json.SyntaxError].
var (
	ErrTooLarge  = errors.New("input larger than 16 MiB")
	ErrTruncated = errors.New("unexpected end of input (truncated JSON?)")
	ErrSchema    = errors.New("not what Graph returns for authenticationStrengthPolicy")
)

// schemaError matches ErrSchema and says exactly what is wrong.
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
	s := cmp.Or(e.File, "input")
	if e.Line > 0 {
		s += fmt.Sprintf(":%d:%d (offset %d)", e.Line, e.Column, e.Offset)
	}
	where := e.Path
	if e.Policy != "" {
		where = strings.TrimPrefix(where+" of ", " of ") + strconv.Quote(e.Policy)
	}
	if where != "" {
		s += ": " + where
	}
	return s + ": " + e.Err.Error()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Decode reads authentication strengths from Microsoft Graph JSON: one
// authenticationStrengthPolicy, a list response ({"value": [ … ]}) or a bare
// array of policies (`jq .value`). name labels errors and each Source.
//
// Of each policy it reads id, displayName, description, policyType and
// allowedCombinations, field names in any case (as ConvertTo-Json may write
// them), and ignores the rest: combinationConfigurations (FIDO2 AAGUIDs,
// certificate issuers) is nothing a mask can express. A builtIn policy with a
// built-in id gets its Aliases. A paged response holds only its first page;
// an empty list is no error.
//
// What Graph would not return is an error, not a guess: allowedCombinations
// missing, null or empty; neither id nor displayName; an id twice (use
// [Merge] on purpose); a field twice, in any case; an empty combination or
// mode ("password,,sms"); a mode that is not a member name of Graph's
// authenticationMethodModes, in any ASCII case ("passkey", suggesting
// "fido2"). Spaces, repeated modes, unknownFutureValue and qrCodePin are fine.
//
// Decode reads at most [MaxInput] bytes, refuses nesting deeper than 10000
// and never panics. It skips a UTF-8 byte order mark and converts UTF-16 with
// one (Windows PowerShell's >): Line and Column then count in the UTF-8 text,
// Offset in the input. Every error is a *[DecodeError] at the offending
// value; a syntax error has no Path.
func Decode(r io.Reader, name string) ([]Strength, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return nil, &DecodeError{File: name, Offset: int64(len(data)), Err: err}
	}
	if len(data) > MaxInput {
		return nil, &DecodeError{File: name, Offset: MaxInput, Err: ErrTooLarge}
	}
	p := &parser{file: name, size: len(data), ids: map[string]int{}, out: []Strength{}}
	p.data, p.shift = text(data)
	p.dec = json.NewDecoder(bytes.NewReader(p.data))
	off := len(p.data) - len(bytes.TrimLeft(p.data, " \t\r\n"))
	// encoding/json's scanner (nesting at most 10000) checks the whole text
	// first, so that a syntax error is reported as the first error.
	var se *json.SyntaxError
	switch jerr := json.Unmarshal(p.data, &discard{}); {
	case off == len(p.data):
		err = p.fail(off, "", "", schemaf("empty input: expected an authenticationStrengthPolicy or a list response"))
	case errors.As(jerr, &se) && se.Offset >= int64(len(p.data)) && jerr.Error() == "unexpected end of JSON input":
		err = p.fail(len(p.data), "", "", ErrTruncated)
	case se != nil:
		err = p.fail(int(se.Offset)-1, "", "", se) // Offset counts the offending byte
	case jerr != nil:
		err = p.fail(0, "", "", jerr)
	case p.data[off] == '{':
		err = p.object("", off, true)
	case p.data[off] == '[':
		err = p.list("", off)
	default:
		err = p.fail(off, "", "", schemaf("expected an authenticationStrengthPolicy object or a list response, not %s", p.kind(off)))
	}
	if err != nil {
		return nil, err
	}
	return p.out, nil
}

// text returns the JSON text of data, without a UTF-8 byte order mark or
// converted from UTF-16 with one, and how many bytes of data precede it.
func text(data []byte) (_ []byte, shift int64) {
	var order binary.ByteOrder = binary.BigEndian
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], 3
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		order = binary.LittleEndian
	case !bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return data, 0
	}
	u := make([]uint16, len(data)/2-1)
	binary.Decode(data[2:], order, u)
	out := []byte(string(utf16.Decode(u))) // a lone surrogate as U+FFFD
	// A lone last byte is half a character: invalid, not dropped.
	return append(out, bytes.Repeat([]byte{0xFF}, len(data)%2)...), 2
}

type parser struct {
	file  string
	data  []byte         // the JSON text
	shift int64          // bytes of the input before data: 3 for UTF-8's BOM, 2 for UTF-16's
	size  int            // of the input
	dec   *json.Decoder  // reads data; each asks it for keys and values
	ids   map[string]int // idKey -> offset of its policy
	out   []Strength

	// A cursor for pos, which is mostly asked for growing offsets.
	lineOff, lineStart, lines int
}

// pos returns the line and column of off in data.
func (p *parser) pos(off int) (line, col int) {
	if off < p.lineOff {
		p.lineOff, p.lineStart, p.lines = 0, 0, 0
	}
	for i := p.lineOff; i < off; i++ {
		if p.data[i] == '\n' {
			p.lines, p.lineStart = p.lines+1, i+1
		}
	}
	p.lineOff = off
	return p.lines + 1, off - p.lineStart + 1
}

// fail returns a *DecodeError at off in data; Offset counts in the input.
func (p *parser) fail(off int, path, policy string, err error) *DecodeError {
	off = max(0, min(off, len(p.data)))
	line, col := p.pos(off)
	at := int64(off) + p.shift
	if p.shift == 2 { // UTF-16: count the code units of the text before off
		at = min(2+2*int64(len(utf16.Encode([]rune(string(p.data[:off]))))), int64(p.size))
	}
	return &DecodeError{File: p.file, Offset: at, Line: line, Column: col, Path: path, Policy: policy, Err: err}
}

// discard lets encoding/json check or skip a value without keeping it.
type discard struct{}

func (*discard) UnmarshalJSON([]byte) error { return nil }

// at returns the offset of the next key or value: where the decoder
// stopped, past the separators it has yet to read.
func (p *parser) at() int {
	return len(p.data) - len(bytes.TrimLeft(p.data[p.dec.InputOffset():], " \t\r\n:,"))
}

// kinds name the types of JSON values by their first byte, for errors.
var kinds = map[byte]string{'{': "an object", '[': "an array", '"': "a string", 't': "true", 'f': "false", 'n': "null"}

// kind names the type of the value at off, for errors.
func (p *parser) kind(off int) string { return cmp.Or(kinds[p.data[off]], "a number") }

// each reads the array or object next in the text, at off, calling f until
// it fails with each element's offset, or each member's key, key offset and
// value offset. f may read the value (each, p.dec.Decode), or each skips it.
// The text is valid JSON, so a decoder error would be a bug: it is put at off.
func (p *parser) each(off int, f func(i int, key string, keyOff, off int) error) error {
	_, err := p.dec.Token()
	for i := 0; err == nil && p.dec.More(); i++ {
		var key any
		keyOff := p.at()
		if p.data[off] == '{' {
			key, err = p.dec.Token()
		}
		start := p.at()
		if err == nil {
			k, _ := key.(string)
			err = f(i, k, keyOff, start)
		}
		if err == nil && p.at() == start {
			err = p.dec.Decode(&discard{})
		}
	}
	if err == nil {
		_, err = p.dec.Token() // the closing bracket
	}
	if _, ours := err.(*DecodeError); err != nil && !ours {
		return p.fail(off, "", "", err)
	}
	return err
}

// list reads the array of policies at off.
func (p *parser) list(path string, off int) error {
	return p.each(off, func(i int, _ string, _ int, off int) error {
		ipath := fmt.Sprintf("%s[%d]", path, i)
		if p.data[off] != '{' {
			return p.fail(off, ipath, "", schemaf("expected an authenticationStrengthPolicy object, not %s", p.kind(off)))
		}
		return p.object(ipath, off, false)
	})
}

// fields maps the policy fields Decode reads, by idKey, to their Graph
// spelling; "value" counts only in the top object.
var fields = map[string]string{"id": "id", "displayname": "displayName", "description": "description",
	"policytype": "policyType", "allowedcombinations": "allowedCombinations", "value": "value"}

// object reads the object at off: a policy, or at the top a list response.
func (p *parser) object(path string, off int, top bool) error {
	var s Strength
	var ptype string
	var bad *DecodeError // the first combination that is not one
	combos := -1         // offset of allowedCombinations
	seen := map[string]bool{}
	label := func() string { return echo.Clip(cmp.Or(s.Name, s.ID), maxEcho) }
	field := func(name string) string { return strings.TrimPrefix(path+"."+name, ".") } // its path
	err := p.each(off, func(_ int, key string, keyOff int, off int) error {
		name, c := fields[idKey(key)], p.data[off]
		switch {
		case name == "" || name == "value" && !top:
			return nil
		case seen[name]:
			return p.fail(keyOff, field(name), label(), schemaf("field %s appears twice", name))
		}
		seen[name] = true
		switch {
		case name == "value" && c == '[':
			return p.list(field(name), off)
		case name == "value":
			return p.fail(off, field(name), "", schemaf("value must be an array of authenticationStrengthPolicy objects, not %s", p.kind(off)))
		case name == "allowedCombinations" && c == 'n':
			combos = off
		case name == "allowedCombinations" && c == '[':
			combos, s.Combinations = off, []bitmask.Mask{}
			return p.each(off, func(i int, _ string, _ int, off int) error {
				ipath := func() string { return fmt.Sprintf("%s[%d]", field(name), i) }
				if p.data[off] != '"' {
					return p.fail(off, ipath(), label(), schemaf(`expected a string of modes joined by "," like "password,sms", not %s`, p.kind(off)))
				}
				var text string
				err := p.dec.Decode(&text)
				m, merr := parseCombination(text)
				if merr != nil && bad == nil {
					bad = p.fail(off, ipath(), "", merr)
				}
				s.Combinations = append(s.Combinations, m)
				return err
			})
		case name == "allowedCombinations":
			return p.fail(off, field(name), label(), schemaf(`expected an array of strings like ["fido2", "password,sms"], not %s`, p.kind(off)))
		case c != '"' && c != 'n':
			return p.fail(off, field(name), label(), schemaf("expected a string, not %s", p.kind(off)))
		default:
			// null leaves the string empty
			return p.dec.Decode(map[string]*string{"id": &s.ID, "displayName": &s.Name, "description": &s.Description, "policyType": &ptype}[name])
		}
		return nil
	})
	switch {
	case err != nil:
		return err
	case seen["value"] && len(seen) > 1:
		return p.fail(off, path, label(), schemaf("an object with both a list (value) and policy fields"))
	case seen["value"]:
		return nil
	case top && len(seen) == 0:
		return p.fail(off, path, "", schemaf(`expected an authenticationStrengthPolicy (with "allowedCombinations") or a list response (with "value")`))
	case combos < 0:
		return p.fail(off, path, label(), schemaf("allowedCombinations is missing: nothing could satisfy this strength"))
	case s.Combinations == nil:
		return p.fail(off, path, label(), schemaf("allowedCombinations is null: nothing could satisfy this strength"))
	case len(s.Combinations) == 0:
		return p.fail(combos, field("allowedCombinations"), label(), schemaf("allowedCombinations is empty: nothing could satisfy this strength"))
	case s.ID == "" && s.Name == "":
		return p.fail(off, path, "", schemaf("the policy has neither id nor displayName, so nothing could select it"))
	}
	k := idKey(s.ID)
	if first, dup := p.ids[k]; dup {
		line, col := p.pos(first)
		return p.fail(off, path, label(), schemaf("duplicate id %q (first at %d:%d)", echo.Clip(s.ID, maxEcho), line, col))
	}
	if s.ID != "" {
		p.ids[k] = off
	}
	if bad != nil {
		bad.Policy = label()
		return bad
	}
	if s.BuiltIn = idKey(ptype) == "builtin"; s.BuiltIn {
		s.Aliases = slices.Clone(aliases[k])
	}
	line, col := p.pos(off)
	s.Source = fmt.Sprintf("%s:%d:%d (Graph authenticationStrengthPolicy JSON)", cmp.Or(p.file, "input"), line, col)
	p.out = append(p.out, s)
	return nil
}

// parseCombination reads a combination as Graph writes it: member names of
// authenticationMethodModes, in any ASCII case, joined by "," and spaces.
func parseCombination(s string) (bitmask.Mask, error) {
	if strings.TrimSpace(s) == "" {
		return 0, schemaf("empty combination")
	}
	var m bitmask.Mask
	for tok := range strings.SplitSeq(s, ",") {
		tok = strings.TrimSpace(tok)
		bit, ok := bitmask.LookupMode(tok)
		switch {
		case tok == "":
			return 0, schemaf("empty mode in combination %q", echo.Clip(s, maxEcho))
		case !ok:
			return 0, modeError{&bitmask.NameError{Name: echo.Clip(tok, maxEcho), Suggest: bitmask.SuggestMode(tok)}}
		}
		m |= bit
	}
	return m, nil
}

// modeError words a *bitmask.NameError as Graph does: a mode, not a method.
type modeError struct{ *bitmask.NameError }

func (e modeError) Error() string {
	return "unknown mode" + strings.TrimPrefix(e.NameError.Error(), "unknown method name")
}

func (e modeError) Unwrap() error { return e.NameError }
