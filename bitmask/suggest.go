package bitmask

import "github.com/authmethods/authmethods/bitmask/suggest"

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
