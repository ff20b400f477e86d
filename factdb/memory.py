"""Garbage collection tuned for a web process.

Python starts a collection of its youngest objects every 700 allocations more than
frees, and now and then a full one that walks every object the process holds:
Django's and FactDB's modules, URL patterns, templates, querysets' caches. A large
response (a claim's timeline of 400 statements and 900 citations) allocates tens of
thousands of objects and pays for several such walks: the p95 of that read was 226
ms against a p50 of 105 (docs/benchmarks.md). Once the application is loaded, its
objects are moved out of the collector's view (`gc.freeze`) and young collections
run every 50,000 allocations: the same read then has a p95 of 109 ms.

Each request still leaves a few thousand objects in reference cycles (querysets,
DRF's request and response), so the count of young objects reached 50,000 every
dozen requests, halfway through one of them, which then spent 20 to 40 ms walking
everything it had built so far (a thread's p95 was three times its p50). The young
garbage is therefore collected as each request starts, when it is the only thing
in the young generation: about a millisecond, and the counts never reach the
thresholds in an ordinary request.
"""

import gc

from django.core.signals import request_started

THRESHOLDS = (50_000, 50, 100)


def collect_garbage_of_earlier_requests(**kwargs) -> None:
    """Collect the youngest generation, and an older one when as many collections
    of the one below have run as its threshold says (Python's own rule)."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    generation = 0
    while generation < 2 and counts[generation + 1] >= thresholds[generation + 1]:
        generation += 1
    gc.collect(generation)


def tune_garbage_collection() -> None:
    """Call once the application is loaded (factdb/wsgi.py does)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    request_started.connect(
        collect_garbage_of_earlier_requests, dispatch_uid="factdb.memory"
    )
