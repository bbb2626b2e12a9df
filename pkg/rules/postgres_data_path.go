package rules

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/dockerfile"
	"github.com/composelint/composelint/pkg/imageref"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/mounts"
	"github.com/composelint/composelint/pkg/services"
)

var PostgresDataPath = &lint.Rule{
	ID:       "postgres-data-path",
	Summary:  "a Postgres data volume is mounted where the image's major version does not keep its data",
	Severity: lint.Error,
	Run:      postgresDataPath,
	Doc: lint.Doc{
		What: "Reports a service of the official Postgres image (`postgres`, and the images built on it: `postgis/postgis`, " +
			"`pgvector/pgvector`, `timescale/timescaledb`, or a Dockerfile FROM one of them) whose data volume is mounted at " +
			"the wrong path for the image's major version. Up to 17 the image keeps its data in `/var/lib/postgresql/data` " +
			"(PGDATA, and the image's VOLUME); from 18 in `/var/lib/postgresql/<major>/docker`, with the VOLUME at " +
			"`/var/lib/postgresql`. A `PGDATA` of the service (environment, env file, or the Dockerfile's ENV) moves the data " +
			"and is followed. Services that mount nothing under `/var/lib/postgresql` are not checked, nor are tmpfs or " +
			"anonymous volumes there (a throw-away database is a choice), nor a server started with `-D` or `data_directory`, " +
			"nor a tag whose major version cannot be read.",
		Why: "From 18 on, the image's PGDATA moved to a version-specific directory so that `pg_upgrade --link` works across " +
			"majors (docker-library/postgres#1259, documented in docker-library/docs#2582). A volume left at " +
			"`/var/lib/postgresql/data` then makes the entrypoint refuse to start (\"in 18+, these Docker images are " +
			"configured to store database data in a format which is compatible with pg_ctlcluster … there appears to be " +
			"PostgreSQL data in /var/lib/postgresql/data (unused mount/volume)\", docker-library/postgres#1364). The other " +
			"way round, a volume at `/var/lib/postgresql` under a 17 image does not hold the data: the image's VOLUME at " +
			"`…/data` gets an anonymous volume, and the database is lost when the container is re-created. The " +
			"wemake-django-template shipped `postgres:18-alpine` with `pgdata:/var/lib/postgresql/data` from September 2025 " +
			"to April 2026 (commits 6ddc4472, fixed in 3420c075).",
		Example: "services:\n  db:\n    image: postgres:18-alpine\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n" +
			"volumes:\n  pgdata:\n",
		Instead: "services:\n  db:\n    image: postgres:18-alpine\n    volumes:\n      - pgdata:/var/lib/postgresql\n" +
			"volumes:\n  pgdata:\n",
	},
}

const (
	pgRoot    = "/var/lib/postgresql"
	pgOldData = "/var/lib/postgresql/data"
)

func postgresDataPath(p *lint.Pass) {
	for _, svc := range p.Services() {
		major, image, ok := pgImageMajor(p, svc)
		if !ok || pgSetsDataDirectory(svc) {
			continue
		}
		pgdata, defaultData := pgDataDir(p, svc, major)
		// The persistent mounts under /var/lib/postgresql: those the rule judges.
		var data []types.ServiceVolumeConfig
		for _, v := range svc.Volumes {
			t := path.Clean(v.Target)
			// A file (postgresql.conf, an init script) is no data directory.
			if v.Target != "" && mounts.Covers(pgRoot, t) && !strings.Contains(path.Base(t), ".") && pgPersistent(v) {
				data = append(data, v)
			}
		}
		if len(data) == 0 {
			continue
		}
		holder, held := pgHolder(svc, pgdata, major)
		for _, v := range data {
			target := path.Clean(v.Target)
			var msg string
			switch {
			case major >= 18 && target == pgOldData && defaultData:
				msg = fmt.Sprintf("%s keeps its data in %s and refuses to start while %s is a mount; "+
					"mount %s at %s instead (data written by an older major needs pg_upgrade first)",
					pgDescribe(image, major), pgdata, pgOldData, pgVolumeName(v), pgRoot)
			case held && holder.Target == v.Target:
				continue // this mount holds the data
			case held && pgPersistent(holder):
				continue // another mount holds it; this one is something else
			default:
				want := pgRoot
				if major < 18 || !defaultData {
					want = pgdata
				}
				msg = fmt.Sprintf("%s keeps its data in %s, which this mount at %s does not hold: the data "+
					"goes to an anonymous volume and is lost when the container is re-created; mount %s at %s instead",
					pgDescribe(image, major), pgdata, target, pgVolumeName(v), want)
			}
			p.ReportPath(index.Path{"services", svc.Name, "volumes", index.Item(v.Target)}, msg)
		}
	}
}

// pgPersistent tells a mount that outlives the container: a bind mount or a
// named volume.
func pgPersistent(v types.ServiceVolumeConfig) bool {
	return v.Type == types.VolumeTypeBind || (v.Type == types.VolumeTypeVolume && v.Source != "")
}

// pgDescribe names an image and the major version it runs, for a message.
func pgDescribe(image string, major int) string {
	if pgNewestTag(imageref.Tag(image)) {
		return fmt.Sprintf("%s (a tag of the newest major: Postgres %d or later)", image, major)
	}
	return fmt.Sprintf("%s (Postgres %d)", image, major)
}

func pgVolumeName(v types.ServiceVolumeConfig) string {
	if v.Source == "" {
		return "the volume"
	}
	return v.Source
}

// pgHolder returns the mount that holds dir: the service's mount whose target
// is dir or its nearest ancestor, or the image's own VOLUME (an anonymous
// volume) when that is nearer.
func pgHolder(svc types.ServiceConfig, dir string, major int) (types.ServiceVolumeConfig, bool) {
	var best types.ServiceVolumeConfig
	found := false
	for _, v := range svc.Volumes {
		t := path.Clean(v.Target)
		if v.Target != "" && mounts.Covers(t, dir) && (!found || len(t) > len(path.Clean(best.Target))) {
			best, found = v, true
		}
	}
	imageVolume := pgOldData
	if major >= 18 {
		imageVolume = pgRoot
	}
	if mounts.Covers(imageVolume, dir) && (!found || len(imageVolume) > len(path.Clean(best.Target))) {
		return types.ServiceVolumeConfig{Type: types.VolumeTypeVolume, Target: imageVolume}, true
	}
	return best, found
}

// pgDataDir returns the service's PGDATA: its environment, else an ENV of its
// Dockerfile, else the image's default for the major version (defaultData).
func pgDataDir(p *lint.Pass, svc types.ServiceConfig, major int) (dir string, defaultData bool) {
	if v, ok := svc.Environment["PGDATA"]; ok && v != nil && strings.HasPrefix(*v, "/") {
		return path.Clean(*v), false
	}
	if content, ok := services.Dockerfile(p.Project, svc); ok {
		for _, st := range dockerfile.Chain(dockerfile.Parse(content), svc.Build.Target) {
			for _, in := range st.Instrs {
				if in.Cmd != "ENV" {
					continue
				}
				if m := pgEnvRE.FindStringSubmatch(in.Args); m != nil {
					dir = strings.Trim(m[1], `"'`)
				}
			}
		}
		if strings.HasPrefix(dir, "/") && !strings.Contains(dir, "$") {
			return path.Clean(dir), false
		}
	}
	if major >= 18 {
		return fmt.Sprintf("%s/%d/docker", pgRoot, major), true
	}
	return pgOldData, true
}

var pgEnvRE = regexp.MustCompile(`(?:^|\s)PGDATA[=\s]\s*("[^"]*"|'[^']*'|\S+)`)

// pgSetsDataDirectory tells whether the server is told its data directory on
// the command line (`postgres -D DIR`, `-c data_directory=DIR`): then PGDATA
// is not what it uses, and the rule cannot judge the mounts.
func pgSetsDataDirectory(svc types.ServiceConfig) bool {
	for _, a := range append(append([]string(nil), svc.Entrypoint...), svc.Command...) {
		if a == "-D" || strings.HasPrefix(a, "--pgdata") || strings.Contains(a, "data_directory") ||
			strings.Contains(a, " -D ") {
			return true
		}
	}
	return false
}

// pgImages are the repositories of the official image and of the images
// built FROM it, which keep its PGDATA and VOLUME.
var pgImages = map[string]bool{"postgres": true, "postgis/postgis": true, "pgvector/pgvector": true, "timescale/timescaledb": true}

// pgImageMajor returns the Postgres major version of the image a service runs
// (its image, or its Dockerfile's FROM), and the image as written.
func pgImageMajor(p *lint.Pass, svc types.ServiceConfig) (major int, image string, ok bool) {
	for _, img := range services.BaseImages(p.Project, svc) {
		repo := pgRepository(img)
		if !pgImages[repo] {
			continue
		}
		if m, ok := pgTagMajor(imageref.Tag(img)); ok && (repo == "postgres" || !pgNewestTag(imageref.Tag(img))) {
			return m, img, true
		}
	}
	return 0, "", false
}

// pgRepository is an image's repository without registry, tag or digest,
// with the Docker Hub's library/ dropped: "docker.io/library/postgres:17" -> "postgres".
func pgRepository(img string) string {
	var parts []string
	if ns := imageref.Namespace(img); ns != "" {
		parts = strings.Split(ns, "/")
	}
	if len(parts) > 0 && (strings.ContainsAny(parts[0], ".:") || parts[0] == "localhost") {
		parts = parts[1:] // a registry host
	}
	if len(parts) == 1 && parts[0] == "library" {
		parts = nil
	}
	return strings.Join(append(parts, imageref.Repo(img)), "/")
}

// pgNewestTag tells a tag that follows the newest major (of the official
// image; other images' latest lags behind it).
func pgNewestTag(tag string) bool {
	t := strings.ToLower(tag)
	for _, distro := range []string{"alpine", "trixie", "bookworm", "bullseye"} {
		if strings.HasPrefix(t, distro) {
			return true
		}
	}
	return t == "" || t == "latest"
}

var pgMajorRE = regexp.MustCompile(`^(?:.*-)?pg(\d+)(?:[.-].*)?$|^(\d+)(?:[.-].*)?$`)

// pgTagMajor reads the Postgres major version from a tag: "16", "16.4-alpine",
// "17-3.5" (postgis), "pg17", "0.8.0-pg17" (pgvector), "latest-pg16"
// (timescaledb). An empty, latest or distribution-only tag is the newest
// major, 18 or later: the same layout as 18.
func pgTagMajor(tag string) (int, bool) {
	if pgNewestTag(tag) {
		return 18, true
	}
	m := pgMajorRE.FindStringSubmatch(strings.ToLower(tag))
	if m == nil {
		return 0, false
	}
	s := m[1]
	if s == "" {
		s = m[2]
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 8 || n > 99 {
		return 0, false
	}
	return n, true
}
