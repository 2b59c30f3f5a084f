"""Allocator settings that keep what ingest frees from staying in the process.

Measured on the 2M-line benchmark bundle (`benchmarks/ingest.py`): with the defaults, the
process keeps about 400 MiB more than the table it holds, for two reasons.

- polars allocates with its own jemalloc, which keeps freed pages for 10 s (dirty) and then
  some more (muzzy), in one arena per 4 threads x cores; each polars thread's freed memory
  stays in its arena. One arena, dirty pages returned after 20 ms and muzzy ones at once
  brought the peak from about 930 MiB to 630-700 MiB for about 5% more time (returning them
  at once costs 25% more time). jemalloc reads `_RJEM_MALLOC_CONF` on its first allocation,
  so this must run before polars is imported; a value the user set is kept.
- Python's bytes (the chunks read from files and archives) come from glibc's malloc, whose
  threshold for giving big blocks their own mapping rises after the first such block is
  freed, so later chunks land in the heap and stay there. A fixed 1 MiB threshold maps every
  big chunk on its own and unmaps it when freed (about 60 MiB less at the peak).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

JEMALLOC_CONF = "narenas:1,dirty_decay_ms:20,muzzy_decay_ms:0"
_M_MMAP_THRESHOLD = -3  # mallopt parameter, from glibc's malloc.h
MMAP_THRESHOLD = 1 << 20


def tune() -> None:
    """Apply both settings; a platform without them is left as it is."""
    if "polars" not in sys.modules:
        os.environ.setdefault("_RJEM_MALLOC_CONF", JEMALLOC_CONF)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        except (OSError, AttributeError):  # not glibc (musl has no mallopt): nothing to tune
            pass
