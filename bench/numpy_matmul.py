"""numpy float32 matmul GFLOP/s on the shapes of the GEMM kernel benchmarks, for docs/benchmarks.md.

Run with Debian's python and without this environment's OpenBLAS overrides, so that OpenBLAS picks its own kernel:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/numpy_matmul.py [--reps 3] [--full]

Each line times C = A @ B.T for float32 A (m x d) and B (n x d), the product the distance kernels compute,
best of --reps runs, as 2*m*n*d / seconds. --full adds the issue's whole shape m = 10k, n = 100k, d = 512
(a 4 GB result). The BLAS numpy runs (library, kernel architecture, threads) is printed from threadpoolctl.
"""
import argparse
import os
import time

import numpy as np

try:
    from threadpoolctl import threadpool_info
except ImportError:  # pragma: no cover - threadpoolctl is optional
    threadpool_info = None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    print(f"numpy {np.__version__}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')}")
    if threadpool_info is not None:
        for pool in threadpool_info():
            print(f"blas: {pool.get('internal_api')} {pool.get('version')} kernel={pool.get('architecture')} "
                  f"threads={pool.get('num_threads')} ({pool.get('filepath')})")
    shapes = [(2000, 20000, 512), (4096, 4096, 512), (10000, 20000, 512)]
    if args.full:
        shapes.append((10000, 100000, 512))
    rng = np.random.default_rng(42)
    for m, n, d in shapes:
        a = rng.uniform(-1, 1, (m, d)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, d)).astype(np.float32)
        c = a @ b.T  # warm-up (thread pool, page faults of the result)
        best = float("inf")
        for _ in range(args.reps):
            start = time.perf_counter()
            np.matmul(a, b.T, out=c)
            best = min(best, time.perf_counter() - start)
        print(f"numpy matmul m={m} n={n} d={d}: best {best:.4f} s of {args.reps}, {2.0 * m * n * d / best / 1e9:.1f} GFLOP/s")
        del a, b, c


if __name__ == "__main__":
    main()
