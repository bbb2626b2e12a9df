#!/bin/sh
set -e
echo "migrating"
bundle exec rails db:migrate
