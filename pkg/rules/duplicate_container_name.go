package rules

import (
	"strings"

	"github.com/composelint/composelint/pkg/environments"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
)

var DuplicateContainerName = &lint.Rule{
	ID:       "duplicate-container-name",
	Summary:  "two services of one environment set the same `container_name`",
	Severity: lint.Error,
	Run:      duplicateContainerName,
	Doc: lint.Doc{
		What: "Reports a `container_name` (after interpolation) that another service of the same environment also sets, " +
			"at each service after the first (in name order), naming the first. Services that only different profiles " +
			"enable never run together and are not compared.",
		Why: "Docker refuses a second container with a name that is taken: `docker compose up` creates the first and fails " +
			"on the second (\"Conflict. The container name … is already in use\"). A name copied along with a service " +
			"block is the usual cause; most services need no `container_name` at all.",
		Example: "services:\n  web:\n    image: ghcr.io/example/app:1.4\n    container_name: app\n" +
			"  worker:\n    image: ghcr.io/example/app:1.4\n    container_name: app\n",
		Instead: "services:\n  web:\n    image: ghcr.io/example/app:1.4\n    container_name: app-web\n" +
			"  worker:\n    image: ghcr.io/example/app:1.4\n    container_name: app-worker\n",
	},
}

func duplicateContainerName(p *lint.Pass) {
	first := map[string][]string{} // name -> services that set it, in name order
	for _, svc := range p.WrittenServices() {
		name := strings.TrimSpace(svc.ContainerName)
		if name == "" || strings.Contains(name, load.PlaceholderPrefix) {
			continue
		}
		for _, other := range first[name] {
			if environments.RunTogether(p.WrittenModel().Services[other].Profiles, svc.Profiles) {
				p.ReportPath(index.Path{"services", svc.Name, "container_name"},
					svc.Name+" is named "+name+", as "+other+" is: `docker compose up` fails on the second container with that name")
				break
			}
		}
		first[name] = append(first[name], svc.Name)
	}
}
