FROM caddy:2.8-alpine
CMD ["caddy", "run", "--config", "/srv/Caddyfile", "--adapter", "caddyfile"]
