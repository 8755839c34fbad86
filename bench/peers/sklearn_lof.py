"""scikit-learn's LocalOutlierFactor(novelty=True) for `luna bench`: fit on the training features, score the queries.

Writes -score_samples (higher = more novel, Luna's convention) to --out, one number per line with 17 significant
digits, so the bench can compare it with Luna's lof without losing precision.
Defaults as a user would run it (algorithm='auto', which is brute force at this dimension; n_jobs=None).
"""
import argparse
import sys

from peer_common import Timer, blas_info, emit, peak_rss_mb, skip

try:
    import numpy as np
    import sklearn
    from sklearn.neighbors import LocalOutlierFactor
except ImportError as error:
    skip("sklearn", f"scikit-learn is not installed ({error})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", required=True)
    parser.add_argument("--query", required=True)
    parser.add_argument("--k", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    x = np.load(args.train)
    q = np.load(args.query)
    timer = Timer()
    model = LocalOutlierFactor(n_neighbors=args.k, novelty=True).fit(x)
    fit = timer.lap()
    scores = -model.score_samples(q)
    score = timer.lap()
    np.savetxt(args.out, scores.astype(np.float64), fmt="%.17g")
    emit({"peer": "sklearn", "fit": fit, "score": score, "total": fit + score, "pairs": x.shape[0] ** 2 + q.shape[0] * x.shape[0],
          "peak_rss_mb": peak_rss_mb(), "blas": blas_info(),
          "note": f"scikit-learn {sklearn.__version__}, LocalOutlierFactor(n_neighbors={args.k}, novelty=True), "
                  f"algorithm={model._fit_method}"})


if __name__ == "__main__":
    sys.exit(main())
