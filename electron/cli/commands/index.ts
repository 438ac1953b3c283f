import type { Command } from 'commander';
import { registerAnalyze } from './analyze';
import { registerBench } from './bench';
import { registerDatasets } from './datasets';
import { registerDemo } from './demo';
import { registerDoctor } from './doctor';
import { registerExport } from './export';
import { registerGenerate } from './generate';
import { registerImport } from './import';
import { registerPruneClusters } from './prune-clusters';
import { registerPublish } from './publish';
import { registerRuns } from './runs';
import { registerServe } from './serve';
import { registerSpark } from './spark';
import { registerSweep } from './sweep';

/** Every `sparkpolar` sub-command, in help order. */
export const commands: Array<(program: Command) => void> = [
  registerDoctor,
  registerServe,
  registerGenerate,
  registerDemo,
  registerImport,
  registerDatasets,
  registerAnalyze,
  registerExport,
  registerBench,
  registerPublish,
  registerRuns,
  registerSpark,
  registerPruneClusters,
  registerSweep,
];
