#!/usr/bin/env bash
# Runs the claims benchmark and rewrites BENCHMARKS.md with its figures, the machine and
# the command. Usage: scripts/bench.sh  (environment as in crates/cli/benches/claims.rs)
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp)
cmd="cargo bench -p truce --bench claims"
echo "running: $cmd" >&2
$cmd 2>&1 | tee "$out" >&2

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
  grep -E '^(ingest|query)' "$out"
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
} > BENCHMARKS.md
rm -f "$out"
echo "wrote BENCHMARKS.md" >&2
