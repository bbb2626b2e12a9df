package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/resources"
	"github.com/composelint/composelint/pkg/services"
)

var ProxyOnDatabaseNetwork = &lint.Rule{
	ID:           "proxy-on-database-network",
	Summary:      "the reverse proxy joins a network that a database is on",
	Severity:     lint.Warning,
	Environments: []string{"production"},
	Run:          proxyOnDatabaseNetwork,
	Doc: lint.Doc{
		What: "Reports, in production, a reverse proxy (Caddy, nginx, Traefik, HAProxy, Apache httpd, Envoy; recognised as " +
			"`proxy-volume-readonly` recognises them) that joins a network a database service (postgres, postgis, mysql, " +
			"mariadb, mongo…) is on: a network both list, or the project's `default` network when neither lists any (information only when no service of the project " +
			"lists networks: the project has not chosen them yet). A " +
			"proxy that `depends_on` or `links` the database talks to it on purpose (HAProxy in front of replicas) and is " +
			"not reported; neither is a proxy with a `network_mode` of its own, nor, when a proxy publishes ports, one that " +
			"publishes none (an nginx that serves a built front end behind the edge proxy).",
		Why: "The proxy is the one service the internet talks to, so it is the first one an attacker owns. The " +
			"wemake-django-template's checklist keeps Caddy on a network of its own with the app (`proxy-net`: \"do not use " +
			"it for anything else!\") and the database on another one that only the app joins (`postgres-net`): an exploit " +
			"of the proxy then cannot even open a connection to the database, let alone try its passwords. Its first " +
			"version put Caddy, the app and Postgres on one network.",
		Example: "services:\n  db:\n    image: postgres:17\n    networks: [webnet]\n  web:\n    image: myapp\n" +
			"    networks: [webnet]\n  caddy:\n    image: caddy:2.8\n    networks: [webnet]\nnetworks:\n  webnet:\n",
		Instead: "services:\n  db:\n    image: postgres:17\n    networks: [postgres-net]\n  web:\n    image: myapp\n" +
			"    networks: [postgres-net, proxy-net]\n  caddy:\n    image: caddy:2.8\n    networks: [proxy-net]\n" +
			"networks:\n  postgres-net:\n  proxy-net:\n",
	},
}

func proxyOnDatabaseNetwork(p *lint.Pass) {
	svcs := p.Services()
	var dbs []types.ServiceConfig
	for _, s := range svcs {
		if services.DatabaseKind(p.Project, s) != "" {
			dbs = append(dbs, s)
		}
	}
	if len(dbs) == 0 {
		return
	}
	var proxies []types.ServiceConfig
	edge := false // a proxy publishes ports: the internet talks to it
	for _, s := range svcs {
		if s.NetworkMode == "" && services.ProxyKind(p.Project, s) != "" && services.DatabaseKind(p.Project, s) == "" {
			proxies = append(proxies, s)
			edge = edge || len(s.Ports) > 0
		}
	}
	for _, proxy := range proxies {
		if edge && len(proxy.Ports) == 0 {
			continue // an nginx that serves a front end behind the edge proxy (plane's web)
		}
		for _, net := range resources.NetworksOf(proxy) {
			var on []string
			for _, db := range dbs {
				if db.NetworkMode == "" && slices.Contains(resources.NetworksOf(db), net) && !talksTo(proxy, db.Name) {
					on = append(on, db.Name)
				}
			}
			if len(on) == 0 {
				continue
			}
			what := "network " + net
			at := index.Path{"services", proxy.Name, "networks", net}
			rp := p
			if net == "default" && p.Env.Index.Get(index.Path{"services", proxy.Name, "networks"}) == nil {
				what = "the default network (it lists no networks)"
				at = index.Path{"services", proxy.Name}
				if !anyListsNetworks(p, svcs) {
					// A project that never chose networks has not put the proxy
					// beside the database by mistake: advice, not a defect.
					rp = p.Weaker()
				}
			}
			dbs := "the database `" + on[0] + "` is"
			if len(on) > 1 {
				dbs = "the databases `" + strings.Join(on, "`, `") + "` are"
			}
			msg := fmt.Sprintf("%s joins %s, which %s on: an exploit of the proxy reaches the database; put the "+
				"proxy and the app on a network of their own and keep the database on one the proxy does not join",
				proxy.Name, what, dbs)
			if p.Env.Index.Get(at) == nil {
				rp.ReportFirstDef(index.Path{"services", proxy.Name}, msg)
				continue
			}
			rp.ReportPath(at, msg)
		}
	}
}

// anyListsNetworks tells whether some service chooses its networks in the
// files (compose-go puts the others on `default`): a project where none
// does keeps everything on the default network.
func anyListsNetworks(p *lint.Pass, svcs []types.ServiceConfig) bool {
	return slices.ContainsFunc(svcs, func(s types.ServiceConfig) bool {
		return p.Env.Index.Get(index.Path{"services", s.Name, "networks"}) != nil
	})
}

// talksTo tells whether svc depends on or links to service name: it talks
// to it on purpose.
func talksTo(svc types.ServiceConfig, name string) bool {
	if _, ok := svc.DependsOn[name]; ok {
		return true
	}
	for _, l := range svc.Links {
		if n, _, _ := strings.Cut(l, ":"); n == name {
			return true
		}
	}
	return false
}
