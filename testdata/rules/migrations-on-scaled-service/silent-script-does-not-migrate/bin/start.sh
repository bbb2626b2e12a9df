#!/bin/sh
# Migrations run in the `migrate` job, never here:
#   python manage.py migrate
echo "to migrate by hand: python manage.py migrate"
printf '%s\n' "python manage.py migrate"

never_called() {
  python manage.py migrate
}

case "$1" in
  migrate) python manage.py migrate ;;
  web) exec gunicorn server.wsgi ;;
esac
