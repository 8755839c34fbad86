#!/usr/bin/python3
"""Makes the .npy fixtures of NpyTests with Debian's numpy (python3-numpy).

Run from this folder: /usr/bin/python3 make_npy_fixtures.py
"""
import numpy as np
import numpy.lib.format as fmt

m = np.array([[1.5, -2.25, 3.0], [0.125, 1e-3, -7.0]], dtype=np.float32)
np.save("f4_2x3.npy", m)
np.save("f8_2x3.npy", m.astype(np.float64))
np.save("f4_big_endian_2x3.npy", m.astype(">f4"))
np.save("f4_fortran_2x3.npy", np.asfortranarray(m))
np.save("f4_3d.npy", np.zeros((2, 2, 2), dtype=np.float32))
np.save("f4_1d.npy", np.zeros(3, dtype=np.float32))

labels = np.array([0, 3, -1, 2, 6], dtype=np.int64)
np.save("i8_labels.npy", labels)
np.save("i4_labels.npy", labels.astype(np.int32))
np.save("i4_labels_column.npy", labels.astype(np.int32).reshape(-1, 1))
np.save("u1_labels.npy", np.array([0, 3, 255], dtype=np.uint8))
np.save("object.npy", np.array([{"a": 1}, None], dtype=object), allow_pickle=True)

with open("f4_v2_2x3.npy", "wb") as f:
    fmt.write_array(f, m, version=(2, 0))

with open("f4_2x3.npy", "rb") as f:
    whole = f.read()
with open("f4_truncated.npy", "wb") as f:
    f.write(whole[:-5])
