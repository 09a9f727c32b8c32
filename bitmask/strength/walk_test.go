package strength

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// The cases below pin how the walk over encoding/json's Decoder orders and
// places errors; each expectation is what the decoder before it gave.
func TestDecodeWalk(t *testing.T) {
	const ok = `"allowedCombinations": ["fido2"]`
	tests := []struct {
		name, in string
		at       string // what the input holds at the error's offset
		msg      string // the error text after the position
	}{
		// Separators are not white space: such input is a syntax error,
		// not an empty one.
		{"comma only", ", ", ", ", `invalid character ',' looking for beginning of value`},
		{"colon after tab", "\t:", ":", `invalid character ':' looking for beginning of value`},
		{"value twice", `{"value": [], "VALUE": []}`, `"VALUE"`, `value: field value appears twice`},
		// Field names fold ASCII case only: "ſ" is not "s" here.
		{"long s", `{"id": "i", "allowedCombinationſ": ["fido2"]}`, `{"id"`, `"i": allowedCombinations is missing: nothing could satisfy this strength`},
		// A policy's own checks come before its combinations are judged,
		// and fields are judged in the order they come.
		{"duplicate id before bad mode", `[{"id": "a", ` + ok + `}, {"id": "A", "allowedCombinations": ["smss"]}]`, `{"id": "A"`, `[1] of "A": duplicate id "A" (first at 1:2)`},
		{"later field before bad mode", `{"allowedCombinations": ["smss"], "id": 5}`, `5}`, `id: expected a string, not a number`},
		{"element type before bad mode", `{"allowedCombinations": ["smss", 5], "id": "i"}`, `5]`, `allowedCombinations[1]: expected a string of modes joined by "," like "password,sms", not a number`},
		{"empty after another policy", `[{"id": "i", ` + ok + `}, {"id": "i", "allowedCombinations": []}]`, `[]}]`, `[1].allowedCombinations of "i": allowedCombinations is empty: nothing could satisfy this strength`},
		{"astral name", `{"displayName": "😀 keys", "allowedCombinations": ["fido2", "fido3"]}`, `"fido3"`, `allowedCombinations[1] of "😀 keys": unknown mode "fido3" (did you mean "fido2"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			de := decodeErr(t, []byte(tt.in), "p.json")
			if _, got, _ := strings.Cut(de.Error(), "): "); got != tt.msg {
				t.Errorf("got  %s\nwant %s", got, tt.msg)
			}
			if rest := tt.in[de.Offset:]; !strings.HasPrefix(rest, tt.at) {
				t.Errorf("offset %d points at %.20q, want %.20q", de.Offset, rest, tt.at)
			}
			checkPosition(t, []byte(tt.in), de)
		})
	}
	var se *json.SyntaxError
	if de := decodeErr(t, []byte(", "), "p.json"); !errors.As(de, &se) {
		t.Errorf("comma only: cause %T, want a *json.SyntaxError", de.Err)
	}

	// Skipped values may hold anything valid, numbers beyond float64 too.
	list, err := Decode(strings.NewReader(`{"x": 1e999, "y": [[{"value": 1}]], "id": "i", `+ok+`}`), "p.json")
	if err != nil || len(list) != 1 || list[0].Union() != 32 {
		t.Errorf("skipped values: %+v, %v", list, err)
	}
}

// UTF-16 is converted a surrogate pair at a time; offsets still count in
// the input, lines and columns in the converted text.
func TestDecodeUTF16Pairs(t *testing.T) {
	in := utf16Bytes(`{"displayName": "😀 keys", "allowedCombinations": ["fido2", "fido3"]}`, true)
	in = append([]byte{0xFF, 0xFE}, in...)
	_, err := Decode(bytes.NewReader(in), "ps.json")
	var de *DecodeError
	if !errors.As(err, &de) || !bytes.HasPrefix(in[de.Offset:], utf16Bytes(`"fido3"`, true)) || de.Line != 1 || de.Column != 63 ||
		de.Policy != "😀 keys" {
		t.Errorf("astral name: %v", err)
	}
	// A lone surrogate becomes U+FFFD, as unicode/utf16 decodes it.
	in = append([]byte{0xFF, 0xFE}, utf16Bytes(`{"id": "`, true)...)
	in = append(in, 0x00, 0xD8)
	in = append(in, utf16Bytes(`x", `+`"allowedCombinations": ["fido2"]}`, true)...)
	list, err := Decode(bytes.NewReader(in), "ps.json")
	if err != nil || len(list) != 1 || list[0].ID != "\uFFFDx" {
		t.Errorf("lone surrogate: %+v, %v", list, err)
	}
}
