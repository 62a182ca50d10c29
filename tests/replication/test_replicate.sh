#!/usr/bin/env bash
# Scale-out with Xapian's own replication (docs/OPERATIONS.md): a replica
# made by xapian-replicate from a published index directory answers the same
# searches, and after the master publishes a new generation, the next
# replication switches the replica to it atomically, and a Searcher that
# stays open on the replica picks it up.
#
#   test_replicate.sh ICD_INDEX ICD_SEARCH SOURCE_DIR
set -euo pipefail
index_bin=$1 search_bin=$2 src=$3
for tool in xapian-replicate xapian-replicate-server; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/setup installs xapian-tools)"; exit 1; }
done
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/master" "$work/replica" "$work/articles"

# The master: an index published by icd-index, without articles at first.
"$index_bin" build --quiet --release "$src/tests/data/release" --index "$work/master/icd.index" >/dev/null

# Serve the master's parent directory; one connection per replication.
replicate() {
  local port
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    xapian-replicate-server --one-shot -I 127.0.0.1 -p "$port" "$work/master" >"$work/server.log" 2>&1 &
    server=$!
    sleep 0.3
    if kill -0 "$server" 2>/dev/null; then
      xapian-replicate --one-shot --verbose -h 127.0.0.1 -p "$port" -m icd.index "$work/replica/icd" >"$work/replicate.log" 2>&1 ||
        { cat "$work/server.log" "$work/replicate.log"; exit 1; }
      wait "$server" 2>/dev/null || true
      server=
      return 0
    fi
    wait "$server" 2>/dev/null || true
    server=
  done
  echo "FAIL: could not start xapian-replicate-server"; cat "$work/server.log"; exit 1
}

# The first result's code in an icd-search --batch line.
first_code() { grep -o '"code":"[^"]*"' | awk -F'"' 'NR == 1 { print $4 }'; }
top() { "$search_bin" --index "$work/replica/icd" --batch --limit 1 <<<"$1" | first_code; }

replicate
[ "$(top "M62.561")" = "M62.561" ] || { echo "FAIL: the replica does not answer a code query"; exit 1; }
before=$(top "calcium deposits after stroke")
echo "replica, generation 1: 'calcium deposits after stroke' -> $before"

# The master publishes generation 2 with the articles; a reader keeps the
# replica open across the replication (icd-search --batch reads queries
# from a pipe and answers each as it comes).
cp "$src"/corpus/articles/{M61.20,M62.561,M81.6,G24.9}.json "$work/articles/"
"$index_bin" update --quiet --release "$src/tests/data/release" --articles "$work/articles" \
  --index "$work/master/icd.index" >/dev/null
mkfifo "$work/queries"
"$search_bin" --index "$work/replica/icd" --batch --limit 1 <"$work/queries" >"$work/answers" &
reader=$!
exec 3>"$work/queries"
echo "calcium deposits after stroke" >&3
replicate
echo "calcium deposits after stroke" >&3
exec 3>&-
wait "$reader"

after=$(top "calcium deposits after stroke")
echo "replica, generation 2: 'calcium deposits after stroke' -> $after"
[ "$after" = "M61.20" ] || { echo "FAIL: the replica did not get the new generation"; exit 1; }
grep -q "Update complete" "$work/replicate.log" || { cat "$work/replicate.log"; exit 1; }
open_before=$(sed -n 1p "$work/answers" | first_code)
open_after=$(sed -n 2p "$work/answers" | first_code)
echo "a reader open across the replication: $open_before, then $open_after"
[ "$open_after" = "M61.20" ] || { echo "FAIL: an open reader did not pick up the replicated generation"; exit 1; }
echo "ok: replication serves the master's generations"
