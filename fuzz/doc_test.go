package fuzz

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The package doc lists every fuzz target in the module, each where it is,
// so the rule for where targets live is checked, not only written.
func TestDocListsEveryTarget(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, m := range regexp.MustCompile(`(?m)^//   - (Fuzz\w+) in (\S+):`).FindAllStringSubmatch(string(src), -1) {
		listed = append(listed, m[2]+" "+m[1])
	}
	declared := regexp.MustCompile(`(?m)^func (Fuzz\w+)\(`)
	var found []string
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != ".." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(strings.TrimPrefix(path, ".."+string(filepath.Separator))))
		for _, m := range declared.FindAllStringSubmatch(string(b), -1) {
			found = append(found, dir+" "+m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(listed)
	slices.Sort(found)
	if !slices.Equal(listed, found) {
		t.Errorf("fuzz/doc.go lists\n\t%s\nthe module declares\n\t%s", strings.Join(listed, "\n\t"), strings.Join(found, "\n\t"))
	}
}
