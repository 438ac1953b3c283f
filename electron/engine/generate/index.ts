export {
  generateCrashCsv,
  crashHeaderBytes,
  DEFAULT_SEED,
  type GenerateOptions,
  type GenerateProgress,
  type GenerateResult,
} from './generate';
export { CRASH_HEADER } from './model';
