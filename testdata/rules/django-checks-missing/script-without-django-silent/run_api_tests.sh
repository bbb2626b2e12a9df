#!/usr/bin/env sh
docker compose -f docker-compose.test.yml run --rm test-runner pytest -svv
