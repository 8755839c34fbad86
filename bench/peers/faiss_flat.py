"""FAISS's exact IndexFlatL2 for `luna bench`: the k-NN searches LOF needs (training self-join with k + 1, queries with k).

The LOF arithmetic on the neighbour lists is negligible next to the searches and is not done here.
"""
import argparse
import sys

from peer_common import Timer, blas_info, emit, peak_rss_mb, skip

try:
    import numpy as np
    import faiss
except ImportError as error:
    skip("faiss", f"FAISS is not installed (Debian: python3-faiss) ({error})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", required=True)
    parser.add_argument("--query", required=True)
    parser.add_argument("--k", type=int, required=True)
    args = parser.parse_args()
    x = np.ascontiguousarray(np.load(args.train), dtype=np.float32)
    q = np.ascontiguousarray(np.load(args.query), dtype=np.float32)
    timer = Timer()
    index = faiss.IndexFlatL2(x.shape[1])
    index.add(x)
    index.search(x, args.k + 1)
    fit = timer.lap()
    index.search(q, args.k)
    score = timer.lap()
    emit({"peer": "faiss", "fit": fit, "score": score, "total": fit + score, "pairs": x.shape[0] ** 2 + q.shape[0] * x.shape[0],
          "peak_rss_mb": peak_rss_mb(), "blas": blas_info(),
          "note": f"faiss {faiss.__version__} IndexFlatL2, {faiss.omp_get_max_threads()} OpenMP threads"})


if __name__ == "__main__":
    sys.exit(main())
