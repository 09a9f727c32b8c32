package bitmask

import (
	"strings"

	"github.com/authmethods/authmethods/bitmask/suggest"
)

// Suggest returns the known name or alias closest to word (edit distance on
// the normalized forms), or "" when nothing is close enough to be a likely
// typo. Graph names are preferred over aliases on a tie.
func Suggest(word string) string {
	best := suggest.Closest(normalize(word), names)
	if best == "" {
		return ""
	}
	// Report the spelling people read in docs, not the folded key.
	for i := range table {
		if normalize(table[i].Name) == best {
			return table[i].Name
		}
	}
	return best
}

// SuggestMode returns the member name of Graph's authenticationMethodModes
// someone probably meant by word, where [LookupMode] failed: the member an
// alias stands for ("passkey" → "fido2") or the closest spelling ("smss" →
// "sms"); "" when unsure, as for an alias of two members ("tap").
func SuggestMode(word string) string {
	bits, ok := Lookup(word)
	// Suggest is generous with short words ("x" → "pw"): take only a
	// suggestion that changes at most half of the word.
	if s := Suggest(word); !ok && s != "" && 2*suggest.Distance(strings.ToLower(word), strings.ToLower(s)) <= len(word) {
		bits, ok = Lookup(s)
	}
	if !ok || bits.Count() != 1 || bits.Unknown() != 0 {
		return ""
	}
	return bits.String()
}
