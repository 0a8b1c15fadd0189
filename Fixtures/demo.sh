#!/usr/bin/env bash
# Checks and fixes a copy of Fixtures/demo-project, showing what a user sees. Never prints a key.
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$here/demo-project" "$work/bookshop-project"
cd "$work/bookshop-project"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "djlint-secrets check .   (findings exit 1)"
status=0; "$bin" check --color never . || status=$?
[ "$status" = 1 ] || { echo "expected exit 1, got $status" >&2; exit 1; }

step "djlint-secrets check --diff .   (what --fix would change; nothing written)"
"$bin" check --diff --color never . >/dev/null || true
"$bin" check --diff --color never . | sed -n '/^---/,$p' || true

step "djlint-secrets check --fix ."
"$bin" check --fix --color never .

step "bookshop/settings.py now reads"
grep -nE '^(import os|SECRET_KEY|DEBUG)' bookshop/settings.py

step ".env (mode $(stat -c %a .env)) holds the variables (values masked here)"
sed -E "s/^([A-Z_]*(KEY|PASSWORD|SECRET|TOKEN)[A-Z_]*)=(.{4}).*/\\1=\\3… (masked)/" .env
step ".gitignore"
cat .gitignore

step "djlint-secrets check --fix .   (again: nothing left to do)"
"$bin" check --fix --color never .
