#!/usr/bin/python3
"""Makes the fixtures of the baseline scores (msp, maxlogit, energy, knn, mahalanobis, center) with Debian's
numpy and scipy (python3-numpy, python3-scipy). Each score is computed here from its textbook formula, independently
of Luna's code.

Run from this folder: /usr/bin/python3 make_baseline_fixtures.py

Files: baseline_train.npy (float32 [50, 6]), baseline_labels.npy (int32 [50], classes 0..3 with 20, 15, 10, 5 samples),
baseline_train_logits.npy (float32 [50, 4]), baseline_query.npy (float32 [20, 6]), baseline_query_logits.npy
(float32 [20, 4]), and baseline_expected.csv with one row per query and the columns
  msp, maxlogit, energy, energy_t2, top1              (from the query logits; energy_t2 uses T = 2)
  knn5_raw, knn5_raw_acquaintance                     (k = 5, features as given)
  knn5, knn5_acquaintance                             (k = 5, rows L2-normalised)
  mahalanobis, mahalanobis_acquaintance              (raw features, pooled covariance 1/n sum (x - mu_y)(x - mu_y)^T)
  center_raw, center_raw_acquaintance                 (features as given)
  center, center_acquaintance                         (rows L2-normalised, class means not renormalised)
and singular_*: a training set of 12 samples in d = 16 (rank-deficient covariance), with
  singular_expected.csv: mahalanobis, mahalanobis_acquaintance with the documented ridge: Sigma + 1e-6 * trace(Sigma)/d * I.
"""
import numpy as np
from scipy.linalg import cho_factor, cho_solve
from scipy.spatial.distance import cdist
from scipy.special import logsumexp, softmax

rng = np.random.default_rng(7)


def normalise(x):
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def knn(train, labels, query, k):
    d = cdist(query, train)
    order = np.argsort(d, axis=1, kind="stable")
    return d[np.arange(len(query)), order[:, k - 1]], labels[order[:, 0]]


def center(train, labels, query):
    means = np.stack([train[labels == c].mean(0) for c in range(labels.max() + 1)])
    d = cdist(query, means)
    return d.min(1), d.argmin(1)


def mahalanobis(train, labels, query, ridge=0.0):
    classes = labels.max() + 1
    means = np.stack([train[labels == c].mean(0) for c in range(classes)])
    centred = train - means[labels]
    sigma = centred.T @ centred / len(train)
    dim = sigma.shape[0]
    sigma = sigma + ridge * np.trace(sigma) / dim * np.eye(dim)
    factor = cho_factor(sigma, lower=True)
    dist = np.empty((len(query), classes))
    for c in range(classes):
        v = query - means[c]
        dist[:, c] = np.sqrt(np.einsum("ij,ij->i", v, cho_solve(factor, v.T).T))
    return dist.min(1), dist.argmin(1), sigma


def write(path, header, columns):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in zip(*columns):
            f.write(",".join("%.17g" % v if isinstance(v, (float, np.floating)) else str(int(v)) for v in row) + "\n")


sizes = [20, 15, 10, 5]
centers = rng.normal(scale=2.0, size=(4, 6))
labels = np.concatenate([np.full(s, c) for c, s in enumerate(sizes)]).astype(np.int32)
train = (centers[labels] + rng.normal(scale=0.7, size=(50, 6)) * rng.uniform(0.5, 2.0, size=6)).astype(np.float32)
train_logits = (rng.normal(size=(50, 4)) + 3 * np.eye(4)[labels]).astype(np.float32)
query = np.vstack([centers[rng.integers(0, 4, 14)] + rng.normal(size=(14, 6)), rng.normal(scale=3, size=(6, 6))]).astype(np.float32)
query_logits = (rng.normal(scale=2.0, size=(20, 4))).astype(np.float32)
query_logits[0] = [30.0, -5.0, 2.0, 1.0]      # a confident row: 1 - max softmax ~ 1e-12
query_logits[1] = [1.0, 1.0, 0.5, -1.0]       # a tie at the top: the lower class is the top-1

x = train.astype(np.float64)
q = query.astype(np.float64)
ql = query_logits.astype(np.float64)
# 1 - max softmax, as the sum of the other probabilities (1 - p would lose the precision of the confident row).
p = softmax(ql, axis=1)
top = ql.argmax(1)
msp = np.array([p[i, np.arange(4) != top[i]].sum() for i in range(20)])
maxlogit = -ql.max(1)
energy = -logsumexp(ql, axis=1)
energy_t2 = -2.0 * logsumexp(ql / 2.0, axis=1)
knn_raw, knn_raw_acq = knn(x, labels, q, 5)
knn_norm, knn_norm_acq = knn(normalise(x), labels, normalise(q), 5)
maha, maha_acq, _ = mahalanobis(x, labels, q)
center_raw, center_raw_acq = center(x, labels, q)
center_norm, center_norm_acq = center(normalise(x), labels, normalise(q))

np.save("baseline_train.npy", train)
np.save("baseline_labels.npy", labels)
np.save("baseline_train_logits.npy", train_logits)
np.save("baseline_query.npy", query)
np.save("baseline_query_logits.npy", query_logits)
write("baseline_expected.csv",
      ["msp", "maxlogit", "energy", "energy_t2", "top1", "knn5_raw", "knn5_raw_acquaintance", "knn5", "knn5_acquaintance",
       "mahalanobis", "mahalanobis_acquaintance", "center_raw", "center_raw_acquaintance", "center", "center_acquaintance"],
      [msp, maxlogit, energy, energy_t2, top, knn_raw, knn_raw_acq, knn_norm, knn_norm_acq,
       maha, maha_acq, center_raw, center_raw_acq, center_norm, center_norm_acq])

# singular covariance ------------------------------------------------------------------------------------------
s_labels = np.array([0] * 5 + [1] * 4 + [2] * 3, dtype=np.int32)
s_train = rng.normal(size=(12, 16)).astype(np.float32)
s_query = rng.normal(size=(8, 16)).astype(np.float32)
sx = s_train.astype(np.float64)
centred = sx - np.stack([sx[s_labels == c].mean(0) for c in range(3)])[s_labels]
assert np.linalg.matrix_rank(centred.T @ centred) < 16
s_maha, s_acq, _ = mahalanobis(sx, s_labels, s_query.astype(np.float64), ridge=1e-6)
np.save("singular_train.npy", s_train)
np.save("singular_labels.npy", s_labels)
np.save("singular_query.npy", s_query)
write("singular_expected.csv", ["mahalanobis", "mahalanobis_acquaintance"], [s_maha, s_acq])
print("msp of the confident row:", msp[0])
