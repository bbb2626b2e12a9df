package rules

import (
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/services"
	"github.com/composelint/composelint/pkg/yamledit"
)

var PublishedPortAllInterfaces = &lint.Rule{
	ID:                    "published-port-all-interfaces",
	Summary:               "a database, cache, broker or admin port is published on every host interface",
	Severity:              lint.Warning,
	SecuritySeverity:      6.5,
	DevelopmentWeighsLess: true,
	Fixable:               true,
	Run:                   publishedPortAllInterfaces,
	Doc: lint.Doc{
		What: "Reports a published port without a host IP (or with `0.0.0.0`, `::`) when it is a datastore's, a cache's, " +
			"a broker's or an administration port (PostgreSQL 5432, MySQL 3306, Redis 6379, MongoDB 27017, " +
			"Elasticsearch 9200/9300, RabbitMQ 5672/15672, Memcached 11211, the Docker API 2375/2376, …, by the " +
			"container port), or any port of a database service (by its image). A reverse proxy's 80 and 443 are meant " +
			"to be public and are not reported. The unsafe fix binds the port to `127.0.0.1` (short syntax): the host " +
			"still reaches it, other machines no longer do.",
		Why: "Docker publishes ports by writing its own iptables rules, ahead of ufw or firewalld: a port published " +
			"without an address is open to the internet on a host with a public address, whatever the host firewall " +
			"says. Databases and caches found this way are scanned and ransomed within hours. Services of the project " +
			"reach each other over the Compose network without any published port; publish one on 127.0.0.1 to reach " +
			"it from the host (an SSH tunnel reaches it from elsewhere).",
		Example: "services:\n  db:\n    image: postgres:16.4\n    ports:\n      - \"5432:5432\"\n",
		Instead: "services:\n  db:\n    image: postgres:16.4\n    ports:\n      - \"127.0.0.1:5432:5432\"\n",
	},
}

// sensitivePorts are container ports of datastores, caches, brokers and
// administration interfaces.
var sensitivePorts = map[uint32]string{
	5432: "PostgreSQL", 5433: "PostgreSQL", 3306: "MySQL", 33060: "MySQL X", 1433: "SQL Server", 1521: "Oracle",
	6379: "Redis", 6380: "Redis", 11211: "Memcached", 27017: "MongoDB", 27018: "MongoDB", 5984: "CouchDB",
	9042: "Cassandra", 7474: "Neo4j", 7687: "Neo4j", 8086: "InfluxDB", 8123: "ClickHouse",
	26257: "CockroachDB", 8529: "ArangoDB", 28015: "RethinkDB", 9200: "Elasticsearch", 9300: "Elasticsearch",
	5672: "RabbitMQ", 15672: "RabbitMQ management", 9092: "Kafka", 2181: "ZooKeeper", 4222: "NATS", 1883: "MQTT",
	2379: "etcd", 8500: "Consul", 2375: "the Docker API", 2376: "the Docker API", 6443: "the Kubernetes API",
}

func publishedPortAllInterfaces(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		db := services.DatabaseKind(p.Project, svc)
		for _, port := range svc.Ports {
			if !allInterfaces(port.HostIP) {
				continue
			}
			what := sensitivePorts[port.Target]
			if what == "" && db == "" {
				continue
			}
			if what == "" {
				what = db
			}
			published := port.Published
			if published == "" {
				published = "a random port"
			}
			ip := index.Path{"services", svc.Name, "ports", index.Item(index.PortIdentity(port.HostIP, port.Published, port.Target, port.Protocol))}
			msg := fmt.Sprintf("%s publishes %s port %d on %s of every host interface: Docker opens it past the host firewall; "+
				"bind it to 127.0.0.1, or drop it and reach the service over the Compose network", svc.Name, what, port.Target, published)
			p.ReportPath(ip, msg, localhostFix(p, svc, ip)...)
		}
	}
}

func allInterfaces(hostIP string) bool {
	switch strings.Trim(hostIP, "[]") {
	case "", "0.0.0.0", "::":
		return true
	}
	return false
}

// localhostFix binds a short-syntax port that names no address to
// 127.0.0.1: "5432:5432" -> "127.0.0.1:5432:5432", "5432" ->
// "127.0.0.1::5432" (a random host port, as before). None for the long
// syntax, for an explicit address, and for an entry another service shares
// through an anchor.
func localhostFix(p *lint.Pass, svc types.ServiceConfig, ip index.Path) []lint.Fix {
	def := p.Env.Index.Get(ip)
	if def == nil || def.Value == nil || def.Value.Kind != yaml.ScalarNode || !yamledit.InService(def.File, def.Value, svc.Name) {
		return nil
	}
	n, f := def.Value, def.File
	raw := n.Value
	if strings.Count(raw, ":") > 1 || strings.HasPrefix(raw, "[") || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return nil // an address is written
	}
	r := f.Span(n)
	start, end := f.Offset(r.Start), f.Offset(r.End)
	quoted := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0
	if quoted {
		start, end = start+1, end-1
	}
	if start > end || end > len(f.Content) || string(f.Content[start:end]) != raw {
		return nil
	}
	var edit lint.TextEdit
	switch {
	case strings.Contains(raw, ":"):
		edit = lint.TextEdit{File: f, Start: start, End: start, NewText: "127.0.0.1:"}
	case quoted:
		edit = lint.TextEdit{File: f, Start: start, End: start, NewText: "127.0.0.1::"}
	default: // an unquoted number: write a string
		edit = lint.TextEdit{File: f, Start: start, End: end, NewText: `"127.0.0.1::` + raw + `"`}
	}
	return []lint.Fix{{
		Message: "publish it on 127.0.0.1 only", Safety: lint.Unsafe, Edits: []lint.TextEdit{edit},
		Affects: []string{"services." + svc.Name + ".ports"},
	}}
}
