"""The matrix-multiply limit for `luna bench`: numpy's float32 matmul of the same shapes as the distance products.

    lof:  X @ X.T (n x n) and Q @ X.T (m x n)            -- LOF's self-join and scoring, done in full
    luna: Q @ X.T and X_c @ X_c.T for every class c        -- LUNA's candidate search and per-class self-joins

The products are computed in row blocks of --block rows into a reused output buffer (a full n x n result would not fit
in memory); the time is the sum. Run by the bench with Debian's python and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset.
"""
import argparse
import sys

from peer_common import Timer, blas_info, emit, peak_rss_mb, skip

try:
    import numpy as np
except ImportError:
    skip("numpy", "numpy is not installed")


def blocked_product(a, b, block, out):
    rows = a.shape[0]
    for start in range(0, rows, block):
        stop = min(rows, start + block)
        np.matmul(a[start:stop], b.T, out=out[: stop - start])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", required=True)
    parser.add_argument("--query", required=True)
    parser.add_argument("--labels")
    parser.add_argument("--mode", choices=["lof", "luna"], required=True)
    parser.add_argument("--block", type=int, default=2048)
    args = parser.parse_args()
    x = np.load(args.train)
    q = np.load(args.query)
    n = x.shape[0]
    out = np.empty((min(args.block, max(n, q.shape[0])), n), dtype=np.float32)
    # Warm-up: the thread pool and the pages of the output buffer.
    np.matmul(x[: min(n, args.block)], x[: min(n, 256)].T, out=out[: min(n, args.block), : min(n, 256)])
    timer = Timer()
    if args.mode == "lof":
        blocked_product(x, x, args.block, out)
        fit = timer.lap()
        blocked_product(q, x, args.block, out)
        score = timer.lap()
        pairs = int(n) * n + q.shape[0] * n
    else:
        labels = np.load(args.labels)
        order = np.argsort(labels, kind="stable")
        xs = x[order]
        counts = np.bincount(labels)
        timer.lap()
        start = 0
        pairs = 0
        for count in counts:
            if count > 1:
                block = xs[start:start + count]
                np.matmul(block, block.T)
                pairs += int(count) * int(count)
            start += count
        fit = timer.lap()
        blocked_product(q, x, args.block, out)
        score = timer.lap()
        pairs += q.shape[0] * n
    emit({"peer": "numpy", "fit": fit, "score": score, "total": fit + score, "pairs": pairs,
          "peak_rss_mb": peak_rss_mb(), "blas": blas_info(), "note": f"numpy {np.__version__}"})


if __name__ == "__main__":
    sys.exit(main())
