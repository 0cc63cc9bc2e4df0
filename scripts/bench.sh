#!/usr/bin/env bash
# Runs the claims benchmark and rewrites BENCHMARKS.md with its figures, the machine and
# the command. Usage: scripts/bench.sh  (environment as in crates/cli/benches/claims.rs;
# TRUCE_BENCH=incidents runs one section and keeps the others' figures; TRUCE_BENCH_FROM=FILE
# formats the saved output of a run instead of running).
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp)
old=$(mktemp)
cp BENCHMARKS.md "$old" 2>/dev/null || true
cmd="cargo bench -p truce --bench claims"
if [ -n "${TRUCE_BENCH_FROM:-}" ]; then
  # The output of a run made earlier of the same benchmark (e.g. the binary started by hand).
  cp "$TRUCE_BENCH_FROM" "$out"
else
  echo "running: $cmd (TRUCE_BENCH=${TRUCE_BENCH:-all})" >&2
  $cmd 2>&1 | tee "$out" >&2
fi

# The figures of one section: this run's, or (when TRUCE_BENCH ran other sections only) the
# previous file's, marked as such.
figures() {
  local re="$1"
  if grep -qE "$re" "$out"; then
    grep -E "$re" "$out"
  else
    grep -E "$re" "$old" || true
    echo "(kept from the previous run of scripts/bench.sh: TRUCE_BENCH=${TRUCE_BENCH:-all} did not rerun these)"
  fi
}

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
cores=$(nproc)
mem=$(free -g | awk '/^Mem:/ {print $2 " GiB"}')
fs=$(df -T "${TRUCE_BENCH_DIR:-target}" 2>/dev/null | awk 'NR==2 {print $2}')
rustc=$(rustc --version)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
when=$(date -u +%Y-%m-%dT%H:%MZ)

{
  echo "# Benchmarks"
  echo
  echo "Produced by \`scripts/bench.sh\`, which runs \`$cmd\` (source:"
  echo "\`crates/cli/benches/claims.rs\`) and rewrites this file. Rerun it to check a figure."
  echo
  echo "## Machine"
  echo
  echo "- CPU: $cpu, $cores cores; memory $mem; database on ${fs:-disk}"
  echo "- $rustc; commit $commit; $when"
  echo "- The load generator runs on the same cores as the server."
  echo
  echo "## Claims (issue 2)"
  echo
  echo "Targets: at least 20,000 claims/s durably committed over HTTP; bbox+time query p99 under"
  echo "10 ms over 1,000,000 claims."
  echo
  echo '```'
  figures '^(ingest|query)' 
  echo '```'
  echo
  echo "- *Durably committed*: a claim is answered 201 only after the write-ahead log holding it"
  echo "  has been flushed with fdatasync; the benchmark checks that the journal holds exactly"
  echo "  the acknowledged claims."
  echo "- *Ingest*: one client thread with many keep-alive HTTP/1.1 connections, first one"
  echo "  claim per request (\`POST /api/v1/claims\`), then batches (\`POST /api/v1/claims/batch\`)."
  echo "  Each is run three times on a fresh database: on this shared virtual machine the same"
  echo "  run varies by up to a quarter from one try to the next."
  echo "- *Query*: \`GET /api/v1/claims?bbox=…&from=…&to=…&limit=50\` over HTTP, one at a time,"
  echo "  random boxes and windows over a database of generated claims spread over the"
  echo "  scenario's area and three years; latency measured at the client."
  echo
  echo "## Ledger (issue 3)"
  echo
  echo "Targets: appending with checkpointing costs at most 10% of the ingest rate; inclusion-proof"
  echo "generation p99 under 1 ms at 1,000,000 entries; a full audit of 1,000,000 entries under"
  echo "3 s; signed-claim ingest at least 20,000/s."
  echo
  echo '```'
  figures '^ledger' 
  echo '```'
  echo
  echo "- *Checkpoint cost*: the same batch ingest (batches of 100) on a store without a log key"
  echo "  (tiles are still written with every group commit) and with one (a checkpoint signed every"
  echo "  500 ms, covering the entries already flushed). Runs alternate; the medians are compared."
  echo "- *Signed claims*: every claim of the batch carries an Ed25519 signature by a key registered"
  echo "  for its claimant; the server canonicalises each claim (RFC 8785), checks the batch with"
  echo "  Ed25519 batch verification, and keeps the signed bytes in the entry."
  echo "- *Inclusion proof*: \`Store::inclusion_proof\` (tile reads from SQLite plus the hashing)"
  echo "  for random entries of a 1,000,000-entry log, in process."
  echo "- *Full audit*: what \`truce verify --db\` does: every payload re-hashed, every leaf and"
  echo "  every stored tree hash recomputed and compared, the root checked against the signed"
  echo "  checkpoint."
  echo "- *Signed-claim ingest is below its target.* The run is CPU-bound (about 185% of the two"
  echo "  cores). Per claim, signing adds about 58 µs of CPU to about 59 µs unsigned (measured with"
  echo "  /usr/bin/time over 200,000 claims): Ed25519 batch verification about 17 µs, RFC 8785"
  echo "  canonicalisation of the signed claim about 10 µs and of the larger payload 5.5 µs more,"
  echo "  a second JSON parse about 3 µs, and the rest in writing and flushing a payload about twice"
  echo "  the size."
  echo
  echo "## Incidents (issue 4)"
  echo
  echo "Target: batch claim ingest with incident matching switched on, against 1,000,000 existing"
  echo "incidents, within 25% of the issue 2 ingest rate."
  echo
  echo '```'
  figures '^incidents'
  echo '```'
  echo
  echo "- *Fresh database*: issue 2's conditions (no incidents, no matching), log key and"
  echo "  checkpoints on, batches of 100 over 32 connections."
  echo "- *Over N incidents*: the same ingest into a database filled beforehand with"
  echo "  TRUCE_BENCH_CLAIMS (1,000,000) generated claims, each placed by matching: some attach, so"
  echo "  N is below the claims filled (about 1.5 million claims give 1,000,000 incidents). Runs"
  echo "  alternate matching off and on; each adds its claims to the same database."
  echo "- *Matching is far below its target.* With matching on, each claim costs about 1 ms of CPU"
  echo "  at this density (the generated claims put about 650 incidents a day in the area). Not yet"
  echo "  measured apart: the writer's two R*Tree updates and the incident rows per placed claim,"
  echo "  against the candidate search. See the issue notes for what to try next."
  echo "- *Matching*: for each claim the R*Tree of incidents (each incident's first claim's box and"
  echo "  time, its types and parties as auxiliary columns) is searched within 10 km (beyond both"
  echo "  locations' uncertainty) and 48 h; every candidate is estimated from its R*Tree entry, the"
  echo "  best 8 are read and scored with explanations; the placements of a request are one journal"
  echo "  entry, projected into the incident tables by the writer."
} > BENCHMARKS.md
rm -f "$out" "$old"
echo "wrote BENCHMARKS.md" >&2
