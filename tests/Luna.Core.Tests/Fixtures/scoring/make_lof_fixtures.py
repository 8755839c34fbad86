#!/usr/bin/python3
"""Makes the LOF / LUNA fixtures of LofScorerTests and LunaScorerTests with Debian's scikit-learn (python3-sklearn 1.2.1).

Run from this folder: /usr/bin/python3 make_lof_fixtures.py

Every case is written as <case>_train.npy (float32 [n, d]), <case>_labels.npy (int32 [n]), <case>_query.npy
(float32 [m, d]), optionally <case>_query_logits.npy (float32 [m, K]), and <case>_expected.csv (one row per query,
values printed with 17 significant digits). The float32 arrays are what Luna reads; scikit-learn is given the same
values as float64. algorithm="kd_tree" is set so that distances are exact sums of squares (the default "brute"
path of scikit-learn uses ||x||^2 + ||y||^2 - 2 x.y, which turns exact duplicates into distances of about 1e-8).

Cases:
  lof_random      one class, Gaussian data, k = 10; the queries include copies of training points.
  lof_duplicates  one class with duplicated points (pairs, triples, and a block of 12 identical rows, more than k + 1), k = 5.
  lof_k_larger    one class of 8 points and k = 20: scikit-learn clamps n_neighbors to n - 1 = 7 with a warning.
  luna_multiclass three classes of different spread and size (60, 25, 6 samples) and k = 10, so k_c = 10, 10, 5; query logits.
                  Expected LUNA under the three candidate rules, each computed independently here:
                    LUNA_c(p) = -LocalOutlierFactor(n_neighbors=min(k, n_c - 1), novelty=True).fit(X_c).score_samples(p)
                    neighbours: min over the classes of p's min(k, n - 1) nearest training points (NearestNeighbors) plus argmax(logits)
                    top1:       LUNA_{argmax(logits)}(p)
                    all:        -LocalOutlierFactor(n_neighbors=min(k, n - 1), novelty=True).fit(X).score_samples(p),
                                acquaintance = class of the nearest training point.
"""
import warnings

import numpy as np
from sklearn.neighbors import LocalOutlierFactor, NearestNeighbors


def lof(train, query, k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LocalOutlierFactor(n_neighbors=k, novelty=True, algorithm="kd_tree").fit(train.astype(np.float64))
    return -model.score_samples(query.astype(np.float64))


def save(case, train, labels, query, columns, header, query_logits=None):
    np.save(f"{case}_train.npy", train.astype(np.float32))
    np.save(f"{case}_labels.npy", labels.astype(np.int32))
    np.save(f"{case}_query.npy", query.astype(np.float32))
    if query_logits is not None:
        np.save(f"{case}_query_logits.npy", query_logits.astype(np.float32))
    with open(f"{case}_expected.csv", "w") as f:
        f.write(",".join(header) + "\n")
        for row in zip(*columns):
            f.write(",".join("%.17g" % v if isinstance(v, (float, np.floating)) else str(int(v)) for v in row) + "\n")


rng = np.random.default_rng(20220228)

# lof_random ---------------------------------------------------------------------------------------------------
train = rng.normal(size=(80, 4)).astype(np.float32)
query = np.vstack([rng.normal(scale=1.5, size=(30, 4)), train[[0, 7, 42]]]).astype(np.float32)
save("lof_random", train, np.zeros(len(train)), query, [lof(train, query, 10)], ["score"])

# lof_duplicates -----------------------------------------------------------------------------------------------
base = rng.normal(size=(40, 3)).astype(np.float32)
train = np.vstack([base, base[[1, 2, 3, 4]], base[[5, 5, 6, 6]], np.repeat(base[[9]], 12, axis=0)]).astype(np.float32)
query = np.vstack([base[[1, 5, 9, 20]], base[[9]] + 1e-3, base[[5]] + 0.05, rng.normal(size=(10, 3))]).astype(np.float32)
save("lof_duplicates", train, np.zeros(len(train)), query, [lof(train, query, 5)], ["score"])

# lof_k_larger -------------------------------------------------------------------------------------------------
train = rng.normal(size=(8, 3)).astype(np.float32)
query = np.vstack([rng.normal(size=(9, 3)), train[[3]]]).astype(np.float32)
save("lof_k_larger", train, np.zeros(len(train)), query, [lof(train, query, 20)], ["score"])

# luna_multiclass ----------------------------------------------------------------------------------------------
k = 10
centers = np.array([[0, 0, 0, 0, 0], [3, 0, 0, 0, 0], [0, 3, 0, 0, 0]], dtype=np.float64)
scales = [0.3, 1.0, 0.6]
sizes = [60, 25, 6]
train = np.vstack([centers[c] + scales[c] * rng.normal(size=(sizes[c], 5)) for c in range(3)]).astype(np.float32)
labels = np.concatenate([np.full(sizes[c], c) for c in range(3)])
query = np.vstack([
    centers[rng.integers(0, 3, size=24)] + rng.normal(scale=0.8, size=(24, 5)),
    rng.uniform(-3, 6, size=(12, 5)),
]).astype(np.float32)
m = len(query)
# Logits that mostly agree with the nearest center but not always, so that top1 and neighbours differ.
logits = (-((query[:, None, :].astype(np.float64) - centers[None]) ** 2).sum(-1) + rng.normal(scale=3.0, size=(m, 3))).astype(np.float32)
top1 = logits.astype(np.float64).argmax(1)

per_class = np.zeros((m, 3))
for c in range(3):
    xc = train[labels == c]
    per_class[:, c] = lof(xc, query, min(k, len(xc) - 1))
k_all = min(k, len(train) - 1)
nn = NearestNeighbors(n_neighbors=k_all, algorithm="kd_tree").fit(train.astype(np.float64))
_, neighbours = nn.kneighbors(query.astype(np.float64))
neigh_factor, neigh_acq = [], []
for p in range(m):
    cands = sorted(set(labels[neighbours[p]].tolist()) | {int(top1[p])})
    best = min(cands, key=lambda c: (per_class[p, c], c))
    neigh_factor.append(per_class[p, best])
    neigh_acq.append(best)
all_factor = lof(train, query, k_all)
all_acq = labels[neighbours[:, 0]]
top1_factor = per_class[np.arange(m), top1]
save("luna_multiclass", train, labels, query,
     [neigh_factor, neigh_acq, top1_factor, top1, all_factor, all_acq],
     ["neighbours", "neighbours_acquaintance", "top1", "top1_acquaintance", "all", "all_acquaintance"],
     query_logits=logits)
print("top1 differs from the neighbours acquaintance on", int((np.array(neigh_acq) != top1).sum()), "of", m, "queries")
