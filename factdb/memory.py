"""Garbage collection tuned for a web process.

Python starts a collection of its youngest objects every 700 allocations more than
frees, and now and then a full one that walks every object the process holds:
Django's and FactDB's modules, URL patterns, templates, querysets' caches. A large
response (a claim's timeline of 400 statements and 900 citations) allocates tens of
thousands of objects and pays for several such walks: the p95 of that read was 226
ms against a p50 of 105 (docs/benchmarks.md). Once the application is loaded, its
objects are moved out of the collector's view (`gc.freeze`) and young collections
run every 50,000 allocations: the same read then has a p95 of 109 ms. Reference
cycles are still collected, later.
"""

import gc

THRESHOLDS = (50_000, 50, 100)


def tune_garbage_collection() -> None:
    """Call once the application is loaded (factdb/wsgi.py does)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
