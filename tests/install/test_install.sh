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

# A consumer needs no Xapian: the example links the library alone.
# (Outputs captured first: `cmd | grep -q` under pipefail fails at random when
# grep exits early and cmd dies of SIGPIPE.)
deps=$(ldd "$work/pc-search") needed=$(readelf -d "$work/pc-search")
if grep -q "libicdsearch.so" <<<"$deps" && ! grep -q xapian <<<"$needed"; then
  echo "ok: installed package works with find_package and pkg-config"
else
  echo "the example links Xapian directly or misses libicdsearch"; exit 1
fi
