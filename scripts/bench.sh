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
  echo "- *One claim per request is below the target*, as before accounts existed: each request"
  echo "  is its own HTTP exchange and its own job for the writer. Tokens looked up are kept in"
  echo "  memory (emptied when an account changes); without that cache every request read its"
  echo "  token from SQLite on the blocking pool and this figure fell to about 7,900/s."
  echo "- *Claims submitted*: distinct, arriving in time order (see Incidents below). Lines that"
  echo "  say \"matching off\" ran with TRUCE_BENCH_MATCHING=0: without incident matching, the"
  echo "  conditions the issue 2 and 3 targets were set in; with matching, see Incidents."
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
  figures '^ledger (ingest|inclusion|full)'
  echo '```'
  echo
  echo "- *Checkpoint cost*: the same batch ingest (batches of 100) on a store without a log key"
  echo "  (tiles are still written with every group commit) and with one (a checkpoint signed every"
  echo "  500 ms, covering the entries already flushed). Runs alternate; the medians are compared."
  echo "- *Signed claims*: every claim of the batch carries an Ed25519 signature by a key registered"
  echo "  for its claimant; the server canonicalises each claim (RFC 8785), checks the batch with"
  echo "  Ed25519 batch verification, and keeps the signed bytes in the entry. The batch equation"
  echo "  coalesces the terms of signatures made with the same key (ed25519-zebra's verifier), so a"
  echo "  batch signed by one organisation's key is one multiscalar multiplication over n + 2"
  echo "  points instead of 2n + 1 (ed25519-dalek's). The run before that change gave 19,012/s"
  echo "  signed against 32,101/s unsigned (59%); with it, 67% of the unsigned rate."
  echo "- *Inclusion proof*: \`Store::inclusion_proof\` (tile reads from SQLite plus the hashing)"
  echo "  for random entries of a 1,000,000-entry log, in process."
  echo "- *Full audit*: what \`truce verify --db\` does: every payload re-hashed, every leaf and"
  echo "  every stored tree hash recomputed and compared, the root checked against the signed"
  echo "  checkpoint."
  echo "- *Signed-claim ingest* is CPU-bound: the request threads take about 70% of the samples,"
  echo "  the writer about 29%. Per claim, signing adds batch verification (25% of all samples"
  echo "  before the coalescing, 16% after), RFC 8785 canonicalisation of the signed"
  echo "  claim (json-canon) and of a payload about twice the size, and a second JSON parse. With"
  echo "  incident matching on, as in service, matching's cost comes on top: see Incidents."
  echo
  echo "## Incidents (issue 4)"
  echo
  echo "Target: batch claim ingest with incident matching switched on, against 1,000,000 existing"
  echo "incidents, within 25% of the issue 2 ingest rate: issue 2 recorded 28,296, 26,980 and"
  echo "26,052 claims/s (batches of 100, this machine), median 26,980/s, so at least 20,235/s."
  echo
  echo '```'
  figures '^incidents (fresh|over|ingest)'
  echo '```'
  echo
  echo "- *Against the target*: the medians line compares matching on with issue 2's recorded"
  echo "  rate, the figure the target names: met, with room (the five matching-on runs above"
  echo "  21,000/s, against 20,235). It also compares it with this run's fresh-database rate,"
  echo "  the same ingest without incidents on today's code: not within 25%. Changes made since"
  echo "  issue 2 for every claim (tokens cached in memory, a JSON body parsed without tracking"
  echo "  the path, and others) raised that rate from about 27,000 to about 40,000/s, and"
  echo "  matching still costs some 25 µs of CPU a claim on top of about 45 µs."
  echo "- *Fresh database*: issue 2's conditions (no incidents, no matching), log key and"
  echo "  checkpoints on, batches of 100 over 32 connections, measured again in this run."
  echo "- *Over N incidents*: the same ingest into a database filled beforehand with"
  echo "  TRUCE_BENCH_CLAIMS (here 1,100,000) generated claims, each placed by matching: some"
  echo "  attach, so N is below the claims filled. Runs alternate matching off and on; each adds"
  echo "  its claims to the same database (N is counted before the first). This run reused"
  echo "  (TRUCE_BENCH_REUSE) a copy of a database filled so earlier (TRUCE_BENCH_REPEAT=0 fills"
  echo "  only), whose projections this code rebuilt from its journal: 1,100,000 claims in"
  echo "  1,005,756 incidents. Five runs each, as single runs on this shared virtual machine vary"
  echo "  by a tenth or more."
  echo "- *CPU a claim*: the process's user and system time (/proc/self/stat) over the run,"
  echo "  divided by the claims: server and load generator together. It varies with the rate, as"
  echo "  the machine's speed does."
  echo "- *Claims*: every submitted claim is distinct. Claims arrive in time order, each about an"
  echo "  event of the two days before it, at the fill's rate (about 1,050 a day over 1,050 days,"
  echo "  in a 3°×2.5° box): a mission hears of events as they happen. Nine in ten open an"
  echo "  incident of their own; most have live incidents within reach and carry up to three"
  echo "  explained proposals."
  echo "- *Matching*: for each claim an in-memory R*-tree (rstar) of the live incidents' anchors"
  echo "  (each incident's first claim's box grown by its uncertainty, and its time) is searched"
  echo "  within 10 km beyond both locations' uncertainty and 48 h; every candidate is estimated"
  echo "  from the index alone, the best 8 are scored, and the 3 kept are explained in words and"
  echo "  canonicalised for the journal, on the request threads. The writer keeps the index in"
  echo "  step with the incidents table (an update hook names the rows each commit touched). The"
  echo "  placements of a request are one journal entry, which the writer joins from the parts"
  echo "  prepared. An incident a placement opens writes its row and its claim's link only: a list"
  echo "  by place finds it through its claim's entry in the claims' R*Tree until its claims"
  echo "  change, and its history begins with the entry that opened it (docs/decisions.md)."
  echo "- *What brought matching on from 18,555/s (median of three, the previous run of this"
  echo "  section) to the figure above*, all in one session, each checked by the tests:"
  echo "  no listing R*Tree entry and no history row for an incident a placement opens (lists by"
  echo "  place now read the newest incidents first: the whole map's newest 500 in 4 ms at 1.58"
  echo "  million incidents, where the R*Tree join took 1,623 ms at a million); candidates written"
  echo "  without serde's buffered flatten (the same JSON); only the best pair of event types put"
  echo "  in words; event types shared (Arc) instead of copied into each claim's and candidate's"
  echo "  features; party fit without allocations; and, for every claim in both modes, a JSON body"
  echo "  parsed without tracking the path, which only a wrong field needs."
  echo "- *Earlier trials, none kept* (single runs, matching on, at 18,000 to 20,000/s): no WAL"
  echo "  checkpoint during a run, +5% in both modes alike; a background copier of the WAL, worse,"
  echo "  as it copies hot pages again and again; the index refresh on a thread of its own, no"
  echo "  gain; recording only the proposal a claim was placed by, +15%, but a monitor would lose"
  echo "  the alternatives matching saw; no rows at all for a claim that opens an incident,"
  echo "  confounded, as later claims then have nothing to match."
  echo
  echo "## Web UI (issue 6)"
  echo
  echo "Targets: the overview interactive within 1.5 s on localhost with 100,000 incidents in the"
  echo "database; panning stays smooth; the JavaScript payload under 1 MB gzipped."
  echo
  echo '```'
  figures '^ui (overview|panning|JavaScript)'
  echo '```'
  echo
  echo "- *Measured* in Debian's headless Chromium (software rendering, no GPU) driven by"
  echo "  playwright-core (\`web/tests/perf.mjs\`), on the same 2 cores as the server. *Time to"
  echo "  interactive*: from navigation to the overview's list filled and its map drawn, the"
  echo "  page's own clock (\`performance.now()\`). The overview reads only the newest 500"
  echo "  incidents within the map's bounds, and again as the map moves."
  echo "- *Database*: TRUCE_BENCH_UI_CLAIMS (110,000) generated claims placed by matching."
  echo
  echo "## News intake (issue 7)"
  echo
  echo "Target: at least 2,000 articles/s on one core for 4 KB articles."
  echo
  echo '```'
  figures '^intake '
  echo '```'
  echo
  echo "- *Measured* on one thread: our own test texts (crates/intake/corpus/own), each grown to"
  echo "  4 KB by repeating its paragraphs, read into drafts (normalisation, phrases, counts,"
  echo "  dates, statements, drafts) again and again for TRUCE_BENCH_INTAKE_SECS (5) seconds per"
  echo "  language, with the demo scenario's actors and its 870-place gazetteer loaded."
} > BENCHMARKS.md
rm -f "$out" "$old"
echo "wrote BENCHMARKS.md" >&2
