#!/bin/sh
./scripts/level4.sh
