package fuzz

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/strength"
)

// FuzzStrengthDecode: any input either decodes to strengths that hold only
// known, non-empty combinations whose OR is the union, with unique ids, and
// that survive a trip back to Graph JSON; or fails with a short
// *strength.DecodeError whose position lies in the input and whose cause is
// a documented one. It never panics.
func FuzzStrengthDecode(f *testing.F) {
	for _, s := range []string{
		`{"id": "i", "allowedCombinations": ["fido2", "password,sms", "windowsHelloForBusiness"]}`,
		`{"value": []}`,
		`[{"displayName": "A", "allowedCombinations": ["smss"]}]`,
		"\xEF\xBB\xBF{}",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := strength.Decode(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			checkDecodeError(t, data, err)
			return
		}
		checkStrengths(t, list)

		// Back to Graph JSON, as a list response, and read again.
		type policy struct {
			ID                  string   `json:"id"`
			DisplayName         string   `json:"displayName"`
			Description         string   `json:"description"`
			PolicyType          string   `json:"policyType"`
			AllowedCombinations []string `json:"allowedCombinations"`
		}
		var out struct {
			Value []policy `json:"value"`
		}
		out.Value = []policy{}
		for _, s := range list {
			p := policy{ID: s.ID, DisplayName: s.Name, Description: s.Description, PolicyType: "custom"}
			if s.BuiltIn {
				p.PolicyType = "builtIn"
			}
			for _, c := range s.Combinations {
				p.AllowedCombinations = append(p.AllowedCombinations, c.String())
			}
			out.Value = append(out.Value, p)
		}
		text, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		again, err := strength.Decode(bytes.NewReader(text), "again.json")
		if err != nil {
			t.Fatalf("re-encoded %s: %v", text, err)
		}
		if len(again) != len(list) {
			t.Fatalf("%d strengths, then %d", len(list), len(again))
		}
		for i := range list {
			a, b := list[i], again[i]
			if a.ID != b.ID || a.Name != b.Name || a.Description != b.Description || a.BuiltIn != b.BuiltIn ||
				strings.Join(a.Aliases, ",") != strings.Join(b.Aliases, ",") || !equalMasks(a.Combinations, b.Combinations) {
				t.Fatalf("strength %d changed on the trip:\n%+v\n%+v", i, a, b)
			}
		}

		// What the CLI does with the result must not fail either.
		merged := strength.Merge(strength.BuiltIn(), list)
		for _, m := range []bitmask.Mask{0, 32, 1976, 8288, 1<<32 - 1} {
			fits, closest := strength.Relate(m, merged)
			if len(fits) != len(merged) || closest < -1 || closest >= len(fits) {
				t.Fatalf("Relate(%d): %d fits, closest %d", m, len(fits), closest)
			}
		}
		for _, s := range list {
			if s.ID == "" || strings.TrimSpace(s.ID) != s.ID {
				continue
			}
			got, err := strength.Find(list, s.ID)
			if err != nil || got.ID != s.ID {
				t.Fatalf("Find(%q) = %q, %v", s.ID, got.ID, err)
			}
		}
	})
}

func checkStrengths(t *testing.T, list []strength.Strength) {
	t.Helper()
	if list == nil {
		t.Fatal("nil list without an error")
	}
	ids := map[string]bool{}
	for _, s := range list {
		if len(s.Combinations) == 0 {
			t.Fatalf("%q: no combinations", s.Name)
		}
		if s.ID == "" && s.Name == "" {
			t.Fatal("a strength with neither id nor name")
		}
		if s.ID != "" {
			k := asciiLower(s.ID) // ids compare in ASCII case only
			if ids[k] {
				t.Fatalf("duplicate id %q", s.ID)
			}
			ids[k] = true
		}
		var or bitmask.Mask
		for _, c := range s.Combinations {
			if c == 0 || c.Unknown() != 0 {
				t.Fatalf("%q: combination %v", s.Name, c)
			}
			or |= c
		}
		if s.Union() != or {
			t.Fatalf("%q: Union %v, OR of combinations %v", s.Name, s.Union(), or)
		}
		if s.Source == "" {
			t.Fatalf("%q: no source", s.Name)
		}
	}
}

func checkDecodeError(t *testing.T, data []byte, err error) {
	t.Helper()
	var de *strength.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error %T %v is not a *strength.DecodeError", err, err)
	}
	if de.Offset < 0 || de.Offset > int64(len(data)) || de.Line < 1 || de.Column < 1 {
		t.Fatalf("position %d %d:%d outside %d bytes: %v", de.Offset, de.Line, de.Column, len(data), err)
	}
	var se *json.SyntaxError
	if !errors.Is(err, strength.ErrSchema) && !errors.Is(err, strength.ErrTruncated) &&
		!errors.Is(err, bitmask.ErrUnknownName) && !errors.As(err, &se) {
		t.Fatalf("undocumented cause %T: %v", de.Err, err)
	}
	if n := len(err.Error()); n > 512 {
		t.Fatalf("error of %d bytes: %.200s…", n, err)
	}
}

func equalMasks(a, b []bitmask.Mask) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
