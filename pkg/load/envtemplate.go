package load

import (
	"bufio"
	"bytes"
	"path/filepath"
	"strings"

	"github.com/composelint/composelint/pkg/source"
)

// envTemplate returns the template a project ships for an env file that
// does not exist yet (.env.example for .env, api/.env.sample for
// api/.env): the file a user copies and fills in before the first run.
// "" when there is none.
func envTemplate(in Input, path string) string {
	if in.ReadFile == nil {
		return ""
	}
	cands := []string{path + ".example", path + ".sample", path + ".template", path + ".dist", path + "-dist", path + "-example", path + "-sample", path + "-template"}
	if filepath.Base(path) == ".env" {
		dir := filepath.Dir(path)
		cands = append(cands, filepath.Join(dir, "env.example"), filepath.Join(dir, "example.env"), filepath.Join(dir, "sample.env"))
	}
	for _, c := range cands {
		if _, err := in.ReadFile(c); err == nil {
			return c
		}
	}
	return ""
}

// dotEnvTemplate is the template of the .env beside the compose files and
// the variables it names, read once per load.
type dotEnvTemplate struct {
	path string
	keys map[string]bool
}

// templateSets returns the template of the .env beside the compose files
// when it names the variable (its values are never read out).
func (r *Result) templateSets(in Input, name string) string {
	if r.dotEnvTpl == nil {
		r.dotEnvTpl = &dotEnvTemplate{keys: map[string]bool{}}
		if tpl := envTemplate(in, filepath.Join(in.WorkingDir, ".env")); tpl != "" {
			if data, err := in.ReadFile(tpl); err == nil {
				r.dotEnvTpl.path = source.Rel(in.WorkingDir, tpl)
				sc := bufio.NewScanner(bytes.NewReader(data))
				for sc.Scan() {
					line := strings.TrimPrefix(strings.TrimSpace(sc.Text()), "export ")
					if key, _, ok := strings.Cut(line, "="); ok {
						r.dotEnvTpl.keys[strings.TrimSpace(key)] = true
					}
				}
			}
		}
	}
	if r.dotEnvTpl.keys[name] {
		return r.dotEnvTpl.path
	}
	return ""
}
