#!/usr/bin/env bash
set -o errexit

run_ci () {
  set -x
  pytest
  python manage.py check --fail-level WARNING
  python manage.py makemigrations \
    --check --dry-run
}

run_ci
