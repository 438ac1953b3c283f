import fs from 'node:fs';
import type { exportMethods } from '../../../shared/contract/export';
import { StudioError } from '../../../shared/errors';
import type { DatasetVersionInfo } from '../../../shared/types';
import type { AnalysisRuns } from '../analysis/runs';
import type { EngineBase } from '../base';
import type { Browser } from '../browse/page';
import type { Catalog } from '../catalog/catalog';
import type { FileAccess } from '../files/access';
import type { DomainHandlers } from '../rpc/handlers';
import { SweepStore } from '../sweep/store';
import { writeAtomically } from './atomic';
import { exportDataset } from './dataset-export';
import { buildReportHtml } from './report';
import { exportResults } from './results-export';
import { runFor } from './run-source';
import { loadSample } from './sample';

export interface ExportHandlerContext extends EngineBase {
  analysisRuns: AnalysisRuns;
  catalog: Catalog;
  browse: Browser;
  files: FileAccess;
}

export function exportHandlers(ctx: ExportHandlerContext): DomainHandlers<typeof exportMethods> {
  return {
    'export/dataset': (request, job) => exportDataset(ctx, { ...request, path: ctx.files.forWriting(request.path) }, job),
    'export/results': async (request, job) => {
      const target = ctx.files.forWriting(request.path);
      return exportResults(await runFor(ctx, request), request.format, target, job, request.analyses, { raw: request.raw });
    },
    'export/report': async (request, job) => {
      const started = performance.now();
      const target = ctx.files.forWriting(request.path);
      const run = await runFor(ctx, request);
      const only = request.analyses?.length ? new Set(request.analyses) : null;
      const shown = only ? { ...run, results: run.results.filter((r) => only.has(r.id)) } : run;
      let dataset: DatasetVersionInfo | null = null;
      try {
        dataset = await ctx.catalog.get(run.dataset, run.version);
      } catch (err) {
        if (!(err instanceof StudioError && err.code === 'DATASET_NOT_FOUND')) throw err;
      }
      job.progress({ phase: 'render', message: 'Drawing charts', done: 0, total: shown.results.length, unit: 'analyses' });
      const sweep = await new SweepStore(ctx.db).latest(run.dataset);
      const html = buildReportHtml({ run: shown, dataset, lang: request.lang, dark: request.dark, sweep });
      job.throwIfCancelled();
      await writeAtomically(target, async (temp) => fs.writeFileSync(temp, html));
      const rows = shown.results.reduce((n, r) => n + (r.table?.rows.length ?? 0), 0);
      return {
        format: 'html',
        path: target,
        files: [target],
        rows,
        bytes: fs.statSync(target).size,
        seconds: (performance.now() - started) / 1000,
        neutralised: 0,
      };
    },
    'dataset/sample': (request, job) => loadSample({ db: ctx.db, home: ctx.home, log: ctx.log, catalog: ctx.catalog }, request, job),
  };
}
