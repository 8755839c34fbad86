"""Shared helpers of the `luna bench` peers: timing, peak memory, the BLAS that runs, and the one JSON result line.

Each peer prints exactly one JSON object as its last line of standard output:
    {"peer": name, "fit": s, "score": s, "total": s, "peak_rss_mb": MB, "blas": text, "note": text}
or {"peer": name, "skipped": reason} when a package it needs is missing (exit code 0 either way, so that the
bench can tell "not installed" from a failure).
"""
import json
import os
import resource
import sys
import time


def emit(result):
    print(json.dumps(result), flush=True)


def skip(peer, reason):
    emit({"peer": peer, "skipped": reason})
    sys.exit(0)


def peak_rss_mb():
    # ru_maxrss is in KiB on Linux: the peak resident set of this process over its whole life.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    parts = []
    for pool in threadpool_info():
        parts.append(f"{pool.get('internal_api')} {pool.get('version')} kernel={pool.get('architecture')} "
                     f"threads={pool.get('num_threads')}")
    env = ", ".join(f"{name}={os.environ.get(name, '(unset)')}" for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"))
    return "; ".join(parts) + f" [{env}]"


class Timer:
    def __init__(self):
        self.start = time.perf_counter()

    def lap(self):
        now = time.perf_counter()
        elapsed = now - self.start
        self.start = now
        return elapsed
