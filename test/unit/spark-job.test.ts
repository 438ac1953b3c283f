/**
 * The PySpark job (resources/spark/sparkpolar_job.py): it compiles, it is a Databricks notebook
 * source, its dispatch table (read with Python's own parser) names every catalog id with the
 * function of that id's op kind, and its pure-Python pieces agree with JavaScript where the app
 * compares them (number text, top-N ordering). No Spark is needed: the pyspark imports are stubbed
 * for the pure helpers.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANALYSES } from '../../shared/analyses';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const JOB = path.join(repoRoot, 'resources/spark/sparkpolar_job.py');

function python(script: string, input = ''): string {
  return execFileSync('python3', ['-c', script], { input, encoding: 'utf8', cwd: repoRoot });
}

/** Loads the job with stub pyspark modules so its pure helpers can be called. */
const LOAD_WITH_STUBS = `
import importlib.util, json, sys, types
pyspark = types.ModuleType('pyspark'); sql = types.ModuleType('pyspark.sql')
fn = types.ModuleType('pyspark.sql.functions'); ty = types.ModuleType('pyspark.sql.types')
for n in ['IntegerType','LongType','DoubleType','BooleanType','DateType','TimestampType','StringType','StructType','StructField']:
    setattr(ty, n, lambda *a, **k: None)
sql.SparkSession = object; sql.Window = object; sql.functions = fn; sql.types = ty
sys.modules.update({'pyspark': pyspark, 'pyspark.sql': sql, 'pyspark.sql.functions': fn, 'pyspark.sql.types': ty})
spec = importlib.util.spec_from_file_location('job', ${JSON.stringify(JOB)})
job = importlib.util.module_from_spec(spec); spec.loader.exec_module(job)
`;

describe('the PySpark job', () => {
  it('compiles with python3 -m py_compile', () => {
    execFileSync('python3', ['-m', 'py_compile', JOB]);
  });

  it('is a Databricks notebook source with cells', () => {
    const text = fs.readFileSync(JOB, 'utf8');
    expect(text.startsWith('# Databricks notebook source\n')).toBe(true);
    expect(text.split('\n# COMMAND ----------\n').length).toBeGreaterThan(5);
  });

  it('dispatches every catalog id, and only those, each to the function of its op kind', () => {
    const table = JSON.parse(
      python(`
import ast, json
tree = ast.parse(open(${JSON.stringify(JOB)}, encoding='utf-8').read())
functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
for node in tree.body:
    if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == 'ANALYSES' for t in node.targets):
        assert isinstance(node.value, ast.Dict)
        out = {}
        for k, v in zip(node.value.keys, node.value.values):
            assert isinstance(k, ast.Constant) and isinstance(v, ast.Name), 'keys are strings, values function names'
            assert v.id in functions, v.id + ' is not a function of the job'
            assert k.value not in out, 'duplicate ' + k.value
            out[k.value] = v.id
        print(json.dumps(out))
`),
    ) as Record<string, string>;
    expect(Object.keys(table).sort()).toEqual(ANALYSES.map((a) => a.id).sort());
    for (const spec of ANALYSES) expect(table[spec.id], spec.id).toBe(`op_${spec.op.kind.replace(/-/g, '_')}`);
  });

  it('writes numbers as JavaScript String() does (min/max/top values text)', () => {
    const values = [
      0,
      1,
      -1,
      0.1,
      0.5,
      1 / 3,
      2 / 3,
      1e-7,
      1.5e-7,
      1e-6,
      0.000001234,
      123.456,
      1e16,
      1e21,
      1.2345e21,
      2.5e-300,
      5e-324,
      Number.MAX_VALUE,
      1990,
      2019.5,
      123456789.125,
    ];
    for (let i = 0; i < 200; i++) values.push((Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 40 - 20));
    const out = JSON.parse(
      python(`${LOAD_WITH_STUBS}\nprint(json.dumps([job.js_number(float(x)) for x in json.load(sys.stdin)]))`, JSON.stringify(values)),
    ) as string[];
    expect(out).toEqual(values.map((v) => String(v)));
  });

  it('orders group counts like the shared rules: count desc, keys in code-point order, nulls last, top N + other', () => {
    const groups: Array<[Array<string | number | null>, number]> = [
      [['b'], 5],
      [['a'], 5],
      [[null], 5],
      [['É'], 7],
      [['Z'], 5],
      [['ä'], 1],
      [['a b'], 2],
    ];
    const result = JSON.parse(
      python(
        `${LOAD_WITH_STUBS}\ng = [(tuple(k), c) for k, c in json.load(sys.stdin)]\nprint(json.dumps([job.group_count_table(['v'], ['text'], g, 30, 'count', 4), job.group_count_table(['v'], ['text'], g, 30, 'key', 0)]))`,
        JSON.stringify(groups),
      ),
    ) as Array<{ rows: unknown[][] }>;
    // Independent expectation: count desc, then code points ('Z' < 'a' < 'b' < 'É' < 'ä'), null last.
    expect(result[0]!.rows).toEqual([
      ['É', 7, 7 / 30, false],
      ['Z', 5, 5 / 30, false],
      ['a', 5, 5 / 30, false],
      ['b', 5, 5 / 30, false],
      [null, 8, 8 / 30, true],
    ]);
    expect(result[1]!.rows.map((r) => r[0])).toEqual(['Z', 'a', 'a b', 'b', 'É', 'ä', null]);
  });

  it('builds trends with the top categories over all years and each year’s other bucket', () => {
    const pairs = [
      [[2019, 'CAR'], 10],
      [[2019, 'VAN'], 3],
      [[2019, 'BUS'], 1],
      [[2020, 'CAR'], 4],
      [[2020, 'BUS'], 6],
      [[null, 'CAR'], 1],
    ];
    const table = JSON.parse(
      python(
        `${LOAD_WITH_STUBS}\np = [(tuple(k), c) for k, c in json.load(sys.stdin)]\nprint(json.dumps(job.trend_table('Year', 'integer', 'Body', 'text', p, 'overall-count', 2)))`,
        JSON.stringify(pairs),
      ),
    ) as {
      rows: unknown[][];
    };
    // Overall: CAR 15, BUS 7, VAN 3 → top 2 = CAR, BUS; years ascending, null last.
    expect(table.rows).toEqual([
      [2019, 'CAR', 10, 10 / 14, false],
      [2019, 'BUS', 1, 1 / 14, false],
      [2019, null, 3, 3 / 14, true],
      [2020, 'CAR', 4, 4 / 10, false],
      [2020, 'BUS', 6, 6 / 10, false],
      [null, 'CAR', 1, 1, false],
    ]);
  });

  it('computes histogram edges and Cramér’s V with the same arithmetic as the app', () => {
    const out = JSON.parse(
      python(
        `${LOAD_WITH_STUBS}\nprint(json.dumps([job.histogram_rows(1.0, 4.0, 10, 3, {0: 3, 2: 7}), job.histogram_rows(2.0, 2.0, 5, 4, {}), job.cramers_v([('a','x',10),('b','y',10)]), job.cramers_v([('a','x',5)])]))`,
      ),
    ) as unknown[];
    expect(out[0]).toEqual([
      [0, 1, 1 + (3 * 1) / 3, 3],
      [1, 1 + (3 * 1) / 3, 1 + (3 * 2) / 3, 0],
      [2, 1 + (3 * 2) / 3, 4, 7],
    ]);
    expect(out[1]).toEqual([[0, 2, 2, 5]]);
    expect(out[2]).toEqual([1, 20]);
    expect(out[3]).toEqual([null, 5]);
  });
});
