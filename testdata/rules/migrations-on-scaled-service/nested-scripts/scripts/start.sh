#!/bin/sh
set -e
if [ "${SKIP_MIGRATIONS:-}" != "1" ]; then
  ./scripts/migrate.sh && echo migrated
fi
exec bundle exec puma -C config/puma.rb
