package rules_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composelint/composelint/pkg/fix"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/rules"
)

// TestDatabaseMoveModels applies database-in-production's unsafe fix alone
// to the wemake-django-template snapshots and to the fix cases of the rule,
// then loads each project again and compares the models with go-cmp:
// development must be exactly what it was, and production what it was less
// the database, the other services' edges to it, and the volumes and networks
// only it used.
func TestDatabaseMoveModels(t *testing.T) {
	var rule *lint.Rule
	for _, r := range rules.All() {
		if r.ID == "database-in-production" {
			rule = r
		}
	}
	eng := &lint.Engine{Rules: []*lint.Rule{rule}}
	wemake, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "wemake", "20*"))
	cases, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "database-in-production", "fix-*"))
	if len(wemake) != 6 || len(cases) == 0 {
		t.Fatalf("found %d wemake snapshots and %d fix cases", len(wemake), len(cases))
	}
	for _, dir := range append(wemake, cases...) {
		isWemake := strings.Contains(dir, filepath.Join("testdata", "wemake"))
		t.Run(filepath.Base(dir), func(t *testing.T) {
			tmp := t.TempDir()
			copyTree(t, dir, tmp)
			lintFn := linter(eng, tmp)
			before, diags, err := lintFn(nil)
			if err != nil {
				t.Fatal(err)
			}
			name := ""
			for _, d := range diags {
				if d.Rule == rule.ID {
					name = regexp.MustCompile("^`([^`]+)`").FindStringSubmatch(d.Message)[1]
					if len(d.Fixes) != 1 || d.Fixes[0].Safety != lint.Unsafe {
						t.Fatalf("want one unsafe fix, got %+v", d.Fixes)
					}
				}
			}
			if name == "" {
				t.Fatal("database-in-production did not fire")
			}
			res, err := fix.Run(lintFn, fix.Options{Unsafe: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range res.Failed {
				t.Errorf("fix-failed: %s", f.Message)
			}
			if len(res.AppliedFindings) != 1 {
				t.Errorf("applied %d fixes, want 1", len(res.AppliedFindings))
			}
			if err := res.Write(); err != nil {
				t.Fatal(err)
			}
			after, diags, err := linter(eng, tmp)(nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range diags {
				if d.Rule == rule.ID {
					t.Errorf("still reported after the fix: %s", d.Message)
				}
			}
			envs := map[string][2]any{}
			for i, p := range []*lint.Project{before, after} {
				for _, env := range p.Environments {
					if env.Project == nil {
						t.Fatalf("%s does not load (fixed: %v)", env.Name, i == 1)
					}
					m := envs[env.Name]
					m[i] = modelJSON(t, env.Project)
					envs[env.Name] = m
				}
			}
			dev, prod := envs["development"], envs["production"]
			if dev[0] == nil || prod[0] == nil {
				t.Fatalf("want development and production, got %v", envs)
			}
			if diff := cmp.Diff(dev[0], dev[1]); diff != "" {
				t.Errorf("development changed (-before +after):\n%s", diff)
			}
			want := withoutService(prod[0].(map[string]any), name)
			if diff := cmp.Diff(want, prod[1]); diff != "" {
				t.Errorf("production is not what it was without %s (-want +got):\n%s", name, diff)
			}
			if isWemake {
				checkCommentsKept(t, dir, tmp)
			}
		})
	}
}

func modelJSON(t *testing.T, v any) any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// withoutService is a production model (JSON form) without service name,
// the edges to it, and the top-level volumes and networks only it used.
func withoutService(model map[string]any, name string) map[string]any {
	services := model["services"].(map[string]any)
	db := services[name].(map[string]any)
	delete(services, name)
	usedVolumes, usedNetworks := map[string]bool{}, map[string]bool{}
	for _, s := range services {
		svc := s.(map[string]any)
		if deps, ok := svc["depends_on"].(map[string]any); ok {
			delete(deps, name)
			if len(deps) == 0 {
				delete(svc, "depends_on")
			}
		}
		if links, ok := svc["links"].([]any); ok {
			var kept []any
			for _, l := range links {
				if strings.Split(l.(string), ":")[0] != name {
					kept = append(kept, l)
				}
			}
			if len(kept) == 0 {
				delete(svc, "links")
			} else {
				svc["links"] = kept
			}
		}
		vols, _ := svc["volumes"].([]any)
		for _, v := range vols {
			if vol := v.(map[string]any); vol["type"] == "volume" {
				usedVolumes[vol["source"].(string)] = true
			}
		}
		nets, _ := svc["networks"].(map[string]any)
		for n := range nets {
			usedNetworks[n] = true
		}
	}
	vols, _ := db["volumes"].([]any)
	for _, v := range vols {
		if vol := v.(map[string]any); vol["type"] == "volume" && !usedVolumes[vol["source"].(string)] {
			if top, ok := model["volumes"].(map[string]any); ok {
				delete(top, vol["source"].(string))
			}
		}
	}
	nets, _ := db["networks"].(map[string]any)
	for n := range nets {
		if top, ok := model["networks"].(map[string]any); ok && !usedNetworks[n] {
			delete(top, n)
		}
	}
	for _, sec := range []string{"volumes", "networks"} {
		if top, ok := model[sec].(map[string]any); ok && len(top) == 0 {
			delete(model, sec)
		}
	}
	return model
}

// checkCommentsKept checks that every comment line of the compose files is
// still in one of them (moved or not) after the fix.
func checkCommentsKept(t *testing.T, orig, fixed string) {
	t.Helper()
	var after strings.Builder
	filepath.WalkDir(fixed, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".yml") {
			b, _ := os.ReadFile(path)
			after.Write(b)
		}
		return nil
	})
	filepath.WalkDir(orig, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yml") {
			return err
		}
		b, _ := os.ReadFile(path)
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") && !strings.Contains(after.String(), strings.TrimSpace(line)) {
				t.Errorf("%s: comment lost: %s", filepath.Base(path), line)
			}
		}
		return nil
	})
}
