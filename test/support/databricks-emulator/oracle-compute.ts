/**
 * The emulator's executor on the independent DuckDB oracle of the analyses issue
 * (test/support/oracle/): the Spark side of a run is computed by a different engine from the
 * Polars side, so the app's results check compares two independent computations.
 */
import { OracleSession, oracleRunOn } from '../oracle';
import { planExecutor } from './executor';
import type { Executor } from './server';

export function oracleExecutor(): Executor {
  return planExecutor(async (source) => {
    const session = await OracleSession.open({ file: source.file, columns: source.columns });
    return {
      async compute(analysis, cleaning) {
        const [result] = await oracleRunOn(session, { analyses: [{ id: analysis.id, params: analysis.params }], cleaning });
        if (!result || result.status !== 'ok' || !result.table)
          throw new Error(result?.reason ?? `the oracle gave no result for ${analysis.id}`);
        return result.table;
      },
      close: () => session.close(),
    };
  });
}
