package strength

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/authmethods/authmethods/bitmask"
)

func TestDecodeList(t *testing.T) {
	list := decodeFile(t, "list.json")
	if len(list) != 4 {
		t.Fatalf("%d strengths, want 4", len(list))
	}
	// The export's built-ins carry the same combinations as the table.
	for i, b := range BuiltIn() {
		s := list[i]
		if s.ID != b.ID || !s.BuiltIn || len(s.Combinations) != len(b.Combinations) {
			t.Errorf("%d: %+v", i, s)
			continue
		}
		for j := range s.Combinations {
			if s.Combinations[j] != b.Combinations[j] {
				t.Errorf("%s combination %d = %v, table has %v", s.Name, j, s.Combinations[j], b.Combinations[j])
			}
		}
		if strings.Join(s.Aliases, ",") != strings.Join(b.Aliases, ",") {
			t.Errorf("%s aliases = %q", s.Name, s.Aliases)
		}
	}
	c := list[3]
	want := Strength{
		ID:           "5a4b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
		Name:         "Contoso keys or Hello",
		Description:  "FIDO2 keys from the approved list, Windows Hello for Business, or password + SMS for the pilot",
		Combinations: []bitmask.Mask{32, 17, 64},
		Source:       "list.json:69:9 (Graph authenticationStrengthPolicy JSON)",
	}
	if c.ID != want.ID || c.Name != want.Name || c.Description != want.Description || c.BuiltIn ||
		c.Aliases != nil || !equalMasks(c.Combinations, want.Combinations) || c.Source != want.Source {
		t.Errorf("custom = %+v\nwant %+v", c, want)
	}
}

func equalMasks(a, b []bitmask.Mask) bool {
	return string(mustJSON(a)) == string(mustJSON(b))
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// decodeErr decodes in and returns the *DecodeError it must fail with.
func decodeErr(t *testing.T, in []byte, name string) *DecodeError {
	t.Helper()
	list, err := Decode(bytes.NewReader(in), name)
	if err == nil {
		t.Fatalf("no error; got %+v", list)
	}
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error %T %v is not a *DecodeError", err, err)
	}
	if list != nil {
		t.Errorf("list %v with error", list)
	}
	return de
}

func TestDecodeFileErrors(t *testing.T) {
	tests := []struct {
		file      string
		is        error
		msg       string
		line, col int
	}{
		{"unknown-mode.json", bitmask.ErrUnknownName,
			`unknown-mode.json:9:9 (offset 229): allowedCombinations[3] of "My strength": unknown mode "smss" (did you mean "sms"?)`, 9, 9},
		{"wrong-type.json", ErrSchema,
			`wrong-type.json:5:28 (offset 141): allowedCombinations of "My strength": expected an array of strings like ["fido2", "password,sms"], not a string`, 5, 28},
		{"truncated.json", ErrTruncated,
			`truncated.json:33:29 (offset 1500): unexpected end of input (truncated JSON?)`, 33, 29},
		{"deep.json", nil, `deep.json:1:10067 (offset 10066): invalid character '[' exceeded max depth`, 1, 10067},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			de := decodeErr(t, in, tt.file)
			if de.Error() != tt.msg {
				t.Errorf("got  %s\nwant %s", de, tt.msg)
			}
			if tt.is != nil && !errors.Is(de, tt.is) {
				t.Errorf("errors.Is(%v) false", tt.is)
			}
			if de.Line != tt.line || de.Column != tt.col || de.File != tt.file {
				t.Errorf("position %s:%d:%d", de.File, de.Line, de.Column)
			}
			checkPosition(t, in, de)
		})
	}
}

// checkPosition checks that Line and Column agree with Offset.
func checkPosition(t *testing.T, in []byte, de *DecodeError) {
	t.Helper()
	if de.Line == 0 {
		return
	}
	if de.Offset < 0 || de.Offset > int64(len(in)) {
		t.Fatalf("offset %d outside 0…%d", de.Offset, len(in))
	}
	start := int64(0)
	if bytes.HasPrefix(in, []byte{0xEF, 0xBB, 0xBF}) {
		start = 3
	}
	before := in[start:de.Offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	if line != de.Line || col != de.Column {
		t.Errorf("offset %d is %d:%d, error says %d:%d", de.Offset, line, col, de.Line, de.Column)
	}
}

func TestDecodeErrors(t *testing.T) {
	const ok = `"allowedCombinations": ["fido2"]`
	tests := []struct {
		name, in string
		at       string // what the input holds at the error's offset ("" for its end)
		is       error  // nil: a *json.SyntaxError
		msg      string // the error text after the position
	}{
		{"empty", "", "", ErrSchema, `empty input: expected an authenticationStrengthPolicy or a list response`},
		{"spaces", " \n\t", "", ErrSchema, `empty input: expected an authenticationStrengthPolicy or a list response`},
		{"number", "42", "42", ErrSchema, `expected an authenticationStrengthPolicy object or a list response, not a number`},
		{"string", `"fido2"`, `"fido2"`, ErrSchema, `expected an authenticationStrengthPolicy object or a list response, not a string`},
		{"leading space", " \n {}", `{}`, ErrSchema, `expected an authenticationStrengthPolicy (with "allowedCombinations") or a list response (with "value")`},
		{"empty object", `{}`, `{}`, ErrSchema, `expected an authenticationStrengthPolicy (with "allowedCombinations") or a list response (with "value")`},
		{"only odata", `{"@odata.context": "x"}`, `{"@`, ErrSchema, `expected an authenticationStrengthPolicy (with "allowedCombinations") or a list response (with "value")`},
		{"no combinations", `{"displayName": "A"}`, `{"d`, ErrSchema, `"A": allowedCombinations is missing: nothing could satisfy this strength`},
		{"null combinations", `{"id": "i", "allowedCombinations": null}`, `{"id`, ErrSchema, `"i": allowedCombinations is null: nothing could satisfy this strength`},
		{"empty combinations", `{"id": "i", "allowedCombinations": []}`, `[]`, ErrSchema, `allowedCombinations of "i": allowedCombinations is empty: nothing could satisfy this strength`},
		{"nameless", `{` + ok + `}`, `{"a`, ErrSchema, `the policy has neither id nor displayName, so nothing could select it`},
		{"combination as array", `{"id": "i", "allowedCombinations": [["password", "sms"]]}`, `["pass`, ErrSchema, `allowedCombinations[0] of "i": expected a string of modes joined by "," like "password,sms", not an array`},
		{"combination as number", `{"id": "i", "allowedCombinations": [17]}`, `17`, ErrSchema, `allowedCombinations[0] of "i": expected a string of modes joined by "," like "password,sms", not a number`},
		{"empty combination", `{"id": "i", "allowedCombinations": ["fido2", ""]}`, `""`, ErrSchema, `allowedCombinations[1] of "i": empty combination`},
		{"empty mode", `{"id": "i", "allowedCombinations": ["password,,sms"]}`, `"password,,`, ErrSchema, `allowedCombinations[0] of "i": empty mode in combination "password,,sms"`},
		{"trailing comma", `{"id": "i", "allowedCombinations": ["sms,"]}`, `"sms,"`, ErrSchema, `allowedCombinations[0] of "i": empty mode in combination "sms,"`},
		{"alias", `{"id": "i", "allowedCombinations": ["passkey"]}`, `"passkey"`, bitmask.ErrUnknownName, `allowedCombinations[0] of "i": unknown mode "passkey" (did you mean "fido2"?)`},
		{"alias of two", `{"id": "i", "allowedCombinations": ["tap"]}`, `"tap"`, bitmask.ErrUnknownName, `allowedCombinations[0] of "i": unknown mode "tap"`},
		{"number mode", `{"id": "i", "allowedCombinations": ["17"]}`, `"17"`, bitmask.ErrUnknownName, `allowedCombinations[0] of "i": unknown mode "17"`},
		{"far from anything", `{"id": "i", "allowedCombinations": ["x"]}`, `"x"`, bitmask.ErrUnknownName, `allowedCombinations[0] of "i": unknown mode "x"`},
		{"name after combinations", `{"allowedCombinations": ["windowsHelloForBusines"], "displayName": "Later"}`, `"windowsHello`, bitmask.ErrUnknownName,
			`allowedCombinations[0] of "Later": unknown mode "windowsHelloForBusines" (did you mean "windowsHelloForBusiness"?)`},
		{"long mode", `{"id": "i", "allowedCombinations": ["` + strings.Repeat("a", 200) + `"]}`, `"aaa`, bitmask.ErrUnknownName,
			`allowedCombinations[0] of "i": unknown mode "` + strings.Repeat("a", 64) + `…"`},
		{"name as number", `{"displayName": 7, ` + ok + `}`, `7,`, ErrSchema, `displayName: expected a string, not a number`},
		{"id as object", `{"displayName": "A", "id": {}, ` + ok + `}`, `{},`, ErrSchema, `id of "A": expected a string, not an object`},
		{"policyType as bool", `{"displayName": "A", "policyType": true, ` + ok + `}`, `true`, ErrSchema, `policyType of "A": expected a string, not true`},
		{"duplicate field", `{"displayName": "A", ` + ok + `, "AllowedCombinations": []}`, `"AllowedC`, ErrSchema, `allowedCombinations of "A": field allowedCombinations appears twice`},
		{"duplicate id", `{"value": [{"id": "ABC", ` + ok + `}, {"displayName": "B", "id": "abc", ` + ok + `}]}`, `{"displayName": "B"`, ErrSchema, `value[1] of "B": duplicate id "abc" (first at 1:12)`},
		{"value not array", `{"value": {}}`, `{}}`, ErrSchema, `value: value must be an array of authenticationStrengthPolicy objects, not an object`},
		{"value null", `{"value": null}`, `null`, ErrSchema, `value: value must be an array of authenticationStrengthPolicy objects, not null`},
		{"value element null", `{"value": [null]}`, `null`, ErrSchema, `value[0]: expected an authenticationStrengthPolicy object, not null`},
		{"value and policy", `{"id": "i", "value": []}`, `{"id"`, ErrSchema, `"i": an object with both a list (value) and policy fields`},
		{"bare array element", `[{"id": "i", ` + ok + `}, 3]`, `3]`, ErrSchema, `[1]: expected an authenticationStrengthPolicy object, not a number`},
		{"list path", `{"value": [{"id": "i", ` + ok + `}, {"id": "j", "allowedCombinations": ["smss"]}]}`, `"smss"`, bitmask.ErrUnknownName,
			`value[1].allowedCombinations[0] of "j": unknown mode "smss" (did you mean "sms"?)`},
		{"two values", `{"id": "i", ` + ok + `} {}`, `{}`, nil, `invalid character '{' after top-level value`},
		{"garbage after", `{"id": "i", ` + ok + `} x`, `x`, nil, `invalid character 'x' after top-level value`},
		{"syntax", `{"id": "i" ` + ok + `}`, `"allowed`, nil, `invalid character '"' after object key:value pair`},
		{"bad literal", `{"id": tru}`, `}`, nil, `invalid character '}' in literal true (expecting 'e')`},
		{"syntax in skipped value", `{"id": "i", "x": [1, 2,, 3], ` + ok + `}`, `, 3]`, nil, `invalid character ',' looking for beginning of value`},
		{"truncated key", `{"id"`, "", ErrTruncated, `unexpected end of input (truncated JSON?)`},
		{"truncated string", `{"id": "i", "allowedCombinations": ["fid`, "", ErrTruncated, `unexpected end of input (truncated JSON?)`},
		{"truncated unknown", `{"id": "i", "x": {"y": [1,`, "", ErrTruncated, `unexpected end of input (truncated JSON?)`},
		{"truncated second value", `{"id": "i", ` + ok + `} {`, `{`, nil, `invalid character '{' after top-level value`},
		{"nested value not read", `{"id": "i", ` + ok + `, "x": {"value": 1}}`, "", nil, ""},
		{"deep", `{"id": "i", ` + ok + `, "x": ` + strings.Repeat(`{"a":`, 10001) + "1" + strings.Repeat("}", 10001) + `}`, `{"a":{"a":1}}}`, nil,
			`invalid character '{' exceeded max depth`},
		{"deep ok", `{"id": "i", ` + ok + `, "x": ` + strings.Repeat("[", 9000) + strings.Repeat("]", 9000) + `}`, "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.msg == "" {
				if _, err := Decode(strings.NewReader(tt.in), "p.json"); err != nil {
					t.Fatal(err)
				}
				return
			}
			de := decodeErr(t, []byte(tt.in), "p.json")
			_, got, _ := strings.Cut(de.Error(), "): ")
			if got != tt.msg {
				t.Errorf("got  %s\nwant %s", got, tt.msg)
			}
			if rest := tt.in[de.Offset:]; !strings.HasPrefix(rest, tt.at) || tt.at == "" && rest != "" {
				t.Errorf("offset %d points at %.20q, want %.20q", de.Offset, rest, tt.at)
			}
			if tt.is != nil && !errors.Is(de, tt.is) {
				t.Errorf("not errors.Is %v", tt.is)
			}
			if tt.is == nil {
				var se *json.SyntaxError
				if !errors.As(de, &se) {
					t.Errorf("cause %T is not a *json.SyntaxError", de.Err)
				}
			}
			checkPosition(t, []byte(tt.in), de)
		})
	}
}

func TestDecodeAccepts(t *testing.T) {
	tests := []struct {
		name, in string
		want     []bitmask.Mask // combinations of the only policy
	}{
		{"spaces around modes", `{"id": "i", "allowedCombinations": [" password , sms "]}`, []bitmask.Mask{17}},
		{"any case", `{"ID": "i", "ALLOWEDCOMBINATIONS": ["PASSWORD,SMS", "Fido2"]}`, []bitmask.Mask{17, 32}},
		{"repeated mode", `{"id": "i", "allowedCombinations": ["sms,sms"]}`, []bitmask.Mask{16}},
		{"repeated combination", `{"id": "i", "allowedCombinations": ["sms", "sms"]}`, []bitmask.Mask{16, 16}},
		{"sentinel and beta", `{"id": "i", "allowedCombinations": ["unknownFutureValue", "qrCodePin"]}`, []bitmask.Mask{0x10000, 0x20000}},
		{"nulls", `{"id": "i", "displayName": null, "description": null, "policyType": null, "allowedCombinations": ["fido2"]}`, []bitmask.Mask{32}},
		{"bare array", `[{"id": "i", "allowedCombinations": ["fido2"]}]`, []bitmask.Mask{32}},
		{"escapes", `{"id": "i", "allowedCombinations": ["\u0066ido2"]}`, []bitmask.Mask{32}},
		{"utf-8 bom", "\xEF\xBB\xBF" + `{"id": "i", "allowedCombinations": ["fido2"]}`, []bitmask.Mask{32}},
		{"powershell names", `{"Id": "i", "DisplayName": "A", "AllowedCombinations": ["fido2"], "AdditionalProperties": {}}`, []bitmask.Mask{32}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := Decode(strings.NewReader(tt.in), "p.json")
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 || !equalMasks(list[0].Combinations, tt.want) {
				t.Fatalf("got %+v, want combinations %v", list, tt.want)
			}
		})
	}
	list, err := Decode(strings.NewReader(`{"@odata.context": "x", "value": []}`), "p.json")
	if err != nil || list == nil || len(list) != 0 {
		t.Errorf("empty list response: %v, %v", list, err)
	}
	// A built-in id gets the aliases only when Graph says it is built in.
	list, err = Decode(strings.NewReader(`[{"id": "00000000-0000-0000-0000-000000000004", "policyType": "custom", "allowedCombinations": ["fido2"]}]`), "p.json")
	if err != nil || len(list[0].Aliases) != 0 {
		t.Errorf("custom with a built-in id: %+v, %v", list, err)
	}
}

func TestDecodeUTF16(t *testing.T) {
	in, err := os.ReadFile("testdata/custom.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, le := range []bool{true, false} {
		u := utf16.Encode([]rune(string(in)))
		out := []byte{0xFE, 0xFF}
		if le {
			out = []byte{0xFF, 0xFE}
		}
		for _, c := range u {
			if le {
				out = append(out, byte(c), byte(c>>8))
			} else {
				out = append(out, byte(c>>8), byte(c))
			}
		}
		list, err := Decode(bytes.NewReader(out), "ps.json")
		if err != nil || len(list) != 1 || list[0].Union() != 113 {
			t.Errorf("UTF-16 (le %v): %+v, %v", le, list, err)
		}
		// An odd byte count is a broken file, not a shorter one.
		if _, err := Decode(bytes.NewReader(out[:len(out)-1]), "ps.json"); err == nil {
			t.Errorf("UTF-16 (le %v) with a lone byte: no error", le)
		}
		// Offsets are in the input, though the text was converted.
		bad := bytes.Replace(out, utf16Bytes(`"fido2"`, le), utf16Bytes(`"fido3"`, le), 1)
		_, err = Decode(bytes.NewReader(bad), "ps.json")
		var de *DecodeError
		if !errors.As(err, &de) || !bytes.HasPrefix(bad[de.Offset:], utf16Bytes(`"fido3"`, le)) || de.Line != 11 || de.Column != 9 {
			t.Errorf("UTF-16 (le %v): %v", le, err)
		}
	}
}

func utf16Bytes(s string, le bool) []byte {
	var out []byte
	for _, c := range utf16.Encode([]rune(s)) {
		if le {
			out = append(out, byte(c), byte(c>>8))
		} else {
			out = append(out, byte(c>>8), byte(c))
		}
	}
	return out
}

// endless is an input that never ends.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.n += int64(len(p))
	return len(p), nil
}

func TestDecodeTooLarge(t *testing.T) {
	r := &endless{}
	_, err := Decode(r, "big.json")
	var de *DecodeError
	if !errors.Is(err, ErrTooLarge) || !errors.As(err, &de) || de.Line != 0 {
		t.Fatalf("got %v", err)
	}
	if err.Error() != "big.json: input larger than 16 MiB" {
		t.Errorf("message %q", err)
	}
	if r.n > MaxInput+64<<10 {
		t.Errorf("read %d bytes for a limit of %d", r.n, MaxInput)
	}
	// Exactly MaxInput is fine: a policy padded with spaces.
	in := []byte(`{"id": "i", "allowedCombinations": ["fido2"]}`)
	in = append(in, bytes.Repeat([]byte(" "), MaxInput-len(in))...)
	if _, err := Decode(bytes.NewReader(in), "max.json"); err != nil {
		t.Errorf("MaxInput bytes: %v", err)
	}
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestDecodeReadError(t *testing.T) {
	_, err := Decode(failing{}, "-")
	if !errors.Is(err, io.ErrClosedPipe) || err.Error() != "-: io: read/write on closed pipe" {
		t.Errorf("got %v", err)
	}
}

// Every cut of a real response fails cleanly with a position inside it.
func TestDecodePrefixes(t *testing.T) {
	in, err := os.ReadFile("testdata/list.json")
	if err != nil {
		t.Fatal(err)
	}
	full := bytes.TrimSpace(in)
	for n := 0; n < len(full); n++ {
		_, err := Decode(bytes.NewReader(full[:n]), "cut.json")
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("cut at %d: %v", n, err)
		}
		if de.Offset < 0 || de.Offset > int64(n) || de.Line < 1 || de.Column < 1 {
			t.Fatalf("cut at %d: position %d %d:%d", n, de.Offset, de.Line, de.Column)
		}
	}
}

func TestDecodeErrorFormat(t *testing.T) {
	tests := []struct {
		e    DecodeError
		want string
	}{
		{DecodeError{Err: io.EOF}, "input: EOF"},
		{DecodeError{File: "f", Line: 2, Column: 3, Offset: 9, Path: "p", Err: io.EOF}, "f:2:3 (offset 9): p: EOF"},
		{DecodeError{File: "f", Line: 2, Column: 3, Offset: 9, Policy: "x", Err: io.EOF}, `f:2:3 (offset 9): "x": EOF`},
		{DecodeError{File: "f", Err: modeError{&bitmask.NameError{Name: "q"}}}, `f: unknown mode "q"`},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
