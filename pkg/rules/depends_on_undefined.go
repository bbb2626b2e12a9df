package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/environments"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var DependsOnUndefined = &lint.Rule{
	ID:       "depends-on-undefined",
	Summary:  "a service refers to a service that the environment does not define",
	Severity: lint.Error,
	Run:      dependsOnUndefined,
	Doc: lint.Doc{
		What: "Reports, in each environment, every reference to a service that the environment does not define: a " +
			"`depends_on` entry, a `links` entry (the name before `:`), a `volumes_from` entry (but not " +
			"`container:NAME`), and `network_mode`, `ipc`, `pid`, `uts` or `cgroup` set to `service:NAME`. Services " +
			"that a profile disables count as defined.",
		Why: "Compose refuses to start such a project (\"depends on undefined service\"). It typically happens when the " +
			"database is moved out of production, as the wemake-django-template production checklist advises: `db` is " +
			"then defined only in `docker-compose.override.yml`, while `web` in `docker-compose.yml`, which production " +
			"loads too, still has `depends_on: [db]`. A reference must live in the files that define what it names.",
		Example: "# docker-compose.yml; `db` is defined only in docker-compose.override.yml\nservices:\n  web:\n" +
			"    build: .\n    depends_on:\n      - db\n",
		Instead: "# docker-compose.override.yml (development only)\nservices:\n  db:\n    image: postgres:18-alpine\n" +
			"  web:\n    depends_on:\n      - db\n",
	},
}

// depRef is one reference from a service to another.
type depRef struct {
	name   string     // the service it names
	path   index.Path // where it is written
	what   string     // how the message describes it
	detail string     // extra explanation, when the syntax itself is the problem
}

func dependsOnUndefined(p *lint.Pass) {
	if p.Env == nil || p.Env.Project == nil {
		return
	}
	proj := p.Env.Project
	for _, svc := range p.Services() {
		for _, ref := range depRefs(p, svc) {
			if ref.detail == "" && environments.HasService(proj, ref.name) {
				continue
			}
			msg := fmt.Sprintf("`%s` %s", svc.Name, ref.what)
			if ref.detail != "" {
				p.ReportPath(ref.path, msg+ref.detail)
				continue
			}
			msg += fmt.Sprintf(", but this environment defines no service `%s`: Compose refuses to start the project", ref.name)
			if files, envs := environments.DefinedElsewhere(p, ref.name); len(files) > 0 {
				msg += fmt.Sprintf("; `%s` is defined only in %s (%s): move this reference there too, or define `%s` in a file this environment loads",
					ref.name, strings.Join(files, ", "), strings.Join(envs, ", "), ref.name)
			} else if near := depNearest(p, ref.name); near != "" {
				msg += fmt.Sprintf("; did you mean `%s`?", near)
			} else {
				msg += fmt.Sprintf("; define `%s`, or remove this reference", ref.name)
			}
			p.ReportPath(ref.path, msg)
		}
	}
}

// depRefs lists the references of svc to other services, in the order
// of the service's fields.
func depRefs(p *lint.Pass, svc types.ServiceConfig) []depRef {
	base := index.Path{"services", svc.Name}
	var out []depRef
	names := make([]string, 0, len(svc.DependsOn))
	for n := range svc.DependsOn {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		// The model also holds the dependencies that links, volumes_from and
		// network_mode imply; only those written under depends_on are reported here.
		path := base.Child("depends_on", n)
		if p.Env.Index.Get(path) == nil {
			continue
		}
		out = append(out, depRef{name: n, path: path, what: fmt.Sprintf("depends on `%s` (`depends_on`)", n)})
	}
	for _, l := range svc.Links {
		name, _, _ := strings.Cut(l, ":")
		out = append(out, depRef{name: name, path: base.Child("links", index.Item(l)), what: fmt.Sprintf("links to `%s` (`links`)", name)})
	}
	for _, v := range svc.VolumesFrom {
		if strings.HasPrefix(v, types.ContainerPrefix) {
			continue
		}
		path := base.Child("volumes_from", index.Item(v))
		if rest, ok := strings.CutPrefix(v, types.ServicePrefix); ok {
			name, _, _ := strings.Cut(rest, ":")
			ref := depRef{name: name, path: path, what: fmt.Sprintf("mounts the volumes of `%s` (`volumes_from`)", name)}
			if environments.HasService(p.Env.Project, name) && !environments.HasService(p.Env.Project, "service") {
				ref.what = fmt.Sprintf("mounts the volumes of `%s`", v)
				ref.detail = fmt.Sprintf(": Compose reads the name before the first `:` as the service, here `service`, which "+
					"this environment does not define, and refuses to start the project; write `%s` (or `%s:ro`)", name, name)
			}
			out = append(out, ref)
			continue
		}
		name, _, _ := strings.Cut(v, ":")
		out = append(out, depRef{name: name, path: path, what: fmt.Sprintf("mounts the volumes of `%s` (`volumes_from`)", name)})
	}
	for _, ns := range []struct{ key, value, what string }{
		{"network_mode", svc.NetworkMode, "joins the network of"},
		{"ipc", svc.Ipc, "shares the IPC namespace of"},
		{"pid", svc.Pid, "shares the PID namespace of"},
		{"uts", svc.Uts, "shares the UTS namespace of"},
		{"cgroup", svc.Cgroup, "shares the cgroup namespace of"},
	} {
		if name, ok := strings.CutPrefix(ns.value, types.ServicePrefix); ok && name != "" {
			out = append(out, depRef{name: name, path: base.Child(ns.key),
				what: fmt.Sprintf("%s `%s` (`%s: %s`)", ns.what, name, ns.key, ns.value)})
		}
	}
	return out
}

// depNearest returns the service, in any environment of the project, whose
// name is closest to name (a likely typo: at most two edits, and fewer than
// half the name), or "". Looking at every environment keeps the message the
// same in each, so that one finding lists them all.
func depNearest(p *lint.Pass, name string) string {
	seen := map[string]bool{}
	var all []string
	add := func(proj *types.Project) {
		if proj == nil {
			return
		}
		for n := range proj.Services {
			if !seen[n] {
				seen[n] = true
				all = append(all, n)
			}
		}
		for n := range proj.DisabledServices {
			if !seen[n] {
				seen[n] = true
				all = append(all, n)
			}
		}
	}
	add(p.Env.Project)
	for _, env := range p.Project.Environments {
		add(env.Project)
	}
	slices.Sort(all)
	best, bestD := "", 3
	for _, n := range all {
		if d := levenshtein.ComputeDistance(strings.ToLower(n), strings.ToLower(name)); d < bestD && 2*d < len(name) {
			best, bestD = n, d
		}
	}
	return best
}
