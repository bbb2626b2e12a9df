#!/bin/sh
. ./scripts/level3.sh
