package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/environments"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var DuplicateHostPort = &lint.Rule{
	ID:       "duplicate-host-port",
	Summary:  "two services of one environment publish the same host port",
	Severity: lint.Error,
	Run:      duplicateHostPort,
	Doc: lint.Doc{
		What: "Reports a published port that another service of the same environment already publishes on the same host " +
			"port and protocol, on an overlapping address (no address or `0.0.0.0` overlaps every IPv4 address, `::` " +
			"every IPv6 one), ranges included, after interpolation (`${WEB_PORT}:80`). Ports Docker picks itself " +
			"(`\"8000\"`, no host port) never conflict; services that only different profiles enable never run together.",
		Why: "Only one process may listen on a host port: `docker compose up` starts the first service and fails on the " +
			"second (\"Bind for 0.0.0.0:8080 failed: port is already allocated\"), often only after the first one is " +
			"already serving, so the stack comes up half.",
		Example: "services:\n  web:\n    image: ghcr.io/example/web:1.4\n    ports:\n      - \"8080:80\"\n" +
			"  admin:\n    image: ghcr.io/example/admin:1.4\n    ports:\n      - \"8080:8080\"\n",
		Instead: "services:\n  web:\n    image: ghcr.io/example/web:1.4\n    ports:\n      - \"8080:80\"\n" +
			"  admin:\n    image: ghcr.io/example/admin:1.4\n    ports:\n      - \"127.0.0.1:8081:8080\"\n",
	},
}

// hostBinding is one published host port range of a service.
type hostBinding struct {
	service  string
	profiles []string
	port     types.ServicePortConfig
	lo, hi   int
}

func duplicateHostPort(p *lint.Pass) {
	var seen []hostBinding
	for _, svc := range p.WrittenServices() {
		if svc.NetworkMode == "host" {
			continue // it publishes nothing: ports are ignored
		}
		for _, port := range svc.Ports {
			lo, hi, ok := portRange(port.Published)
			if !ok {
				continue
			}
			b := hostBinding{service: svc.Name, profiles: svc.Profiles, port: port, lo: lo, hi: hi}
			for _, o := range seen {
				if o.service != b.service && bindingsClash(o, b) && environments.RunTogether(o.profiles, b.profiles) {
					ip := index.Path{"services", svc.Name, "ports", index.Item(index.PortIdentity(port.HostIP, port.Published, port.Target, port.Protocol))}
					p.ReportPath(ip, fmt.Sprintf("%s publishes host port %s/%s, which %s already publishes: `docker compose up` fails with \"port is already allocated\"",
						svc.Name, port.Published, protocol(port), o.service))
					break
				}
			}
			seen = append(seen, b)
		}
	}
}

// portRange parses a published port or range ("8080", "8000-8010").
func portRange(published string) (lo, hi int, ok bool) {
	if published == "" {
		return 0, 0, false
	}
	a, b, isRange := strings.Cut(published, "-")
	lo, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, false
	}
	hi = lo
	if isRange {
		if hi, err = strconv.Atoi(b); err != nil {
			return 0, 0, false
		}
	}
	return lo, hi, true
}

func protocol(p types.ServicePortConfig) string {
	if p.Protocol == "" {
		return "tcp"
	}
	return strings.ToLower(p.Protocol)
}

func bindingsClash(a, b hostBinding) bool {
	return protocol(a.port) == protocol(b.port) && a.lo <= b.hi && b.lo <= a.hi && addressesOverlap(a.port.HostIP, b.port.HostIP)
}

// addressesOverlap tells whether two host IPs of published ports can
// collide: equal, or one is the wildcard of its family ("" is both).
func addressesOverlap(a, b string) bool {
	a, b = strings.Trim(a, "[]"), strings.Trim(b, "[]")
	if a == b || a == "" || b == "" {
		return true
	}
	v6 := func(s string) bool { return strings.Contains(s, ":") }
	if v6(a) != v6(b) {
		return false
	}
	return a == "0.0.0.0" || b == "0.0.0.0" || a == "::" || b == "::"
}
