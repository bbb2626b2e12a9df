#!/usr/bin/env sh

set -o errexit
set -o nounset

echo "DJANGO_ENV is $DJANGO_ENV"

# Run python specific scripts:
python /code/manage.py migrate --noinput
python /code/manage.py collectstatic --noinput

exec /usr/local/bin/gunicorn server.wsgi --workers=4 --bind='0.0.0.0:8000'
