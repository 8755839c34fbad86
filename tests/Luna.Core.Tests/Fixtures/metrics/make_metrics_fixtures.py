#!/usr/bin/python3
"""Makes the fixtures of the metric tests (MetricsFixtureTests, MetricsCommandTests) with Debian's
python3-sklearn 1.2.1, python3-scipy and python3-numpy. Every expected value is computed here, independently
of Luna: detection metrics by scikit-learn, ranks and percentiles by scipy, thresholds by numpy's
inverted-CDF quantile, accuracies and the F-measure by plain numpy following docs/metrics.md.

Run from this folder: /usr/bin/python3 make_metrics_fixtures.py
"""
import csv
import json

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

rng = np.random.default_rng(20220222)


def detection(scores, unknown):
    """unknown = positive; FPR@95TPR read off scikit-learn's ROC curve with known positive and -score."""
    scores = np.asarray(scores, dtype=np.float64)
    unknown = np.asarray(unknown, dtype=bool)
    known = ~unknown
    auroc = roc_auc_score(unknown, scores)
    aupr_out = average_precision_score(unknown, scores)
    aupr_in = average_precision_score(known, -scores)
    fpr, tpr, thr = roc_curve(known, -scores, drop_intermediate=False)
    idx = int(np.argmax(tpr >= 0.95))
    fpr95 = float(fpr[idx])
    tau = float(-thr[idx])
    # The same number by the stated rule: tau = smallest score with >= 95% of knowns at or below it.
    ks = np.sort(scores[known])
    k = next(k for k in range(1, len(ks) + 1) if k / len(ks) >= 0.95)
    assert ks[k - 1] == tau, (ks[k - 1], tau)
    assert np.mean(scores[unknown] <= tau) == fpr95
    return {"auroc": auroc, "auprIn": aupr_in, "auprOut": aupr_out, "fprAt95Tpr": fpr95, "thresholdAt95Tpr": tau,
            "known": int(known.sum()), "unknown": int(unknown.sum())}


def inverted_cdf(values, q):
    return float(np.quantile(np.asarray(values, dtype=np.float64), q, method="inverted_cdf"))


def accuracy(labels, preds, counts):
    known = labels >= 0
    per_class = {}
    for c in sorted(set(labels[known].tolist())):
        m = labels == c
        per_class[c] = float(np.mean(preds[m] == c))
    out = {"accuracy": float(np.mean(preds[known] == labels[known])),
           "meanPerClassAccuracy": float(np.mean(list(per_class.values())))}
    for name, test in (("many", lambda n: n > 100), ("medium", lambda n: 20 <= n <= 100), ("few", lambda n: n < 20)):
        accs = [a for c, a in per_class.items() if test(counts[c])]
        if accs:
            out[name] = float(np.mean(accs))
    return out


def f_measure(labels, open_preds):
    known = labels >= 0
    tp = int(np.sum(known & (open_preds == labels)))
    fp = int(np.sum(known & (open_preds != labels)))
    fn = int(np.sum(~known & (open_preds != -1)))
    p = tp / (tp + fp)
    r = tp / (tp + fn)
    return {"truePositives": tp, "falsePositives": fp, "falseNegatives": fn,
            "precision": p, "recall": r, "fMeasure": 2 * p * r / (p + r)}


expected = {"versions": {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__}}

# --- 1. Detection on small data sets with many ties -------------------------------------------------------
cases = []


def add_case(name, scores, unknown):
    d = detection(scores, unknown)
    d.update({"name": name, "scores": [float(s) for s in scores], "isUnknown": [bool(u) for u in unknown]})
    cases.append(d)


add_case("integer scores 0..4", rng.integers(0, 5, 200), rng.random(200) < 0.4)
add_case("one decimal, shifted", np.round(np.concatenate([rng.normal(1.0, 0.3, 120), rng.normal(1.4, 0.3, 60)]), 1),
         np.r_[np.zeros(120, bool), np.ones(60, bool)])
add_case("all tied", np.full(10, 0.5), np.r_[np.zeros(6, bool), np.ones(4, bool)])
add_case("perfectly separated", np.r_[np.arange(10.0), np.arange(10.0) + 100], np.r_[np.zeros(10, bool), np.ones(10, bool)])
add_case("reversed", np.r_[np.arange(10.0) + 100, np.arange(10.0)], np.r_[np.zeros(10, bool), np.ones(10, bool)])
add_case("continuous, no ties", rng.normal(0, 1, 300), rng.random(300) < 0.3)
add_case("20 knowns: 19 of 20 is exactly 95%", np.r_[np.arange(20.0), [3.0, 18.0, 18.5, 19.0, 25.0]],
         np.r_[np.zeros(20, bool), np.ones(5, bool)])
add_case("3 knowns: all must be accepted", np.array([1.0, 2.0, 3.0, 0.5, 2.5, 3.0, 4.0]), np.r_[np.zeros(3, bool), np.ones(4, bool)])
add_case("ties across the 95% threshold", np.r_[np.full(90, 1.0), np.full(10, 2.0), np.full(5, 1.0), np.full(5, 2.0), np.full(5, 3.0)],
         np.r_[np.zeros(100, bool), np.ones(15, bool)])
expected["detection"] = cases

# --- 2. Thresholds (inverted-CDF quantile) and calibrated percentiles --------------------------------------
threshold_cases = []
for name, values in (("one decimal", np.round(rng.normal(1.1, 0.2, 57), 1)), ("integers", rng.integers(0, 6, 40).astype(float)),
                     ("20 distinct", np.arange(20.0) / 4)):
    for q in (0.95, 0.9, 0.5, 1.0, 0.01):
        threshold_cases.append({"name": f"{name}, q={q}", "scores": values.tolist(), "acceptFraction": q,
                                "threshold": inverted_cdf(values, q)})
expected["thresholds"] = threshold_cases

cal = np.round(rng.normal(1.0, 0.1, 50), 2)
probes = np.r_[cal[:10], [0.0, 0.5, 1.0, 1.05, 1.5, 2.0]]
expected["percentiles"] = {"validation": cal.tolist(), "factors": probes.tolist(),
                           "percentiles": [float(scipy.stats.percentileofscore(cal, x, kind="weak")) for x in probes]}

# --- 3. Spearman with ties ----------------------------------------------------------------------------------
spearman_cases = []
for name, x, y in (("distance 0..3 against one-decimal scores", np.round(rng.normal(1.2, 0.3, 80), 1), rng.integers(0, 4, 80).astype(float)),
                   ("both heavily tied", rng.integers(0, 3, 30).astype(float), rng.integers(0, 2, 30).astype(float)),
                   ("no ties", rng.normal(0, 1, 25), rng.normal(0, 1, 25))):
    spearman_cases.append({"name": name, "x": x.tolist(), "y": y.tolist(),
                           "rho": float(scipy.stats.spearmanr(x, y).correlation),
                           "ranksOfX": scipy.stats.rankdata(x, method="average").tolist()})
expected["spearman"] = spearman_cases

# --- 4. A whole FMNIST-OLT-like test set for `luna metrics` ------------------------------------------------
counts = [3000, 1159, 448, 173, 67, 26, 10]     # classes 0..6: many 0-3, medium 4-5, few 6
K = len(counts)
groups_spec = [("near", "Shirt", 80, 1.30), ("near", "Sneaker", 70, 1.25), ("far", "Bag", 80, 1.45), ("cross", "digit", 70, 1.70)]
n_known = 40 * K
labels = np.r_[np.repeat(np.arange(K), 40), np.full(sum(g[2] for g in groups_spec), -1)]
group = ["known"] * n_known
cls = [""] * n_known
score = list(np.round(rng.normal(1.1, 0.15, n_known), 1))
for g, c, m, mu in groups_spec:
    group += [g] * m
    cls += [c] * m
    score += list(np.round(rng.normal(mu, 0.2, m), 1))
score = np.array(score)
n = len(labels)
perm = rng.permutation(n)
labels, score = labels[perm], score[perm]
group = [group[i] for i in perm]
cls = [cls[i] for i in perm]
known = labels >= 0
# closed-set predictions: right with a probability that falls toward the tail, else a random class
p_right = np.array([0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.3])
preds = rng.integers(0, K, n)
right = known & (rng.random(n) < p_right[np.maximum(labels, 0)])
preds[right] = labels[right]
acq = np.where(rng.random(n) < 0.8, np.where(known, labels, preds), rng.integers(0, K, n))
val_labels = np.repeat(np.arange(K), 20)
val_scores = np.round(rng.normal(1.1, 0.15, len(val_labels)), 1)
val_acq = np.where(rng.random(len(val_labels)) < 0.85, val_labels, rng.integers(0, K, len(val_labels)))

with open("olt_scores.csv", "w", newline="") as f:
    f.write("index,score,acquaintance\n")
    for i in range(n):
        f.write(f"{i},{score[i]!r},{acq[i]}\n")
with open("olt_validation_scores.csv", "w", newline="") as f:
    f.write("index,score,acquaintance\n")
    for i in range(len(val_scores)):
        f.write(f"{i},{val_scores[i]!r},{val_acq[i]}\n")
np.save("olt_labels.npy", labels.astype(np.int64))
np.save("olt_predictions.npy", preds.astype(np.int32))
with open("olt_train_counts.csv", "w", newline="") as f:
    f.write("class,count\n")
    for c, m in enumerate(counts):
        f.write(f"{c},{m}\n")
with open("olt_groups.csv", "w", newline="") as f:
    f.write("index,group,class\n")
    for i in range(n):
        f.write(f"{i},{group[i] if group[i] != 'known' else ''},{cls[i]}\n")

group = np.array(group)
olt = {"overall": detection(score, ~known)}
olt["groups"] = {g: detection(score[known | (group == g)], ~known[known | (group == g)]) for g in ("near", "far", "cross")}
olt["closedSet"] = accuracy(labels, preds, counts)
tau = inverted_cdf(val_scores, 0.95)
open_preds = np.where(score > tau, -1, preds)
olt["threshold"] = tau
olt["openSet"] = accuracy(labels, open_preds, counts)
olt["openSet"]["fMeasure"] = f_measure(labels, open_preds)
olt["openSet"]["knownRejected"] = int(np.sum(known & (open_preds == -1)))
olt["openSet"]["unknownRejected"] = int(np.sum(~known & (open_preds == -1)))
per_class_tau = {int(c): inverted_cdf(val_scores[val_acq == c], 0.95) for c in np.unique(val_acq)}
olt["perClassThresholds"] = {str(c): t for c, t in per_class_tau.items()}
pc_open = np.where(score > np.array([per_class_tau.get(int(a), tau) for a in acq]), -1, preds)
olt["perClassOpenSet"] = f_measure(labels, pc_open)
dist = np.array([{"known": 0, "near": 1, "far": 2, "cross": 3}[g] for g in group], dtype=float)
olt["spearman"] = float(scipy.stats.spearmanr(score, dist).correlation)
pct = np.array([scipy.stats.percentileofscore(val_scores, x, kind="weak") for x in score])
olt["groupMeans"] = {g: float(score[group == g].mean()) for g in ("known", "near", "far", "cross")}
olt["groupMeanPercentiles"] = {g: float(pct[group == g].mean()) for g in ("known", "near", "far", "cross")}
cls = np.array(cls)
olt["classMeans"] = {c: float(score[cls == c].mean()) for c in ("Shirt", "Sneaker", "Bag", "digit")}
m = olt["groupMeans"]
olt["orderHolds"] = bool(m["known"] < m["near"] < m["far"] < m["cross"])
expected["olt"] = olt

with open("expected.json", "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
