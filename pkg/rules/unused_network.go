package rules

import (
	"fmt"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/resources"
)

var UnusedNetwork = &lint.Rule{
	ID:       "unused-network",
	Summary:  "a top-level network that no service of any environment joins",
	Severity: lint.Info,
	Scope:    lint.PerProject,
	Fixable:  true,
	Run:      unusedNetwork,
	Doc: lint.Doc{
		What: "Reports a network declared under the top-level `networks:` that no service joins in any environment " +
			"(development, production, …), at its key in every file that declares it. A service joins the networks it " +
			"lists under `networks`; a service with neither `networks` nor `network_mode` joins `default`, so a declared " +
			"`default` network is used then. As for unused-volume, a network named by a service's environment variable or " +
			"label, or joined by the declaring file's own services, counts as used, and a network that an environment " +
			"which failed to load declares is left alone.",
		Why: "An unused network is dead configuration, often left behind when a service moved to another network or to " +
			"another file; or the service that should join it forgot to list it, and reaches what it should not (the " +
			"wemake-django-template keeps the database on its own network for that reason).",
		Example: "services:\n  web:\n    image: myapp\n    networks: [webnet]\n\nnetworks:\n  webnet:\n  proxynet:\n",
		Instead: "services:\n  web:\n    image: myapp\n    networks: [webnet]\n\nnetworks:\n  webnet:\n",
	},
}

func unusedNetwork(p *lint.Pass) {
	resources.ReportUnused(p, "networks", resources.NetworksUsed, func(name string) string {
		return fmt.Sprintf("network %s is declared but no service joins it in any environment; remove it", name)
	})
}
