// Package suggest finds the word a person probably meant, for "did you
// mean" hints on method names, strength names and commands, and for
// spotting hosts a few letters away from the genuine one.
package suggest

// Distance is the optimal string alignment distance between a and b, by
// bytes: insertions, deletions, substitutions and swaps of two adjacent
// letters each count one, since a swap is the most common typing slip
// ("fdio" for "fido"). It is meant for short words: cost is len(a)*len(b).
func Distance(a, b string) int { return osa(a, b, false) }

// Contains reports whether some substring of s is within k edits (as
// Distance counts them) of word: a misspelt "microsoft" inside a host.
// Cost is len(s)*len(word).
func Contains(s, word string, k int) bool { return osa(s, word, true) <= k }

// osa is the optimal string alignment distance from b to a, or, with
// substring set, from b to the closest substring of a (Sellers' algorithm:
// an alignment may start and end anywhere in a). Rows run over a, so the
// work is one pass over it with three rows of len(b)+1.
func osa(a, b string, substring bool) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	best := prev[len(b)]
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		if substring {
			cur[0] = 0 // a match may start anywhere in a
		}
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		best = min(best, cur[len(b)])
		prev2, prev, cur = prev, cur, prev2
	}
	if substring {
		return best
	}
	return prev[len(b)]
}

// Limit is how many edits a word of n bytes may carry and still be taken
// for a slip: one in up to four letters, two up to eight, a third of the
// word beyond. A short word is close to too many names to allow more.
func Limit(n int) int {
	switch {
	case n > 8:
		return n / 3
	case n > 4:
		return 2
	}
	return 1
}

// MaxWord is the longest word Closest considers; anything longer is not a
// slip of any name, and bounding it bounds the work on untrusted input.
const MaxWord = 64

// Closest returns the candidate nearest to word within Limit(len(word))
// edits, the first one on a tie, or "" when none is that close.
func Closest(word string, candidates []string) string {
	if len(word) == 0 || len(word) > MaxWord {
		return ""
	}
	best, bestD := "", Limit(len(word))+1
	for _, c := range candidates {
		if len(c) > MaxWord {
			continue
		}
		if d := Distance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
