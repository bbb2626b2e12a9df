// Package load turns one environment of a project (its compose files in
// `docker compose -f` order) into the model compose-go would run, hermetically,
// and into a position index of the same bytes. What goes wrong while loading
// becomes located Problems, not errors: a project that cannot load is a
// finding, and the checks that can still run do.
package load

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/errdefs"
	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/redact"
	"github.com/composelint/composelint/pkg/schema"
	"github.com/composelint/composelint/pkg/source"
)

// Problem IDs: the rules that report what loading found.
const (
	YAMLSyntax        = "yaml-syntax"
	ComposeSchema     = "compose-schema"
	ComposeInvalid    = "compose-invalid"
	EnvFileMissing    = "env-file-missing"
	UndefinedVariable = "undefined-variable"
	ComposeWarning    = "compose-warning"
)

// Problem is something loading found, located in a file.
type Problem struct {
	Rule    string
	File    *source.File
	Range   source.Range
	Message string
}

// Input is one environment to load.
type Input struct {
	Name       string
	WorkingDir string
	Files      []*source.File // in load order
	Env        map[string]string
	// Open returns a parsed file by absolute path (for include and extends), or nil.
	Open func(path string) *source.File
	// ReadFile reads another file of the project (an included project's .env).
	ReadFile func(path string) ([]byte, error)
}

// Result is one loaded environment.
type Result struct {
	Name    string
	Files   []*source.File
	Index   *index.Index
	Project *types.Project // nil when compose-go could not load the environment
	// Placeholder, when Project is nil only because required variables
	// (`${VAR:?msg}`) have no value (they are given at deploy time), is the
	// model with PlaceholderPrefix+NAME for each. Rules that judge what the
	// files write (a privileged flag, a mounted socket) may read it; values
	// that came from those variables mean nothing.
	Placeholder *types.Project
	// Problems found while loading, located.
	Problems []Problem
	// MissingEnvFiles are the env_file paths (absolute) that do not exist.
	MissingEnvFiles map[string]bool
	// Secrets are the values read from the services' env files: no report
	// may show them.
	Secrets []redact.Value
	// dotEnvTpl is the project's template of .env, read at the first unset
	// variable.
	dotEnvTpl *dotEnvTemplate
}

// Lookup returns the interpolation value of a variable in this environment.
func (in *Input) Lookup(name string) (string, bool) {
	v, ok := in.Env[name]
	return v, ok
}

// Load loads one environment.
func Load(in Input) *Result {
	r := &Result{Name: in.Name, Files: in.Files, MissingEnvFiles: map[string]bool{}}
	in.Env = withShellVariables(in.Env, in.WorkingDir)
	if !r.buildIndex(in) || !r.includeEnvFiles(in) {
		return r
	}
	parseable := r.parseable(in)
	if len(parseable) == 0 {
		return r
	}
	details := types.ConfigDetails{WorkingDir: in.WorkingDir, ConfigFiles: parseable, Environment: types.Mapping(in.Env)}
	remotes := map[string]bool{}
	project, consistencyFailed, err := r.loadProject(details, in, func(ref string) { remotes[ref] = true })
	r.reportRemotes(remotes, in)
	if err != nil {
		r.reportLoadError(err, in)
		r.Placeholder = r.loadWithPlaceholders(details, in, err)
		return r
	}
	if consistencyFailed {
		r.checkReferences(project)
	}
	r.Project = r.resolveEnvironment(project, in)
	return r
}

// maxPlaceholderRounds bounds the reloads of loadWithPlaceholders: compose-go
// reports the missing variables of one file at a time.
const maxPlaceholderRounds = 8

// loadWithPlaceholders loads an environment that failed only because
// required variables (`${VAR:?msg}`) have no value, as they have at deploy
// time, with a placeholder for each; nil when anything else fails. The
// missing variables are reported already.
func (r *Result) loadWithPlaceholders(details types.ConfigDetails, in Input, err error) *types.Project {
	env := types.Mapping{}
	for k, v := range details.Environment {
		env[k] = v
	}
	details.Environment = env
	problems := len(r.Problems)
	defer func() { r.Problems = r.Problems[:problems] }() // reported once, by the real load
	for range maxPlaceholderRounds {
		missing := missingRequired(err)
		if len(missing) == 0 {
			return nil
		}
		for _, name := range missing {
			env[name] = PlaceholderPrefix + name
		}
		var project *types.Project
		project, _, err = r.loadProject(details, in, func(string) {})
		if err == nil {
			return project
		}
	}
	return nil
}

// PlaceholderPrefix starts the value loadWithPlaceholders gives a missing
// required variable.
const PlaceholderPrefix = "composelint-unset-"

// missingRequired returns the variables err says are required and missing,
// or nil when err says anything else too.
func missingRequired(err error) []string {
	var out []string
	for _, e := range leafErrors(err) {
		var m *template.MissingRequiredError
		if !errors.As(e, &m) {
			return nil
		}
		out = append(out, m.Variable)
	}
	return out
}

// buildIndex indexes the files; false when compose-go could not read them:
// compose-go reads included and extended files itself, and one that is no
// regular file (a FIFO blocks its reader forever) is refused first.
func (r *Result) buildIndex(in Input) bool {
	var irregular []*source.NotRegularError
	open := func(path string) *source.File {
		var nr *source.NotRegularError
		if err := source.CheckRegular(path); errors.As(err, &nr) {
			irregular = append(irregular, nr)
			return nil
		}
		if in.Open == nil {
			return nil
		}
		return in.Open(path)
	}
	r.Index = index.Build(in.Files, index.Options{WorkingDir: in.WorkingDir, Lookup: in.Lookup, Open: open, ReadFile: in.ReadFile})
	for _, nr := range irregular {
		r.Problems = append(r.Problems, r.locateReference(nr.Path, nr.Error(), in))
	}
	return len(irregular) == 0
}

// parseable are the files as compose-go takes them; none when one of them
// is not valid YAML (each such is a finding).
func (r *Result) parseable(in Input) []types.ConfigFile {
	var parseable []types.ConfigFile
	syntaxOK := true
	for _, f := range in.Files {
		if f.Err != nil {
			syntaxOK = false
			r.Problems = append(r.Problems, Problem{Rule: YAMLSyntax, File: f, Range: source.Range{Start: f.Err.Pos, End: f.Err.Pos}, Message: f.Err.Msg + templateHint(f)})
			continue
		}
		parseable = append(parseable, types.ConfigFile{Filename: f.Path, Content: f.Content})
	}
	if !syntaxOK {
		return nil
	}
	return parseable
}

// loaderOptions are compose-go's options: hermetic (no environment
// resolution, remote resources stubbed), every profile, bounded node walks.
func loaderOptions(name string, check bool, seeRemote func(string), substitute func(string, template.Mapping) (string, error)) func(*loader.Options) {
	return func(o *loader.Options) {
		if substitute != nil && o.Interpolate != nil {
			o.Interpolate.Substitute = substitute
		}
		o.SetProjectName(name, true)
		o.SkipConsistencyCheck = !check
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		o.Profiles = []string{"*"}
		o.ResourceLoaders = []loader.ResourceLoader{remoteStub{seen: seeRemote}}
		// Its own limit, which source.ParseYAML has already checked
		// (at the node that passes it), with the cycles that would
		// make compose-go's walk take seconds to reach it.
		o.MaxNodeVisits = source.MaxNodes
	}
}

// loadProject runs compose-go, capturing its warnings as findings.
// consistencyFailed says that the model loaded only without compose-go's
// consistency check: references are then checked one by one.
func (r *Result) loadProject(details types.ConfigDetails, in Input, seeRemote func(string)) (project *types.Project, consistencyFailed bool, err error) {
	name := loader.NormalizeProjectName(filepath.Base(in.WorkingDir))
	if name == "" {
		name = "project"
	}
	warnings := captureWarnings(func(c *collector) {
		// compose-go has crashed on some inputs (a document that is only
		// `!reset`): such a file is a finding, not the end of the run.
		defer func() {
			if v := recover(); v != nil {
				project, err = nil, fmt.Errorf("compose-go cannot load this file (it failed with: %v)", v)
			}
		}()
		cl := &composeLoad{details: details, opts: func(check bool) func(*loader.Options) {
			return loaderOptions(name, check, seeRemote, c.substitute)
		}}
		project, err = cl.project()
		if err != nil && isConsistencyError(err) {
			// The model is sound but refers to things that are missing:
			// report it, and let the rules see the model anyway. compose-go
			// stops at its first such error; references are checked here
			// (or by rules) one by one, so that none hides another.
			first := err
			project, err = cl.unchecked()
			if !ruleReported(first) && !(err == nil && referenceError(first)) {
				r.Problems = append(r.Problems, r.locate(ComposeInvalid, first.Error(), in))
			}
			consistencyFailed = err == nil
		}
	})
	for _, w := range warnings {
		if p, ok := r.warning(w, in); ok {
			r.Problems = append(r.Problems, p)
		}
	}
	return project, consistencyFailed, err
}

// reportLoadError turns why compose-go refused the environment into
// located findings.
func (r *Result) reportLoadError(err error, in Input) {
	if p, ok := r.parseError(err.Error(), in); ok {
		r.Problems = append(r.Problems, p)
		return
	}
	var schemaProblems []Problem
	if isSchemaError(err) || isInterpolationError(err) {
		// compose-go stops at the first violation; ours lists them all,
		// each located. It runs only when compose-go has found one, so a
		// valid project never compiles the schema twice. compose-go
		// interpolates before it validates: a bad ${VAR} would hide
		// every schema violation of the file.
		schemaProblems = r.validate(in)
	}
	if isSchemaError(err) && len(schemaProblems) > 0 {
		r.Problems = append(r.Problems, schemaProblems...)
		return
	}
	// compose-go joins the errors it collects (every failed ${VAR} of a
	// file): each is reported at its own line.
	r.Problems = append(r.Problems, r.locateEach(everyVolumeSpec(leafErrors(err), in), in)...)
	r.Problems = append(r.Problems, schemaProblems...)
}

// withShellVariables adds the variables that every shell running `docker
// compose` exports, unless a value was given: PWD (the project directory, from
// which compose is run) and HOME (the home directory compose-go expands `~` to).
func withShellVariables(env map[string]string, workingDir string) map[string]string {
	_, hasPWD := env["PWD"]
	_, hasHome := env["HOME"]
	if hasPWD && hasHome {
		return env
	}
	out := make(map[string]string, len(env)+2)
	for k, v := range env {
		out[k] = v
	}
	if !hasPWD {
		out["PWD"] = workingDir
	}
	if !hasHome {
		home, err := os.UserHomeDir()
		if err != nil || home == "" {
			home = "/root"
		}
		out["HOME"] = home
	}
	return out
}

// composeLoad is one environment loaded by compose-go as
// loader.LoadWithContext loads it, in its two steps: the model (what costs:
// interpolation, merging, canonical forms, paths) and its binding to a
// project, where the consistency check runs. When the check fails, the
// model is bound again without it instead of being loaded a second time.
type composeLoad struct {
	details types.ConfigDetails
	opts    func(check bool) func(*loader.Options)
	// model is a copy of the model made before the first binding (which
	// moves the x- extensions in place); nil when the model did not load.
	model map[string]any
}

func (c *composeLoad) project() (*types.Project, error) {
	dict, err := loader.LoadModelWithContext(context.Background(), c.details, c.opts(true))
	if err != nil {
		return nil, err
	}
	c.model = copyModel(dict)
	return loader.ModelToProject(dict, loader.ToOptions(&c.details, []func(*loader.Options){c.opts(true)}), c.details)
}

// unchecked binds the model without compose-go's consistency check.
func (c *composeLoad) unchecked() (*types.Project, error) {
	if c.model == nil {
		return loader.LoadWithContext(context.Background(), c.details, c.opts(false))
	}
	return loader.ModelToProject(c.model, loader.ToOptions(&c.details, []func(*loader.Options){c.opts(false)}), c.details)
}

// copyModel copies the maps and lists of a compose-go model.
func copyModel(v map[string]any) map[string]any {
	out := make(map[string]any, len(v))
	for k, e := range v {
		out[k] = copyValue(e)
	}
	return out
}

func copyValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return copyModel(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = copyValue(e)
		}
		return out
	default:
		return v
	}
}

// referenceError tells the consistency errors that checkReferences reports.
func referenceError(err error) bool {
	s := err.Error()
	if strings.Contains(s, "has neither an image nor a build context specified") {
		return true
	}
	for _, kind := range []string{"network", "secret", "config"} {
		if strings.Contains(s, "refers to undefined "+kind) {
			return true
		}
	}
	return false
}

// checkReferences reports every service that has neither an image nor a
// build, and every service reference to a network, secret or config that
// the model does not define, each at its own line.
func (r *Result) checkReferences(p *types.Project) {
	report := func(path index.Path, msg string) {
		def, _ := r.Index.Lookup(path)
		if def == nil {
			return
		}
		r.Problems = append(r.Problems, Problem{Rule: ComposeInvalid, File: def.File, Range: def.File.Span(def.Node()), Message: msg})
	}
	names := make([]string, 0, len(p.Services))
	for n := range p.Services {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		svc := p.Services[name]
		if svc.Build == nil && svc.Image == "" && svc.Provider == nil {
			// compose-go names one such service, a different one each run
			// (it walks a map): each is reported, in order.
			report(index.Path{"services", name}, fmt.Sprintf("service %q has neither an image nor a build context specified", name))
		}
		nets := make([]string, 0, len(svc.Networks))
		for n := range svc.Networks {
			nets = append(nets, n)
		}
		sort.Strings(nets)
		for _, n := range nets {
			if _, ok := p.Networks[n]; !ok && n != "default" {
				report(index.Path{"services", name, "networks", n},
					fmt.Sprintf("service %q refers to undefined network %s: declare it under the top-level networks", name, n))
			}
		}
		for _, sec := range svc.Secrets {
			if _, ok := p.Secrets[sec.Source]; !ok {
				report(index.Path{"services", name, "secrets", index.Item(index.SecretIdentity(sec.Source, sec.Target))},
					fmt.Sprintf("service %q refers to undefined secret %s: declare it under the top-level secrets", name, sec.Source))
			}
		}
		for _, c := range svc.Configs {
			if _, ok := p.Configs[c.Source]; !ok {
				report(index.Path{"services", name, "configs", index.Item(index.ConfigIdentity(c.Source, c.Target))},
					fmt.Sprintf("service %q refers to undefined config %s: declare it under the top-level configs", name, c.Source))
			}
		}
	}
}

// reportRemotes reports each remote resource the environment refers to,
// at the scalar that names it.
func (r *Result) reportRemotes(remotes map[string]bool, in Input) {
	refs := make([]string, 0, len(remotes))
	for ref := range remotes {
		refs = append(refs, ref)
	}
	sort.Strings(refs)
	for _, ref := range refs {
		msg := "remote project " + ref + " is not fetched (composelint never uses the network): its services are not checked here; lint it where it lives"
		p := Problem{Rule: RemoteInclude, File: in.Files[0], Range: in.Files[0].LineRange(1), Message: msg}
		for _, f := range in.Files {
			if n := findScalar(f, func(s string) bool { return index.Interpolate(s, in.Lookup) == ref }); n != nil {
				p.File, p.Range = f, f.Span(n)
				break
			}
		}
		r.Problems = append(r.Problems, p)
	}
}

// locateReference reports msg at the scalar of in's files that names path
// (relative to the working directory or absolute), else at the first file.
func (r *Result) locateReference(path, msg string, in Input) Problem {
	p := Problem{Rule: ComposeInvalid, File: in.Files[0], Range: in.Files[0].LineRange(1), Message: strings.ReplaceAll(msg, path, source.Rel(in.WorkingDir, path))}
	for _, f := range in.Files {
		n := findScalar(f, func(s string) bool {
			s = index.Interpolate(s, in.Lookup)
			return s == path || filepath.Join(filepath.Dir(f.Path), s) == path
		})
		if n != nil {
			p.File, p.Range = f, f.Span(n)
			break
		}
	}
	return p
}

// validate returns every schema violation of the environment's files.
func (r *Result) validate(in Input) []Problem {
	var out []Problem
	for _, f := range in.Files {
		for _, v := range schema.Validate(f, in.Lookup) {
			out = append(out, Problem{Rule: ComposeSchema, File: f, Range: f.Span(v.Node), Message: v.Message})
		}
	}
	return out
}

// resolveEnvironment reads the services' env files into their environment.
// An env_file that does not exist (the wemake template's config/.env is
// created at deploy time) is reported and treated as optional.
func (r *Result) resolveEnvironment(p *types.Project, in Input) *types.Project {
	for name, svc := range p.Services {
		changed := false
		kept := svc.EnvFiles[:0]
		for _, ef := range svc.EnvFiles {
			at := index.Path{"services", name, "env_file", index.Item(ef.Path)}
			err := source.CheckRegular(ef.Path)
			if err == nil {
				if msg := r.readEnvFile(ef, in); msg != "" {
					// Not handed to compose-go, whose error quotes the content.
					r.report(ComposeInvalid, at, msg, in)
					changed = true
					continue
				}
				kept = append(kept, ef)
				continue
			}
			changed = true
			var nr *source.NotRegularError
			if errors.As(err, &nr) {
				r.report(ComposeInvalid, at, fmt.Sprintf("env_file %s is not a regular file (%s): it is not read", source.Rel(in.WorkingDir, ef.Path), strings.TrimPrefix(nr.Error(), nr.Path+": not a regular file ")), in)
				continue
			}
			if bool(ef.Required) {
				missing := source.Rel(in.WorkingDir, ef.Path)
				if tpl := envTemplate(in, ef.Path); tpl != "" {
					missing += fmt.Sprintf(" does not exist (%s is its template: copy it and fill it in)", source.Rel(in.WorkingDir, tpl))
				} else {
					missing += " does not exist"
				}
				r.report(EnvFileMissing, at, "env_file "+missing+"; linting goes on without its variables", in)
			}
			r.MissingEnvFiles[ef.Path] = true
			ef.Required = false
			kept = append(kept, ef)
		}
		if changed {
			svc.EnvFiles = kept
			p.Services[name] = svc
		}
	}
	resolved, err := p.WithServicesEnvironmentResolved(false)
	if err != nil {
		r.Problems = append(r.Problems, r.locate(ComposeInvalid, err.Error(), in))
		return p
	}
	return resolved
}

// readEnvFile reads an env_file as compose will, keeps its values for
// redaction, and returns why compose cannot read it ("" when it can).
func (r *Result) readEnvFile(ef types.EnvFile, in Input) string {
	data, err := source.ReadFile(ef.Path)
	if err != nil {
		return fmt.Sprintf("env_file %s cannot be read: %v", source.Rel(in.WorkingDir, ef.Path), err)
	}
	if ef.Format != "" && ef.Format != "env" {
		return "" // another format's reader is compose-go's
	}
	vars, err := source.ParseEnvFile(source.Rel(in.WorkingDir, ef.Path), data)
	if err != nil {
		return "env_file " + err.Error()
	}
	for k, v := range vars {
		r.Secrets = append(r.Secrets, redact.Value{Name: k, Value: v, Source: source.Rel(in.WorkingDir, ef.Path)})
	}
	return ""
}

func (r *Result) report(rule string, p index.Path, msg string, in Input) {
	def, _ := r.Index.Lookup(p)
	if def == nil {
		r.Problems = append(r.Problems, Problem{Rule: rule, File: in.Files[0], Range: source.Range{Start: source.Pos{Line: 1, Col: 1}, End: source.Pos{Line: 1, Col: 1}}, Message: msg})
		return
	}
	r.Problems = append(r.Problems, Problem{Rule: rule, File: def.File, Range: def.File.Span(def.Node()), Message: msg})
}

var modelPathRE = regexp.MustCompile(`\b((?:services|networks|volumes|secrets|configs|models|include|jobs|x-[A-Za-z0-9_\-]+)(?:\.[A-Za-z0-9_.\-\[\]]+)?)`)

// locate turns a compose-go error message into a problem at the place its
// model path names, falling back to the file it names, then the first file.
func (r *Result) locate(rule, msg string, in Input) Problem {
	file := in.Files[0]
	best := -1
	for _, f := range in.Files {
		if i := strings.Index(msg, f.Path); i >= 0 && (best < 0 || len(f.Path) > best) {
			file, best = f, len(f.Path)
		}
	}
	clean := msg
	for _, f := range in.Files {
		clean = strings.ReplaceAll(clean, f.Path, source.Rel(in.WorkingDir, f.Path))
	}
	clean = strings.ReplaceAll(clean, in.WorkingDir+string(filepath.Separator), "")
	clean = strings.Join(strings.Fields(clean), " ")
	clean = humanize(clean)
	p := Problem{Rule: rule, File: file, Range: source.Range{Start: source.Pos{Line: 1, Col: 1}, End: source.Pos{Line: 1, Col: 1}}, Message: clean}
	if v := requiredRE.FindStringSubmatch(clean); v != nil {
		p.Message = requiredMessage(v[1], v[2])
	}
	if m := dependsRE.FindStringSubmatch(msg); m != nil {
		if def := r.Index.Get(index.Path{"services", m[1], "depends_on", m[2]}); def != nil {
			p.File, p.Range = def.File, def.File.Span(def.Node())
			return p
		}
	}
	if m := undefinedNetworkRE.FindStringSubmatch(msg); m != nil {
		if def := r.Index.Get(index.Path{"services", m[1], "networks", m[2]}); def != nil {
			p.File, p.Range = def.File, def.File.Span(def.Node())
			return p
		}
	}
	located := false
	if m := invalidSpecRE.FindStringSubmatch(msg); m != nil {
		// A volume whose text is broken after interpolation (`${DATA}:/data`
		// with DATA unset): the scalar that reads so.
		for _, f := range in.Files {
			if n := findScalar(f, func(s string) bool { return index.Interpolate(s, in.Lookup) == m[1] }); n != nil {
				p.File, p.Range = f, f.Span(n)
				return p
			}
		}
	}
	if m := serviceRE.FindStringSubmatch(msg); m != nil {
		if def := r.Index.Get(index.Path{"services", m[1]}); def != nil {
			p.File, p.Range = def.File, def.File.Span(def.Node())
			located = true
		}
	}
	for _, m := range modelPathRE.FindAllString(msg, -1) {
		if def := r.lookupDotted(m); def != nil {
			p.File, p.Range = def.File, def.File.Span(def.Node())
			located = true
			if v := requiredRE.FindStringSubmatch(msg); v != nil {
				// A list item (`environment.[]`) resolves to the list: the
				// item that writes the variable.
				ref := regexp.MustCompile(`\$\{` + regexp.QuoteMeta(v[1]) + `[}:?-]`)
				if n := findScalarIn([]*yaml.Node{def.Value}, ref.MatchString); n != nil {
					p.Range = variableSpan(def.File, n, v[1])
				}
			}
			break
		}
	}
	if !located {
		if f, n := interpolating(msg, in); n != nil {
			p.File, p.Range = f, f.Span(n)
		}
	}
	return p
}

// lookupDotted resolves a dotted path from an error message ("services.web.ports[0]"
// or "services.web.healthcheck.retries"), as deep as it goes.
func (r *Result) lookupDotted(dotted string) *index.Def {
	dotted = strings.TrimRight(dotted, ".")
	segs := strings.Split(dotted, ".")
	if len(segs) < 2 {
		return nil
	}
	var p index.Path
	for _, s := range segs {
		name, _, _ := strings.Cut(s, "[")
		if name == "" {
			break
		}
		p = append(p, name)
	}
	// Service names may contain dots: try the longest prefixes first.
	for n := len(p); n >= 2; n-- {
		if def, exact := r.Index.Lookup(p[:n]); def != nil && exact {
			return def
		}
	}
	return nil
}

var (
	constructRE  = regexp.MustCompile(`^failed to parse (.+?): yaml: construct errors: (.*)$`)
	linePrefixRE = regexp.MustCompile(`^line (\d+): (?:yaml: )?`)
)

// parseError recognises the errors compose-go's own YAML decoding reports
// (duplicate keys, alias bombs), which our node parse does not, as YAML
// problems at their line.
func (r *Result) parseError(msg string, in Input) (Problem, bool) {
	m := constructRE.FindStringSubmatch(strings.Join(strings.Fields(msg), " "))
	if m == nil {
		return Problem{}, false
	}
	file := in.Files[0]
	for _, f := range in.Files {
		if f.Path == m[1] {
			file = f
		}
	}
	// "line 1: line 4: mapping key ... already defined": the innermost line is the culprit.
	line, text := 1, m[2]
	for {
		lm := linePrefixRE.FindStringSubmatch(text)
		if lm == nil {
			break
		}
		line, _ = strconv.Atoi(lm[1])
		text = text[len(lm[0]):]
	}
	if strings.Contains(text, "excessive aliasing") {
		text = "document contains excessive aliasing: aliases expand to far more than the file holds (an alias bomb?)"
	}
	pos := source.Pos{Line: max(line, 1), Col: 1}
	return Problem{Rule: YAMLSyntax, File: file, Range: file.LineRange(pos.Line), Message: text}, true
}

var (
	dependsRE          = regexp.MustCompile(`service "([^"]+)" depends on undefined service "?([^" :]+)"?`)
	undefinedNetworkRE = regexp.MustCompile(`service "([^"]+)" refers to undefined network ([^:\s]+)`)
	serviceRE          = regexp.MustCompile(`service "([^"]+)"`)
	invalidSpecRE      = regexp.MustCompile(`^invalid spec: (\S+): `)
	castRE             = regexp.MustCompile(`failed to cast to expected type: strconv\.(\w+): parsing "(.*?)": invalid syntax`)
)

// humanize rewrites the least readable parts of compose-go's messages.
func humanize(msg string) string {
	msg = strings.TrimSuffix(msg, ": invalid compose project")
	return castRE.ReplaceAllStringFunc(msg, func(m string) string {
		sub := castRE.FindStringSubmatch(m)
		want := "a number"
		switch sub[1] {
		case "Atoi", "ParseInt", "ParseUint":
			want = "an integer"
		case "ParseBool":
			want = "a boolean (true or false)"
		}
		return fmt.Sprintf("%q is not %s", sub[2], want)
	})
}

// requiredRE reads compose-go's error for a required variable without a
// value, and the message the file gives (`${VAR:?message}`).
var requiredRE = regexp.MustCompile(`required variable (\w+) is missing a value(?:: (.*))?$`)

// requiredMessage says which required variable has no value, and where it
// is set: compose-go's words name the model path and nothing to do.
func requiredMessage(name, reason string) string {
	msg := "required variable " + name + " is missing a value"
	if reason = strings.TrimSpace(reason); reason != "" {
		msg += " (" + reason + ")"
	}
	return msg + ": docker compose refuses the project until .env, --env or the shell sets it"
}

var interpolatingRE = regexp.MustCompile(`^error while interpolating \S+: `)

// locateEach locates each error; an error of the same kind at the same place
// as an earlier one is the same finding (one ${VAR} in an anchor that several
// services share fails once for each of them).
func (r *Result) locateEach(errs []error, in Input) []Problem {
	type key struct {
		file    *source.File
		at      source.Range
		message string
	}
	seen := map[key]bool{}
	var out []Problem
	for _, e := range errs {
		p := r.locate(ComposeInvalid, e.Error(), in)
		k := key{p.File, p.Range, interpolatingRE.ReplaceAllString(p.Message, "")}
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}

// leafErrors splits the errors joined by errors.Join, depth first, in order.
func leafErrors(err error) []error {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range joined.Unwrap() {
		if e != nil {
			out = append(out, leafErrors(e)...)
		}
	}
	if len(out) == 0 {
		return []error{err}
	}
	return out
}

// isInterpolationError reports whether err comes from compose-go's ${VAR}
// interpolation, which runs before the schema is checked.
func isInterpolationError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "error while interpolating ") || strings.Contains(s, "invalid interpolation format for ")
}

func isSchemaError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "validating ") || strings.Contains(s, "additional properties") || strings.Contains(s, " must be a ")
}

// isConsistencyError reports whether err comes from compose-go's
// consistency check, which runs on a model that is otherwise sound
// (references to undefined services, networks, volumes…, dependency cycles).
func isConsistencyError(err error) bool {
	if errors.Is(err, errdefs.ErrInvalid) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "dependency cycle detected") || strings.Contains(s, "not found for network_mode") ||
		strings.Contains(s, "healthcheck.test must start")
}

// ruleReported tells the consistency errors that rules report themselves,
// each reference at its own line (depends-on-undefined, undefined-volume).
func ruleReported(err error) bool {
	s := err.Error()
	return strings.Contains(s, "depends on undefined service") || strings.Contains(s, "not found for network_mode 'service:") ||
		strings.Contains(s, "refers to undefined volume")
}

// everyVolumeSpec replaces compose-go's error about a volume it cannot
// read (`${DATA}:/data` with DATA unset) by one for each such volume of
// the files: compose-go stops at the first it meets, walking services in
// an order that changes from run to run.
func everyVolumeSpec(errs []error, in Input) []error {
	i := slices.IndexFunc(errs, func(e error) bool { return invalidSpecRE.MatchString(e.Error()) })
	if i < 0 {
		return errs
	}
	var specs []error
	for _, f := range in.Files {
		for _, n := range volumeScalars(f) {
			if _, err := format.ParseVolume(index.Interpolate(n.Value, in.Lookup)); err != nil && invalidSpecRE.MatchString(err.Error()) {
				specs = append(specs, err)
			}
		}
	}
	if len(specs) == 0 {
		return errs
	}
	return slices.Concat(errs[:i], specs, slices.DeleteFunc(errs[i+1:], func(e error) bool { return invalidSpecRE.MatchString(e.Error()) }))
}

// volumeScalars returns the volumes a file writes in the short syntax, in
// source order (an anchored list once).
func volumeScalars(f *source.File) []*yaml.Node {
	var out []*yaml.Node
	seen := map[*yaml.Node]bool{}
	for _, d := range f.Docs {
		services := mappingValue(d, "services")
		for i := 1; services != nil && services.Kind == yaml.MappingNode && i < len(services.Content); i += 2 {
			vols := mappingValue(services.Content[i], "volumes")
			if vols == nil || vols.Kind != yaml.SequenceNode || seen[vols] {
				continue
			}
			seen[vols] = true
			for _, item := range vols.Content {
				if item = deref(item); item != nil && item.Kind == yaml.ScalarNode {
					out = append(out, item)
				}
			}
		}
	}
	return out
}

// templateHint says why a file that is no YAML may be so on purpose: it is
// a project template (cookiecutter, django-admin startproject --template)
// whose placeholders are filled in when a project is generated.
func templateHint(f *source.File) string {
	m := source.TemplatePlaceholder.Find(f.Content)
	if m == nil {
		return ""
	}
	return fmt.Sprintf("; the file holds template placeholders (`%s`): it is a template, not yet a compose file; lint a project generated from it", m)
}

// findScalar returns the first scalar of f (depth first) whose raw value
// satisfies pred; nil when none does.
func findScalar(f *source.File, pred func(string) bool) *yaml.Node {
	return findScalarIn(f.Docs, pred)
}

// findScalarIn is findScalar below the nodes roots.
func findScalarIn(roots []*yaml.Node, pred func(string) bool) *yaml.Node {
	var found *yaml.Node
	visits := 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		visits++
		if found != nil || n == nil || visits > 200_000 {
			return
		}
		if n.Kind == yaml.ScalarNode && pred(n.Value) {
			found = n
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	for _, d := range roots {
		walk(d)
	}
	return found
}
