// Package bitmask reads and writes the authMethods mask of Microsoft Entra ID
// security-info register links
// (https://mysignins.microsoft.com/register?authMethods=NNNN&authMethodCount=1).
//
// The mask is a 32-bit flags value over Microsoft Graph's
// authenticationMethodModes enum: 1 password, 2 voice, 4 hardwareOath, …
// 32768 federatedMultiFactor. Parse accepts what people paste (decimal, hex,
// Graph's comma-joined JSON form, names and aliases); Mask.String writes
// Graph names in bit order and unknown bits in hex, so that
// Parse(m.String()) == m for every value. A Catalog says which values are
// documented, which were only observed in the wild, and which nobody knows.
package bitmask

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/authmethods/authmethods/bitmask/echo"
)

// Mask is an authMethods value: one bit per authentication method mode.
type Mask uint32

func (m Mask) index() int { return bits.TrailingZeros32(uint32(m)) }

// Has reports whether every bit of o is set in m.
func (m Mask) Has(o Mask) bool { return m&o == o }

// Unknown returns the bits of m that are not in the method table.
func (m Mask) Unknown() Mask { return m &^ known }

// Count returns the number of bits set.
func (m Mask) Count() int { return bits.OnesCount32(uint32(m)) }

// Methods returns the table rows of the known bits of m, in bit order.
func (m Mask) Methods() []Method {
	k := m &^ m.Unknown()
	out := make([]Method, 0, k.Count())
	for b := k; b != 0; b &= b - 1 {
		out = append(out, *byIndex[b.index()])
	}
	return out
}

// Names returns the Graph names of the known bits of m, in bit order.
func (m Mask) Names() []string {
	k := m &^ m.Unknown()
	out := make([]string, 0, k.Count())
	for b := k; b != 0; b &= b - 1 {
		out = append(out, byIndex[b.index()].Name)
	}
	return out
}

// SelfService returns the bits of m a user can register alone in the
// security-info wizard (Access Self). The rest, m &^ m.SelfService(), an
// admin issues, the device or the Authenticator app sets up, the home
// identity provider provides, or nobody knows (the password, unknown bits).
func (m Mask) SelfService() Mask {
	var self Mask
	for b := m &^ m.Unknown(); b != 0; b &= b - 1 {
		if byIndex[b.index()].Access == Self {
			self |= b & -b
		}
	}
	return self
}

// UnknownBits returns each unknown bit of m as its own value, in bit order.
func (m Mask) UnknownBits() []Mask {
	u := m.Unknown()
	out := make([]Mask, 0, u.Count())
	for b := u; b != 0; b &= b - 1 {
		out = append(out, b&-b)
	}
	return out
}

// None is what String writes for the empty mask; the table in Bakker2025
// calls 0 "none".
const None = "none"

// String returns Graph names in bit order joined by ',' (Graph's JSON form),
// each unknown bit as its own hex number, and "none" for 0:
// 48 is "sms,fido2", 0x40010 is "sms,0x40000".
func (m Mask) String() string {
	var buf [96]byte
	return string(m.Append(buf[:0]))
}

// Append appends the String form of m to dst and returns the extended
// buffer. It does not allocate when dst has room.
func (m Mask) Append(dst []byte) []byte {
	if m == 0 {
		return append(dst, None...)
	}
	if m.Unknown() != 0 {
		return m.appendSlow(dst)
	}
	// Known bits only, the common case: names after the first are stored
	// with their leading comma, so one copy per bit.
	dst = append(dst, nameAt[m.index()]...)
	for b := m & (m - 1); b != 0; b &= b - 1 {
		dst = append(dst, commaName[b.index()]...)
	}
	return dst
}

func (m Mask) appendSlow(dst []byte) []byte {
	first := true
	for b := m; b != 0; b &= b - 1 {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		if name := nameAt[b.index()]; name != "" {
			dst = append(dst, name...)
		} else {
			dst = append(dst, "0x"...)
			dst = strconv.AppendUint(dst, uint64(b&-b), 16)
		}
	}
	return dst
}

// AppendText implements encoding.TextAppender.
func (m Mask) AppendText(dst []byte) ([]byte, error) { return m.Append(dst), nil }

// MarshalText implements encoding.TextMarshaler with the String form.
func (m Mask) MarshalText() ([]byte, error) { return m.Append(nil), nil }

// UnmarshalText implements encoding.TextUnmarshaler with Parse.
func (m *Mask) UnmarshalText(text []byte) error {
	v, err := Parse(string(text))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Diff compares two masks: added holds the bits only in b, removed the bits
// only in a, common the bits in both.
func Diff(a, b Mask) (added, removed, common Mask) {
	return b &^ a, a &^ b, a & b
}

// Errors a caller can test with errors.Is.
var (
	ErrSyntax = errors.New("invalid syntax")
	ErrRange  = errors.New("out of range (a mask is 0 to 4294967295)")
	// ErrNegative is the ErrRange of a negative number: a mask is never
	// negative. errors.Is(ErrNegative, ErrRange) is true.
	ErrNegative    = fmt.Errorf("negative masks are invalid: %w", ErrRange)
	ErrUnknownName = errors.New("unknown method name")
)

// Error records a failed parse, in the shape of strconv.NumError.
type Error struct {
	Func  string // the function that failed ("Parse")
	Input string // the input, shortened when long
	Err   error  // the cause: ErrSyntax, ErrRange or a *NameError
}

func (e *Error) Error() string {
	return "bitmask." + e.Func + ": parsing " + strconv.Quote(e.Input) + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// NameError is the cause of an Error for a name nobody knows; it matches
// ErrUnknownName.
type NameError struct {
	Name    string // the word as typed
	Suggest string // the closest known name or alias, if any is close
}

func (e *NameError) Error() string {
	s := "unknown method name " + strconv.Quote(e.Name)
	if e.Suggest != "" {
		s += " (did you mean " + strconv.Quote(e.Suggest) + "?)"
	}
	return s
}

// Is makes errors.Is(err, ErrUnknownName) true.
func (e *NameError) Is(target error) bool { return target == ErrUnknownName }

// maxEcho bounds how much of an untrusted input an error repeats.
const maxEcho = 64

func parseErr(s string, err error) error {
	return &Error{Func: "Parse", Input: echo.Clip(s, maxEcho), Err: err}
}

// Parse reads a mask as people paste it, in any case:
//
//	1976              decimal
//	0x7b8             hex
//	"password,sms"    Graph's JSON form, quotes optional
//	sms|fido2 tap     names and aliases joined by ',' '|' '+' or spaces
//	sms,0x40000       names and numbers mixed (what String writes)
//	none              0
//
//	Temporary Access Pass  a label the tool prints, or its first words
//
// Values outside 0 … 4294967295 give ErrRange (ErrNegative below 0); a name nobody knows gives a
// *NameError (errors.Is ErrUnknownName) suggesting the closest known one.
func Parse(s string) (Mask, error) {
	t := strings.TrimSpace(s)
	if len(t) >= 2 && (t[0] == '"' && t[len(t)-1] == '"' || t[0] == '\'' && t[len(t)-1] == '\'') {
		t = strings.TrimSpace(t[1 : len(t)-1])
	}
	if t == "" {
		return 0, parseErr(s, ErrSyntax)
	}
	// A label as the tool prints it ("Authenticator app code", "QR code +
	// PIN") holds separators: try the whole text first.
	if strings.ContainsAny(t, " (/+") {
		if v, ok := byLabel[labelKey(t)]; ok {
			return v, nil
		}
	}
	// Fast path: one decimal number, the form every link carries.
	// A syntax error here may be a list of numbers ("16,32"): read on.
	if v, ok, err := parseNumber(t); ok && err != ErrSyntax {
		if err != nil {
			return 0, parseErr(s, err)
		}
		return v, nil
	}
	var m Mask
	seen := false
	for len(t) > 0 {
		i := strings.IndexAny(t, ",|+ \t\r\n")
		tok := t
		if i >= 0 {
			tok, t = t[:i], t[i+1:]
		} else {
			t = ""
		}
		if tok == "" {
			continue
		}
		seen = true
		if v, ok, err := parseNumber(tok); ok {
			if err != nil {
				return 0, parseErr(s, err)
			}
			m |= v
			continue
		}
		if tok == "-" {
			return 0, parseErr(s, ErrSyntax)
		}
		v, ok := Lookup(tok)
		if !ok {
			if strings.EqualFold(tok, None) {
				continue
			}
			if looksNumeric(tok) {
				return 0, parseErr(s, ErrSyntax)
			}
			return 0, parseErr(s, &NameError{Name: echo.Clip(tok, maxEcho), Suggest: Suggest(tok)})
		}
		m |= v
	}
	if !seen {
		return 0, parseErr(s, ErrSyntax)
	}
	return m, nil
}

// parseNumber reads a whole token as a decimal or 0x hex number. ok is false
// when the token is not meant as a number at all.
func parseNumber(t string) (v Mask, ok bool, err error) {
	neg := false
	u := t
	if u[0] == '-' || u[0] == '+' {
		neg = u[0] == '-'
		u = u[1:]
		if u == "" {
			return 0, false, nil
		}
	}
	if len(u) >= 2 && u[0] == '0' && (u[1] == 'x' || u[1] == 'X') {
		h := u[2:]
		if h == "" {
			return 0, true, ErrSyntax
		}
		var n uint64
		for i := 0; i < len(h); i++ {
			d, okd := hexDigit(h[i])
			if !okd {
				return 0, true, ErrSyntax
			}
			n = n<<4 | uint64(d)
			if n > 1<<32-1 {
				return 0, true, ErrRange
			}
		}
		if neg && n != 0 {
			return 0, true, ErrNegative
		}
		return Mask(n), true, nil
	}
	if u[0] < '0' || u[0] > '9' {
		return 0, false, nil
	}
	var n uint64
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c < '0' || c > '9' {
			return 0, true, ErrSyntax
		}
		n = n*10 + uint64(c-'0')
		if n > 1<<32-1 {
			return 0, true, ErrRange
		}
	}
	if neg && n != 0 {
		return 0, true, ErrNegative
	}
	return Mask(n), true, nil
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func looksNumeric(t string) bool {
	return t != "" && (t[0] >= '0' && t[0] <= '9' || t[0] == '-' || t[0] == '+')
}

// Subsets calls yield with every mask whose bits are a subset of m, in
// ascending order, 0 and m included: 2^Count() values. It stops when yield
// returns false.
func (m Mask) Subsets(yield func(Mask) bool) {
	// (s - m) & m steps to the next larger subset of m.
	s := Mask(0)
	for {
		if !yield(s) || s == m {
			return
		}
		s = (s - m) & m
	}
}
