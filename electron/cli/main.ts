/** Entry of the `sparkpolar` command (commander parses; each command lives in commands/). */
import { Command, CommanderError } from 'commander';
import { commands } from './commands';
import { reportFailure } from './context';

export function buildProgram(): Command {
  const program = new Command('sparkpolar')
    .description('SparkPolar Studio from the command line: the same engine as the app, without a window.')
    .option('--home <dir>', "data folder (default: the app's user-data folder, or $SPARKPOLAR_HOME)")
    .option('--database-url <url>', 'use this PostgreSQL instead of the embedded one (or $DATABASE_URL)')
    .option('--json', 'print one JSON document on stdout')
    .option('--verbose', 'log engine details on stderr')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    reportFailure(err);
  }
}

await main(process.argv.slice(2));
// Open handles (pools, sockets) must not keep a finished command alive, except `serve`.
if (!process.argv.includes('serve') && !process.argv.includes('emulator')) {
  setTimeout(() => process.exit(), 200).unref();
}
