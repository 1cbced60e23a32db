package billing

import (
	"slices"
	"testing"
)

func TestLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"Instance", "Instance", 0},
		{"instnce", "instance", 1},
		{"stroage", "storage", 2},
		{"vpc-du-lieu", "vpc-dữ-liệu", 2}, // one rune each, not their bytes
		{"東京-vpc", "东京-vpc", 1},
		{"dự-án:alpha", "dự-án:alpa", 1},
	} {
		if got := Levenshtein(tc.a, tc.b); got != tc.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Levenshtein(tc.b, tc.a); got != tc.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	services := []string{"Instance", "Storage", "Floating IP", "Load Balancer", "Kubernetes", "Object Storage", "Database", "Backup"}
	vpcs := []string{"prod-vpc", "staging-vpc", "vpc-dữ-liệu", "prod-vpc-hcm", "東京-vpc"}
	for _, tc := range []struct {
		value string
		known []string
		want  []string
	}{
		{"instance", services, []string{"Instance"}}, // case alone
		{"OBJECT STORAGE", services, []string{"Object Storage"}},
		{"Instnce", services, []string{"Instance"}},
		{"Storag", services, []string{"Storage"}},
		{"Databse", services, []string{"Database"}},
		{"Compute", services, []string{}}, // nothing close
		{"vpc-du-lieu", vpcs, []string{"vpc-dữ-liệu"}},
		{"prod-vcp", vpcs, []string{"prod-vpc"}},
		{"prod", vpcs, []string{}},
		{"prod-vpc-hn", vpcs, []string{"prod-vpc-hcm", "prod-vpc"}},                        // nearest first
		{"env:prd", []string{"env:prod", "env:prod", "env:staging"}, []string{"env:prod"}}, // duplicates once
		{"ab", []string{"ac", "ad", "ae", "af"}, []string{"ac", "ad", "ae"}},               // at most three, in order
	} {
		if got := Suggest(tc.value, tc.known); !slices.Equal(got, tc.want) {
			t.Errorf("Suggest(%q) = %q, want %q", tc.value, got, tc.want)
		}
	}
}
