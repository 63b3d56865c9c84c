"""The parts of bench/claims.py, the claim endpoint benchmark.

- database: the bench data (leads, the open pool), resetting and checking ownership, SQL counts
- machine: CPU time of the machine, of child processes and of PostgreSQL backends (/proc)
- pgbench: the bare claim transaction under pgbench, the database's ceiling
- http_load: the real endpoint under wrk (closed loop) and bench/openloop.py (fixed rate)
- report: the gunicorn log, the summary table and the targets

The set-up shared with the other benchmarks (database, reps, gunicorn) is bench/common.py.
"""
