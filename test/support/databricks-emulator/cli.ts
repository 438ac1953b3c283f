/**
 * `npm run emulator:databricks -- --port N [--scale S] [--no-volume] [--wrong-result ID|any]`: a Databricks
 * REST emulator on 127.0.0.1 for demos and manual testing. Prints the host and a token to use as
 * DATABRICKS_HOST / DATABRICKS_TOKEN (and an OAuth service principal), then serves until Ctrl-C.
 * Runs execute with the DuckDB oracle of the analyses issue; time runs `--scale` times faster
 * than real (default 10: a 10-second cluster setup takes one second).
 */
import { parseArgs } from 'node:util';
import { oracleExecutor } from './oracle-compute';
import { startDatabricksEmulator } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    scale: { type: 'string', default: '10' },
    token: { type: 'string' },
    root: { type: 'string' },
    'no-volume': { type: 'boolean', default: false },
    /** Make every run's result wrong in this analysis (`any`: the first table) to see the mismatch report. */
    'wrong-result': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const scale = Number(values.scale);
if (!Number.isFinite(scale) || scale <= 0) throw new Error('--scale must be a positive number');
const emulator = await startDatabricksEmulator({
  port: Number(values.port),
  clock: { mode: 'scaled', scale },
  ...(values.token ? { tokens: [values.token] } : {}),
  ...(values.root ? { root: values.root } : {}),
  volumes: values['no-volume'] ? [] : ['/Volumes/main/default/sparkpolar'],
  executor: oracleExecutor(),
  ...(values['wrong-result'] !== undefined ? { wrongResultEveryRun: values['wrong-result'] === 'any' ? '' : values['wrong-result'] } : {}),
  log: (line) => process.stderr.write(`${line}\n`),
});
const sp = emulator.oauthClients[0]!;
if (values.json) {
  process.stdout.write(
    `${JSON.stringify({ host: emulator.host, token: emulator.token, clientId: sp.clientId, clientSecret: sp.clientSecret })}\n`,
  );
} else {
  process.stdout.write(
    [
      `Databricks emulator listening (time x${scale})`,
      `DATABRICKS_HOST=${emulator.host}`,
      `DATABRICKS_TOKEN=${emulator.token}`,
      `OAuth service principal: DATABRICKS_CLIENT_ID=${sp.clientId} DATABRICKS_CLIENT_SECRET=${sp.clientSecret}`,
      `Volume: ${[...emulator.storage.volumes].join(', ') || 'none (uploads fall back to DBFS)'}; files under ${emulator.storage.root}`,
      'Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}
const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
