/**
 * What every CLI command shares: the global options, an in-process engine with a typed client,
 * output in human or JSON form, Ctrl-C as cancellation, and one-line errors with exit status 1.
 */
import type { Command } from 'commander';
import { createClient, bridgeFromChannel, type StudioClient } from '../../shared/client';
import { isStudioError } from '../../shared/errors';
import { channelPair } from '../../shared/rpc';
import type { Engine } from '../engine/engine';
import { defaultHome } from '../engine/home';
import { createLogger } from '../engine/log';

export interface GlobalOptions {
  home?: string;
  databaseUrl?: string;
  json?: boolean;
  verbose?: boolean;
}

export interface CommandContext {
  client: StudioClient;
  engine: Engine;
  json: boolean;
  /** Aborted on the first Ctrl-C; pass it to `client.run` so the job is cancelled cleanly. */
  signal: AbortSignal;
  /** Human-readable line on stdout (suppressed with --json). */
  say(line: string): void;
  /** The one JSON document of a --json run. */
  emitJson(value: unknown): void;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

export function resolveHome(options: GlobalOptions): string {
  return options.home ? options.home : defaultHome();
}

export async function withEngine<T>(command: Command, fn: (ctx: CommandContext) => Promise<T>): Promise<T> {
  const options = globalOptions(command);
  const log = createLogger((line) => process.stderr.write(line + '\n'), options.verbose ? 'debug' : 'error', 'cli');
  const home = resolveHome(options);
  // Loaded here, not at the top: `--help` and argument errors never pay for the engine's modules.
  const [{ Engine }, { resolveDatabase }] = await Promise.all([import('../engine/engine'), import('../engine/settings/database-url')]);
  const database = await resolveDatabase({ home, env: process.env, log, commandLineUrl: options.databaseUrl });
  // The user at the shell names their own files; the process exits after each command.
  const engine = new Engine({
    home,
    databaseUrl: database?.url,
    databaseUrlFromSettings: database?.fromSettings,
    host: 'cli',
    log,
    files: 'any',
    retryQueueInBackground: false,
  });
  const [engineSide, clientSide] = channelPair();
  engine.attach(engineSide);
  const client = createClient(bridgeFromChannel(clientSide));
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('sparkpolar: cancelling… (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const json = Boolean(options.json);
  try {
    return await fn({
      client,
      engine,
      json,
      signal: controller.signal,
      say: (line) => {
        if (!json) process.stdout.write(line + '\n');
      },
      emitJson: (value) => process.stdout.write(JSON.stringify(value, null, 2) + '\n'),
    });
  } finally {
    process.off('SIGINT', onSigint);
    await engine.close();
  }
}

/** Prints one line on stderr and sets a non-zero exit status. */
export function reportFailure(err: unknown): void {
  let line: string;
  if (isStudioError(err)) line = err.fix ? `${err.message} (${err.fix})` : err.message;
  else line = err instanceof Error ? err.message : String(err);
  process.stderr.write(`sparkpolar: ${line.split('\n')[0]}\n`);
  process.exitCode = isStudioError(err) && err.code === 'CANCELLED' ? 130 : 1;
}
