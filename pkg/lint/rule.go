package lint

import (
	"fmt"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/redact"
	"github.com/composelint/composelint/pkg/source"
)

// Doc is a rule's documentation, in the four parts ruff uses everywhere.
type Doc struct {
	What    string // what the rule checks
	Why     string // why it matters
	Example string // a compose snippet that the rule reports
	Instead string // what to write instead
	// Syntax is the language of Example and Instead ("caddyfile"); yaml when empty.
	Syntax string
}

// Scope says how often a rule runs.
type Scope int

const (
	// PerEnvironment rules run once for each environment; what several
	// environments report at one place is reported once, listing them.
	PerEnvironment Scope = iota
	// PerProject rules run once and see every environment.
	PerProject
)

// Option is a documented rule option with its default.
type Option struct {
	Name    string
	Doc     string
	Default any
}

// Rule is one check, self-describing: the CLI's `rules` and `explain` and
// the docs in the repository come from these values.
type Rule struct {
	ID       string
	Summary  string
	Doc      Doc
	Severity Severity
	Scope    Scope
	// Environments limits a PerEnvironment rule to the environments so
	// named (e.g. "production"); empty means every environment.
	Environments []string
	Options      []Option
	// Fixable says whether the rule suggests fixes.
	Fixable bool
	// DevelopmentWeighsLess: a finding that only development environments
	// have (a debugger's privileges in the override) is reported one level
	// lower than the rule's severity, and its message says so, when the
	// project has another environment that does not have it.
	DevelopmentWeighsLess bool
	// Strict rules are opinions: they run only with --strict, `strict: true`
	// in the configuration, or when the configuration names them.
	Strict bool
	// SecuritySeverity is the CVSS-like score (0.1–10) SARIF consumers such
	// as GitHub code scanning rank security findings by; 0 for rules that
	// are not about security.
	SecuritySeverity float64
	// QuotesDependencies: the rule passes on a dependency's messages
	// (compose-go's), which quote whatever value they were given: every
	// value read from an env file is masked in them, not only secrets.
	QuotesDependencies bool
	Run                func(*Pass)
}

// Project is what every pass may look at.
type Project struct {
	// Dir is the project directory (that of the base file).
	Dir string
	// Environments are the loaded environments, in configuration order.
	Environments []*load.Result
	// Files are all compose files of the project, by absolute path.
	Files map[string]*source.File
	// Vars are the interpolation values (.env, --env, and with --os-env the process environment).
	Vars map[string]string
	// ReadFile reads any other file of the project once (Caddyfile, env
	// files, scripts); nil result with an error when it cannot.
	ReadFile func(path string) (*source.File, error)
	// Secrets are the values read from .env and env files: no report may
	// show them (see Redactor).
	Secrets []redact.Value
}

// Redactor masks the project's secrets in a message. Every message that
// reaches a report passes through one: the engine's (Engine.Run), and
// the fix engine's own.
func (p *Project) Redactor() *redact.Redactor {
	return redact.New(p.maskable())
}

// maskable are the secrets that the compose files do not write themselves:
// a word the files write is quoted by reports anyway (a service named like
// the password), and masking it would only garble names.
func (p *Project) maskable() []redact.Value {
	files := make([][]byte, 0, len(p.Files))
	for _, f := range p.Files {
		files = append(files, f.Content)
	}
	return redact.NotWrittenIn(p.Secrets, files)
}

// Pass is one run of one rule.
type Pass struct {
	Rule    *Rule
	Project *Project
	// Env is the environment being checked; nil for PerProject rules.
	Env      *load.Result
	severity Severity
	options  map[string]any
	report   func(Diagnostic)
}

// Option returns the configured value of a rule option, or its default.
func (p *Pass) Option(name string) any {
	if v, ok := p.options[name]; ok {
		return v
	}
	for _, o := range p.Rule.Options {
		if o.Name == name {
			return o.Default
		}
	}
	return nil
}

// StringOption is Option for string-valued options.
func (p *Pass) StringOption(name string) string {
	if s, ok := p.Option(name).(string); ok {
		return s
	}
	return fmt.Sprint(p.Option(name))
}

// Weaker returns the pass with its severity one level lower (never below
// info), for findings of a rule that weigh less than its worst ones.
func (p *Pass) Weaker() *Pass {
	q := *p
	q.severity = max(Info, p.severity-1)
	return &q
}

// ReportRange reports a finding at r in f.
func (p *Pass) ReportRange(f *source.File, r source.Range, msg string, fixes ...Fix) {
	d := Diagnostic{Rule: p.Rule.ID, Severity: p.severity, Message: msg, File: f, Range: r, Fixes: fixes}
	if p.Env != nil {
		d.Environments = []string{p.Env.Name}
	}
	p.report(d)
}

// Report reports a finding at node n of f.
func (p *Pass) Report(f *source.File, n *yaml.Node, msg string, fixes ...Fix) {
	p.ReportRange(f, f.Span(n), msg, fixes...)
}

// DocsURL is where the rules' documentation lives: docs/rules.md,
// generated from the rule definitions, with a heading anchor per rule.
const DocsURL = "https://github.com/composelint/composelint/blob/main/docs/rules.md"

// DocURL is the address of this rule's documentation.
func (r *Rule) DocURL() string { return DocsURL + "#" + r.ID }
