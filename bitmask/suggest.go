package bitmask

// Suggest returns the known name or alias closest to word (edit distance on
// the normalized forms), or "" when nothing is close enough to be a likely
// typo. Graph names are preferred over aliases on a tie.
func Suggest(word string) string {
	w := normalize(word)
	if len(w) == 0 || len(w) > 64 {
		return ""
	}
	best, bestD := "", 1<<30
	for _, n := range names {
		d := distance(w, n)
		if d < bestD {
			best, bestD = n, d
		}
	}
	// A short word is close to too many names: allow one slip in up to four
	// letters, two up to eight, a third of the word beyond.
	limit := 1
	switch {
	case len(w) > 8:
		limit = len(w) / 3
	case len(w) > 4:
		limit = 2
	}
	if bestD > limit {
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

// distance is the Levenshtein distance between two short ASCII strings.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
