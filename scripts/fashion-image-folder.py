#!/usr/bin/python3
"""Writes Fashion-MNIST as an image folder, to try `luna train/predict/evaluate` on images (docs/results.md).

    /usr/bin/python3 scripts/fashion-image-folder.py OUT [--test-per-class 200]

OUT/train/<class>/ holds the FMNIST-OLT long-tailed training counts of the 7 known classes (T-shirt 3000, Trouser
1159, Sandal 448, Pullover 173, Dress 67, Ankle boot 26, Coat 10: the first images of each class in the official
training file); OUT/test/<class>/ holds the first N test images of all 10 classes, so Shirt, Sneaker and Bag are
unknown to a model trained on OUT/train. Images alternate PNG at 36x36 and JPEG (quality 95) at 20x20, and one in
three is stored as RGB, so that sizes, formats and channels differ from the 28x28 grey source.
Needs Debian's python3 with numpy and PIL (python3-numpy, python3-pil); reads the IDX files from $LUNA_DATA or
/usr/share/datasets/fashion-mnist.
"""
import argparse
import gzip
import os

import numpy as np
from PIL import Image

NAMES = ["tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"]
TRAIN_COUNTS = {0: 3000, 1: 1159, 5: 448, 2: 173, 3: 67, 9: 26, 4: 10}


def load(folder, prefix):
    def read(name, offset):
        path = os.path.join(folder, name)
        opener = gzip.open if os.path.exists(path + ".gz") else open
        with opener(path + ".gz" if os.path.exists(path + ".gz") else path, "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)
    x = read(f"{prefix}-images-idx3-ubyte", 16).reshape(-1, 28, 28)
    y = read(f"{prefix}-labels-idx1-ubyte", 8)
    return x, y


def write(folder, images):
    os.makedirs(folder, exist_ok=True)
    for i, pixels in enumerate(images):
        png = i % 2 == 0
        size = 36 if png else 20
        image = Image.fromarray(pixels).resize((size, size), Image.BILINEAR)
        if i % 3 == 0:
            image = image.convert("RGB")
        if png:
            image.save(os.path.join(folder, f"{i:04d}.png"))
        else:
            image.save(os.path.join(folder, f"{i:04d}.jpg"), quality=95)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--test-per-class", type=int, default=200)
    args = parser.parse_args()
    data = os.environ.get("LUNA_DATA", "/usr/share/datasets/fashion-mnist")
    train_x, train_y = load(data, "train")
    test_x, test_y = load(data, "t10k")
    for c, count in TRAIN_COUNTS.items():
        write(os.path.join(args.out, "train", NAMES[c]), train_x[train_y == c][:count])
    for c in range(10):
        write(os.path.join(args.out, "test", NAMES[c]), test_x[test_y == c][: args.test_per_class])


if __name__ == "__main__":
    main()
