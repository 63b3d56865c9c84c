"""The parts of bench/dedupe.py, the duplicate-check benchmark.

- customers: the synthetic customers (fixed seed, shared brands) and the query payloads
  (noisy re-entries, look-alikes, brand-new customers)
- loading: their index rows through the product's normaliser, COPY, indexes built after the
  load, and the cache in var/bench-dedupe/
- timing: the duplicate check, lead creation and the HTTP calls, timed; percentiles

The set-up shared with the other benchmarks (database, reps, gunicorn) is bench/common.py.
"""
