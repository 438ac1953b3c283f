import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { createLogger } from '../../engine/log';
import { keepServingOnStrayErrors } from '../../serve/last-resort';
import { globalOptions, resolveHome } from '../context';
import { packageRoot } from '../paths';

export const defaultRendererDir = () => path.join(packageRoot(), 'out', 'renderer');

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number from 0 to 65535');
  return n;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('browser mode: serve the app on 127.0.0.1 with a per-launch token')
    .option('--port <n>', 'port to listen on (0 picks a free one)', portNumber, 0)
    .action(async (options: { port: number }, command: Command) => {
      const global = globalOptions(command);
      const home = resolveHome(global);
      const log = createLogger((line) => process.stderr.write(line + '\n'), global.verbose ? 'debug' : 'warn', 'serve');
      const [{ Engine }, { resolveDatabase }, { startBrowserServer }] = await Promise.all([
        import('../../engine/engine'),
        import('../../engine/settings/database-url'),
        import('../../serve/server'),
      ]);
      const database = await resolveDatabase({ home, env: process.env, log, commandLineUrl: global.databaseUrl });
      const engine = new Engine({
        home,
        databaseUrl: database?.url,
        databaseUrlFromSettings: database?.fromSettings,
        host: 'browser',
        log,
        files: 'data-folder',
        retryQueueInBackground: true,
      });
      keepServingOnStrayErrors(process, log);
      const server = await startBrowserServer({
        engine,
        port: options.port,
        rendererDir: defaultRendererDir(),
        uploadDir: path.join(home, 'uploads'),
      });
      if (global.json) process.stdout.write(JSON.stringify({ url: server.url, port: server.port }) + '\n');
      else process.stdout.write(`SparkPolar Studio is serving at ${server.url}\nOpen it in a browser on this machine. Ctrl-C stops.\n`);
      const stop = async () => {
        await server.close();
        await engine.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}
