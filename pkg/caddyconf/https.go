package caddyconf

import (
	"strings"

	"github.com/composelint/composelint/pkg/caddyfile"
	"github.com/composelint/composelint/pkg/lint"
)

// HTTPS tells how the Caddyfile serves its sites: tls is the address of
// the first site served over HTTPS (nil when none), plain that of the first
// served over plain HTTP. ok is false when it cannot be told (no sites, a
// Caddyfile that does not read, trusted_proxies in front of Caddy).
func (doc *Doc) HTTPS() (tls *caddyfile.Token, plain caddyfile.Token, ok bool) {
	if doc.Err != nil {
		return nil, plain, false
	}
	autoOff := false
	for _, g := range doc.Global() {
		switch g.Name() {
		case "auto_https":
			if a := g.Args(); len(a) > 0 && a[0].Text == "off" {
				autoOff = true
			}
		case "servers":
			for _, sub := range g.Block {
				if sub.Name() == "trusted_proxies" {
					return nil, plain, false
				}
			}
		}
	}
	sites := doc.Sites()
	if len(sites) == 0 {
		return nil, plain, false
	}
	for _, s := range sites {
		for _, a := range s.Addresses {
			if siteIsPlain(a.Text, s, autoOff) {
				if plain.Text == "" {
					plain = a
				}
				continue
			}
			if tls == nil {
				a := a
				tls = &a
			}
		}
	}
	return tls, plain, true
}

// siteIsPlain tells whether Caddy serves a site address over plain HTTP.
func siteIsPlain(addr string, s caddyfile.Site, autoOff bool) bool {
	scheme, host, port := Address(strings.TrimSuffix(addr, ","))
	hasTLS := false
	for _, n := range s.Body {
		if n.Name() == "tls" {
			hasTLS = true
		}
	}
	switch {
	case scheme == "http", port == "80":
		return true
	case scheme == "https", hasTLS:
		return false
	case autoOff, host == "":
		return true
	}
	return false
}

// PlainHTTPOnly tells whether a production Caddy of the project serves only
// plain HTTP on purpose: then Django's `check --deploy` warns about HTTPS
// settings the project does not want.
func PlainHTTPOnly(p *lint.Pass) bool {
	for _, env := range p.Project.Environments {
		if env == nil || env.Project == nil || env.Name != "production" {
			continue
		}
		q := *p
		q.Env = env
		for _, proxy := range q.Services() {
			if Major(q.Project, proxy) != 2 {
				continue
			}
			if cf, ok := FileOf(&q, proxy); ok {
				if tls, _, ok := Read(cf.File).HTTPS(); ok && tls == nil {
					return true
				}
			}
		}
	}
	return false
}
