"""The labelled evaluation set (bench/data/dedupe_eval.jsonl) through the real duplicate check,
on this run's database: the issue's precision and recall targets hold."""

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[2] / "bench" / "dedupe_eval.py"


def load_evaluator():
    spec = importlib.util.spec_from_file_location("dedupe_eval", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labelled_set_meets_precision_and_recall_targets():
    evaluator = load_evaluator()
    records = evaluator.load_records(evaluator.DEFAULT_FILE)
    assert sum(r["role"] == "query" for r in records) >= 500
    report = evaluator.evaluate(records)
    print(report.text(show=5))
    assert report.reentries >= 300 and report.lookalikes >= 200
    assert report.failed_targets() == [], report.text(show=20)
