#!/usr/bin/env bash
# Builds the example WASI modules in place, or with --check rebuilds them in a
# temp dir and verifies the committed .wasm files are byte-identical.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

APT_LINE='apt-get install -y rustc libstd-rust-dev-wasm32 clang lld wasi-libc libclang-rt-dev-wasm32'
# Debian's rustc ships the wasm32-wasi std; a rustup rustc earlier on PATH usually does not.
RUSTC=/usr/bin/rustc
CLANG=${CLANG:-clang}
MODULES=(hello/hello.wasm args-env/args-env.wasm sieve/sieve.wasm cat-file/cat-file.wasm sha256/sha256.wasm read-dir/read-dir.wasm clock-random/clock-random.wasm
  quickjs/quickjs.wasm sqlite/sqlite.wasm)

die() { echo "build.sh: $*" >&2; exit 1; }

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  *) die "usage: build.sh [--check]" ;;
esac

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
[ -x "$RUSTC" ] || die "$RUSTC not found. Install the toolchain: $APT_LINE"
echo 'fn main() {}' > "$probe/p.rs"
"$RUSTC" --target wasm32-wasi "$probe/p.rs" -o "$probe/p.wasm" 2>/dev/null \
  || die "$RUSTC cannot build for wasm32-wasi. Install the toolchain: $APT_LINE"
command -v "$CLANG" >/dev/null || die "clang not found. Install the toolchain: $APT_LINE"
echo 'int main(void) { return 0; }' > "$probe/p.c"
"$CLANG" --target=wasm32-wasi "$probe/p.c" -o "$probe/p.wasm" 2>/dev/null \
  || die "clang cannot build for wasm32-wasi (missing wasi-libc, lld or libclang-rt-dev-wasm32?). Install the toolchain: $APT_LINE"

# Output root: in place, or a scratch tree for --check.
out=.
if [ "$check" = 1 ]; then
  out=$probe/out
  mkdir -p "$out"/{hello,args-env,sieve,cat-file,sha256,read-dir,clock-random,quickjs,sqlite}
fi
abs_out=$(cd "$out" && pwd)

# Each compiler runs inside the example dir with relative source paths, and the
# cwd is remapped, so no absolute host path ends up in the module.
build_rust() { # dir name
  (cd "$1" && "$RUSTC" --edition 2021 -O -C strip=symbols -C debuginfo=0 \
    --remap-path-prefix="$PWD=." --target wasm32-wasi main.rs -o "$abs_out/$1/$2.wasm")
}
build_c() { # dir name
  (cd "$1" && "$CLANG" --target=wasm32-wasi -O2 -s -ffile-prefix-map="$PWD=." \
    main.c -o "$abs_out/$1/$2.wasm")
}

# QuickJS-ng v0.16.2, vendored in quickjs/vendor/. A 1 MiB C stack (main.c's C_STACK_SIZE), placed
# first in memory so that running out of it traps instead of overwriting data.
build_quickjs() {
  (cd quickjs && "$CLANG" --target=wasm32-wasi -O2 -s -ffile-prefix-map="$PWD=." -DNDEBUG -D_GNU_SOURCE \
    -Ivendor -Wl,-z,stack-size=1048576 -Wl,--stack-first \
    main.c vendor/quickjs.c vendor/libregexp.c vendor/libunicode.c vendor/dtoa.c -o "$abs_out/quickjs/quickjs.wasm")
}
# SQLite's amalgamation is too large to commit: fetch-sources.sh brings it (sha256-pinned) from the
# npm registry into .sources/ (gitignored). SQLite builds for WASI as it is (it defines
# SQLITE_WASI itself); temp tables stay in memory, as the guest has no temp dir.
SQLITE_FLAGS=(-DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL -DSQLITE_OMIT_SHARED_CACHE
  -DSQLITE_OMIT_DEPRECATED -DSQLITE_TEMP_STORE=3 -DSQLITE_DQS=0 -DSQLITE_DEFAULT_MEMSTATUS=0)
build_sqlite() { # sources-dir
  local src=$1/sqlite-autoconf-3520000
  (cd sqlite && "$CLANG" --target=wasm32-wasi -O2 -s -ffile-prefix-map="$PWD=." -ffile-prefix-map="$src=sqlite" \
    -I"$src" "${SQLITE_FLAGS[@]}" main.c "$src/sqlite3.c" -o "$abs_out/sqlite/sqlite.wasm")
}

sources=$(bash fetch-sources.sh)

build_rust hello hello
build_rust read-dir read-dir
build_c args-env args-env
build_c sieve sieve
build_c cat-file cat-file
build_c sha256 sha256
build_c clock-random clock-random
# The two large ones (about 20-30 s each) compile side by side.
build_quickjs & quickjs_pid=$!
build_sqlite "$sources" & sqlite_pid=$!
quickjs_rc=0 sqlite_rc=0
wait "$quickjs_pid" || quickjs_rc=$?
wait "$sqlite_pid" || sqlite_rc=$?
[ "$quickjs_rc" = 0 ] || die "building quickjs/quickjs.wasm failed"
[ "$sqlite_rc" = 0 ] || die "building sqlite/sqlite.wasm failed"

if [ "$check" = 1 ]; then
  status=0
  for m in "${MODULES[@]}"; do
    if [ -f "$m" ] && cmp -s "$m" "$out/$m"; then
      echo "ok $m $(wc -c < "$m") bytes"
    else
      echo "DIFFERS $m"
      status=1
    fi
  done
  exit "$status"
fi

# hello's v0.1 manifest pins the module by hash, so keep it in step.
hash=$(sha256sum hello/hello.wasm | cut -d' ' -f1)
sed -i -E "s/\"sha256:[0-9a-f]*\"/\"sha256:$hash\"/" hello/hello.manifest.json
for m in "${MODULES[@]}"; do
  echo "built $m $(wc -c < "$m") bytes"
done
