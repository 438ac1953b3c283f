/**
 * Column type inference: every column starts with all formats possible, and each observed value
 * removes the formats it does not fit. The narrowest surviving format wins; a column with no
 * values at all is text. The same checks then guard every value of the whole file while loading,
 * so a type inferred here either holds or is widened (see WIDENING) — never silently wrong.
 */
import type { ColumnType } from '../../../shared/types';
import { FORMATS, FORCED_FORMAT, INFERENCE_ORDER, type FormatName } from './values';
import type { Delimiter } from './dialect';

export class TypeSurvey {
  /** Per column, the formats still possible. */
  private readonly possible: Array<Set<FormatName>>;
  private readonly seen: boolean[];

  constructor(
    columns: number,
    private readonly delimiter: Delimiter,
  ) {
    const initial = INFERENCE_ORDER.filter((f) => f !== 'numericComma' || delimiter !== ',');
    this.possible = Array.from({ length: columns }, () => new Set(initial));
    this.seen = new Array<boolean>(columns).fill(false);
  }

  /** A non-empty value of column `col` (its bytes `b[s..e)`, unescaped and unquoted). */
  observe(col: number, b: Uint8Array, s: number, e: number): void {
    const set = this.possible[col];
    if (!set || set.size === 1) return;
    this.seen[col] = true;
    for (const name of set) {
      if (name !== 'text' && !FORMATS[name].check(b, s, e)) set.delete(name);
    }
  }

  /** Column `col` had a value that fits no typed format (e.g. a quoted value with `""` inside). */
  observeText(col: number): void {
    const set = this.possible[col];
    if (!set) return;
    this.seen[col] = true;
    set.clear();
    set.add('text');
  }

  /** Adds what another survey of the same columns saw. */
  merge(other: TypeSurvey): void {
    this.possible.forEach((set, col) => {
      if (!other.seen[col]) return;
      this.seen[col] = true;
      for (const name of set) if (!other.possible[col]!.has(name)) set.delete(name);
    });
  }

  /** The chosen format per column, with forced types (by index) taking precedence. */
  result(forced: Map<number, ColumnType> = new Map()): FormatName[] {
    return this.possible.map((set, col) => {
      const force = forced.get(col);
      const chosen = this.seen[col] ? this.choose(set) : 'text';
      if (force) return FORMATS[chosen].type === force ? chosen : FORCED_FORMAT[force];
      return chosen;
    });
  }

  private choose(set: Set<FormatName>): FormatName {
    // Day-first is the usual reading in ;-separated (European) files when both orders fit.
    const european = this.delimiter === ';';
    for (const name of INFERENCE_ORDER) {
      if (!set.has(name)) continue;
      if (european && name === 'dateMdy' && set.has('dateDmy')) return 'dateDmy';
      if (european && name === 'timestampMdy' && set.has('timestampDmy')) return 'timestampDmy';
      return name;
    }
    return 'text';
  }
}
