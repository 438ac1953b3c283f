/**
 * The emulator's executor on the DuckDB oracle of the analyses issue (test/support/oracle/).
 * TODO(analyses): wire to the oracle's API once it is committed.
 */
import type { Executor } from './server';
import { planExecutor } from './executor';

export function oracleExecutor(): Executor {
  return planExecutor(async () => {
    throw new Error('the DuckDB oracle (test/support/oracle) is not available yet');
  });
}
