#!/bin/bash
rm -f docker-compose.override.yml
ln -s "docker-compose.override.$1.yml" docker-compose.override.yml
docker compose down
