#!/usr/bin/env bash
# Browser test of the web widget (ctest: widget_browser). Builds a small index from the
# bundled test release and the four seed articles, then runs widget.test.mjs, which starts
# icd-serve on a free port (--port 0, --web SOURCE_DIR/web, --cors-origin for the host
# page's origin), drives headless Chromium through the demo page and a host page on
# another origin, and always stops the server.
#
#   tests/browser/run-widget-test.sh ICD_SERVE ICD_INDEX SOURCE_DIR ARTIFACT_DIR
#
# Writes ARTIFACT_DIR/widget.png and ARTIFACT_DIR/widget-320px.png. Needs /usr/bin/chromium
# (or $CHROMIUM), node and tests/browser/node_modules/playwright-core: scripts/setup
# installs all three. A missing one FAILS the test; it never skips.
set -euo pipefail

if [ $# -ne 4 ]; then
  echo "usage: $0 ICD_SERVE ICD_INDEX SOURCE_DIR ARTIFACT_DIR" >&2
  exit 2
fi
serve=$1 indexer=$2 src=$3 artifacts=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
browser=${CHROMIUM:-/usr/bin/chromium}

die() { echo "run-widget-test: FAIL: $*" >&2; exit 1; }
command -v node >/dev/null || die "node is not installed: run scripts/setup (apt-get install nodejs npm)"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 18 ] ||
  die "node $(node --version) is too old: playwright-core needs Node.js 18 or newer"
[ -f "$here/node_modules/playwright-core/package.json" ] ||
  die "$here/node_modules is missing: run scripts/setup (it runs 'npm ci' in tests/browser)"
[ -x "$browser" ] || die "$browser is missing: run scripts/setup (apt-get install chromium)"
[ -x "$serve" ] || die "no icd-serve at $serve"
[ -x "$indexer" ] || die "no icd-index at $indexer"
[ -f "$src/web/icd-search-widget.js" ] || die "$src/web/icd-search-widget.js not found: is $src the source tree?"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/icd-widget-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/articles"
for code in M61.20 M62.561 M81.6 G24.9; do
  cp "$src/corpus/articles/$code.json" "$tmp/articles/"
done
"$indexer" build --quiet --release "$src/tests/data/release" --articles "$tmp/articles" \
  --thesaurus "$src/corpus/thesaurus.txt" --index "$tmp/index" >"$tmp/index.log" 2>&1 ||
  { cat "$tmp/index.log" >&2; die "icd-index build failed"; }

mkdir -p "$artifacts"
# node runs in the foreground so that ctest's timeout reaches it; it stops icd-serve
# itself on every exit path (and on SIGINT/SIGTERM).
CHROMIUM=$browser TMPDIR=$tmp node "$here/widget.test.mjs" \
  --serve "$serve" --index "$tmp/index" --web "$src/web" --screenshot "$artifacts/widget.png"
