package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/caddyconf"
	"github.com/composelint/composelint/pkg/imageref"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/mounts"
	"github.com/composelint/composelint/pkg/services"
)

var CaddyDataNotPersisted = &lint.Rule{
	ID:       "caddy-data-not-persisted",
	Summary:  "Caddy's /data (certificates, ACME account) is not kept in a named volume",
	Severity: lint.Warning,
	Run:      caddyDataNotPersisted,
	Doc: lint.Doc{
		What: "Reports a Caddy v2 service (image `caddy:2…`, `caddy:latest`, `caddy`, or a Dockerfile FROM one of them) " +
			"that obtains public certificates and whose data directory — /data, or $XDG_DATA_HOME when the service sets " +
			"it, or the directory of a `storage file_system` global option — is mounted nowhere, or only as a tmpfs or an " +
			"anonymous volume. It judges the Caddyfile the project mounts into Caddy, also when it is mounted where Caddy does " +
			"not read it (which caddyfile-not-loaded reports): that is the configuration Caddy runs once the mount is " +
			"fixed. It stays silent when Caddy obtains no public certificate: a Caddyfile whose sites are all " +
			"http://, :port, localhost, IP addresses or internal names, `auto_https off`, `tls internal`, certificates of " +
			"your own, the image's default Caddyfile, or `caddy reverse-proxy --from :PORT`; and for a storage module " +
			"other than the file system (redis, consul…), which keeps certificates elsewhere. Services it cannot identify " +
			"as Caddy v2 are not checked.",
		Why: "Caddy keeps its certificates, their keys and its ACME account in /data/caddy. Without a named volume (or " +
			"a bind mount) every new container — `docker compose down` then `up`, a swarm task rescheduled, an image " +
			"update — starts empty and requests every certificate again, and Let's Encrypt's rate limits (5 duplicate " +
			"certificates a week) then leave the site without HTTPS. The wemake-django-template mounts `caddy-data:/data` " +
			"for that reason.",
		Example: "services:\n  caddy:\n    image: caddy:2.8\n    ports: [\"80:80\", \"443:443\"]\n    volumes:\n" +
			"      - ./Caddyfile:/etc/caddy/Caddyfile\n",
		Instead: "services:\n  caddy:\n    image: caddy:2.8\n    ports: [\"80:80\", \"443:443\"]\n    volumes:\n" +
			"      - ./Caddyfile:/etc/caddy/Caddyfile\n      - caddy-data:/data\n      - caddy-config:/config\n" +
			"volumes:\n  caddy-data:\n  caddy-config:\n",
	},
}

func caddyDataNotPersisted(p *lint.Pass) {
	for _, svc := range p.Services() {
		if caddyconf.Major(p.Project, svc) != 2 {
			continue
		}
		st := caddyconf.StartOf(p.Project, svc)
		if !st.Known && !caddyRunsServer(p, svc) {
			continue // a build stage, a one-off command: no server
		}
		doc, isDefault, known := caddyconf.ConfigOf(p, svc, st)
		if known && doc == nil && st.Sub != "reverse-proxy" && st.Sub != "file-server" && st.Sub != "respond" {
			// The Caddyfile the project means to use is mounted where Caddy
			// does not read it (caddyfile-not-loaded says so): judge that one,
			// which Caddy runs once the mount is fixed.
			if intended := caddyIntendedConfig(p, svc); intended != nil {
				doc, isDefault = intended, false
			}
		}
		dataDir := "/data"
		if v, ok := svc.Environment["XDG_DATA_HOME"]; ok && v != nil && strings.HasPrefix(*v, "/") {
			dataDir = path.Clean(*v)
		}
		dataDir = path.Join(dataDir, "caddy")
		if known {
			if !caddyWantsCerts(st, doc, isDefault) {
				continue
			}
			if doc != nil {
				dir, ok := doc.Storage()
				if !ok {
					continue // certificates live in another storage
				}
				if dir != "" {
					dataDir = dir
				}
			}
		}
		ms, ok := mounts.WithInherited(svc, p.Env.Project)
		if !ok {
			continue
		}
		// The mounts that hold the data: the nearest one above it, and any below it.
		var holders []mounts.Mount
		if m, ok := mounts.At(ms, dataDir); ok {
			holders = append(holders, m)
		}
		for _, m := range ms {
			if m.Target != dataDir && mounts.Covers(dataDir, m.Target) {
				holders = append(holders, m)
			}
		}
		if len(holders) == 0 {
			shown := strings.TrimSuffix(dataDir, "/caddy")
			if shown == "" {
				shown = dataDir
			}
			p.ReportFirstDef(index.Path{"services", svc.Name}, fmt.Sprintf("%s does not mount %s, where Caddy keeps its "+
				"certificates and ACME account: each new container requests them again and runs into Let's Encrypt's "+
				"rate limits; mount a named volume there (`caddy-data:%s`)", svc.Name, shown, shown))
			continue
		}
		persisted := false
		for _, m := range holders {
			switch {
			case m.Kind == types.VolumeTypeTmpfs, m.Kind == "config":
			case m.Kind == types.VolumeTypeVolume && m.Source == "": // anonymous
			default: // a bind mount, a named volume, or another kind of storage
				persisted = true
			}
		}
		if persisted {
			continue
		}
		m := holders[0]
		what := "a tmpfs"
		if m.Kind == types.VolumeTypeVolume {
			what = "an anonymous volume"
		}
		p.ReportPath(m.Path, fmt.Sprintf("%s keeps Caddy's certificates and ACME account in %s at %s, which a new "+
			"container does not get back: certificates are requested again and run into Let's Encrypt's rate limits; "+
			"use a named volume (`caddy-data:%s`)", svc.Name, what, m.Target, m.Target))
	}
}

// caddyWantsCerts tells whether Caddy, configured so, obtains public
// certificates; true when the configuration is not known.
func caddyWantsCerts(st caddyconf.Start, doc *caddyconf.Doc, isDefault bool) bool {
	if isDefault {
		return false // `:80` serving the welcome page
	}
	if doc != nil {
		if doc.Err != nil {
			return true
		}
		return doc.WantsPublicCerts()
	}
	switch st.Sub {
	case "reverse-proxy":
		from := st.Flags["from"]
		if from == "" {
			from = st.Flags["f"]
		}
		return from != "" && caddyconf.AddressWantsCert(from)
	case "file-server":
		d := st.Flags["domain"]
		return d != "" && caddyconf.AddressWantsCert(d)
	case "respond":
		return false
	case "run", "start":
		return false // nothing provides the config file: Caddy serves nothing over HTTPS
	}
	return true
}

// caddyRunsServer tells whether a service whose command is not understood may
// still run a Caddy server: anything but a builder image (caddy:builder,
// caddy:2-builder), which builds Caddy with xcaddy.
func caddyRunsServer(p *lint.Pass, svc types.ServiceConfig) bool {
	for _, img := range services.BaseImages(p.Project, svc) {
		if imageref.Repo(img) == "caddy" && strings.Contains(strings.ToLower(imageref.Tag(img)), "builder") {
			return false
		}
	}
	return true
}

// caddyIntendedConfig parses the project's Caddyfile mounted into a Caddy
// service, wherever it is mounted; nil when none is mounted or readable.
func caddyIntendedConfig(p *lint.Pass, svc types.ServiceConfig) *caddyconf.Doc {
	if p.Project.ReadFile == nil {
		return nil
	}
	for _, m := range caddyconf.CaddyfileMounts(mounts.Of(svc, p.Env.Project)) {
		if f, err := p.Project.ReadFile(m.Source); err == nil && f != nil {
			return caddyconf.Read(f)
		}
	}
	return nil
}
