package caddyconf

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/composelint/composelint/pkg/imageref"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/services"
)

// Major returns the major version of the Caddy a service runs: 2 for
// Caddy v2 (the official image `caddy` with a 2.x, latest, alpine or
// builder tag or none; another registry's `…/caddy:2…`; a Dockerfile FROM
// one of those), 1 for Caddy 0.x/1.x images (abiosoft/caddy,
// wemakeservices/caddy-docker, any caddy image tagged 0.x or 1.x), 0 when
// the service does not run Caddy or the version is unknown.
func Major(proj *lint.Project, svc types.ServiceConfig) int {
	for _, img := range services.BaseImages(proj, svc) {
		if v := imageMajor(img); v != 0 {
			return v
		}
	}
	return 0
}

func imageMajor(img string) int {
	repo := imageref.Repo(img)
	if repo != "caddy" && !strings.HasPrefix(repo, "caddy-") {
		return 0
	}
	tag := strings.ToLower(strings.TrimPrefix(strings.ToLower(imageref.Tag(img)), "v"))
	if strings.HasPrefix(tag, "0.") || strings.HasPrefix(tag, "1.") || tag == "0" || tag == "1" {
		return 1
	}
	ns := imageref.Namespace(img)
	if strings.Contains(ns, "abiosoft") || repo == "caddy-docker" {
		return 1
	}
	if repo != "caddy" {
		return 0 // caddy-gen, caddy-docker-proxy…: configured another way
	}
	if tag == "2" || strings.HasPrefix(tag, "2.") || strings.HasPrefix(tag, "2-") {
		return 2
	}
	if ns == "" || ns == "library" || ns == "docker.io/library" || ns == "index.docker.io/library" {
		switch {
		case tag == "", tag == "latest", tag == "alpine", strings.HasPrefix(tag, "builder"),
			strings.HasPrefix(tag, "windowsservercore"), strings.HasPrefix(tag, "nanoserver"):
			return 2
		}
	}
	return 0
}
