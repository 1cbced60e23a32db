package billing

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxSuggestions is how many close values Suggest gives at most.
const MaxSuggestions = 3

// Suggest returns the known values closest to a value that matched none of
// them, for a "did you mean" hint. A known value equal to it but for case
// comes alone. Otherwise Suggest gives up to MaxSuggestions values within
// SuggestDistance of it (edit distance on runes, ignoring case), nearest
// first, ties in the order of known. Duplicates in known count once.
func Suggest(value string, known []string) []string {
	lower := strings.ToLower(value)
	for _, k := range known {
		if k != value && strings.ToLower(k) == lower {
			return []string{k}
		}
	}
	limit := SuggestDistance(value)
	type candidate struct {
		value string
		dist  int
	}
	var near []candidate
	for _, k := range known {
		if k == value || slices.ContainsFunc(near, func(c candidate) bool { return c.value == k }) {
			continue
		}
		if d := Levenshtein(lower, strings.ToLower(k)); d <= limit {
			near = append(near, candidate{k, d})
		}
	}
	slices.SortStableFunc(near, func(a, b candidate) int { return a.dist - b.dist })
	out := make([]string, 0, min(len(near), MaxSuggestions))
	for _, c := range near[:min(len(near), MaxSuggestions)] {
		out = append(out, c.value)
	}
	return out
}

// SuggestDistance is the largest edit distance at which Suggest proposes a
// known value for value: a third of its runes, at least 2.
func SuggestDistance(value string) int {
	return max(2, (utf8.RuneCountInString(value)+2)/3)
}

// Levenshtein is the edit distance between a and b: the fewest runes to
// insert, delete or replace to turn one into the other.
func Levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
