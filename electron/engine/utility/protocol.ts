/**
 * Messages between Electron main and the engine utility process over `process.parentPort`.
 * Engine requests never travel here: they go over the MessagePorts handed out with `connect`.
 */
import type { SecretReplyMessage, SecretRequestMessage } from '../settings/host-secrets';

// The secret messages cross this same boundary: main reaches them here, its one door into the engine.
export { isSecretRequest, type SecretReplyMessage, type SecretRequestMessage } from '../settings/host-secrets';

/** main → engine */
export type MainToEngine =
  /** Carries one MessagePort (in `ports`): serve it as a channel of the window `windowId`. */
  | { type: 'connect'; windowId: number }
  /** Optional when argv already carries them. */
  | { type: 'init'; home: string; logsDir?: string }
  /** Stop jobs, close the database (and the embedded server if this engine started it), then exit. */
  | { type: 'shutdown' }
  | SecretReplyMessage;

/** engine → main */
export type EngineToMain = { type: 'ready'; pid: number; home: string } | { type: 'fatal'; message: string } | SecretRequestMessage;

export interface EngineArgs {
  home?: string;
  logsDir?: string;
}

/** `--home DIR --logs DIR` (main passes them when it forks the engine). */
export function parseEngineArgs(argv: readonly string[]): EngineArgs {
  const out: EngineArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = inline ?? argv[i + 1];
    if (flag === '--home' && value) {
      out.home = value;
      if (inline === undefined) i++;
    } else if (flag === '--logs' && value) {
      out.logsDir = value;
      if (inline === undefined) i++;
    }
  }
  return out;
}

export function engineArgs(args: Required<Pick<EngineArgs, 'home'>> & EngineArgs): string[] {
  const out = ['--home', args.home];
  if (args.logsDir) out.push('--logs', args.logsDir);
  return out;
}

/** Main signs the file capabilities the engine verifies (see ../files/access.ts); the key reaches the engine in its environment. */
export { FILE_CAPABILITY_ENV, signFileCapability } from '../files/access';
