package main

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReadmeLayoutIsComplete keeps the README's Layout section whole: it
// must name every Go package of internal/ and cmd/, every folder of the
// repository's top (or folders in it) and of examples/, and nothing that is
// gone.
func TestReadmeLayoutIsComplete(t *testing.T) {
	listed := readmeLayout(t)
	ignored := ignoredFolders(t)

	want := map[string]bool{}
	top, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range top {
		if e.IsDir() && e.Name() != ".git" && !ignored[e.Name()] {
			want[e.Name()+"/"] = true
		}
	}
	examples, err := os.ReadDir("examples")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range examples {
		if e.IsDir() && !ignored[e.Name()] {
			want["examples/"+e.Name()+"/"] = true
		}
	}
	for _, root := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || ignored[d.Name()]) {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(p, ".go") {
				want[filepath.ToSlash(filepath.Dir(p))+"/"] = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if !want["internal/provider/"] || !want["scripts/"] || !want["examples/budget-check/"] {
		t.Fatalf("the walk found %v: it did not run from the repository's top", want)
	}

	for dir := range want {
		// A top folder is named by itself or by the folders listed in it.
		inside := strings.Count(dir, "/") == 1 && slices.ContainsFunc(slices.Collect(maps.Keys(listed)), func(l string) bool { return strings.HasPrefix(l, dir) })
		if !listed[dir] && !inside {
			t.Errorf("README.md's Layout does not list %s: add a line for it", dir)
		}
	}
	for dir := range listed {
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("README.md's Layout lists %s, which is gone: %v", dir, err)
		}
	}
}

// readmeLayout is the set of folders that the README's Layout block
// names: the words ending in "/" that start each of its lines.
func readmeLayout(t *testing.T) map[string]bool {
	t.Helper()
	src, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	var inSection, inBlock bool
	for _, line := range strings.Split(string(src), "\n") {
		switch {
		case !inSection:
			inSection = strings.HasPrefix(line, "Layout")
		case line == "```" && !inBlock:
			inBlock = true
		case line == "```":
			return listed
		case inBlock:
			for _, word := range strings.Fields(line) {
				if !strings.HasSuffix(word, "/") {
					break
				}
				listed[word] = true
			}
		}
	}
	t.Fatal("README.md has no Layout section with a ``` block")
	return nil
}

// ignoredFolders are the folder names that .gitignore leaves out of the
// repository (build output, Terraform's working folders, editors').
func ignoredFolders(t *testing.T) map[string]bool {
	t.Helper()
	src, err := os.ReadFile(".gitignore")
	if err != nil {
		t.Fatal(err)
	}
	ignored := map[string]bool{}
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasSuffix(line, "/") && !strings.HasPrefix(line, "#") {
			ignored[strings.Trim(line, "/")] = true
		}
	}
	if !ignored["bin"] {
		t.Fatalf(".gitignore ignores %v, not bin/: the test reads the wrong file", ignored)
	}
	return ignored
}
