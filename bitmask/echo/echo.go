// Package echo bounds how much of an untrusted input a message repeats, so
// that a pasted megabyte makes a one-line error. bitmask, bitmask/strength,
// urlcodec and the command share it; it imports nothing of the module, so
// every package may import it.
package echo

import "unicode/utf8"

// Clip returns s when it is at most n bytes long; otherwise its first n
// bytes or fewer, cut before a character rather than inside one, and "…".
// In text that is not UTF-8 it steps back at most utf8.UTFMax-1 bytes, so
// something is always shown.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := max(n, 0)
	for i > n-utf8.UTFMax+1 && i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
