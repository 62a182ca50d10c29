#!/usr/bin/env bash
# Installs the project into a temporary prefix, then builds the embedding
# example (examples/) against the installed package twice, with CMake's
# find_package(IcdSearch) and with pkg-config, and runs both on an index built
# by the installed icd-index from the bundled test release.
#
#   test_install.sh CMAKE BUILD_DIR SOURCE_DIR
set -euo pipefail
cmake=$1 build=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" ||
  { cat "$work/install.log"; exit 1; }
libdir=$(dirname "$(find "$prefix" -name 'libicdsearch.so' | head -n 1)")
[ -f "$libdir/pkgconfig/icd-search.pc" ] || { echo "no icd-search.pc installed"; exit 1; }
[ -f "$libdir/cmake/IcdSearch/IcdSearchConfig.cmake" ] || { echo "no IcdSearchConfig.cmake installed"; exit 1; }
if grep -rq "xapian.h" "$prefix/include"; then echo "an installed header includes xapian.h"; exit 1; fi

# The installed programs run from the prefix (RPATH), not from the build tree.
"$prefix/bin/icd-index" build --quiet --release "$src/tests/data/release" --index "$work/index" >/dev/null

check() {  # check NAME BINARY
  local out
  out=$("$2" "$work/index" "muscle wasting right lower leg")
  sed "s/^/$1: /" <<<"$out"
  grep -q "^1\. M62.561 " <<<"$out" || { echo "$1: M62.561 not first"; exit 1; }
  grep -q "parent: M62.56 " <<<"$out" || { echo "$1: no parent shown"; exit 1; }
}

# 1. CMake package.
"$cmake" -S "$src/examples" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/configure.log" ||
  { cat "$work/configure.log"; exit 1; }
"$cmake" --build "$work/cmake-build" >"$work/build.log" || { cat "$work/build.log"; exit 1; }
check cmake "$work/cmake-build/helpdesk-search"

# 2. pkg-config.
export PKG_CONFIG_PATH=$libdir/pkgconfig
flags=$(pkg-config --cflags --libs icd-search)
${CXX:-c++} -std=c++20 "$src/examples/helpdesk_search.cpp" $flags -Wl,-rpath,"$libdir" -o "$work/pc-search"
check pkg-config "$work/pc-search"

# 3. The installed HTTP service serves the installed widget.
[ -f "$prefix/share/icd-search/web/icd-search-widget.js" ] || { echo "the widget is not installed"; exit 1; }
"$prefix/bin/icd-serve" --index "$work/index" --port 0 >"$work/serve.out" 2>&1 &
serve=$!
trap 'kill $serve 2>/dev/null; rm -rf "$work"' EXIT
port=
for _ in $(seq 100); do
  port=$(sed -nE 's|.*http://[^ ]*:([0-9]+)/.*|\1|p' "$work/serve.out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "icd-serve did not start:"; cat "$work/serve.out"; exit 1; }
get() {  # get PATH: the status line of GET PATH
  exec 5<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$1" >&5
  head -n 1 <&5 | tr -d '\r'
  exec 5<&-
}
for path in /widget/icd-search-widget.js "/v1/search?q=muscle+wasting+right+lower+leg"; do
  status=$(get "$path")
  echo "icd-serve: GET $path -> $status"
  [[ $status == "HTTP/1.1 200"* ]] || { echo "installed icd-serve: GET $path failed"; exit 1; }
done

# A consumer needs no Xapian: the example links the library alone.
# (Outputs captured first: `cmd | grep -q` under pipefail fails at random when
# grep exits early and cmd dies of SIGPIPE.)
deps=$(ldd "$work/pc-search") needed=$(readelf -d "$work/pc-search")
if grep -q "libicdsearch.so" <<<"$deps" && ! grep -q xapian <<<"$needed"; then
  echo "ok: installed package works with find_package and pkg-config"
else
  echo "the example links Xapian directly or misses libicdsearch"; exit 1
fi
