# Databricks notebook source
# MAGIC %md
# MAGIC # SparkPolar Studio: the analysis catalog on Spark
# MAGIC
# MAGIC This notebook (also a plain PySpark script for `spark_python_task` and `spark-submit`) runs the
# MAGIC analyses of SparkPolar Studio's catalog on Spark, with the same semantics as the app's Polars
# MAGIC engine, so that both engines can be timed side by side and their results checked against each other.
# MAGIC
# MAGIC Parameters (notebook widgets, or `--name value` arguments):
# MAGIC * `plan`: path (or inline JSON) of the plan the app wrote: dataset columns and types, analyses with
# MAGIC   their resolved parameters and the catalog's definitions, cleaning options, repeat count;
# MAGIC * `input`, `format`: the dataset file (Parquet or CSV) and its format (default: the plan's);
# MAGIC * `output`: where the result document (JSON) is written (default: the plan's).
# MAGIC
# MAGIC To rerun by hand: open this notebook, fill the widgets with the paths of a run folder
# MAGIC (`…/runs/<tag>/plan.json`) and run all cells.

# COMMAND ----------

import datetime
import decimal
import json
import math
import os
import platform
import sys
import time
import traceback

try:
    from pyspark.sql import SparkSession, Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
except ImportError:
    # The pure parts (parameters, plan, numbers, the result document) import and run without
    # Spark, so the job's own tests can run anywhere; only the analyses need a SparkSession.
    SparkSession = Window = F = T = None

RESULT_FORMAT = "sparkpolar-spark-result"
PLAN_FORMAT = "sparkpolar-spark-plan"
PLAN_VERSION = 1
PARAMETER_NAMES = ("plan", "input", "format", "output")
# A result small enough to travel back whole in the notebook exit value / stdout too.
INLINE_RESULT_LIMIT = 1_000_000

# COMMAND ----------

# Parameters and files


def get_dbutils(spark):
    """dbutils in a notebook (a global) or in a job script (from the SparkSession); None elsewhere."""
    existing = globals().get("dbutils")
    if existing is not None:
        return existing
    try:
        from pyspark.dbutils import DBUtils  # Databricks only

        return DBUtils(spark)
    except Exception:
        return None


def parse_arguments(args):
    """`--name value` and `--name=value` pairs (script, spark-submit); other words are ignored."""
    params = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            if not eq:
                value = args[i + 1] if i + 1 < len(args) else ""
                i += 1
            params[name] = value
        i += 1
    return params


def read_parameters(dbutils, argv=None):
    """Arguments first (script, spark-submit), then notebook widgets when no plan was given."""
    params = parse_arguments(sys.argv[1:] if argv is None else argv)
    if "plan" not in params and dbutils is not None:
        for name in PARAMETER_NAMES:
            try:
                dbutils.widgets.text(name, "")
            except Exception:
                pass
            try:
                value = dbutils.widgets.get(name)
            except Exception:
                value = ""
            if value:
                params[name] = value
    return params


def local_path(path):
    """The path Python's open() can use: DBFS paths go through the /dbfs mount."""
    if path.startswith("dbfs:/"):
        return "/dbfs/" + path[len("dbfs:/"):]
    return path


def read_text(spark, path):
    try:
        with open(local_path(path), "r", encoding="utf-8") as f:
            return f.read()
    except OSError:
        # No FUSE mount (some serverless and shared compute): read through Spark.
        return "\n".join(r[0] for r in spark.read.text(path, wholetext=True).collect())


def mount_root(path):
    """The FUSE mount a path needs for open() (`/Volumes/c/s/v`, `/dbfs`); None for a plain local path."""
    target = local_path(path)
    if target.startswith("/Volumes/"):
        return "/".join(target.split("/")[:5])
    if target.startswith("/dbfs/") or target == "/dbfs":
        return "/dbfs"
    return None


def write_method(path, has_dbutils, exists=os.path.isdir):
    """How the result document is written: `file` through the mount when it is there (or for a
    local path), `dbutils` (dbutils.fs.put) when the mount is missing, as on some serverless and
    shared compute; an error when neither can work."""
    root = mount_root(path)
    if root is None or exists(root):
        return "file"
    if has_dbutils:
        return "dbutils"
    raise OSError("cannot write %s: %s is not mounted here and there is no dbutils" % (path, root))


def write_text(spark, dbutils, path, text):
    if write_method(path, dbutils is not None) == "dbutils":
        dbutils.fs.put(path, text, True)
        return
    target = local_path(path)
    parent = os.path.dirname(target)
    if parent:
        os.makedirs(parent, exist_ok=True)
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)


def parse_plan(text, where="the plan"):
    """The plan document, checked enough to fail early with a clear message."""
    try:
        plan = json.loads(text)
    except ValueError as err:
        raise ValueError("%s is not JSON: %s" % (where, err))
    if not isinstance(plan, dict) or plan.get("format") != PLAN_FORMAT:
        raise ValueError("not a SparkPolar plan: %s" % where)
    if plan.get("version") != PLAN_VERSION:
        raise ValueError("%s has version %r; this job reads version %d (update the app or the job)" % (where, plan.get("version"), PLAN_VERSION))
    for key in ("runTag", "input", "output", "columns", "cleaning", "analyses", "constants"):
        if key not in plan:
            raise ValueError("%s has no %r" % (where, key))
    return plan


# COMMAND ----------

# Result cells and the shared ordering rules (docs/analyses.md): count desc, then keys ascending
# in code-point order (UTF-8 byte order) with nulls last; top N plus one "other" row.

NUMERIC_TYPES = ("integer", "bigint", "double", "numeric")


def result_type(column_type):
    if column_type in ("integer", "bigint"):
        return "integer"
    if column_type in ("double", "numeric"):
        return "float"
    if column_type == "boolean":
        return "boolean"
    return "text"


def js_iso(value):
    """A timestamp as JavaScript's toISOString() writes it (UTC, milliseconds)."""
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (value.microsecond // 1000)


def cell(value):
    """A Spark value as a result cell: dates as ISO text, NaN and infinities as null."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, datetime.datetime):
        return js_iso(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def sanitize(value):
    """Any value as plain JSON, every number the way the Polars side's results are: NaN and
    infinities as null, decimals as floats, dates as ISO text (recursively through lists and dicts)."""
    if isinstance(value, dict):
        return {str(k): sanitize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [sanitize(v) for v in value]
    if value is None or isinstance(value, str):
        return value
    return cell(value)


def js_number(x):
    """A number as JavaScript's String(x) writes it (the Polars side formats values that way)."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    mantissa, _, exponent = repr(abs(x)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    zeros = len(all_digits) - len(all_digits.lstrip("0"))
    digits = all_digits[zeros:].rstrip("0") or "0"
    n = len(whole) + (int(exponent) if exponent else 0) - zeros
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    exp = ("+" if e >= 0 else "-") + str(abs(e))
    return sign + (digits if k == 1 else digits[0] + "." + digits[1:]) + "e" + exp


def value_text(v):
    """String(v) of a cell, as the Polars side prints min/max/top values."""
    if v is None:
        return None
    if isinstance(v, (bool, int, float)):
        return js_number(v)
    return str(v)


def key_sort(v):
    # Nulls last; values of one column share a type, so the second element compares like with like.
    return (1, 0) if v is None else (0, v)


def keys_sort(keys):
    return tuple(key_sort(k) for k in keys)


def order_groups(groups, order):
    """groups: list of (keys tuple, count). `count`: count desc then keys; `key`: keys only."""
    if order == "count":
        return sorted(groups, key=lambda g: (-g[1], keys_sort(g[0])))
    return sorted(groups, key=lambda g: keys_sort(g[0]))


def top_with_other(ordered, top_n):
    if top_n <= 0 or len(ordered) <= top_n:
        return ordered, None
    rest = ordered[top_n:]
    return ordered[:top_n], sum(g[1] for g in rest)


def share(count, total):
    return count / total if total else None


def group_count_table(dim_names, dim_types, groups, total, order, top_n):
    """From every group: ordered, cut to top N with the rest as one "other" row."""
    top, other = top_with_other(order_groups(groups, order), top_n)
    return shown_groups_table(dim_names, dim_types, top, other, total)


def shown_groups_table(dim_names, dim_types, top, other, total):
    """The result table of groups already ordered and cut; `other` is the rest's count (or None)."""
    rows = [list(keys) + [count, share(count, total), False] for keys, count in top]
    if other is not None:
        rows.append([None] * len(dim_names) + [other, share(other, total), True])
    columns = [{"name": n, "type": t} for n, t in zip(dim_names, dim_types)]
    columns += [{"name": "count", "type": "integer"}, {"name": "share", "type": "float"}, {"name": "other", "type": "boolean"}]
    return {"columns": columns, "rows": rows}


def trend_table(by_name, by_type, dim_name, dim_type, pairs, order, top_n):
    """pairs: list of ((year, value), count). Top categories over all years, per-year shares."""
    overall = {}
    for (year, value), count in pairs:
        overall[value] = overall.get(value, 0) + count
    ranked = order_groups([((v,), c) for v, c in overall.items()], "key" if order == "key" else "count")
    top, _ = top_with_other(ranked, top_n)
    rank = {g[0][0]: i for i, g in enumerate(top)}
    by_year = {}
    for (year, value), count in pairs:
        entry = by_year.setdefault(year, {"total": 0, "rows": [], "other": 0})
        entry["total"] += count
        if top_n <= 0 or value in rank:
            entry["rows"].append((value, count))
        else:
            entry["other"] += count
    rows = []
    for year in sorted(by_year.keys(), key=key_sort):
        entry = by_year[year]
        if order == "key":
            ordered = sorted(entry["rows"], key=lambda r: key_sort(r[0]))
        else:
            ordered = sorted(entry["rows"], key=lambda r: rank[r[0]])
        for value, count in ordered:
            rows.append([year, value, count, count / entry["total"], False])
        if entry["other"] > 0:
            rows.append([year, None, entry["other"], entry["other"] / entry["total"], True])
    return {
        "columns": [
            {"name": by_name, "type": result_type(by_type)},
            {"name": dim_name, "type": result_type(dim_type)},
            {"name": "count", "type": "integer"},
            {"name": "share", "type": "float"},
            {"name": "other", "type": "boolean"},
        ],
        "rows": rows,
    }


def histogram_rows(lo, hi, n, bins, counts):
    """counts: {bin index: rows}. The max falls in the last bin; one bin when all values are equal."""
    if not n or lo is None or hi is None:
        return []
    if lo == hi:
        return [[0, lo, hi, n]]
    width = hi - lo
    rows = []
    for i in range(bins):
        upper = hi if i == bins - 1 else lo + (width * (i + 1)) / bins
        rows.append([i, lo + (width * i) / bins, upper, counts.get(i, 0)])
    return rows


def cramers_v(cells):
    """cells: list of (a, b, n). V = sqrt(chi2 / (n (min(r, c) - 1))); null when min(r, c) < 2."""
    row_sum, col_sum, n = {}, {}, 0
    for a, b, c in cells:
        row_sum[a] = row_sum.get(a, 0) + c
        col_sum[b] = col_sum.get(b, 0) + c
        n += c
    k = min(len(row_sum), len(col_sum))
    if n == 0 or k < 2:
        return None, n
    s = 0.0
    for a, b, c in cells:
        s += (c * c) / (row_sum[a] * col_sum[b])
    chi2 = n * (s - 1)
    return math.sqrt(max(0.0, chi2) / (n * (k - 1))), n


PAIR_COLUMNS = [
    {"name": "column_a", "type": "text"},
    {"name": "column_b", "type": "text"},
    {"name": "value", "type": "float"},
    {"name": "n", "type": "integer"},
]

# COMMAND ----------

# Loading with an explicit schema, and the cleaning stages

SPARK_TYPE_NAMES = {
    "integer": "IntegerType",
    "bigint": "LongType",
    "double": "DoubleType",
    "numeric": "DoubleType",
    "boolean": "BooleanType",
    "date": "DateType",
    "timestamp": "TimestampType",
    "text": "StringType",
}


def spark_type(column_type):
    return getattr(T, SPARK_TYPE_NAMES[column_type])()

ROW = "__sparkpolar_row"


def c(name):
    """A column by name, whatever characters the name holds."""
    return F.col("`" + name.replace("`", "``") + "`")


def load(spark, plan, path, fmt):
    """The dataset with the catalog's types and display names, plus a file-order row number."""
    columns = plan["columns"]
    if fmt == "csv":
        schema = T.StructType([T.StructField(col["file"], spark_type(col["type"]), True) for col in columns])
        frame = (
            spark.read.schema(schema)
            .option("header", "true")
            .option("enforceSchema", "true")
            .option("escape", '"')
            .option("multiLine", "true")
            .option("mode", "FAILFAST")
            .csv(path)
        )
    else:
        frame = spark.read.parquet(path)
    # The explicit schema: every column cast to its catalog type under its display name.
    selected = [F.col(col["file"]).cast(spark_type(col["type"])).alias(col["name"]) for col in columns]
    return frame.select(*selected).withColumn(ROW, F.monotonically_increasing_id())


def stage_frames(raw, plan):
    cleaning = plan["cleaning"]
    constants = plan["constants"]
    sentinels = list(constants["sentinels"])
    brands = constants["makeBrands"]
    columns = plan["columns"]
    make_name = "Vehicle Make"
    prepared = raw
    rewrites = {}
    for col in columns:
        if col["type"] != "text":
            continue
        expr = c(col["name"])
        changed = False
        if cleaning.get("sentinelsAsNull"):
            expr = F.when(expr.isin(sentinels), F.lit(None).cast("string")).otherwise(expr)
            changed = True
        if cleaning.get("mergeMakes") and col["name"] == make_name:
            mapping = F.create_map(*[F.lit(x) for kv in sorted(brands.items()) for x in kv])
            expr = F.coalesce(F.element_at(mapping, expr), expr)
            changed = True
        if changed:
            rewrites[col["name"]] = expr
    if rewrites:
        prepared = raw.select(*[(rewrites[n].alias(n) if n in rewrites else c(n)) for n in raw.columns])
    drop_columns = constants["originalNullDropColumns"]
    names = {col["name"] for col in columns}
    dropped = bool(cleaning.get("dropOriginalNulls")) and all(n in names for n in drop_columns)
    cleaned = prepared
    if dropped:
        keep = None
        for n in drop_columns:
            term = c(n).isNotNull()
            keep = term if keep is None else (keep & term)
        cleaned = prepared.where(keep)
    return {"raw": raw, "prepared": prepared, "cleaned": cleaned}


# COMMAND ----------

# The analyses. Each takes (ctx, analysis) and returns a result table; `analysis` carries the
# catalog's op and the resolved parameters. They mirror electron/engine/analysis/ops/*.ts.


class Context:
    def __init__(self, spark, plan, frames):
        self.spark = spark
        self.plan = plan
        self.frames = frames
        self.columns = plan["columns"]
        self.by_name = {col["name"]: col for col in plan["columns"]}
        self.dimension_names = plan["constants"].get(
            "dimensionNames",
            {"vehicle-age": "Vehicle Age", "vehicle-age-2025": "Vehicle Age (2025 \u2212 Vehicle Year)"},
        )

    def frame(self, analysis):
        return self.frames[analysis["stage"]]

    def col(self, name):
        if name not in self.by_name:
            raise KeyError("no column %r in the dataset" % name)
        return self.by_name[name]


def key_expr(ctx, name):
    """A column as a grouping key; dates and timestamps as the ISO text the Polars side gives."""
    t = ctx.col(name)["type"]
    if t == "date":
        return F.date_format(c(name), "yyyy-MM-dd")
    if t == "timestamp":
        return F.date_format(c(name), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
    return c(name)


def dimension(ctx, d):
    """(expression, result name, catalog type) of a dimension: a column or a derived vehicle age."""
    if "column" in d:
        return key_expr(ctx, d["column"]), d["column"], ctx.col(d["column"])["type"]
    vehicle_year = c("Vehicle Year").cast("long")
    if d["derived"] == "vehicle-age":
        expr = c("Year").cast("long") - vehicle_year
    else:
        expr = F.lit(2025).cast("long") - vehicle_year
    return expr, ctx.dimension_names[d["derived"]], "bigint"


def group_counts(frame, dims):
    """[(keys tuple, count)] per combination of the dimensions; nulls form their own group."""
    aliases = ["k%d" % i for i in range(len(dims))]
    rows = frame.groupBy(*[expr.alias(a) for (expr, _, _), a in zip(dims, aliases)]).count().collect()
    return [(tuple(cell(r[a]) for a in aliases), int(r["count"])) for r in rows]


def key_order(aliases):
    # Spark compares strings by their UTF-8 bytes, which is code-point order, as the shared rule says.
    return [F.col(a).asc_nulls_last() for a in aliases]


def top_group_counts(frame, dims, order, top_n):
    """The shown groups, ordered and cut in Spark (only top N + 1 rows reach the driver), the
    count of the rest and the total, counted in Spark too: a near-unique column stays on the cluster."""
    aliases = ["k%d" % i for i in range(len(dims))]
    grouped = frame.groupBy(*[expr.alias(a) for (expr, _, _), a in zip(dims, aliases)]).count()
    ordering = key_order(aliases) if order == "key" else [F.col("count").desc()] + key_order(aliases)
    ranked = grouped.orderBy(*ordering)
    if top_n > 0:
        ranked = ranked.limit(top_n + 1)
    rows = [(tuple(cell(r[a]) for a in aliases), int(r["count"])) for r in ranked.collect()]
    if top_n <= 0 or len(rows) <= top_n:
        return rows, None, sum(g[1] for g in rows)
    total = grouped.agg(F.sum("count").alias("total")).collect()[0]["total"]
    shown = rows[:top_n]
    return shown, int(total) - sum(g[1] for g in shown), int(total)


def op_counts(ctx, analysis):
    return {
        "columns": [{"name": "rows", "type": "integer"}, {"name": "columns", "type": "integer"}],
        "rows": [[ctx.frame(analysis).count(), len(ctx.columns)]],
    }


def op_schema(ctx, analysis):
    return {
        "columns": [{"name": "position", "type": "integer"}, {"name": "column", "type": "text"}, {"name": "type", "type": "text"}],
        "rows": [[i + 1, col["name"], col["type"]] for i, col in enumerate(ctx.columns)],
    }


def op_head(ctx, analysis):
    n = int(analysis["params"].get("n", 5))
    names = [col["name"] for col in ctx.columns]
    rows = ctx.frame(analysis).orderBy(ROW).limit(n).select(*[key_expr(ctx, name).alias("c%d" % i) for i, name in enumerate(names)]).collect()
    return {
        "columns": [{"name": col["name"], "type": result_type(col["type"])} for col in ctx.columns],
        "rows": [[cell(r["c%d" % i]) for i in range(len(names))] for r in rows],
    }


def value_stats(frame, expr, quantiles=None):
    """Distinct values, nulls, the most frequent value (count desc, then value) and, for a numeric
    column, exact linear quantiles, all from the column's (value, count) table in one action.
    Several countDistinct/percentile in one select make Spark expand every row once per column;
    grouping one column at a time shuffles only its distinct values, and `percentile` with a
    frequency reads each distinct value once."""
    g = frame.groupBy(expr.alias("v")).count()
    v = F.col("v")
    exprs = [
        F.count(v).alias("distinct"),
        F.sum(F.when(v.isNull(), F.col("count")).otherwise(0)).alias("nulls"),
        F.min(F.when(v.isNotNull(), F.struct((-F.col("count")).alias("n"), v.alias("v")))).alias("top"),
    ]
    if quantiles:
        qs = ", ".join(repr(q) for q in quantiles)
        exprs.append(F.expr("percentile(CAST(v AS DOUBLE), array(%s), `count`)" % qs).alias("q"))
    row = g.agg(*exprs).collect()[0]
    top = row["top"]
    return {
        "distinct": int(row["distinct"] or 0),
        "nulls": int(row["nulls"] or 0),
        "top": (cell(top["v"]), int(-top["n"])) if top is not None else None,
        "quantiles": list(row["q"]) if quantiles and row["q"] is not None else None,
    }


def numeric_stats(frame, columns, quantiles):
    """count, nulls, mean, std, min, max per column in one pass; distinct and exact quantiles per column."""
    if not columns:
        return {}
    exprs = []
    for i, col in enumerate(columns):
        e = c(col["name"])
        exprs += [
            F.count(e).alias("%d_count" % i),
            F.avg(e.cast("double")).alias("%d_mean" % i),
            F.stddev_samp(e.cast("double")).alias("%d_std" % i),
            F.min(e).alias("%d_min" % i),
            F.max(e).alias("%d_max" % i),
        ]
    row = frame.select(*exprs).collect()[0]
    out = {}
    for i, col in enumerate(columns):
        count = int(row["%d_count" % i])
        grouped = value_stats(frame, c(col["name"]), quantiles)
        q = grouped["quantiles"] or [None] * len(quantiles)
        out[col["name"]] = {
            "count": count,
            "nulls": grouped["nulls"],
            "mean": cell(row["%d_mean" % i]) if count else None,
            "std": cell(row["%d_std" % i]) if count > 1 else None,
            "min": cell(row["%d_min" % i]),
            "max": cell(row["%d_max" % i]),
            "distinct": grouped["distinct"],
            "quantiles": [cell(v) if count else None for v in q],
        }
    return out


def top_values(ctx, frame, name, k):
    """The k most frequent non-null values: count desc, then value ascending."""
    rows = (
        frame.where(c(name).isNotNull())
        .groupBy(key_expr(ctx, name).alias("v"))
        .count()
        .orderBy(F.col("count").desc(), F.col("v").asc())
        .limit(k)
        .collect()
    )
    return [(cell(r["v"]), int(r["count"])) for r in rows]


def op_describe(ctx, analysis):
    frame = ctx.frame(analysis)
    numeric = [col for col in ctx.columns if col["type"] in NUMERIC_TYPES]
    others = [col for col in ctx.columns if col["type"] not in NUMERIC_TYPES]
    stats = numeric_stats(frame, numeric, [0.25, 0.5, 0.75])
    other_stats = {}
    if others:
        total = frame.count()
        for col in others:
            grouped = value_stats(frame, key_expr(ctx, col["name"]))
            top = grouped["top"] if col["type"] == "text" else None
            other_stats[col["name"]] = (total, grouped["nulls"], grouped["distinct"], top)
    rows = []
    for col in ctx.columns:
        s = stats.get(col["name"])
        if s is not None:
            q = s["quantiles"]
            rows.append([col["name"], col["type"], s["count"], s["nulls"], s["mean"], s["std"], s["min"], q[0], q[1], q[2], s["max"], s["distinct"], None, None])
        else:
            total, nulls, distinct, top = other_stats[col["name"]]
            rows.append([col["name"], col["type"], total - nulls, nulls, None, None, None, None, None, None, None, distinct, top[0] if top else None, top[1] if top else None])
    names = ["column", "type", "count", "nulls", "mean", "std", "min", "p25", "p50", "p75", "max", "distinct", "top", "top_count"]
    types = ["text", "text", "integer", "integer", "float", "float", "float", "float", "float", "float", "float", "integer", "text", "integer"]
    return {"columns": [{"name": n, "type": t} for n, t in zip(names, types)], "rows": rows}


def op_nulls(ctx, analysis):
    frame = ctx.frame(analysis)
    exprs = [F.count(F.lit(1)).alias("total")] + [F.sum(F.when(c(col["name"]).isNull(), 1).otherwise(0)).alias("n%d" % i) for i, col in enumerate(ctx.columns)]
    row = frame.select(*exprs).collect()[0]
    total = int(row["total"])
    return {
        "columns": [{"name": "column", "type": "text"}, {"name": "nulls", "type": "integer"}, {"name": "share", "type": "float"}],
        "rows": [[col["name"], int(row["n%d" % i] or 0), share(int(row["n%d" % i] or 0), total)] for i, col in enumerate(ctx.columns)],
    }


def op_sentinels(ctx, analysis):
    frame = ctx.frame(analysis)
    sentinels = list(ctx.plan["constants"]["sentinels"])
    total = frame.count()
    rows = []
    for col in ctx.columns:
        if col["type"] != "text":
            continue
        e = c(col["name"])
        found = frame.where(e.isin(sentinels) | e.endswith("*")).groupBy(e.alias("v")).count().collect()
        found = sorted(((r["v"], int(r["count"])) for r in found), key=lambda f: (-f[1], f[0]))
        for value, count in found:
            rows.append([col["name"], value, "sentinel" if value in sentinels else "footnote", count, share(count, total)])
    return {
        "columns": [
            {"name": "column", "type": "text"},
            {"name": "value", "type": "text"},
            {"name": "kind", "type": "text"},
            {"name": "count", "type": "integer"},
            {"name": "share", "type": "float"},
        ],
        "rows": rows,
    }


def op_null_drop(ctx, analysis):
    frame = ctx.frame(analysis)
    keep = None
    for n in analysis["op"]["columns"]:
        term = c(n).isNotNull()
        keep = term if keep is None else (keep & term)
    row = frame.select(F.count(F.lit(1)).alias("before"), F.sum(F.when(keep, 1).otherwise(0)).alias("after")).collect()[0]
    before, after = int(row["before"]), int(row["after"] or 0)
    return {
        "columns": [{"name": "rows_before", "type": "integer"}, {"name": "rows_after", "type": "integer"}, {"name": "dropped", "type": "integer"}],
        "rows": [[before, after, before - after]],
    }


def op_duplicates(ctx, analysis):
    frame = ctx.frame(analysis)
    rows = frame.count()
    distinct = frame.select(*[c(col["name"]) for col in ctx.columns]).distinct().count() if rows else 0
    return {
        "columns": [{"name": "rows", "type": "integer"}, {"name": "distinct_rows", "type": "integer"}, {"name": "duplicate_rows", "type": "integer"}],
        "rows": [[rows, distinct, rows - distinct]],
    }


def op_duplicate_values(ctx, analysis):
    frame = ctx.frame(analysis)
    e = c(analysis["op"]["column"])
    groups = frame.where(e.isNotNull()).groupBy(e).count()
    row = groups.select(
        F.sum("count").alias("with_value"),
        F.count(F.lit(1)).alias("distinct"),
        F.sum(F.when(F.col("count") > 1, 1).otherwise(0)).alias("duplicated"),
        F.sum(F.when(F.col("count") > 1, F.col("count")).otherwise(0)).alias("rows_duplicated"),
    ).collect()[0]
    with_value, distinct = int(row["with_value"] or 0), int(row["distinct"] or 0)
    return {
        "columns": [
            {"name": "rows_with_vin", "type": "integer"},
            {"name": "distinct_vins", "type": "integer"},
            {"name": "duplicated_vins", "type": "integer"},
            {"name": "rows_with_duplicated_vin", "type": "integer"},
            {"name": "excess_rows", "type": "integer"},
        ],
        "rows": [[with_value, distinct, int(row["duplicated"] or 0), int(row["rows_duplicated"] or 0), with_value - distinct]],
    }


def op_out_of_range(ctx, analysis):
    frame = ctx.frame(analysis)
    params = analysis["params"]
    rules = analysis["op"]["rules"]

    def limit_of(limit):
        return limit if isinstance(limit, (int, float)) else params[limit]

    exprs = [F.count(F.lit(1)).alias("total")]
    for i, rule in enumerate(rules):
        v = c(rule["column"]).cast("double")
        limit = limit_of(rule["limit"])
        if rule["test"] == "below":
            test = v < F.lit(limit)
        elif rule["test"] == "above":
            test = v > F.lit(limit)
        else:
            test = v > (c(rule["otherColumn"]).cast("double") + F.lit(limit))
        exprs.append(F.sum(F.when(test, 1).otherwise(0)).alias("r%d" % i))
    row = frame.select(*exprs).collect()[0]
    total = int(row["total"])
    return {
        "columns": [
            {"name": "rule", "type": "text"},
            {"name": "column", "type": "text"},
            {"name": "limit", "type": "integer"},
            {"name": "rows", "type": "integer"},
            {"name": "share", "type": "float"},
        ],
        "rows": [[rule["id"], rule["column"], limit_of(rule["limit"]), int(row["r%d" % i] or 0), share(int(row["r%d" % i] or 0), total)] for i, rule in enumerate(rules)],
    }


def op_make_merge(ctx, analysis):
    frame = ctx.frame(analysis)
    brands = ctx.plan["constants"]["makeBrands"]
    e = c(analysis["op"]["column"])
    found = frame.where(e.isin(list(brands.keys()))).groupBy(e.alias("code")).count().collect()
    rows = sorted(([brands[r["code"]], r["code"], int(r["count"])] for r in found), key=lambda r: (r[0], -r[2], r[1]))
    return {"columns": [{"name": "brand", "type": "text"}, {"name": "code", "type": "text"}, {"name": "rows", "type": "integer"}], "rows": rows}


def op_group_count(ctx, analysis):
    op = analysis["op"]
    dims = [dimension(ctx, d) for d in op["dimensions"]]
    shown, other, total = top_group_counts(ctx.frame(analysis), dims, op["order"], int(analysis["params"].get("topN", 0)))
    return shown_groups_table([d[1] for d in dims], [result_type(d[2]) for d in dims], shown, other, total)


def op_value_counts(ctx, analysis):
    name = analysis["params"]["column"]
    dims = [(key_expr(ctx, name), "value", ctx.col(name)["type"])]
    shown, other, total = top_group_counts(ctx.frame(analysis), dims, "count", int(analysis["params"].get("topN", 0)))
    return shown_groups_table(["value"], [result_type(dims[0][2])], shown, other, total)


def op_trend(ctx, analysis):
    op = analysis["op"]
    by = dimension(ctx, {"column": op["by"]})
    dim = dimension(ctx, op["dimension"])
    pairs = group_counts(ctx.frame(analysis), [by, dim])
    return trend_table(by[1], by[2], dim[1], dim[2], pairs, op["order"], int(analysis["params"].get("topN", 0)))


def pearson_matrix(ctx, frame, names):
    """Every ordered pair over the rows where both values are present; one action for all pairs."""
    exprs = []
    pairs = [(i, j) for i in range(len(names)) for j in range(i, len(names))]
    for i, j in pairs:
        x, y = c(names[i]).cast("double"), c(names[j]).cast("double")
        both = x.isNotNull() & y.isNotNull() & ~F.isnan(x) & ~F.isnan(y)
        xs, ys = F.when(both, x), F.when(both, y)
        exprs += [
            F.sum(F.when(both, 1).otherwise(0)).alias("n_%d_%d" % (i, j)),
            F.corr(xs, ys).alias("r_%d_%d" % (i, j)),
            F.var_pop(xs).alias("vx_%d_%d" % (i, j)),
            F.var_pop(ys).alias("vy_%d_%d" % (i, j)),
        ]
    row = frame.select(*exprs).collect()[0]
    result = {}
    for i, j in pairs:
        n = int(row["n_%d_%d" % (i, j)] or 0)
        vx, vy, r = row["vx_%d_%d" % (i, j)], row["vy_%d_%d" % (i, j)], row["r_%d_%d" % (i, j)]
        value = cell(r) if n >= 2 and vx is not None and vy is not None and vx > 0 and vy > 0 else None
        result[(i, j)] = result[(j, i)] = (value, n)
    return result


def average_ranks(frame, name, alias):
    """Average ranks (ties share their mean rank) of a column, as a small value → rank table."""
    counts = frame.groupBy(F.col(name).alias("v")).count()
    w = Window.orderBy("v").rowsBetween(Window.unboundedPreceding, Window.currentRow)
    return counts.select(F.col("v").alias(name), (F.sum("count").over(w) - (F.col("count") - 1) / 2.0).alias(alias))


def present(x):
    """A value a correlation or histogram uses: not null and not NaN (the rule of every engine)."""
    return x.isNotNull() & ~F.isnan(x)


def rank_pairs(names, missing):
    """Which pairs can use each column's ranks over every row (neither column has a missing
    value), and which must rank the rows both columns share, pair by pair."""
    pairs = [(i, j) for i in range(len(names)) for j in range(i, len(names))]
    once = [(i, j) for i, j in pairs if not missing[names[i]] and not missing[names[j]]]
    pairwise = [(i, j) for i, j in pairs if (i, j) not in once]
    return once, pairwise


def spearman_matrix(ctx, frame, names):
    """Spearman = Pearson over average ranks. A column with no missing value is ranked once and
    its pairs computed together from the ranked frame; only pairs with missing values rank pairwise."""
    values = frame.select(*[c(n).cast("double").alias("x%d" % i) for i, n in enumerate(names)])
    counts = values.select(*[F.sum(F.when(present(F.col("x%d" % i)), 0).otherwise(1)).alias("m%d" % i) for i in range(len(names))]).collect()[0]
    missing = {n: int(counts["m%d" % i] or 0) > 0 for i, n in enumerate(names)}
    once, pairwise = rank_pairs(names, missing)
    result = {}
    complete = sorted({i for pair in once for i in pair})
    if complete:
        ranked = values
        for i in complete:
            ranked = ranked.join(average_ranks(values, "x%d" % i, "r%d" % i), "x%d" % i)
        exprs = []
        for i, j in once:
            rx, ry = F.col("r%d" % i), F.col("r%d" % j)
            exprs += [F.corr(rx, ry).alias("r_%d_%d" % (i, j)), F.var_pop(rx).alias("vx_%d_%d" % (i, j)), F.var_pop(ry).alias("vy_%d_%d" % (i, j))]
        row = ranked.select(F.count(F.lit(1)).alias("n"), *exprs).collect()[0]
        n = int(row["n"])
        for i, j in once:
            vx, vy, r = row["vx_%d_%d" % (i, j)], row["vy_%d_%d" % (i, j)], row["r_%d_%d" % (i, j)]
            value = cell(r) if n >= 2 and vx is not None and vy is not None and vx > 0 and vy > 0 else None
            result[(i, j)] = result[(j, i)] = (value, n)
    for i, j in pairwise:
        both = values.select(F.col("x%d" % i).alias("x"), F.col("x%d" % j).alias("y")).where(present(F.col("x")) & present(F.col("y")))
        ranked = both.join(F.broadcast(average_ranks(both, "x", "rx")), "x").join(F.broadcast(average_ranks(both, "y", "ry")), "y")
        row = ranked.select(F.count(F.lit(1)).alias("n"), F.corr("rx", "ry").alias("r"), F.var_pop("rx").alias("vx"), F.var_pop("ry").alias("vy")).collect()[0]
        n = int(row["n"])
        value = cell(row["r"]) if n >= 2 and row["vx"] is not None and row["vy"] is not None and row["vx"] > 0 and row["vy"] > 0 else None
        result[(i, j)] = result[(j, i)] = (value, n)
    return result


def correlation_table(ctx, frame, names, method):
    for n in names:
        ctx.col(n)
    pairs = spearman_matrix(ctx, frame, names) if method == "spearman" else pearson_matrix(ctx, frame, names)
    rows = []
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            value, n = pairs[(i, j)]
            rows.append([a, b, value, n])
    return {"columns": PAIR_COLUMNS, "rows": rows}


def op_correlation(ctx, analysis):
    op = analysis["op"]
    return correlation_table(ctx, ctx.frame(analysis), op["columns"], op["method"])


def op_generic_correlation(ctx, analysis):
    params = analysis["params"]
    return correlation_table(ctx, ctx.frame(analysis), params["columns"], params["method"])


def op_cramers_v(ctx, analysis):
    """Contingency tables of every pair in one action (rows exploded into pair cells), V in Python."""
    names = analysis["op"]["columns"]
    frame = ctx.frame(analysis)
    pairs = [(i, j) for i in range(len(names)) for j in range(i, len(names))]
    cells = F.array(
        *[
            F.struct(F.lit(p).alias("p"), c(names[i]).cast("string").alias("a"), c(names[j]).cast("string").alias("b"))
            for p, (i, j) in enumerate(pairs)
        ]
    )
    counted = (
        frame.select(F.explode(cells).alias("cell"))
        .select("cell.p", "cell.a", "cell.b")
        .where(F.col("a").isNotNull() & F.col("b").isNotNull())
        .groupBy("p", "a", "b")
        .count()
        .collect()
    )
    by_pair = {}
    for r in counted:
        by_pair.setdefault(int(r["p"]), []).append((r["a"], r["b"], int(r["count"])))
    values = {}
    for p, (i, j) in enumerate(pairs):
        values[(i, j)] = values[(j, i)] = cramers_v(by_pair.get(p, []))
    rows = []
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            v, n = values[(i, j)]
            rows.append([a, b, v, n])
    return {"columns": PAIR_COLUMNS, "rows": rows}


def op_profile(ctx, analysis):
    frame = ctx.frame(analysis)
    k = int(analysis["params"].get("topValues", 3))
    numeric = [col for col in ctx.columns if col["type"] in NUMERIC_TYPES]
    stats = numeric_stats(frame, numeric, [0.05, 0.25, 0.5, 0.75, 0.95])
    exprs = [F.count(F.lit(1)).alias("total")]
    for i, col in enumerate(ctx.columns):
        e = key_expr(ctx, col["name"])
        exprs += [F.min(e).alias("%d_min" % i), F.max(e).alias("%d_max" % i)]
    row = frame.select(*exprs).collect()[0]
    total = int(row["total"])
    rows = []
    for i, col in enumerate(ctx.columns):
        grouped = value_stats(frame, c(col["name"])) if col["name"] not in stats else None
        nulls = stats[col["name"]]["nulls"] if grouped is None else grouped["nulls"]
        distinct = stats[col["name"]]["distinct"] if grouped is None else grouped["distinct"]
        s = stats.get(col["name"])
        lo, hi = (s["min"], s["max"]) if s else (cell(row["%d_min" % i]), cell(row["%d_max" % i]))
        tops = "; ".join("%s (%d)" % (value_text(v), n) for v, n in top_values(ctx, frame, col["name"], k))
        rows.append(
            [
                col["name"],
                col["type"],
                total,
                nulls,
                share(nulls, total),
                distinct,
                value_text(lo),
                value_text(hi),
                s["mean"] if s else None,
                s["std"] if s else None,
            ]
            + (s["quantiles"] if s else [None] * 5)
            + [tops or None]
        )
    names = ["column", "type", "rows", "nulls", "null_share", "distinct", "min", "max", "mean", "std", "p05", "p25", "p50", "p75", "p95", "top_values"]
    types = ["text", "text", "integer", "integer", "float", "integer", "text", "text", "float", "float", "float", "float", "float", "float", "float", "text"]
    return {"columns": [{"name": n, "type": t} for n, t in zip(names, types)], "rows": rows}


def op_histogram(ctx, analysis):
    params = analysis["params"]
    name = params["column"]
    ctx.col(name)
    bins = int(params.get("bins", 20))
    values = ctx.frame(analysis).select(c(name).cast("double").alias("v")).where(F.col("v").isNotNull() & ~F.isnan("v"))
    mm = values.select(F.min("v").alias("lo"), F.max("v").alias("hi"), F.count(F.lit(1)).alias("n")).collect()[0]
    lo, hi, n = mm["lo"], mm["hi"], int(mm["n"])
    counts = {}
    if n and lo is not None and hi is not None and lo != hi:
        b = F.floor(((F.col("v") - F.lit(lo)) * F.lit(float(bins))) / F.lit(hi - lo)).cast("long")
        clipped = F.least(F.greatest(b, F.lit(0)), F.lit(bins - 1))
        for r in values.groupBy(clipped.alias("bin")).count().collect():
            counts[int(r["bin"])] = int(r["count"])
    return {
        "columns": [{"name": "bin", "type": "integer"}, {"name": "lower", "type": "float"}, {"name": "upper", "type": "float"}, {"name": "count", "type": "integer"}],
        "rows": histogram_rows(lo, hi, n, bins, counts),
    }


def filter_expr(ctx, flt):
    """The group-by filter with SQL semantics: a null never matches a comparison."""
    col = ctx.col(flt["column"])
    e = c(flt["column"])
    numeric = col["type"] in NUMERIC_TYPES

    def value(v):
        if numeric:
            return float(v)
        if col["type"] == "boolean":
            return v is True or v == "true"
        return v if isinstance(v, str) else value_text(v)

    op = flt["op"]
    if op == "isNull":
        return e.isNull()
    if op == "notNull":
        return e.isNotNull()
    if op == "in":
        # A null in the list matches nothing, as in SQL; an empty list matches no row.
        wanted = [value(v) for v in flt.get("values") or [] if v is not None]
        return e.isin(wanted) if wanted else F.lit(False)
    if flt.get("value") is None:
        # Compared with nothing, no row matches (in every engine).
        return F.lit(False)
    v = F.lit(value(flt.get("value")))
    return {"eq": e == v, "ne": e != v, "gt": e > v, "ge": e >= v, "lt": e < v, "le": e <= v}[op]


def aggregate_expr(aggregate, measure):
    if aggregate == "count":
        return (F.count(c(measure)) if measure else F.count(F.lit(1))).cast("double")
    m = c(measure).cast("double")
    if aggregate == "median":
        quoted = "`" + measure.replace("`", "``") + "`"
        value = F.expr("percentile(CAST(%s AS DOUBLE), 0.5)" % quoted)
    else:
        value = {"sum": F.sum(m), "mean": F.avg(m), "min": F.min(m), "max": F.max(m)}[aggregate]
    # An aggregate over no values is null.
    return F.when(F.count(m) > 0, value.cast("double"))


def op_group_by(ctx, analysis):
    params = analysis["params"]
    names = list(params["dimensions"])
    aggregate = params["aggregate"]
    measure = params.get("measure")
    flt = params.get("filter")
    top_n = int(params.get("topN", 0))
    frame = ctx.frame(analysis)
    if flt:
        frame = frame.where(filter_expr(ctx, flt))
    keyed = frame.select(*[key_expr(ctx, n).alias("k%d" % i) for i, n in enumerate(names)], *([c(measure).alias(measure)] if measure else []))
    keys = ["k%d" % i for i in range(len(names))]
    grouped = keyed.groupBy(*keys).agg(aggregate_expr(aggregate, measure).alias("value"), F.count(F.lit(1)).alias("rows"))
    # Value descending (no value last), then keys: ordered and cut in Spark.
    ranked = grouped.orderBy(F.col("value").desc_nulls_last(), *key_order(keys))
    collected = (ranked.limit(top_n + 1) if top_n > 0 else ranked).collect()
    rows = [[cell(r[k]) for k in keys] + [cell(r["value"]), int(r["rows"]), False] for r in collected]
    if top_n > 0 and len(rows) > top_n:
        rows = rows[:top_n]
        # The rest: every row whose keys are not among the shown groups, by a broadcast anti-join
        # on null-safe equality (top N is at most 10,000: a small table, never a giant OR).
        shown = F.broadcast(ranked.limit(top_n).select(*[F.col(k).alias("s" + k) for k in keys]))
        condition = None
        for k in keys:
            term = keyed[k].eqNullSafe(shown["s" + k])
            condition = term if condition is None else (condition & term)
        rest = keyed.join(shown, condition, "left_anti")
        other = rest.agg(aggregate_expr(aggregate, measure).alias("value"), F.count(F.lit(1)).alias("rows")).collect()[0]
        rows.append([None] * len(names) + [cell(other["value"]), int(other["rows"]), True])
    columns = [{"name": n, "type": result_type(ctx.col(n)["type"])} for n in names]
    columns += [{"name": "value", "type": "float"}, {"name": "rows", "type": "integer"}, {"name": "other", "type": "boolean"}]
    return {"columns": columns, "rows": rows}


# COMMAND ----------

# Every catalog id (shared/analyses.ts) → its implementation. A test parses this table and checks
# that it names every id of the catalog, each with the function of its op kind.
ANALYSES = {
    "explore-counts": op_counts,
    "explore-schema": op_schema,
    "explore-head": op_head,
    "explore-describe": op_describe,
    "clean-nulls": op_nulls,
    "clean-sentinels": op_sentinels,
    "clean-null-drop": op_null_drop,
    "clean-duplicates": op_duplicates,
    "clean-duplicate-vins": op_duplicate_values,
    "clean-out-of-range": op_out_of_range,
    "clean-make-merge": op_make_merge,
    "desc-body-type": op_group_count,
    "desc-crash-year": op_group_count,
    "desc-occupants": op_group_count,
    "desc-factor1": op_group_count,
    "desc-factor1-description": op_group_count,
    "desc-factor-pair": op_group_count,
    "desc-factor-pair-descriptions": op_group_count,
    "desc-state": op_group_count,
    "desc-direction": op_group_count,
    "desc-vehicle-age": op_group_count,
    "desc-vehicle-age-2025": op_group_count,
    "desc-fuel": op_group_count,
    "desc-cylinders": op_group_count,
    "desc-action": op_group_count,
    "desc-event-type": op_group_count,
    "desc-make": op_group_count,
    "desc-registration-class": op_group_count,
    "trend-body-type": op_trend,
    "trend-registration-class": op_trend,
    "trend-action": op_trend,
    "trend-direction": op_trend,
    "trend-fuel": op_trend,
    "trend-state": op_trend,
    "trend-make": op_trend,
    "trend-factor1-description": op_trend,
    "trend-event-type": op_trend,
    "trend-vehicle-age": op_trend,
    "corr-pearson": op_correlation,
    "corr-spearman": op_correlation,
    "corr-cramers-v": op_cramers_v,
    "generic-profile": op_profile,
    "generic-histogram": op_histogram,
    "generic-value-counts": op_value_counts,
    "generic-group-by": op_group_by,
    "generic-correlation": op_generic_correlation,
}

# COMMAND ----------

# Running the plan


def runtime_versions(spark):
    versions = {"spark": None, "pyspark": None, "python": sys.version.split()[0], "databricksRuntime": os.environ.get("DATABRICKS_RUNTIME_VERSION"), "platform": platform.platform()}
    try:
        versions["spark"] = spark.version
    except Exception:
        pass
    try:
        import pyspark

        versions["pyspark"] = pyspark.__version__
    except Exception:
        pass
    return versions


def compute_details(spark):
    details = {}
    tags = {
        "clusterId": "spark.databricks.clusterUsageTags.clusterId",
        "clusterName": "spark.databricks.clusterUsageTags.clusterName",
        "nodeType": "spark.databricks.clusterUsageTags.clusterNodeType",
        "driverNodeType": "spark.databricks.clusterUsageTags.driverNodeType",
        "workers": "spark.databricks.clusterUsageTags.clusterWorkers",
        "sparkVersion": "spark.databricks.clusterUsageTags.sparkVersion",
        "cloudProvider": "spark.databricks.clusterUsageTags.cloudProvider",
    }
    for key, conf in tags.items():
        try:
            value = spark.conf.get(conf, None)
        except Exception:
            value = None
        if value is not None:
            details[key] = value
    try:
        details["master"] = spark.conf.get("spark.master", None)
    except Exception:
        pass
    try:
        details["defaultParallelism"] = spark.sparkContext.defaultParallelism
    except Exception:
        pass  # not available through Spark Connect (serverless)
    details["serverless"] = "clusterId" not in details and bool(os.environ.get("DATABRICKS_RUNTIME_VERSION"))
    return details


def failed_result(analysis_id, samples, err, trace=None):
    return {
        "id": analysis_id,
        "status": "failed",
        "samplesMs": samples,
        "table": None,
        "error": {"type": type(err).__name__, "message": str(err).split("\n")[0][:500], "trace": (trace or traceback.format_exc())[-8000:]},
    }


def time_analysis(ctx, analysis, repeat):
    implementation = ANALYSES.get(analysis["id"])
    if implementation is None:
        return failed_result(analysis["id"], [], KeyError("this job does not know the analysis %s" % analysis["id"]), "")
    samples = []
    table = None
    for i in range(repeat):
        started = time.perf_counter()
        try:
            result = implementation(ctx, analysis)
        except Exception as err:
            samples.append((time.perf_counter() - started) * 1000.0)
            return failed_result(analysis["id"], samples, err)
        samples.append((time.perf_counter() - started) * 1000.0)
        if i == 0:
            table = result
    return {"id": analysis["id"], "status": "ok", "samplesMs": samples, "table": table, "rowsOut": len(table["rows"])}


def analysis_json(result):
    """(JSON text, status) of one analysis, its numbers sanitised; a result that still cannot be
    written becomes that analysis's failure, never the whole document's."""
    try:
        return json.dumps(sanitize(result), allow_nan=False), result["status"]
    except (TypeError, ValueError) as err:
        return json.dumps(failed_result(result.get("id", "?"), sanitize(result.get("samplesMs", [])), err), allow_nan=False), "failed"


def result_document(head, analysis_texts):
    """The result document as text: `head` (everything but the analyses) plus each analysis's JSON."""
    head_text = json.dumps(sanitize(head), allow_nan=False)
    return head_text[:-1] + ', "analyses": [' + ", ".join(analysis_texts) + "]}"


def run_summary(plan, output, document_text, failed, analyses, rows, load_ms, total_ms):
    """The short summary for the notebook exit value and stdout; it carries the whole document
    only while that stays under INLINE_RESULT_LIMIT (the exit value and the logs are size-limited)."""
    summary = {
        "runTag": plan["runTag"],
        "status": "ok" if not failed else "partial",
        "output": output,
        "analyses": analyses,
        "failed": failed,
        "rows": rows,
        "loadMs": load_ms,
        "totalMs": total_ms,
    }
    inline = document_text if len(document_text) <= INLINE_RESULT_LIMIT else "null"
    return '{"sparkpolar": ' + json.dumps(sanitize(summary), allow_nan=False) + ', "result": ' + inline + "}"


def run(spark, dbutils, params):
    started_at = datetime.datetime.now(datetime.timezone.utc)
    t0 = time.perf_counter()
    plan_text = params["plan"] if params["plan"].lstrip().startswith("{") else read_text(spark, params["plan"])
    plan = parse_plan(plan_text, params["plan"] if not params["plan"].lstrip().startswith("{") else "the plan")
    path = params.get("input") or plan["input"]["path"]
    fmt = params.get("format") or plan["input"]["format"]
    output = params.get("output") or plan["output"]
    try:
        spark.conf.set("spark.sql.session.timeZone", "UTC")
    except Exception:
        pass

    load_started = time.perf_counter()
    raw = load(spark, plan, path, fmt)
    cached = False
    try:
        raw = raw.cache()
        rows = raw.count()
        cached = True
    except Exception:
        # Serverless compute refuses cache(): each analysis reads the file again (recorded, and
        # shown next to the timings, since it changes what they measure).
        raw = load(spark, plan, path, fmt)
        rows = raw.count()
    load_ms = (time.perf_counter() - load_started) * 1000.0

    ctx = Context(spark, plan, stage_frames(raw, plan))
    repeat = max(1, int(plan.get("repeat", 1)))
    texts = []
    failed = 0
    for analysis in plan["analyses"]:
        result = time_analysis(ctx, analysis, repeat)
        text, status = analysis_json(result)
        failed += status == "failed"
        texts.append(text)
        print("sparkpolar: %s %s %.0f ms" % (analysis["id"], status, result["samplesMs"][0] if result["samplesMs"] else 0), flush=True)

    runtime = runtime_versions(spark)
    runtime["engine"] = "spark"
    runtime["cached"] = "true" if cached else "false"
    total_ms = (time.perf_counter() - t0) * 1000.0
    head = {
        "format": RESULT_FORMAT,
        "version": 1,
        "runTag": plan["runTag"],
        "startedAt": started_at.isoformat(),
        "finishedAt": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "runtime": runtime,
        "compute": compute_details(spark),
        "input": {"path": path, "format": fmt, "rows": rows},
        "load": {"ms": load_ms, "cached": cached},
        "repeat": repeat,
        "totalMs": total_ms,
    }
    text = result_document(head, texts)
    write_text(spark, dbutils, output, text)
    return run_summary(plan, output, text, failed, len(texts), rows, load_ms, total_ms)


def main():
    spark = SparkSession.builder.appName("sparkpolar").getOrCreate()
    dbutils = get_dbutils(spark)
    params = read_parameters(dbutils)
    if not params.get("plan"):
        raise SystemExit("sparkpolar: give the plan (--plan PATH, or the notebook's plan widget)")
    summary = run(spark, dbutils, params)
    print(summary, flush=True)
    if dbutils is not None and "dbutils" in globals():
        dbutils.notebook.exit(summary)


# COMMAND ----------

if __name__ == "__main__":
    main()
