package lint

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/composelint/composelint/pkg/redact"
	"github.com/composelint/composelint/pkg/source"
)

// InternalError is the rule under which a rule that crashed is reported.
const InternalError = "internal-error"

// RuleConfig is the configuration of one rule.
type RuleConfig struct {
	Off      bool
	Severity Severity // 0: the rule's default
	Options  map[string]any
}

// Engine runs rules over a project.
type Engine struct {
	Rules  []*Rule
	Config map[string]RuleConfig
	// Strict enables every Strict rule (--strict, `strict: true`).
	Strict bool
}

// enabled tells whether a rule runs, and with which configuration: a
// Strict rule runs only in strict mode or when the configuration names it.
func (e *Engine) enabled(r *Rule) (RuleConfig, bool) {
	cfg, named := e.Config[r.ID]
	if cfg.Off || r.Run == nil || (r.Strict && !e.Strict && !named) {
		return cfg, false
	}
	return cfg, true
}

// Rule returns the rule with the given ID, or nil.
func (e *Engine) Rule(id string) *Rule {
	for _, r := range e.Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Run checks the project and returns its diagnostics, deduplicated across
// environments, suppressions applied, sorted by file and position.
func (e *Engine) Run(p *Project) []Diagnostic {
	var out []Diagnostic
	seen := map[string]int{}
	add := func(d Diagnostic) {
		key := fmt.Sprintf("%s\x00%s\x00%d:%d-%d:%d\x00%s", d.Rule, d.File.Path, d.Range.Start.Line, d.Range.Start.Col, d.Range.End.Line, d.Range.End.Col, d.Message)
		if i, ok := seen[key]; ok {
			for _, env := range d.Environments {
				if !slices.Contains(out[i].Environments, env) {
					out[i].Environments = append(out[i].Environments, env)
				}
			}
			return
		}
		seen[key] = len(out)
		out = append(out, d)
	}
	masks := newMasks(p)
	for _, r := range e.Rules {
		cfg, ok := e.enabled(r)
		if !ok {
			continue
		}
		sev := r.Severity
		if cfg.Severity != 0 {
			sev = cfg.Severity
		}
		add := masks.reporter(r, add)
		pass := &Pass{Rule: r, Project: p, severity: sev, options: cfg.Options, report: add}
		if r.Scope == PerProject {
			e.run(pass, add)
			continue
		}
		for _, env := range p.Environments {
			if len(r.Environments) > 0 && !slices.Contains(r.Environments, env.Name) {
				continue
			}
			envPass := *pass
			envPass.Env = env
			e.run(&envPass, add)
		}
	}
	e.weighEnvironments(p, out)
	out = e.suppress(p, out)
	Sort(out)
	order := map[string]int{}
	for i, env := range p.Environments {
		order[env.Name] = i
	}
	for i := range out {
		sort.SliceStable(out[i].Environments, func(a, b int) bool {
			return order[out[i].Environments[a]] < order[out[i].Environments[b]]
		})
	}
	return out
}

// masks are the redaction every diagnostic passes through before anyone
// sees it. A dependency's words (compose-go's errors, which quote the
// values they were given) and a rule's crash have every env-file value
// masked; a rule's own words, which name values on purpose (DJANGO_ENV is
// development), have the values of secret-named variables masked.
type masks struct {
	all, secret *redact.Redactor
}

func newMasks(p *Project) masks {
	maskable := p.maskable()
	return masks{all: redact.New(maskable), secret: redact.New(redact.SecretNamed(maskable))}
}

// reporter wraps a rule's report function with its mask.
func (m masks) reporter(r *Rule, add func(Diagnostic)) func(Diagnostic) {
	return func(d Diagnostic) {
		red := m.secret
		if r.QuotesDependencies || d.Rule == InternalError {
			red = m.all
		}
		if red != nil {
			d.Message = red.String(d.Message)
			if len(d.Fixes) > 0 {
				d.Fixes = slices.Clone(d.Fixes) // a rule may share them
				for j := range d.Fixes {
					d.Fixes[j].Message = red.String(d.Fixes[j].Message)
				}
			}
		}
		add(d)
	}
}

// developmentNames are the environment names that mean a developer's machine.
var developmentNames = []string{"development", "dev", "local"}

// IsDevelopment tells whether an environment runs only on a developer's machine.
func IsDevelopment(env string) bool { return slices.Contains(developmentNames, env) }

// weighEnvironments lowers by one level the findings of DevelopmentWeighsLess
// rules that only development environments have, when the project has
// another environment (production) that does not have them, and says so in
// the message. With development alone, nothing tells what production runs.
func (e *Engine) weighEnvironments(p *Project, ds []Diagnostic) {
	var others []string
	for _, env := range p.Environments {
		if !IsDevelopment(env.Name) {
			others = append(others, env.Name)
		}
	}
	if len(others) == 0 {
		return
	}
	for i := range ds {
		d := &ds[i]
		r := e.Rule(d.Rule)
		if r == nil || !r.DevelopmentWeighsLess || len(d.Environments) == 0 ||
			slices.ContainsFunc(d.Environments, func(env string) bool { return !IsDevelopment(env) }) {
			continue
		}
		d.Severity = max(Info, d.Severity-1)
		d.Message += fmt.Sprintf(" (only in %s, not in %s: it weighs less)", strings.Join(d.Environments, ", "), strings.Join(others, ", "))
	}
}

// run runs one pass; a rule that panics becomes one internal-error
// diagnostic instead of taking the whole run down.
func (e *Engine) run(pass *Pass, add func(Diagnostic)) {
	defer func() {
		if v := recover(); v != nil {
			f := firstFile(pass.Project)
			if f == nil {
				return
			}
			add(Diagnostic{Rule: InternalError, Severity: Error, File: f,
				Range:   source.Range{Start: source.Pos{Line: 1, Col: 1}, End: source.Pos{Line: 1, Col: 1}},
				Message: fmt.Sprintf("rule %s failed: %v (please report this with the file)", pass.Rule.ID, v)})
		}
	}()
	pass.Rule.Run(pass)
}

func firstFile(p *Project) *source.File {
	for _, env := range p.Environments {
		if len(env.Files) > 0 {
			return env.Files[0]
		}
	}
	return nil
}

func (e *Engine) suppress(p *Project, ds []Diagnostic) []Diagnostic {
	known := func(id string) bool { return e.Rule(id) != nil }
	cache := map[*source.File]*suppressions{}
	get := func(f *source.File) *suppressions {
		s, ok := cache[f]
		if !ok {
			s = parseSuppressions(f, known)
			cache[f] = s
		}
		return s
	}
	out := ds[:0]
	for _, d := range ds {
		if !get(d.File).suppressed(d) {
			out = append(out, d)
		}
	}
	if cfg := e.Config[InvalidDirective]; !cfg.Off {
		paths := make([]string, 0, len(p.Files))
		for path := range p.Files {
			paths = append(paths, path)
		}
		sort.Strings(paths)
		for _, path := range paths {
			for _, d := range get(p.Files[path]).bad {
				if cfg.Severity != 0 {
					d.Severity = cfg.Severity
				}
				out = append(out, d)
			}
		}
	}
	return out
}

// Sort orders diagnostics by file, position, rule and message.
func Sort(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File.Path != b.File.Path {
			return a.File.Path < b.File.Path
		}
		if a.Range.Start.Line != b.Range.Start.Line {
			return a.Range.Start.Line < b.Range.Start.Line
		}
		if a.Range.Start.Col != b.Range.Start.Col {
			return a.Range.Start.Col < b.Range.Start.Col
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		// Findings at one place (compose-go's warnings, in the order of its
		// maps) are ordered by what they say, so that every run prints
		// them alike.
		return a.Message < b.Message
	})
}
