package caddyconf

import (
	"net"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Address splits a site address into scheme, host and port, as Caddy
// reads it ("https://www.example.com:8443/path" -> "https", "www.example.com", "8443").
func Address(addr string) (scheme, host, port string) {
	if i := strings.Index(addr, "://"); i >= 0 {
		scheme, addr = strings.ToLower(addr[:i]), addr[i+3:]
	}
	if i := strings.Index(addr, "/"); i >= 0 {
		addr = addr[:i]
	}
	host = addr
	if strings.HasPrefix(addr, "[") { // IPv6
		if i := strings.Index(addr, "]"); i >= 0 {
			host, addr = addr[1:i], addr[i+1:]
			port = strings.TrimPrefix(addr, ":")
			return scheme, host, port
		}
	}
	// A port is what follows the last colon outside placeholders.
	depth := 0
	for i := len(addr) - 1; i >= 0; i-- {
		switch addr[i] {
		case '}':
			depth++
		case '{':
			depth--
		case ':':
			if depth == 0 {
				return scheme, addr[:i], addr[i+1:]
			}
		}
	}
	return scheme, host, port
}

// AddressWantsCert reports whether Caddy obtains a publicly trusted
// certificate (ACME) for a site address: an https site whose host is a
// domain name (or an environment placeholder that holds one), not
// localhost, an IP address or an internal name.
func AddressWantsCert(addr string) bool {
	scheme, host, port := Address(addr)
	if scheme == "http" || port == "80" || host == "" {
		return false
	}
	if strings.Contains(host, "{$") {
		return true // a domain from the environment
	}
	if strings.Contains(host, "{") {
		return false // runtime placeholders: no certificate at startup
	}
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if net.ParseIP(h) != nil || h == "localhost" || !strings.Contains(h, ".") || strings.HasSuffix(h, ".home.arpa") {
		return false
	}
	// A public CA certifies names under a public top-level domain only
	// (not .local, .internal, .localhost, .test, .lan…).
	tld := h[strings.LastIndex(h, ".")+1:]
	_, icann := publicsuffix.PublicSuffix(tld)
	return icann
}
