package fix

import (
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// dangling returns the references of a model that name nothing it
// defines, as dotted paths ending in the missing name: a service named by
// depends_on (required), links, volumes_from or a `service:` namespace; a
// network, named volume, secret or config no top-level section declares.
// A round must not add one (a planner that moved a service and forgot an
// edge to it), whatever its fixes declare.
func dangling(p *types.Project) []string {
	if p == nil {
		return nil
	}
	hasService := func(n string) bool {
		_, ok := p.Services[n]
		_, off := p.DisabledServices[n]
		return ok || off
	}
	var out []string
	for _, services := range []types.Services{p.Services, p.DisabledServices} {
		for name, svc := range services {
			at := "services." + name + "."
			miss := func(field, ref string, defined bool) {
				if !defined {
					out = append(out, at+field+"."+ref)
				}
			}
			for dep, d := range svc.DependsOn {
				miss("depends_on", dep, !d.Required || hasService(dep))
			}
			for _, l := range svc.Links {
				dep, _, _ := strings.Cut(l, ":")
				miss("links", dep, hasService(dep))
			}
			for _, v := range svc.VolumesFrom {
				if dep, _, _ := strings.Cut(v, ":"); dep != "container" {
					miss("volumes_from", dep, hasService(dep))
				}
			}
			for field, ns := range map[string]string{"network_mode": svc.NetworkMode, "ipc": svc.Ipc, "pid": svc.Pid, "uts": svc.Uts, "cgroup": svc.Cgroup} {
				if dep, ok := strings.CutPrefix(ns, types.ServicePrefix); ok {
					miss(field, dep, hasService(dep))
				}
			}
			out = append(out, danglingResources(at, svc, p)...)
		}
	}
	slices.Sort(out)
	return out
}

// danglingResources are a service's references to undeclared top-level
// networks, volumes, secrets and configs.
func danglingResources(at string, svc types.ServiceConfig, p *types.Project) []string {
	var out []string
	for n := range svc.Networks {
		if _, ok := p.Networks[n]; !ok && n != "default" {
			out = append(out, at+"networks."+n)
		}
	}
	for _, v := range svc.Volumes {
		if _, ok := p.Volumes[v.Source]; v.Type == types.VolumeTypeVolume && v.Source != "" && !ok {
			out = append(out, at+"volumes."+v.Source)
		}
	}
	for _, s := range svc.Secrets {
		if _, ok := p.Secrets[s.Source]; !ok {
			out = append(out, at+"secrets."+s.Source)
		}
	}
	for _, c := range svc.Configs {
		if _, ok := p.Configs[c.Source]; !ok {
			out = append(out, at+"configs."+c.Source)
		}
	}
	return out
}

// newlyDangling are the dangling references of after that before did not have.
func newlyDangling(before, after *types.Project) []string {
	old := dangling(before)
	var out []string
	for _, r := range dangling(after) {
		if !slices.Contains(old, r) {
			out = append(out, r)
		}
	}
	return out
}
