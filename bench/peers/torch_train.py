"""The FMNIST-OLT network of Luna (Luna.Training.Models.SmallResNet) in PyTorch, for `luna bench --scenario training`.

Trains the same network on the same images with the same recipe as `luna train --loss ce` (SGD momentum 0.9, weight
decay 5e-4, lr 0.05 with a per-step cosine schedule, batch 128, random 28x28 crop of the 4-pixel zero-padded image and
a horizontal flip with probability 1/2, per-channel normalisation from the training images), on as many threads as
the machine has cores, then times inference (features and logits, batch 256) under torch.inference_mode().
The augmentation is vectorised per batch in numpy, as efficient as a PyTorch user would write it.
"""
import argparse
import math
import os
import sys
import time

from peer_common import Timer, emit, peak_rss_mb, skip

try:
    import numpy as np
    import torch
    from torch import nn
except ImportError as error:
    skip("pytorch", f"PyTorch is not installed ({error})")


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class SmallResNet(nn.Module):
    def __init__(self, channels, feature_dim, classes):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, 32, 3, stride=1, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
            BasicBlock(32, 32, 2), BasicBlock(32, 64, 2), BasicBlock(64, 128, 2),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.embedding = nn.Linear(128, feature_dim)
        self.classifier = nn.Linear(feature_dim, classes)

    def forward(self, x):
        f = self.embedding(self.body(x))
        return f, self.classifier(f)


def augment(batch, rng, padding=4):
    n, c, h, w = batch.shape
    padded = np.zeros((n, c, h + 2 * padding, w + 2 * padding), dtype=np.float32)
    padded[:, :, padding:padding + h, padding:padding + w] = batch
    dy = rng.integers(0, 2 * padding + 1, n)
    dx = rng.integers(0, 2 * padding + 1, n)
    rows = dy[:, None] + np.arange(h)[None, :]
    cols = dx[:, None] + np.arange(w)[None, :]
    out = padded[np.arange(n)[:, None, None, None], np.arange(c)[None, :, None, None], rows[:, None, :, None], cols[:, None, None, :]]
    flip = rng.random(n) < 0.5
    out[flip] = out[flip][..., ::-1]
    return np.ascontiguousarray(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", required=True, help="training images, float32 [n, channels*height*width] in [0, 1]")
    parser.add_argument("--labels", required=True)
    parser.add_argument("--test", required=True, help="images to time inference on, the same layout")
    parser.add_argument("--channels", type=int, default=1)
    parser.add_argument("--height", type=int, default=28)
    parser.add_argument("--width", type=int, default=28)
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--feature-dim", type=int, default=128)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    threads = os.cpu_count()
    torch.set_num_threads(threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    shape = (args.channels, args.height, args.width)
    x = np.load(args.train).astype(np.float32).reshape((-1,) + shape)
    y = np.load(args.labels).astype(np.int64)
    test = np.load(args.test).astype(np.float32).reshape((-1,) + shape)
    classes = int(y.max()) + 1
    mean = x.mean(axis=(0, 2, 3), keepdims=True)
    std = x.std(axis=(0, 2, 3), keepdims=True)

    model = SmallResNet(x.shape[1], args.feature_dim, classes)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    steps_per_epoch = math.ceil(len(x) / args.batch_size)
    total = steps_per_epoch * args.epochs
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: (1 + math.cos(math.pi * t / total)) / 2)
    loss_fn = nn.CrossEntropyLoss()
    epochs, phases = [], []
    clock = time.perf_counter
    for _ in range(args.epochs):
        timer = Timer()
        model.train()
        order = rng.permutation(len(x))
        loss_sum, correct = 0.0, 0
        # Seconds per phase of the step, summed over the epoch, in the phases of Luna's trainer (StepPhases).
        spent = dict.fromkeys(("data", "forward", "backward", "optimizer", "read"), 0.0)
        for start in range(0, len(x), args.batch_size):
            t0 = clock()
            idx = order[start:start + args.batch_size]
            batch = torch.from_numpy((augment(x[idx], rng) - mean) / std)
            target = torch.from_numpy(y[idx])
            t1 = clock()
            optimizer.zero_grad()
            t2 = clock()
            _, logits = model(batch)
            loss = loss_fn(logits, target)
            t3 = clock()
            loss.backward()
            t4 = clock()
            optimizer.step()
            schedule.step()
            t5 = clock()
            # Read the loss and accuracy every batch, as Luna's trainer does for its progress line.
            loss_sum += loss.item() * len(idx)
            correct += int((logits.argmax(1) == target).sum().item())
            t6 = clock()
            spent["data"] += t1 - t0
            spent["optimizer"] += (t2 - t1) + (t5 - t4)
            spent["forward"] += t3 - t2
            spent["backward"] += t4 - t3
            spent["read"] += t6 - t5
        epochs.append(timer.lap())
        phases.append(spent)

    model.eval()
    timer = Timer()
    with torch.inference_mode():
        for start in range(0, len(test), 256):
            model(torch.from_numpy((test[start:start + 256] - mean) / std))
    inference = timer.lap()
    emit({"peer": "pytorch", "epochs": epochs, "phases": phases, "fit": sum(epochs), "score": inference, "total": sum(epochs) + inference,
          "final_train_accuracy": correct / len(x), "threads": threads,
          "peak_rss_mb": peak_rss_mb(), "note": f"PyTorch {torch.__version__} ({threads} threads)"})


if __name__ == "__main__":
    sys.exit(main())
