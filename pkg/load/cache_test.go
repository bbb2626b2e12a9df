package load

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/composelint/composelint/pkg/source"
)

func TestCacheReloadsOnlyWhatChanged(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("web.env", "A=1\n")
	write("extra.yml", "services:\n  worker:\n    image: busybox\n")
	base := write("compose.yaml", "include: [extra.yml]\nservices:\n  web:\n    image: nginx\n    env_file: web.env\n")
	input := func(content []byte) Input {
		return Input{Name: "development", WorkingDir: dir, Files: []*source.File{source.ParseYAML(base, content)},
			Open: func(p string) *source.File {
				data, err := os.ReadFile(p)
				if err != nil {
					return nil
				}
				return source.ParseYAML(p, data)
			}}
	}
	content, _ := os.ReadFile(base)
	var c Cache
	first := c.Load(input(content))
	if first.Project == nil || len(first.Project.Services) != 2 {
		t.Fatalf("first load: %+v", first.Problems)
	}
	if c.Load(input(content)) != first {
		t.Error("the same inputs were loaded again")
	}
	if c.Load(input(append(content, "# a comment\n"...))) == first {
		t.Error("a changed compose file did not reload")
	}
	write("extra.yml", "services:\n  worker:\n    image: alpine\n")
	if r := c.Load(input(content)); r == first || r.Project.Services["worker"].Image != "alpine" {
		t.Error("a changed included file did not reload")
	}
	again := c.Load(input(content))
	write("web.env", "A=2\n")
	if r := c.Load(input(content)); r == again || *r.Project.Services["web"].Environment["A"] != "2" {
		t.Error("a changed env file did not reload")
	}
}
