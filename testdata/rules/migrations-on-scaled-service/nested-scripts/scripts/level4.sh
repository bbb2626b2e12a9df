#!/bin/sh
bin/rails db:migrate
