package main

import (
	"strings"
	"testing"
)

// The strict rules are opinions: off unless --strict, `strict: true`, or
// the configuration names one.
func TestStrictRulesAreOptIn(t *testing.T) {
	project := map[string]string{"compose.yaml": "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    user: root\n"}
	for _, tc := range []struct {
		name   string
		config string
		args   []string
		want   []string // rules reported
		absent []string
	}{
		{"default", "", nil, nil, []string{"root-user", "no-new-privileges"}},
		{"--strict", "", []string{"--strict"}, []string{"root-user", "no-new-privileges", "cap-drop-all"}, nil},
		{"strict: true", "strict: true\n", nil, []string{"root-user", "read-only-root"}, nil},
		{"one rule", "rules:\n  root-user: error\n", nil, []string{"root-user"}, []string{"no-new-privileges"}},
	} {
		files := map[string]string{}
		for k, v := range project {
			files[k] = v
		}
		if tc.config != "" {
			files[".composelint.yaml"] = tc.config
		}
		dir := tempProject(t, files)
		_, out, _ := runCLI(t, append(append([]string{"-q", "--no-color"}, tc.args...), dir)...)
		for _, r := range tc.want {
			if !strings.Contains(out, "["+r+"]") {
				t.Errorf("%s: %s not reported:\n%s", tc.name, r, out)
			}
		}
		for _, r := range tc.absent {
			if strings.Contains(out, "["+r+"]") {
				t.Errorf("%s: %s reported:\n%s", tc.name, r, out)
			}
		}
	}
}
