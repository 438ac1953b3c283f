/**
 * The analysis runs of an engine, for the handlers and for the domains that publish, export or
 * compare them (storage, export, spark): run the catalog, list and read persisted runs, and drop
 * the Parquet snapshots of versions that are gone. A thin service over `service.ts` and `store.ts`.
 */
import type { AnalysisRun, AnalysisRunSummary } from '../../../shared/contract/analysis';
import type { JobContext } from '../jobs/manager';
import { runAnalysisJob, type RunRequest, type ServiceDeps } from './service';
import { getRun, listRuns } from './store';

export class AnalysisRuns {
  constructor(private readonly deps: ServiceDeps) {}

  /** Runs the analyses as the `analysis/run` job does (results streamed in `job`'s progress). */
  run(request: RunRequest, job: JobContext): Promise<AnalysisRun> {
    return runAnalysisJob(this.deps, request, job);
  }

  /** The newest runs first, of one dataset or of all. */
  list(dataset: string | undefined, limit: number): Promise<AnalysisRunSummary[]> {
    return listRuns(this.deps.db, dataset, limit);
  }

  get(runId: string): Promise<AnalysisRun> {
    return getRun(this.deps.db, runId);
  }

  /** Removes the snapshots of deleted version tables (loads Polars only when there is one). */
  async dropSnapshots(tables: readonly string[]): Promise<void> {
    if (!tables.length) return;
    const { dropSnapshot } = await import('./snapshot');
    for (const table of tables) dropSnapshot(this.deps.home, table);
  }
}
