"""The PySpark job's own Python, run for real without Spark: arguments and widgets, the plan
reader, number sanitising, the result document (one bad analysis never loses the others) and its
size rule, where the result is written, the notebook form, and the pure result-table helpers.
Documents are checked against shared/spark-job.schema.json, the schema the app and the Databricks
emulator use (generated from shared/spark-job.ts)."""

import datetime
import decimal
import importlib.util
import json
import math
import pathlib

import jsonschema
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
JOB_FILE = ROOT / "resources" / "spark" / "sparkpolar_job.py"
SCHEMA = json.loads((ROOT / "shared" / "spark-job.schema.json").read_text(encoding="utf-8"))


def load_job():
    spec = importlib.util.spec_from_file_location("sparkpolar_job", JOB_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


job = load_job()
PLAN_SCHEMA = jsonschema.Draft202012Validator(SCHEMA["$defs"]["plan"])
RESULT_SCHEMA = jsonschema.Draft202012Validator(SCHEMA["$defs"]["result"])


def a_plan(**changes):
    plan = {
        "format": "sparkpolar-spark-plan",
        "version": 1,
        "runTag": "20261202-abcd1234",
        "dataset": "crashes",
        "datasetVersion": 1,
        "input": {"path": "/Volumes/main/default/sparkpolar/datasets/" + "a" * 64 + ".parquet", "format": "parquet", "rows": 3, "bytes": 100, "sha256": "a" * 64},
        "output": "/Volumes/main/default/sparkpolar/runs/20261202-abcd1234/result.json",
        "columns": [{"file": "c00", "name": "Year", "type": "integer"}, {"file": "c01", "name": "Vehicle Body Type", "type": "text"}],
        "cleaning": {"sentinelsAsNull": False, "mergeMakes": False, "dropOriginalNulls": True},
        "repeat": 1,
        "analyses": [{"id": "desc-body-type", "params": {"topN": 20}, "stage": "cleaned", "op": {"kind": "group-count", "dimensions": [{"column": "Vehicle Body Type"}], "order": "count"}}],
        "constants": {"sentinels": ["Unknown"], "makeBrands": {"CHEV": "CHEVROLET"}, "otherLabel": "(other)", "originalNullDropColumns": ["Year"], "dimensionNames": {}},
    }
    plan.update(changes)
    return plan


HEAD = {
    "format": "sparkpolar-spark-result",
    "version": 1,
    "runTag": "20261202-abcd1234",
    "runtime": {"engine": "spark", "spark": "3.5.2"},
    "compute": {"serverless": True},
    "input": {"path": "x.parquet", "format": "parquet", "rows": 3},
    "load": {"ms": 12.5, "cached": False},
    "repeat": 1,
    "totalMs": 40.0,
}


def ok_result(analysis_id, rows):
    return {"id": analysis_id, "status": "ok", "samplesMs": [1.5], "table": {"columns": [{"name": "lower", "type": "float"}, {"name": "count", "type": "integer"}], "rows": rows}, "rowsOut": len(rows)}


# Parameters


def test_arguments_as_pairs_with_or_without_equals_and_stray_words_ignored():
    assert job.parse_arguments(["--plan", "/p.json", "--input=/d.parquet", "stray", "--format", "csv", "--output"]) == {
        "plan": "/p.json",
        "input": "/d.parquet",
        "format": "csv",
        "output": "",
    }


class FakeWidgets:
    def __init__(self, values):
        self.values = values
        self.declared = []

    def text(self, name, default):
        self.declared.append(name)

    def get(self, name):
        if name not in self.values:
            raise ValueError("no widget " + name)
        return self.values[name]


class FakeDbutils:
    def __init__(self, values):
        self.widgets = FakeWidgets(values)


def test_widgets_are_read_when_no_plan_argument_is_given():
    dbutils = FakeDbutils({"plan": "/Volumes/x/plan.json", "input": "", "output": "/Volumes/x/result.json"})
    params = job.read_parameters(dbutils, argv=[])
    assert params == {"plan": "/Volumes/x/plan.json", "output": "/Volumes/x/result.json"}
    assert dbutils.widgets.declared == list(job.PARAMETER_NAMES)


def test_arguments_win_over_widgets():
    dbutils = FakeDbutils({"plan": "/from/widget"})
    assert job.read_parameters(dbutils, argv=["--plan", "/from/argument"]) == {"plan": "/from/argument"}
    assert dbutils.widgets.declared == []
    assert job.read_parameters(None, argv=[]) == {}


# The plan


def test_the_plan_fixture_fits_the_shared_schema_and_is_read():
    PLAN_SCHEMA.validate(a_plan())
    plan = job.parse_plan(json.dumps(a_plan()), "plan.json")
    assert plan["analyses"][0]["id"] == "desc-body-type"


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "plan.json is not JSON"),
        (json.dumps({"format": "something-else"}), "not a SparkPolar plan: plan.json"),
        (json.dumps(a_plan(version=2)), "has version 2; this job reads version 1"),
        (json.dumps({k: v for k, v in a_plan().items() if k != "columns"}), "has no 'columns'"),
    ],
)
def test_a_bad_plan_fails_early_with_a_clear_message(text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        job.parse_plan(text, "plan.json")


# Numbers


def test_numbers_are_sanitised_as_the_polars_side_writes_them():
    value = {
        "nan": float("nan"),
        "inf": float("inf"),
        "ninf": float("-inf"),
        "decimal": decimal.Decimal("2.5"),
        "bad_decimal": decimal.Decimal("NaN"),
        "when": datetime.datetime(2024, 5, 1, 12, 30, 15, 123456),
        "day": datetime.date(2024, 5, 1),
        "list": [1, 2.5, float("nan"), None, True, "x"],
        3: "key",
    }
    assert job.sanitize(value) == {
        "nan": None,
        "inf": None,
        "ninf": None,
        "decimal": 2.5,
        "bad_decimal": None,
        "when": "2024-05-01T12:30:15.123Z",
        "day": "2024-05-01",
        "list": [1, 2.5, None, None, True, "x"],
        "3": "key",
    }


def test_numbers_print_as_javascript_string_does():
    assert [job.js_number(x) for x in [0.0, 1.0, 0.1, 1e21, 1e-7, 123456789.125, float("inf"), float("nan"), 5, True]] == [
        "0", "1", "0.1", "1e+21", "1e-7", "123456789.125", "Infinity", "NaN", "5", "true",
    ]


# The result document


def test_an_infinite_histogram_bound_is_written_as_null_not_a_lost_document():
    text, status = job.analysis_json(ok_result("generic-histogram", [[float("-inf"), 3], [1.0, 4]]))
    assert status == "ok"
    assert json.loads(text)["table"]["rows"] == [[None, 3], [1.0, 4]]


class Unprintable:
    def __str__(self):
        raise ValueError("cannot print this value")


def test_one_analysis_that_cannot_be_written_fails_alone():
    good, good_status = job.analysis_json(ok_result("desc-fuel", [[1.0, 2]]))
    bad, bad_status = job.analysis_json(ok_result("desc-state", [[Unprintable(), 2]]))
    assert (good_status, bad_status) == ("ok", "failed")
    document = json.loads(job.result_document(HEAD, [good, bad]))
    RESULT_SCHEMA.validate(document)
    assert [(a["id"], a["status"]) for a in document["analyses"]] == [("desc-fuel", "ok"), ("desc-state", "failed")]
    assert document["analyses"][1]["error"]["message"] == "cannot print this value"
    assert document["analyses"][0]["table"]["rows"] == [[1.0, 2]]


def test_the_document_fits_the_shared_schema_and_a_broken_one_does_not():
    failed = job.failed_result("corr-pearson", [3.0], KeyError("no column 'Year' in the dataset"), "Traceback…")
    texts = [job.analysis_json(ok_result("generic-histogram", [[0.5, 1]]))[0], job.analysis_json(failed)[0]]
    document = json.loads(job.result_document(HEAD, texts))
    RESULT_SCHEMA.validate(document)
    assert document["load"] == {"ms": 12.5, "cached": False}
    broken = dict(document, analyses=[dict(document["analyses"][0], status="fine")])
    with pytest.raises(jsonschema.ValidationError):
        RESULT_SCHEMA.validate(broken)


def test_the_summary_carries_the_document_only_under_the_size_limit(monkeypatch):
    plan = a_plan()
    text = job.result_document(HEAD, [job.analysis_json(ok_result("desc-fuel", [[1.0, 2]]))[0]])
    small = json.loads(job.run_summary(plan, plan["output"], text, 0, 1, 3, 1.0, 2.0))
    assert small["sparkpolar"]["status"] == "ok"
    assert small["result"] == json.loads(text)
    monkeypatch.setattr(job, "INLINE_RESULT_LIMIT", len(text) - 1)
    large = json.loads(job.run_summary(plan, plan["output"], text, 1, 1, 3, 1.0, float("nan")))
    assert large["result"] is None
    assert large["sparkpolar"]["status"] == "partial"
    assert large["sparkpolar"]["totalMs"] is None


# Where the result goes


def test_the_result_path_and_how_it_is_written():
    assert job.local_path("dbfs:/FileStore/sparkpolar/r.json") == "/dbfs/FileStore/sparkpolar/r.json"
    assert job.mount_root("/Volumes/main/default/sparkpolar/runs/t/result.json") == "/Volumes/main/default/sparkpolar"
    assert job.mount_root("dbfs:/FileStore/x.json") == "/dbfs"
    assert job.mount_root("/tmp/run/result.json") is None
    mounted = lambda root: True  # noqa: E731
    missing = lambda root: False  # noqa: E731
    assert job.write_method("/Volumes/main/default/v/r.json", True, exists=mounted) == "file"
    assert job.write_method("/Volumes/main/default/v/r.json", True, exists=missing) == "dbutils"
    assert job.write_method("dbfs:/FileStore/r.json", True, exists=missing) == "dbutils"
    assert job.write_method("/tmp/run/result.json", False, exists=missing) == "file"
    with pytest.raises(OSError, match="not mounted here and there is no dbutils"):
        job.write_method("/Volumes/main/default/v/r.json", False, exists=missing)


def test_a_local_result_is_written_as_a_file(tmp_path):
    target = tmp_path / "runs" / "t" / "result.json"
    job.write_text(None, None, str(target), '{"a": 1}')
    assert json.loads(target.read_text(encoding="utf-8")) == {"a": 1}


# The notebook form


def test_it_is_a_databricks_notebook_source_whose_last_cell_runs_main():
    text = JOB_FILE.read_text(encoding="utf-8")
    assert text.startswith("# Databricks notebook source\n# MAGIC %md\n")
    cells = text.split("\n# COMMAND ----------\n")
    assert len(cells) >= 6
    assert all(line.startswith("# MAGIC") for line in cells[0].splitlines()[1:] if line)
    assert cells[-1].strip() == 'if __name__ == "__main__":\n    main()'


# Pure result-table helpers


def test_group_counts_order_cut_and_other():
    groups = [(("b",), 5), (("a",), 5), ((None,), 5), (("É",), 7), (("Z",), 5), (("ä",), 1)]
    table = job.group_count_table(["v"], ["text"], groups, 28, "count", 3)
    assert table["rows"] == [["É", 7, 7 / 28, False], ["Z", 5, 5 / 28, False], ["a", 5, 5 / 28, False], [None, 11, 11 / 28, True]]
    # What Spark hands over (shown groups already cut, the rest counted): the same table.
    assert job.shown_groups_table(["v"], ["text"], [(("É",), 7), (("Z",), 5), (("a",), 5)], 11, 28) == table


def test_spearman_ranks_complete_columns_once_and_pairs_with_nulls_pairwise():
    once, pairwise = job.rank_pairs(["a", "b", "c"], {"a": False, "b": False, "c": True})
    assert once == [(0, 0), (0, 1), (1, 1)]
    assert pairwise == [(0, 2), (1, 2), (2, 2)]


def test_histogram_edges_and_cramers_v():
    assert job.histogram_rows(1.0, 4.0, 10, 3, {0: 3, 2: 7}) == [[0, 1.0, 2.0, 3], [1, 2.0, 3.0, 0], [2, 3.0, 4.0, 7]]
    assert job.histogram_rows(2.0, 2.0, 5, 4, {}) == [[0, 2.0, 2.0, 5]]
    v, n = job.cramers_v([("a", "x", 10), ("b", "y", 10)])
    assert (n, math.isclose(v, 1.0)) == (20, True)
