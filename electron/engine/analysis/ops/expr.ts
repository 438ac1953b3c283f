/**
 * Light Polars expressions for the analyses: `px.col`, `px.cols`, `px.lit`, `px.len`.
 *
 * nodejs-polars wraps every native expression in an object literal of about 160 closures.
 * Building one took about 0.8 ms of CPU on this machine, plus the garbage it leaves, whatever
 * the row count: the catalog built about 730 of them per run, which was most of a run on the
 * 4,401 real rows. Here the native handle is kept in a small object whose methods live on one
 * shared prototype, so an expression costs about a microsecond. It is accepted wherever
 * nodejs-polars takes an `Expr` (the library recognises one by its `Symbol.toStringTag` method
 * and reads its `_expr`). The methods the analyses use often are written here with the library's
 * own argument rules; any other method goes through the library's wrapper, so the whole `Expr`
 * API stays available and behaves as it always did.
 */
import pl from 'nodejs-polars';
import native from 'nodejs-polars/bin/internals/polars_internal.js';
import { _Expr, exprToLitOrExpr } from 'nodejs-polars/bin/lazy/expr/index.js';

/** The native expression handle (nodejs-polars' `JsExpr`); typed loosely, as the library does. */
type NativeExpr = Record<string, (...args: unknown[]) => NativeExpr>;

interface NativeModule {
  col(name: string): NativeExpr;
  cols(names: string[]): NativeExpr;
  lit(value: unknown): NativeExpr;
  len(): NativeExpr;
}

// A CommonJS module with `exports.default`: Node's ESM loader gives the whole exports object, bundlers the default.
const internal = ((native as unknown as { default?: NativeModule }).default ?? native) as unknown as NativeModule;

class LightExpr {
  constructor(readonly _expr: NativeExpr) {}
}

const isExpr = (v: unknown): v is { _expr: NativeExpr } => pl.Expr.isExpr(v);

const isPrimitive = (v: unknown) => v === null || ['number', 'string', 'boolean', 'bigint'].includes(typeof v);

/** The library's rule for an operand: an expression as is, a string as a column (or a literal), anything else a literal. */
function operand(value: unknown, stringIsLiteral = true): NativeExpr {
  if (isExpr(value)) return value._expr;
  if (typeof value === 'string' && !stringIsLiteral) return internal.col(value);
  if (isPrimitive(value)) return internal.lit(value);
  return (exprToLitOrExpr(value as never, stringIsLiteral) as unknown as { _expr: NativeExpr })._expr;
}

const light = (e: NativeExpr): pl.Expr => new LightExpr(e) as unknown as pl.Expr;
type Method = (this: LightExpr, ...args: never[]) => pl.Expr;
const unary = (name: string): Method =>
  function (this: LightExpr) {
    return light(this._expr[name]!());
  };
/** `stringIsLiteral`: as the library has it per method (comparisons and arithmetic read a string as a column name). */
const binary = (name: string, stringIsLiteral: boolean): Method =>
  function (this: LightExpr, other: unknown) {
    return light(this._expr[name]!(operand(other, stringIsLiteral)));
  };

const methods: Record<string, Method> = {
  alias(this: LightExpr, name: string) {
    return light(this._expr.alias!(name));
  },
  prefix(this: LightExpr, prefix: string) {
    return light(this._expr.prefix!(prefix));
  },
  cast(this: LightExpr, dtype: unknown, strict = false) {
    return light(this._expr.cast!(dtype, strict));
  },
  fillNull(this: LightExpr, value: unknown) {
    // Strategies ('forward', 'zero', …) go through the library.
    if (typeof value === 'string') return heavy(this).fillNull(value as never);
    return light(this._expr.fillNull!(operand(value)));
  },
  shift(this: LightExpr, periods: number) {
    return light(this._expr.shift!(operand(periods)));
  },
  head(this: LightExpr, length: number) {
    return light(this._expr.head!(length));
  },
  argSort(this: LightExpr, options: { descending?: boolean; nullsLast?: boolean }) {
    return light(this._expr.argSort!(options.descending ?? false, options.nullsLast ?? false));
  },
  sort(this: LightExpr, options: { descending?: boolean; nullsLast?: boolean; maintainOrder?: boolean } = {}) {
    return light(this._expr.sortWith!(options.descending ?? false, options.nullsLast ?? false, false, options.maintainOrder ?? false));
  },
  hash(this: LightExpr, k0 = 0, k1 = 1, k2 = 2, k3 = 3) {
    return light(this._expr.hash!(BigInt(k0), BigInt(k1), BigInt(k2), BigInt(k3)));
  },
  quantile(this: LightExpr, quantile: unknown, interpolation = 'nearest') {
    return light(this._expr.quantile!(isExpr(quantile) ? quantile._expr : internal.lit(quantile), interpolation));
  },
  any(this: LightExpr, ignoreNulls = true) {
    return light(this._expr.any!(ignoreNulls));
  },
  rank(this: LightExpr, method: unknown = 'average', descending = false) {
    if (typeof method !== 'string') return heavy(this).rank(method as never, descending);
    return light(this._expr.rank!(method, descending));
  },
  replaceStrict(this: LightExpr, old: unknown, value: unknown, fallback?: unknown, returnDtype?: unknown) {
    // The mapping-object form goes through the library.
    if (old && typeof old === 'object' && !Array.isArray(old))
      return heavy(this).replaceStrict(old as never, value as never, fallback as never, returnDtype as never);
    // As the library: a falsy default means none.
    return light(this._expr.replaceStrict!(operand(old), operand(value), fallback ? operand(fallback) : undefined, returnDtype));
  },
  clip(this: LightExpr, min: unknown, max: unknown) {
    if (typeof min !== 'number') return heavy(this).clip(min as never, max as never);
    return light(this._expr.clip!(operand(min), operand(max)));
  },
  and: binary('and', false),
  or: binary('or', true),
  eq: binary('eq', false),
  neq: binary('neq', false),
  gt: binary('gt', false),
  gtEq: binary('gtEq', false),
  lt: binary('lt', false),
  ltEq: binary('ltEq', false),
  add: binary('add', false),
  sub: binary('sub', false),
  mul: binary('mul', false),
  div: binary('div', false),
  filter: binary('filter', true),
};
for (const name of [
  'isNull',
  'isNotNull',
  'isNan',
  'floor',
  'not',
  'count',
  'nullCount',
  'nUnique',
  'dropNulls',
  'sum',
  'min',
  'max',
  'mean',
  'std',
  'median',
  'first',
  'last',
  'explode',
  'implode',
  'unique',
]) {
  methods[name] = unary(name);
}

/** The library's own wrapper around the same handle, for what is not written here. */
function heavy(e: LightExpr): pl.Expr {
  return _Expr(e._expr as never) as unknown as pl.Expr;
}

const proto = LightExpr.prototype as unknown as Record<PropertyKey, unknown>;
Object.defineProperty(proto, Symbol.toStringTag, { value: () => 'Expr' });
proto.inner = function (this: LightExpr) {
  return this._expr;
};
proto.toString = function (this: LightExpr) {
  return String(this._expr.toString!());
};
for (const [name, fn] of Object.entries(methods)) proto[name] = fn;
const template = pl.col('_');
for (const name of Object.getOwnPropertyNames(template)) {
  if (name in proto) continue;
  const descriptor = Object.getOwnPropertyDescriptor(template, name)!;
  if (descriptor.get)
    Object.defineProperty(proto, name, {
      get(this: LightExpr) {
        return (heavy(this) as unknown as Record<string, unknown>)[name];
      },
    });
  else if (typeof descriptor.value === 'function')
    proto[name] = function (this: LightExpr, ...args: unknown[]) {
      return (heavy(this) as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
    };
}

/** `pl.col`, `pl.cols`, `pl.lit` and `pl.len`, light. */
export const px = {
  col: (name: string): pl.Expr => light(internal.col(name)),
  cols: (names: string[]): pl.Expr => light(internal.cols(names)),
  lit: (value: unknown): pl.Expr => (isPrimitive(value) ? light(internal.lit(value)) : pl.lit(value as never)),
  len: (): pl.Expr => light(internal.len()),
};
