/**
 * The desktop engine reads and writes only what the user chose (#15.2): main signs a capability
 * for a file picked in a dialog, dropped or opened from the OS, and the engine (host 'electron')
 * refuses raw paths, forged or altered capabilities, capabilities of another launch, and a read
 * capability used to write. Nothing it refuses is touched.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeFromChannel, createClient, type StudioClient } from '../../shared/client';
import { isStudioError } from '../../shared/errors';
import { channelPair } from '../../shared/rpc';
import { Engine } from '../../electron/engine/engine';
import { FILE_CAPABILITY_ENV, signFileCapability, verifyFileCapability } from '../../electron/engine/files/access';
import { silentLogger } from '../../electron/engine/log';
import { freshDatabaseUrl, tempHome } from '../support/pg';
import { REAL_31 } from '../support/real-data';

const key = randomBytes(32);

describe('file capabilities', () => {
  it('verify only for the path and access they were signed for, with the key of this launch', () => {
    const read = signFileCapability(key, '/home/me/crashes.csv', 'read');
    expect(read.endsWith('/crashes.csv')).toBe(true);
    expect(verifyFileCapability(key, read, 'read')).toBe('/home/me/crashes.csv');
    expect(verifyFileCapability(key, read, 'write')).toBeNull();
    expect(verifyFileCapability(randomBytes(32), read, 'read')).toBeNull();
    const [head, name] = [read.slice(0, read.lastIndexOf('/')), read.slice(read.lastIndexOf('/'))];
    const [prefix, access, encoded, mac] = head.split(':');
    const otherPath = Buffer.from('/home/me/.ssh/id_rsa').toString('base64url');
    const forged = [
      `${prefix}:${access}:${otherPath}:${mac}${name}`,
      `${prefix}:write:${encoded}:${mac}${name}`,
      `${prefix}:${access}:${encoded}:${Buffer.alloc(32).toString('base64url')}${name}`,
      `${prefix}:${access}:${encoded}:${mac!.slice(0, -2)}${name}`,
      `${prefix}:${access}:${encoded}${name}`,
      `${prefix}:${access}:${encoded}:${mac}:extra${name}`,
      signFileCapability(key, 'relative.csv', 'read'),
      '/home/me/crashes.csv',
      '',
    ];
    for (const f of forged) expect(verifyFileCapability(key, f, 'read'), f).toBeNull();
  });

  describe('the desktop engine', () => {
    let engine: Engine;
    let client: StudioClient;
    let home: string;
    let databaseUrl: string;
    let outside: string;
    let source: string;

    beforeAll(async () => {
      databaseUrl = await freshDatabaseUrl('cap');
      home = tempHome('cap');
      outside = tempHome('user-files');
      source = path.join(outside, 'crashes.csv');
      fs.copyFileSync(REAL_31, source);
      engine = new Engine({
        home,
        databaseUrl,
        host: 'electron',
        log: silentLogger,
        env: { [FILE_CAPABILITY_ENV]: key.toString('hex') },
        files: 'signed',
        retryQueueInBackground: false,
      });
      const [a, b] = channelPair();
      engine.attach(a);
      client = createClient(bridgeFromChannel(b));
    });
    afterAll(() => engine?.close());

    const refused = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => null,
        (e: unknown) => e,
      );
      expect(isStudioError(err) && err.code).toBe('FILE_NOT_ALLOWED');
    };

    it('imports a file through its read capability, and refuses its raw path or a forged one', async () => {
      const imported = await client.run('dataset/import', { path: signFileCapability(key, source, 'read'), name: 'crashes' });
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM data.${pg.escapeIdentifier(imported.table)}`);
      await db.end();
      expect(imported.rows).toBe(Number(rows[0]!.n));
      expect(imported.rows).toBeGreaterThan(0);

      const secret = path.join(outside, 'secret.csv');
      fs.writeFileSync(secret, 'token\nabc\n');
      await refused(client.run('dataset/import', { path: secret, name: 'stolen' }));
      await refused(client.run('dataset/import', { path: signFileCapability(randomBytes(32), secret, 'read'), name: 'stolen' }));
      await refused(client.run('dataset/import', { path: signFileCapability(key, secret, 'write'), name: 'stolen' }));
      // A capability lets the engine read the file, never delete it.
      await refused(client.run('dataset/import', { path: signFileCapability(key, source, 'read'), deleteSourceAfter: true }));
      expect(fs.existsSync(source)).toBe(true);
      expect((await client.call('dataset/list', {})).map((d) => d.dataset)).toEqual(['crashes']);
    });

    it('re-imports a dataset from its recorded source (a file the user chose before)', async () => {
      const again = await client.run('dataset/import', { path: source, name: 'crashes' });
      expect(again.version).toBe(2);
    });

    it('exports where the Save dialog said, or under the data folder exports, nowhere else', async () => {
      const chosen = path.join(outside, 'chosen.csv');
      const done = await client.run('export/dataset', {
        dataset: 'crashes',
        format: 'csv',
        path: signFileCapability(key, chosen, 'write'),
      });
      expect(done.path).toBe(chosen);
      expect(fs.existsSync(chosen)).toBe(true);
      const inExports = await client.run('export/dataset', {
        dataset: 'crashes',
        format: 'csv',
        path: path.join(home, 'exports', 'x.csv'),
      });
      expect(inExports.rows).toBe(done.rows);
      await refused(client.run('export/dataset', { dataset: 'crashes', format: 'csv', path: path.join(outside, 'raw.csv') }));
      await refused(
        client.run('export/dataset', {
          dataset: 'crashes',
          format: 'csv',
          path: signFileCapability(key, path.join(outside, 'r.csv'), 'read'),
        }),
      );
      await refused(
        client.run('export/dataset', { dataset: 'crashes', format: 'csv', path: path.join(home, 'exports', '..', 'settings.json') }),
      );
      expect(fs.readdirSync(outside).sort()).toEqual(['chosen.csv', 'crashes.csv', 'secret.csv']);
    });
  });
});
