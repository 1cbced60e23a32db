package billing

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// updateFocusColumns makes TestFocusGuideColumns write the FOCUS export
// guide's table of columns instead of comparing it; `make generate` runs it
// so (tools/tools.go) before rendering the docs.
var updateFocusColumns = flag.Bool("update-focus-columns", false, "write the FOCUS export guide's table of columns")

// focusColumnsFile is the table the guide includes (templates/guides/focus-export.md.tmpl).
var focusColumnsFile = filepath.Join("..", "..", "examples", "guides", "focus-export", "columns.md")

// TestFocusGuideColumns: the guide's table of columns is FocusColumnsMarkdown,
// written from FocusColumns, never by hand.
func TestFocusGuideColumns(t *testing.T) {
	want := FocusColumnsMarkdown()
	if *updateFocusColumns {
		if err := os.MkdirAll(filepath.Dir(focusColumnsFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(focusColumnsFile, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(focusColumnsFile)
	if err != nil {
		t.Fatalf("%v: run `make generate` to write the guide's table", err)
	}
	if string(got) != want {
		t.Errorf("%s is not the table of FocusColumns: run `make generate` and commit the result", focusColumnsFile)
	}
}
