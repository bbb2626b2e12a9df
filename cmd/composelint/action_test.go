package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v4"
)

// TestActionInputsReachTheShellThroughEnv: the GitHub Action's inputs are
// never expanded inside a run: script, where a crafted input would become
// shell code (template injection); each script is valid bash.
func TestActionInputsReachTheShellThroughEnv(t *testing.T) {
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Runs struct {
			Steps []struct {
				Name string `yaml:"name"`
				Run  string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	for _, s := range action.Runs.Steps {
		if s.Run == "" {
			continue
		}
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q expands an expression inside run:; pass it through env:", s.Name)
		}
		if _, err := exec.LookPath("bash"); err == nil {
			cmd := exec.Command("bash", "-n")
			cmd.Stdin = strings.NewReader(s.Run)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("step %q: bash -n: %v\n%s", s.Name, err, out)
			}
		}
	}
}
