#!/bin/sh
set -e
python manage.py makemigrations --dry-run --check
DJANGO_ENV=production python manage.py collectstatic --no-input --dry-run
