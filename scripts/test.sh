#!/usr/bin/env bash
# Runs every Luna test: unit tests of each project and the `luna demo --quick` integration test on real
# Fashion-MNIST. Gets the data first when it is missing (scripts/get-data.sh), so it works on a fresh machine.
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Npy]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/get-data.sh

dotnet build Luna.slnx -c Release -nologo -clp:ErrorsOnly

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
dotnet test Luna.slnx -c Release --no-build --nologo \
  --logger "trx" --results-directory "$results" "$@" || status=$?

# One plain closing line with the totals over every test project.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit $status
