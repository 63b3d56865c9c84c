"""The parts of bench/credits.py, the credit (业绩) reads benchmark.

- data: the users (teams, managers, reps, an admin; tokens and session cookies) and the
  generated history: deals, ownership periods and their history records, the credit ledger,
  loaded with COPY
- http_load: the scenarios and the closed-loop HTTP clients that time them against gunicorn
- queries: the SQL statements per request (in process, through the middleware stack) and
  EXPLAIN ANALYZE of the credit and deal queries for the heaviest rep
- report: the summary table and the targets

The set-up shared with the other benchmarks (database, reps, gunicorn) is bench/common.py;
the leads come from bench/claimbench/database.py, the CPU accounting from
bench/claimbench/machine.py.
"""
