package fuzz

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/authmethods/authmethods/bitmask"
)

// FuzzMaskRoundTrip: every 32-bit value formats to text that parses back to
// the same value, in every output form the project writes.
func FuzzMaskRoundTrip(f *testing.F) {
	for _, v := range []uint32{0, 1, 48, 1720, 1960, 1976, 8288, 8544, 63487, 65536, 131072, 0x40010, 1<<32 - 1} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v uint32) {
		m := bitmask.Mask(v)
		for _, s := range []string{
			m.String(),
			string(m.Append(nil)),
			strconv.FormatUint(uint64(v), 10),
			"0x" + strconv.FormatUint(uint64(v), 16),
			strconv.Quote(m.String()),                  // Graph JSON form
			strings.ToUpper(m.String()),                // any case
			strings.ReplaceAll(m.String(), ",", " | "), // other separators
		} {
			got, err := bitmask.Parse(s)
			if err != nil || got != m {
				t.Fatalf("Parse(%q) = %d, %v; want %d", s, got, err, v)
			}
		}
		if got := m.Count(); got != len(m.Names())+len(m.UnknownBits()) {
			t.Fatalf("%d: %d bits but %d names and %d unknown", v, got, len(m.Names()), len(m.UnknownBits()))
		}
	})
}

// FuzzMaskParse: any text either parses, and then its canonical form parses
// to the same value, or fails with a *bitmask.Error whose cause is one of the
// documented sentinels and whose message stays short.
func FuzzMaskParse(f *testing.F) {
	for _, s := range []string{"1976", "0x7B8", `"password,sms"`, "sms|fido2 tap", "passkee",
		"99999999999999999999", "-1", "sms,0x40000", "\xff\xfe", "", "none"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := bitmask.Parse(s)
		if err != nil {
			var e *bitmask.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q): error %T is not a *bitmask.Error", s, err)
			}
			if !errors.Is(err, bitmask.ErrSyntax) && !errors.Is(err, bitmask.ErrRange) && !errors.Is(err, bitmask.ErrUnknownName) {
				t.Fatalf("Parse(%q): cause %v is not a sentinel", s, err)
			}
			if len(err.Error()) > 1024 {
				t.Fatalf("Parse(%q): error of %d bytes", s, len(err.Error()))
			}
			if !utf8.ValidString(err.Error()) && utf8.ValidString(s) {
				t.Fatalf("Parse(%q): error is not valid UTF-8", s)
			}
			return
		}
		again, err := bitmask.Parse(m.String())
		if err != nil || again != m {
			t.Fatalf("Parse(%q) = %d but Parse(%q) = %d, %v", s, m, m.String(), again, err)
		}
	})
}
