/**
 * Applicability and parameter resolution, shared by every engine so they agree: which
 * requirements a dataset misses, the parameters after defaults and run-time choices, and the
 * columns an analysis reads.
 */
import type { ColumnType, DatasetColumn } from '../types';
import { NUMERIC_TYPES } from '../types';
import type { AnalysisSpec, FilterOp, GroupByFilter, MissingRequirement, ResolvedParams } from './types';
import { dimensionColumns } from './crash';

const NUMERIC: ColumnType[] = [...NUMERIC_TYPES];

/** The requirements a dataset does not meet (empty: applicable). */
export function missingRequirements(spec: AnalysisSpec, columns: DatasetColumn[]): MissingRequirement[] {
  const missing: MissingRequirement[] = [];
  for (const r of spec.requires) {
    const col = columns.find((c) => c.name === r.column);
    if (!col || (r.types && !r.types.includes(col.type)))
      missing.push(r.types ? { column: r.column, types: r.types } : { column: r.column });
  }
  if (spec.requiresAnyOf) {
    const have = columns.filter((c) => spec.requiresAnyOf!.types.includes(c.type) && !isIdentifierLike(c)).length;
    if (have < spec.requiresAnyOf.min) {
      missing.push({
        column: `${spec.requiresAnyOf.min} column(s) of type ${spec.requiresAnyOf.types.join('/')}`,
        types: spec.requiresAnyOf.types,
      });
    }
  }
  return missing;
}

/** Columns named like identifiers (`… ID`, `id`, `… VIN`) are left out of automatic numeric choices. */
export function isIdentifierLike(column: DatasetColumn): boolean {
  return /(^|[\s_])(id|vin)$/i.test(column.name.trim());
}

const isNumericType = (type: ColumnType) => NUMERIC.includes(type);

/**
 * Fills defaults and resolves column parameters left empty: the histogram takes the first
 * numeric non-identifier column, value counts and group-by the first text column (else the first
 * column), the correlation matrix every numeric non-identifier column. Throws on invalid values.
 */
export function resolveParams(spec: AnalysisSpec, columns: DatasetColumn[], given: Record<string, unknown> = {}): ResolvedParams {
  const out: ResolvedParams = {};
  const byName = (name: unknown, what: string, types?: ColumnType[]): string => {
    const col = columns.find((c) => c.name === name);
    if (typeof name !== 'string' || !col) throw new Error(`${spec.id}: ${what} "${String(name)}" is not a column of the dataset`);
    if (types && !types.includes(col.type)) throw new Error(`${spec.id}: ${what} "${name}" must be of type ${types.join('/')}`);
    return col.name;
  };
  const numericAuto = columns.filter((c) => isNumericType(c.type) && !isIdentifierLike(c));
  const firstText = columns.find((c) => c.type === 'text') ?? columns[0];
  for (const p of spec.params) {
    const value = given[p.name] ?? p.default;
    switch (p.kind) {
      case 'integer':
      case 'number': {
        const n = Number(value);
        if (!Number.isFinite(n) || (p.kind === 'integer' && !Number.isInteger(n)))
          throw new Error(`${spec.id}: ${p.name} must be a${p.kind === 'integer' ? 'n integer' : ' number'}`);
        if ((p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max))
          throw new Error(`${spec.id}: ${p.name} must be between ${p.min ?? '−∞'} and ${p.max ?? '∞'}`);
        out[p.name] = n;
        break;
      }
      case 'boolean':
        out[p.name] = Boolean(value);
        break;
      case 'enum':
        if (!p.options?.includes(String(value))) throw new Error(`${spec.id}: ${p.name} must be one of ${p.options?.join(', ')}`);
        out[p.name] = String(value);
        break;
      case 'column': {
        if (value === null || value === undefined) {
          if (p.optional) {
            out[p.name] = null;
            break;
          }
          const auto = p.columnTypes
            ? p.columnTypes.some(isNumericType)
              ? numericAuto[0]
              : columns.find((c) => p.columnTypes!.includes(c.type))
            : firstText;
          if (!auto) throw new Error(`${spec.id}: no column fits ${p.name}`);
          out[p.name] = auto.name;
        } else out[p.name] = byName(value, p.name, p.columnTypes);
        break;
      }
      case 'columns': {
        let list: string[];
        if (value === null || value === undefined) {
          list = p.columnTypes
            ? numericAuto.filter((c) => p.columnTypes!.includes(c.type)).map((c) => c.name)
            : firstText
              ? [firstText.name]
              : [];
          if (p.max !== undefined) list = list.slice(0, p.max);
        } else {
          if (!Array.isArray(value)) throw new Error(`${spec.id}: ${p.name} must be a list of columns`);
          list = value.map((v) => byName(v, p.name, p.columnTypes));
        }
        if ((p.min !== undefined && list.length < p.min) || (p.max !== undefined && list.length > p.max))
          throw new Error(`${spec.id}: ${p.name} needs ${p.min}–${p.max} columns`);
        out[p.name] = list;
        break;
      }
      case 'filter': {
        if (value === null || value === undefined) {
          out[p.name] = null;
          break;
        }
        const f = value as GroupByFilter;
        const ops: FilterOp[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in', 'isNull', 'notNull'];
        if (typeof f !== 'object' || !ops.includes(f.op)) throw new Error(`${spec.id}: filter needs {column, op: ${ops.join('|')}, value}`);
        const filter: GroupByFilter = { column: byName(f.column, 'filter column'), op: f.op };
        if (f.op === 'in') filter.values = Array.isArray(f.values) ? f.values : [];
        else if (f.op !== 'isNull' && f.op !== 'notNull') filter.value = f.value ?? null;
        out[p.name] = filter;
        break;
      }
    }
  }
  if (spec.op.kind === 'group-by') {
    const agg = out.aggregate as string;
    if (agg !== 'count' && !out.measure) {
      const measure = numericAuto[0];
      if (!measure) throw new Error(`${spec.id}: ${agg} needs a numeric measure`);
      out.measure = measure.name;
    }
  }
  return out;
}

/** The datasets columns (display names) an analysis reads, after parameter resolution. */
export function columnsNeeded(spec: AnalysisSpec, columns: DatasetColumn[], params: ResolvedParams): string[] {
  const all = columns.map((c) => c.name);
  const op = spec.op;
  let need: string[];
  switch (op.kind) {
    case 'counts':
    case 'schema':
      need = [];
      break;
    case 'head':
    case 'describe':
    case 'nulls':
    case 'duplicates':
    case 'profile':
      need = all;
      break;
    case 'sentinels':
      need = columns.filter((c) => c.type === 'text').map((c) => c.name);
      break;
    case 'null-drop':
      need = op.columns;
      break;
    case 'duplicate-values':
    case 'make-merge':
      need = [op.column];
      break;
    case 'out-of-range':
      need = [...new Set(op.rules.flatMap((r) => (r.otherColumn ? [r.column, r.otherColumn] : [r.column])))];
      break;
    case 'group-count':
      need = op.dimensions.flatMap(dimensionColumns);
      break;
    case 'trend':
      need = [op.by, ...dimensionColumns(op.dimension)];
      break;
    case 'correlation':
    case 'cramers-v':
      need = op.columns;
      break;
    case 'histogram':
    case 'value-counts':
      need = [params.column as string];
      break;
    case 'group-by': {
      const f = params.filter as GroupByFilter | null;
      need = [...(params.dimensions as string[]), ...(params.measure ? [params.measure as string] : []), ...(f ? [f.column] : [])];
      break;
    }
    case 'generic-correlation':
      need = params.columns as string[];
      break;
  }
  return [...new Set(need)];
}
