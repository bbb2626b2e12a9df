package load

import (
	"path/filepath"
	"testing"

	"github.com/composelint/composelint/pkg/source"
)

// FuzzLoad feeds arbitrary bytes through parsing, indexing and loading:
// whatever the input, loading reports problems and never panics.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"services:\n  web:\n    image: nginx\n    ports: [\"8000:8000\"]\n",
		"x: &a {image: x}\nservices:\n  web:\n    <<: *a\n    volumes: [\"d:/d:ro\"]\nvolumes: {d: {}}\n",
		"services:\n  web:\n    extends: {service: base}\n  base:\n    image: x\n    environment: [A=1]\n",
		"services:\n  web:\n    image: x\n    depends_on: {db: {condition: service_healthy}}\n",
		"include: [other.yml]\nservices: {}\n",
		"services:\n  web: !reset\n",
		"version: 3\nservices:\n  web:\n    image: ${X:?missing}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		if len(content) > 1<<14 {
			return
		}
		dir := t.TempDir()
		file := source.ParseYAML(filepath.Join(dir, "compose.yaml"), content)
		r := Load(Input{Name: "development", WorkingDir: dir, Files: []*source.File{file},
			Open: func(string) *source.File { return nil }})
		for _, p := range r.Problems {
			if p.File == nil || p.Range.Start.Line < 1 || p.Range.Start.Col < 1 {
				t.Fatalf("problem without a position: %+v", p)
			}
			if p.Range.Start.Line > max(file.Lines(), 1) {
				t.Fatalf("problem at line %d of a %d-line file: %s", p.Range.Start.Line, file.Lines(), p.Message)
			}
		}
	})
}
