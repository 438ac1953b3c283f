/**
 * The one contract between the renderer (and CLI, and tests) and the engine.
 * Each domain declares its methods in `shared/contract/<domain>.ts`; this file merges them.
 * Server (`electron/engine/rpc/server.ts`) and client (`shared/client.ts`) are typed from it.
 */
import type { z } from 'zod';
import type { AnyMethod, JobMethod } from './contract/define';
import { analysisMethods } from './contract/analysis';
import { datasetMethods } from './contract/dataset';
import { exportMethods } from './contract/export';
import { jobMethods } from './contract/jobs';
import { settingsMethods } from './contract/settings';
import { sparkMethods } from './contract/spark';
import { storageMethods } from './contract/storage';
import { sweepMethods } from './contract/sweep';
import { systemMethods } from './contract/system';

export const methods = {
  ...systemMethods,
  ...jobMethods,
  ...datasetMethods,
  ...analysisMethods,
  ...settingsMethods,
  ...sparkMethods,
  ...storageMethods,
  ...exportMethods,
  ...sweepMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;

/** What a caller sends (before defaults are applied). */
export type Params<M extends MethodName> = z.input<Methods[M]['request']>;
/** What a handler receives (after validation and defaults). */
export type ValidParams<M extends MethodName> = z.output<Methods[M]['request']>;

export type JobMethodName = {
  [M in MethodName]: Methods[M] extends JobMethod<z.ZodType, unknown> ? M : never;
}[MethodName];
export type RequestMethodName = Exclude<MethodName, JobMethodName>;

/** The final result of a job method, or the answer of a request method. */
export type Result<M extends MethodName> = Methods[M]['response'];
/** What the wire carries back for a call: job methods answer with their id at once. */
export type Reply<M extends MethodName> = M extends JobMethodName ? { jobId: string } : Result<M>;

export function isJobMethod(name: string): boolean {
  const m = (methods as Record<string, AnyMethod>)[name];
  return m?.kind === 'job';
}

export type { JobEvent, EngineEvent, JobProgress, JobSummary } from './contract/jobs';
export type { SystemInfo, DatabaseInfo } from './contract/system';
export type { ImportResult, DatasetPage, DatasetView, ColumnFilter } from './contract/dataset';
export type { AnalysisRun, AnalysisResult, ResultTable, CleaningOptions, Applicability, AnalysisRunSummary } from './contract/analysis';
export type { ExportResult, SampleResult, DatasetExportFormat, ResultExportFormat } from './contract/export';
