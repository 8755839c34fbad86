#!/usr/bin/env bash
# The main job: the FMNIST-OLT benchmark end to end on a machine that has only the .NET SDK.
# Gets Fashion-MNIST (and the MNIST digits) when missing (scripts/get-data.sh), builds Luna, and runs
# `luna demo` with any arguments given here (default: 3 seeds, wcenter, report in runs/demo/report.md).
# Examples: scripts/demo.sh --quick
#           scripts/demo.sh --loss ce,center,wcenter --out runs/compare
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/get-data.sh
dotnet build src/Luna.Cli -c Release -nologo -clp:ErrorsOnly
exec scripts/luna demo "$@"
