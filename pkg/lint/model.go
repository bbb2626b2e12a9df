package lint

import (
	"slices"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/index"
)

// What most rules ask of the environment a pass checks: its services, and
// where a model path was written.

// ReportPath reports msg at the definition of path in the environment being
// checked (or, when path itself was never written, at its nearest written
// ancestor). It reports nothing, and returns false, when the model element
// has no source at all.
func (p *Pass) ReportPath(path index.Path, msg string, fixes ...Fix) bool {
	def, _ := p.Env.Index.Lookup(path)
	if def == nil {
		return false
	}
	p.ReportRange(def.File, def.Span(), msg, fixes...)
	return true
}

// ReportFirstDef reports at the first definition of path (the file that
// defines a service, rather than an override that only adds to it).
func (p *Pass) ReportFirstDef(ip index.Path, msg string) {
	if defs := p.Env.Index.Defs(ip); len(defs) > 0 {
		d := defs[0]
		p.ReportRange(d.File, d.Span(), msg)
		return
	}
	p.ReportPath(ip, msg)
}

// Services returns the services of the environment in name order; nil when
// the environment did not load.
func (p *Pass) Services() []types.ServiceConfig {
	if p.Env == nil {
		return nil
	}
	return servicesOf(p.Env.Project)
}

// WrittenModel is the environment's model or, when it did not load only
// because required variables given at deploy time are unset, the model
// loaded with placeholders for them: enough for the rules that judge what
// the files write (a privileged flag, a mounted socket). nil when neither.
func (p *Pass) WrittenModel() *types.Project {
	if p.Env == nil {
		return nil
	}
	if p.Env.Project != nil {
		return p.Env.Project
	}
	return p.Env.Placeholder
}

// WrittenServices are the services of WrittenModel, in name order.
func (p *Pass) WrittenServices() []types.ServiceConfig { return servicesOf(p.WrittenModel()) }

func servicesOf(proj *types.Project) []types.ServiceConfig {
	if proj == nil {
		return nil
	}
	names := make([]string, 0, len(proj.Services))
	for n := range proj.Services {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]types.ServiceConfig, 0, len(names))
	for _, n := range names {
		out = append(out, proj.Services[n])
	}
	return out
}
