package load

import (
	"errors"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/template"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/redact"
	"github.com/composelint/composelint/pkg/source"
)

// An included project's env files (its `env_file`, else the .env of its
// project directory) are read by compose-go itself, past our reader: one
// that is a FIFO would block the load forever, and its values could reach a
// message unmasked. includeEnvFiles checks and reads them first.

// maxIncludeDepth bounds how deep includes of included files are followed.
const maxIncludeDepth = 5

// includeEnvFiles reads the env files of the projects the environment
// includes into r.Secrets; false, with a problem, when one is no regular
// file (the load must not run).
func (r *Result) includeEnvFiles(in Input) bool {
	seen := map[string]bool{}
	ok := true
	var visit func(f *source.File, workingDir string, depth int)
	visit = func(f *source.File, workingDir string, depth int) {
		for _, inc := range includesOf(f, in.Lookup) {
			for _, envFile := range inc.envFiles(workingDir) {
				if seen[envFile] {
					continue
				}
				seen[envFile] = true
				if !r.readIncludeEnv(envFile, inc.node, f, in) {
					ok = false
				}
			}
			if depth < maxIncludeDepth && in.Open != nil && len(inc.paths) > 0 && !strings.Contains(inc.paths[0], "://") {
				main := absFrom(workingDir, inc.paths[0])
				if sub := in.Open(main); sub != nil && !seen[main] {
					seen[main] = true
					visit(sub, inc.projectDir(workingDir), depth+1)
				}
			}
		}
	}
	for _, f := range in.Files {
		visit(f, in.WorkingDir, 0)
	}
	return ok
}

// readIncludeEnv reads one env file of an included project: its values are
// kept for redaction; false when it is no regular file (reported at the
// include entry of f).
func (r *Result) readIncludeEnv(path string, at *yaml.Node, f *source.File, in Input) bool {
	err := source.CheckRegular(path)
	var nr *source.NotRegularError
	if errors.As(err, &nr) {
		r.Problems = append(r.Problems, Problem{Rule: ComposeInvalid, File: f, Range: f.Span(at), Message: nr.Error()})
		return false
	}
	if err != nil {
		return true // missing: compose-go says so, or uses none
	}
	data, err := source.ReadFile(path)
	if err != nil {
		return true
	}
	vars, err := source.ParseEnvFile(source.Rel(in.WorkingDir, path), data)
	if err != nil {
		return true // compose-go reports it
	}
	for k, v := range vars {
		r.Secrets = append(r.Secrets, redact.Value{Name: k, Value: v, Source: source.Rel(in.WorkingDir, path)})
	}
	return true
}

// include is one entry of a file's `include` list, interpolated.
type include struct {
	node             *yaml.Node
	paths, envFile   []string
	projectDirectory string
}

// includesOf reads the `include` entries of f's documents.
func includesOf(f *source.File, lookup func(string) (string, bool)) []include {
	sub := func(s string) string {
		v, err := template.Substitute(s, template.Mapping(lookup))
		if err != nil {
			return s
		}
		return v
	}
	var out []include
	for _, doc := range f.Docs {
		list := mappingValue(doc, "include")
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range list.Content {
			inc := include{node: item}
			switch item.Kind {
			case yaml.ScalarNode:
				inc.paths = []string{sub(item.Value)}
			case yaml.MappingNode:
				inc.paths = stringsOf(mappingValue(item, "path"), sub)
				inc.envFile = stringsOf(mappingValue(item, "env_file"), sub)
				if pd := mappingValue(item, "project_directory"); pd != nil && pd.Kind == yaml.ScalarNode {
					inc.projectDirectory = sub(pd.Value)
				}
			}
			out = append(out, inc)
		}
	}
	return out
}

// projectDir is the included project's directory, as compose-go takes it:
// project_directory, else the directory of its first file.
func (inc include) projectDir(workingDir string) string {
	if inc.projectDirectory != "" {
		return absFrom(workingDir, inc.projectDirectory)
	}
	if len(inc.paths) == 0 {
		return workingDir
	}
	return filepath.Dir(absFrom(workingDir, inc.paths[0]))
}

// envFiles are the env files compose-go reads for the included project.
func (inc include) envFiles(workingDir string) []string {
	if len(inc.envFile) == 0 {
		return []string{filepath.Join(inc.projectDir(workingDir), ".env")}
	}
	var out []string
	for _, f := range inc.envFile {
		if f != "/dev/null" {
			out = append(out, absFrom(workingDir, f))
		}
	}
	return out
}

func absFrom(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// mappingValue is the value of key in mapping m (either may be an alias);
// nil when there is none.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return deref(m.Content[i+1])
		}
	}
	return nil
}

// deref is the node an alias stands for, or n.
func deref(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode {
		return n.Alias
	}
	return n
}

// stringsOf reads a string or a list of strings.
func stringsOf(n *yaml.Node, sub func(string) string) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []string{sub(n.Value)}
	}
	var out []string
	for _, c := range n.Content {
		if c.Kind == yaml.ScalarNode {
			out = append(out, sub(c.Value))
		}
	}
	return out
}
