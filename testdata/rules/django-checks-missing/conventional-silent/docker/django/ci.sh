#!/usr/bin/env bash
# Every check of the guide, spelled other ways: flags in another order,
# --noinput, --fail-level=WARNING, the production settings exported.
set -euo pipefail

checks () {
  python manage.py makemigrations --check
  export DJANGO_ENV=production
  python -W error manage.py check --fail-level=WARNING --deploy && \
    DJANGO_COLLECTSTATIC_DRYRUN=1 python manage.py collectstatic --dry-run --noinput
}

pytest && checks
