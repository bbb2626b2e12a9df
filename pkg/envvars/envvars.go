// Package envvars finds where a service's environment variable got its
// value: a compose file's `environment` (a model path), or the line of the
// env file that sets it, so that a rule reports it there.
package envvars

import (
	"strings"
	"unicode/utf8"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// Setting is one environment variable of a service in the merged model,
// and where it got its value: a compose file's `environment` (Path) or an
// env file (File and Range, the variable's name on its line).
type Setting struct {
	Key, Value string
	Path       index.Path
	File       *source.File
	Range      source.Range
}

// FromEnvFile says whether the value came from an env file.
func (e Setting) FromEnvFile() bool { return e.File != nil }

// Lookup returns variable key of svc and where it was set; false when
// the service does not set it (or sets it without a value).
func Lookup(p *lint.Pass, svc types.ServiceConfig, key string) (Setting, bool) {
	v, ok := svc.Environment[key]
	if !ok || v == nil {
		return Setting{}, false
	}
	e := Setting{Key: key, Value: *v, Path: index.Path{"services", svc.Name, "environment", key}}
	if p.Env.Index.Get(e.Path) != nil {
		return e, true
	}
	// `environment` wins over env files, and a later env file over an earlier one.
	var lastExisting string
	for i := len(svc.EnvFiles) - 1; i >= 0; i-- {
		ef := svc.EnvFiles[i]
		if p.Env.MissingEnvFiles[ef.Path] || p.Project.ReadFile == nil {
			continue
		}
		f, err := p.Project.ReadFile(ef.Path)
		if err != nil {
			continue
		}
		if lastExisting == "" {
			lastExisting = ef.Path
		}
		if r, ok := keyRange(f, key); ok {
			e.File, e.Range = f, r
			return e, true
		}
	}
	if lastExisting != "" {
		// Set by an env file in a way we did not recognise: point at the env_file entry.
		e.Path = index.Path{"services", svc.Name, "env_file", index.Item(lastExisting)}
	}
	return e, true
}

// keyRange finds the last line of an env file that assigns key
// (`KEY=value`, `export KEY=value`, `KEY: value`) and returns the range of
// the name on it.
func keyRange(f *source.File, key string) (source.Range, bool) {
	var found source.Range
	ok := false
	for n := 1; n <= f.Lines(); n++ {
		line := f.Line(n)
		rest := strings.TrimLeft(line, " \t")
		if strings.HasPrefix(rest, "export ") {
			rest = strings.TrimLeft(strings.TrimPrefix(rest, "export "), " \t")
		}
		if !strings.HasPrefix(rest, key) {
			continue
		}
		after := strings.TrimLeft(rest[len(key):], " \t")
		if after == "" || (after[0] != '=' && after[0] != ':') {
			continue
		}
		start := utf8.RuneCountInString(line[:len(line)-len(rest)]) + 1
		found = source.Range{Start: source.Pos{Line: n, Col: start}, End: source.Pos{Line: n, Col: start + utf8.RuneCountInString(key)}}
		ok = true
	}
	return found, ok
}

// Report reports msg where the variable was set (a compose file's
// `environment`, or an env file), with fixes.
func (e Setting) Report(p *lint.Pass, msg string, fixes ...lint.Fix) {
	if e.File != nil {
		p.ReportRange(e.File, e.Range, msg, fixes...)
		return
	}
	p.ReportPath(e.Path, msg, fixes...)
}
