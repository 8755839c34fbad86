#!/usr/bin/env bash
# GEMM comparison on this machine, every line naming the kernel that ran:
#   managed kernel (widest SIMD) and OpenBLAS via P/Invoke: the .NET benchmark's quick "gflops" mode;
#   numpy's float32 matmul (Debian's numpy on its OpenBLAS): bench/numpy_matmul.py.
# Other work on the machine makes timings noisy: each step runs ROUNDS times (default 3); report the best.
# Usage: bash bench/compare_gemm.sh [ROUNDS=3] [FULL=1 to add the whole 10k x 100k x 512 shape]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
dotnet build bench/Luna.Benchmarks -c Release -v q -nologo > /dev/null
exe=bench/Luna.Benchmarks/bin/Release/net10.0/Luna.Benchmarks
full=()
[ "${FULL:-0}" = 1 ] && full=(--full)
for round in $(seq "$rounds"); do
  echo "== round $round ($(date -u +%H:%M:%S), load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  "$exe" gflops --m 2000 --n 20000 --d 512 --reps 3
  "$exe" gflops --m 2000 --n 20000 --d 512 --reps 3 --distances
  "$exe" gflops --m 4096 --n 4096 --d 512 --reps 3 --symmetric
  "$exe" gflops --m 10000 --n 20000 --d 512 --reps 2
  if [ "${FULL:-0}" = 1 ]; then
    "$exe" gflops --m 10000 --n 100000 --d 512 --chunk 20000 --reps 1
  fi
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/numpy_matmul.py --reps 2 "${full[@]}"
done
