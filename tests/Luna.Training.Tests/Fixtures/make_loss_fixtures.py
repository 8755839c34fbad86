"""Reference values for the Luna.Training loss tests (run with Debian's /usr/bin/python3, torch 1.13).

    /usr/bin/python3 make_loss_fixtures.py > loss_fixtures.json

Inputs are fixed (numpy seed 7). Everything is computed in float64 with plain PyTorch/numpy, independently of the C#
code: the class weights from the formula of docs/method.md, the (weighted) center loss, its gradient, one center
update by the rule of Wen et al. 2016 written as an explicit loop, cross-entropy, focal loss and balanced softmax.
"""
import json

import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.RandomState(7)
m, d, k = 7, 4, 3
features = rng.normal(size=(m, d)).round(4)
centers = rng.normal(scale=0.5, size=(k, d)).round(4)
logits = rng.normal(scale=2.0, size=(m, k)).round(4)
labels = np.array([0, 1, 2, 0, 0, 1, 0])
counts = np.array([300, 40, 5])
lambda_max = 2.0
beta = 0.01
alpha = 0.5
gamma = 2.0


def class_weights(counts, lambda_max):
    t = counts.max() / counts.astype(np.float64)
    u = (t - t.min()) / (t.max() - t.min()) if t.max() > t.min() else np.zeros_like(t)
    return 1.0 + (lambda_max - 1.0) * u


lam = class_weights(counts, lambda_max)
f = torch.tensor(features, dtype=torch.float64, requires_grad=True)
c = torch.tensor(centers, dtype=torch.float64)
y = torch.tensor(labels, dtype=torch.int64)
z = torch.tensor(logits, dtype=torch.float64)
lam_t = torch.tensor(lam, dtype=torch.float64)

per_sample = 0.5 * lam_t[y] * ((f - c[y]) ** 2).sum(dim=1)
wcenter_mean = per_sample.sum() / (m)  # 1/(2m) sum lambda ||f - c||^2
wcenter_mean.backward()
grad_features = f.grad.detach().numpy()

center_per_sample = 0.5 * ((f.detach() - c[y]) ** 2).sum(dim=1)
center_mean = center_per_sample.mean()

# Wen et al. 2016 update, written as a loop.
new_centers = centers.copy()
for j in range(k):
    members = [i for i in range(m) if labels[i] == j]
    delta = np.zeros(d)
    for i in members:
        delta += centers[j] - features[i]
    delta /= 1.0 + len(members)
    new_centers[j] = centers[j] - alpha * delta

ce = F.cross_entropy(z, y)
log_p = F.log_softmax(z, dim=1).gather(1, y.unsqueeze(1)).squeeze(1)
focal_per_sample = -((1.0 - log_p.exp()) ** gamma) * log_p
balanced = F.cross_entropy(z + torch.log(torch.tensor(counts, dtype=torch.float64)), y)
objective_wcenter = ce + beta * wcenter_mean.detach()
objective_center = ce + beta * center_mean

out = {
    "generator": "make_loss_fixtures.py, torch " + torch.__version__,
    "m": m, "d": d, "k": k,
    "features": features.ravel().tolist(),
    "centers": centers.ravel().tolist(),
    "logits": logits.ravel().tolist(),
    "labels": labels.tolist(),
    "counts": counts.tolist(),
    "lambdaMax": lambda_max, "beta": beta, "alpha": alpha, "gamma": gamma,
    "lambda": lam.tolist(),
    "wcenterMean": wcenter_mean.item(),
    "wcenterSum": per_sample.sum().item(),
    "wcenterNone": per_sample.detach().numpy().tolist(),
    "wcenterGradFeatures": grad_features.ravel().tolist(),
    "centerMean": center_mean.item(),
    "centersAfterUpdate": new_centers.ravel().tolist(),
    "crossEntropy": ce.item(),
    "focalMean": focal_per_sample.mean().item(),
    "focalNone": focal_per_sample.numpy().tolist(),
    "balancedSoftmax": balanced.item(),
    "objectiveWcenter": objective_wcenter.item(),
    "objectiveCenter": objective_center.item(),
}
print(json.dumps(out, indent=1))
