#!/bin/bash
set -euo pipefail

upgrade_database() {
  echo "upgrading the database"
  flask db upgrade
}

case "$1" in
  web)
    upgrade_database
    exec gunicorn app:app
    ;;
  worker)
    exec celery -A app worker
    ;;
  *)
    exec "$@"
    ;;
esac
