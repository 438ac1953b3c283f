import type { Command } from 'commander';
import { registerDoctor } from './doctor';
import { registerServe } from './serve';

/** Every `sparkpolar` sub-command, in help order. */
export const commands: Array<(program: Command) => void> = [registerDoctor, registerServe];
