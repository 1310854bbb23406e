#!/usr/bin/env bash
# Builds the example WASI modules in place, or with --check rebuilds them in a
# temp dir and verifies the committed .wasm files are byte-identical.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

APT_LINE='apt-get install -y rustc libstd-rust-dev-wasm32 clang lld wasi-libc libclang-rt-dev-wasm32'
# Debian's rustc ships the wasm32-wasi std; a rustup rustc earlier on PATH usually does not.
RUSTC=/usr/bin/rustc
CLANG=${CLANG:-clang}
MODULES=(hello/hello.wasm args-env/args-env.wasm sieve/sieve.wasm cat-file/cat-file.wasm sha256/sha256.wasm read-dir/read-dir.wasm)

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
  mkdir -p "$out"/{hello,args-env,sieve,cat-file,sha256,read-dir}
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

build_rust hello hello
build_rust read-dir read-dir
build_c args-env args-env
build_c sieve sieve
build_c cat-file cat-file
build_c sha256 sha256

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
