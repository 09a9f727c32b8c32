package main

// Words users typed, written back safely, and errors in a person's words.

import (
	"errors"
	"strconv"
	"strings"
	"unicode"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/echo"
	"github.com/authmethods/authmethods/urlcodec"
)

// maxEcho bounds how much of an input a message repeats.
const maxEcho = 80

// quote returns s shortened and Go-quoted, so that whatever a user pasted
// (escape codes, newlines) is shown as text and cannot drive the terminal.
func quote(s string) string {
	if c := echo.Clip(s, maxEcho); c != s {
		return strconv.Quote(strings.TrimSuffix(c, "…")) + "…"
	}
	return strconv.Quote(s)
}

// shellQuote quotes s for a command line shown to the user.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(",._-+:/=", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// errText returns the words of err a person needs, without Go package
// prefixes: bitmask and urlcodec errors repeat the input, which the caller
// names already.
func errText(err error) string {
	var be *bitmask.Error
	if errors.As(err, &be) {
		if errors.Is(be.Err, bitmask.ErrSyntax) {
			return "not a mask: give numbers, Graph names or aliases (see 'authmethods list')"
		}
		return be.Err.Error()
	}
	var ue *urlcodec.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return errText(ue.Err)
	}
	return err.Error()
}

// safeText returns s with control and invisible formatting characters
// (escape codes, bidi overrides, zero-width spaces) written as \u escapes,
// so that text derived from an input cannot drive or mislead the terminal.
func safeText(s string) string {
	clean := true
	for _, r := range s {
		if !unicode.IsPrint(r) || unicode.Is(unicode.Cf, r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !unicode.IsPrint(r) || unicode.Is(unicode.Cf, r) {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
