package rules

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/yamledit"
)

var NoNewPrivileges = &lint.Rule{
	ID:       "no-new-privileges",
	Summary:  "a service does not set `security_opt: [no-new-privileges:true]`",
	Severity: lint.Warning,
	Strict:   true,
	Fixable:  true,
	Run:      noNewPrivileges,
	Doc: lint.Doc{
		What: "Reports a service whose `security_opt` lacks `no-new-privileges:true`, at the service's name. The unsafe " +
			"fix adds it, in the file that defines the service.",
		Why: "Without it, a process in the container can gain privileges through setuid binaries (`sudo`, `su`) or file " +
			"capabilities; with it the kernel refuses. Entrypoints that drop privileges (gosu, su-exec) keep working; " +
			"a program that needs a setuid binary does not, hence an unsafe fix.",
		Example: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n",
		Instead: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    security_opt:\n      - no-new-privileges:true\n",
	},
}

func noNewPrivileges(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		if hasNoNewPrivileges(svc) {
			continue
		}
		p.ReportPath(index.Path{"services", svc.Name}, svc.Name+" may gain privileges through setuid binaries: add `security_opt: [no-new-privileges:true]`",
			noNewPrivilegesFix(p, svc.Name)...)
	}
}

func hasNoNewPrivileges(svc types.ServiceConfig) bool {
	for _, o := range svc.SecurityOpt {
		o = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(o), "=", ":"))
		if o == "no-new-privileges" || o == "no-new-privileges:true" {
			return true
		}
	}
	return false
}

// noNewPrivilegesFix adds the option in the file that defines the service.
func noNewPrivilegesFix(p *lint.Pass, service string) []lint.Fix {
	def := p.Env.Index.Get(index.Path{"services", service})
	if def == nil || def.File.Err != nil {
		return nil
	}
	edit, err := yamledit.Add(def.File, yamledit.StyleOf(def.File), []string{"services", service, "security_opt"},
		yamledit.Entry{Item: "- no-new-privileges:true\n"})
	if err != nil {
		return nil
	}
	return []lint.Fix{{Message: "add `no-new-privileges:true` to " + service + "'s security_opt", Safety: lint.Unsafe,
		Edits: []lint.TextEdit{edit}, Affects: []string{"services." + service + ".security_opt",
			// lifecycle hooks run in the service's container, with its options
			"services." + service + ".pre_start", "services." + service + ".post_start",
			"services." + service + ".pre_stop", "services." + service + ".post_stop"}}}
}
