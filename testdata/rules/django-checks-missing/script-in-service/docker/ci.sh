#!/usr/bin/env sh
set -o errexit
mypy server
pytest
