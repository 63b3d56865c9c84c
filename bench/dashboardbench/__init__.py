"""The parts of bench/dashboard.py, the managers' dashboard (经理看板) benchmark.

- data: two years of records generated with a fixed seed and loaded with COPY
- plans: statements per request, EXPLAIN ANALYZE summaries, the index the dashboard needs on
  the ownership history

The users (teams, managers, reps, an admin; tokens, sessions) come from
bench/creditbench/data.py, the closed-loop HTTP clients from bench/creditbench/http_load.py,
the database and gunicorn set-up from bench/common.py.
"""
