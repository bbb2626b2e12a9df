#!/bin/sh
exec caddy run --config /srv/Caddyfile
