#!/bin/sh
sh scripts/b.sh
