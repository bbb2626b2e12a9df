package rules

import (
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var HostNetwork = &lint.Rule{
	ID:                    "host-network",
	Summary:               "a service uses the host's network stack (`network_mode: host`)",
	Severity:              lint.Warning,
	SecuritySeverity:      7.5,
	DevelopmentWeighsLess: true,
	Run:                   hostNetwork,
	Doc: lint.Doc{
		What: "Reports `network_mode: host` (and the `network: host` of a build is not reported: it is the build's, not " +
			"the running container's).",
		Why: "With the host's network stack the container listens on every host interface without `ports:` saying so, " +
			"reaches services bound to the host's 127.0.0.1 (the Docker API on tcp, databases, cloud metadata " +
			"proxies), and is not isolated by Compose networks. Publish the ports the service serves instead.",
		Example: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    network_mode: host\n",
		Instead: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    ports:\n      - \"127.0.0.1:8080:8080\"\n",
	},
}

func hostNetwork(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		if svc.NetworkMode == "host" {
			p.ReportPath(index.Path{"services", svc.Name, "network_mode"},
				svc.Name+" uses the host's network stack: it listens on every host interface and reaches the host's localhost services; publish its ports instead")
		}
	}
}
