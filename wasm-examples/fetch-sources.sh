#!/usr/bin/env bash
# Puts the upstream sources that are too large to commit into wasm-examples/.sources/ (gitignored)
# and prints that directory's path. Today: the SQLite amalgamation, which comes from the npm
# registry, the only package source reachable from every machine here: the `sqlite3` package
# (node-sqlite3) ships SQLite's own release tarball, sqlite-autoconf-3520000.tar.gz, unmodified,
# in deps/. `npm pack` fetches the package tarball (from npm's cache once it has been fetched),
# and every layer is checked against a pinned sha256, so a build always compiles the same bytes.
#
#   bash wasm-examples/fetch-sources.sh     (build.sh runs it; set EXAMPLE_SOURCES to use another dir)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

NPM_PKG=sqlite3@6.0.1
NPM_TGZ=sqlite3-6.0.1.tgz
NPM_TGZ_SHA256=ab8d044a93e05bd031d7ea75547c7fa60387cdc259d27f93c0e3e2832c4b1df9
INNER=package/deps/sqlite-autoconf-3520000.tar.gz
INNER_SHA256=f6b50b0c103392af32a8be15b2b9d25959de9a00a70c3979128aafeaa5338b3f
DIR=sqlite-autoconf-3520000
declare -A FILE_SHA256=(
  [sqlite3.c]=a503acc9fe98f628eed36eb2aa2116a26f2541270d757f9b7cdbc2f19eb72b8f
  [sqlite3.h]=37537d6131c1d2e507b34a6cee5590e27cedb7d82f543f257afbc72c0cbbcc22
)

die() { echo "fetch-sources.sh: $*" >&2; exit 1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

root=${EXAMPLE_SOURCES:-.sources}
mkdir -p "$root"
root=$(cd "$root" && pwd)
dest=$root/$DIR

have_all() {
  local f
  for f in "${!FILE_SHA256[@]}"; do
    [ -f "$dest/$f" ] && [ "$(sha "$dest/$f")" = "${FILE_SHA256[$f]}" ] || return 1
  done
}

if ! have_all; then
  command -v npm >/dev/null || die "npm not found (it fetches $NPM_PKG from the npm registry)"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent --prefer-offline "$NPM_PKG" >/dev/null) \
    || die "npm pack $NPM_PKG failed (is the npm registry reachable?)"
  [ "$(sha "$tmp/$NPM_TGZ")" = "$NPM_TGZ_SHA256" ] || die "$NPM_TGZ: sha256 differs from the pinned one"
  tar --no-same-owner -xzf "$tmp/$NPM_TGZ" -C "$tmp" "$INNER"
  [ "$(sha "$tmp/$INNER")" = "$INNER_SHA256" ] || die "$INNER: sha256 differs from the pinned one"
  members=()
  for f in "${!FILE_SHA256[@]}"; do members+=("$DIR/$f"); done
  tar --no-same-owner -xzf "$tmp/$INNER" -C "$tmp" "${members[@]}"
  for f in "${!FILE_SHA256[@]}"; do
    [ "$(sha "$tmp/$DIR/$f")" = "${FILE_SHA256[$f]}" ] || die "$DIR/$f: sha256 differs from the pinned one"
  done
  rm -rf "$dest"
  mkdir -p "$dest"
  for f in "${!FILE_SHA256[@]}"; do mv "$tmp/$DIR/$f" "$dest/$f"; done
  have_all || die "could not place the sources in $dest"
fi
echo "$root"
