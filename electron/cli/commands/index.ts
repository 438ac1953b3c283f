import type { Command } from 'commander';
import { registerDoctor } from './doctor';
import { registerGenerate } from './generate';
import { registerServe } from './serve';

/** Every `sparkpolar` sub-command, in help order. */
export const commands: Array<(program: Command) => void> = [registerDoctor, registerServe, registerGenerate];
