import type { Command } from 'commander';
import { registerBench } from './bench';
import { registerDatasets } from './datasets';
import { registerDoctor } from './doctor';
import { registerGenerate } from './generate';
import { registerImport } from './import';
import { registerPublish } from './publish';
import { registerRuns } from './runs';
import { registerServe } from './serve';
import { registerSpark } from './spark';

/** Every `sparkpolar` sub-command, in help order. */
export const commands: Array<(program: Command) => void> = [registerDoctor, registerServe, registerGenerate, registerImport, registerDatasets, registerBench, registerPublish, registerRuns, registerSpark];
