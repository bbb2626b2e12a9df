#!/bin/sh
sh scripts/level2.sh
