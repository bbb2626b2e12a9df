#!/bin/sh
. scripts/c.sh
