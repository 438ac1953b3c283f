/**
 * Entry of the engine utility process (forked by electron/main/engine-supervisor.ts with
 * `utilityProcess.fork`). Plain Node: `process.parentPort` is provided by Electron at run time and
 * typed here locally, so nothing under electron/engine imports `electron`.
 */
import { runUtilityHost, type ParentPortLike } from './utility/host';

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;

if (!parentPort) {
  process.stderr.write(
    'electron/engine/index.ts runs as an Electron utility process; use `sparkpolar` (the CLI) to run the engine from a shell.\n',
  );
  process.exit(2);
}

const host = runUtilityHost({
  parentPort,
  argv: process.argv.slice(2),
  env: process.env,
  exit: (code) => process.exit(code),
});

let logFatal: (message: string, error: unknown) => void = (message, error) => {
  process.stderr.write(`${message}: ${error instanceof Error ? error.stack : String(error)}\n`);
};
void host.engine.then(
  (engine) => {
    logFatal = (message, error) => engine.ctx.log.error(message, { error: error instanceof Error ? error.stack : String(error) });
  },
  () => undefined,
);

// An uncaught exception leaves the engine in an unknown state: write why, then exit so main
// restarts a clean one. A stray rejection is logged and the engine keeps serving.
process.on('uncaughtException', (error) => {
  logFatal('engine crashed: uncaught exception', error);
  process.exit(70);
});
process.on('unhandledRejection', (reason) => logFatal('unhandled promise rejection', reason));
process.on('SIGTERM', () => void host.shutdown('SIGTERM'));
