#!/usr/bin/env bash
# Fetches the pinned tree-sitter-python grammar sources into TreeSitterPython/src.
# pip checks the SHA-256 of every archive (--require-hashes) before anything is unpacked.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest="$here/TreeSitterPython/src"
stamp="$dest/.fetched"
if [[ -f $stamp ]] && cmp -s "$stamp" "$here/requirements.txt"; then
  exit 0
fi
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m pip download --quiet --no-deps --no-binary :all: --require-hashes \
  -r "$here/requirements.txt" -d "$work/archives"

unpack() { # archive member... -> $work/unpacked
  tar -xzf "$1" -C "$work/unpacked" "${@:2}"
}
mkdir -p "$work/unpacked"
grammar=$(find "$work/archives" -name 'tree_sitter_python-*.tar.gz' | head -1)
runtime=$(find "$work/archives" -name 'tree[-_]sitter-0*.tar.gz' | head -1)
gname=$(basename "$grammar" .tar.gz)
rname=$(basename "$runtime" .tar.gz)
unpack "$grammar" "$gname/src/parser.c" "$gname/src/scanner.c" "$gname/LICENSE"
for h in parser.h array.h alloc.h ts_assert.h; do
  unpack "$runtime" "$rname/tree_sitter/core/lib/src/$h"
done

staged="$work/staged"
mkdir -p "$staged/tree_sitter"
cp "$work/unpacked/$gname/src/parser.c" "$work/unpacked/$gname/src/scanner.c" "$staged/"
cp "$work/unpacked/$gname/LICENSE" "$staged/LICENSE.tree-sitter-python"
for h in parser.h array.h alloc.h ts_assert.h; do
  cp "$work/unpacked/$rname/tree_sitter/core/lib/src/$h" "$staged/tree_sitter/$h"
done
grep -q 'define LANGUAGE_VERSION 14' "$staged/parser.c" || {
  echo "fetch-grammar: parser.c is not language ABI 14; Debian's tree-sitter 0.20 cannot load it" >&2
  exit 1
}
cp "$here/requirements.txt" "$staged/.fetched"
rm -rf "$dest"
mv "$staged" "$dest"
echo "fetch-grammar: tree-sitter-python sources ready in ${dest#$here/}"
