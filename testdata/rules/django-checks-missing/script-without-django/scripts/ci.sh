#!/bin/sh
set -e
pytest
python manage.py check
