package report

import (
	"fmt"
	"strings"

	"github.com/composelint/composelint/pkg/source"
)

// Environment is one environment that was linted: its name and its compose
// files (absolute paths), in docker compose order.
type Environment struct {
	Name  string
	Files []string
}

// Note is what project discovery wants the user to know: a guess it is
// unsure of, or an environment it did not find, with the line of the
// configuration file that settles it.
type Note struct {
	Msg string
	// Config is the configuration file Line belongs in (absolute).
	Config string
	Line   string
}

// jsonEnvironment is an environment in the JSON report: files are written
// as diagnostics' files are.
type jsonEnvironment struct {
	Name  string   `json:"name"`
	Files []string `json:"files"`
}

type jsonNote struct {
	Message string `json:"message"`
	Config  string `json:"config"`
	Line    string `json:"line"`
}

func (o Options) jsonEnvironments() []jsonEnvironment {
	out := []jsonEnvironment{}
	for _, e := range o.Linted {
		je := jsonEnvironment{Name: e.Name, Files: []string{}}
		for _, f := range e.Files {
			je.Files = append(je.Files, source.Rel(o.Cwd, f))
		}
		out = append(out, je)
	}
	return out
}

func (o Options) jsonNotes() []jsonNote {
	out := []jsonNote{}
	for _, n := range o.Notes {
		out = append(out, jsonNote{Message: n.Msg, Config: source.Rel(o.Cwd, n.Config), Line: n.Line})
	}
	return out
}

// lintedLine says which environments were linted, with their files:
// "linted development (docker-compose.yml, docker-compose.override.yml) and
// production (docker-compose.yml, docker/docker-compose.prod.yml)".
func (o Options) lintedLine() string {
	if len(o.Linted) == 0 {
		return ""
	}
	var parts []string
	for _, e := range o.Linted {
		var files []string
		for _, f := range e.Files {
			files = append(files, source.Rel(o.Cwd, f))
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", e.Name, strings.Join(files, ", ")))
	}
	return "linted " + andList(parts)
}

// noteText is a note as one sentence: what was guessed or missed, and the
// configuration that settles it.
func (o Options) noteText(n Note) string {
	return fmt.Sprintf("%s, write in %s: %s", n.Msg, source.Rel(o.Cwd, n.Config), n.Line)
}

// andList joins "a", "b" and "c" as "a, b and c".
func andList(parts []string) string {
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
