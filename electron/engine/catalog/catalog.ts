/**
 * The dataset catalog (studio.datasets, studio.dataset_versions): which datasets exist, their
 * versions, and which version is current. Imported tables live in schema `data`.
 */
import fs from 'node:fs';
import type pg from 'pg';
import { StudioError } from '../../../shared/errors';
import type { DatasetColumn, DatasetSummary, DatasetVersionInfo } from '../../../shared/types';
import type { Database } from '../db/database';
import { quoteIdent } from '../db/sql';

interface VersionRow {
  name: string;
  version: number;
  table_name: string;
  source_path: string | null;
  source_bytes: number | null;
  sha256: string | null;
  rows: number;
  columns: DatasetVersionInfo['columns'];
  rejected_rows: number;
  rejects_path: string | null;
  imported_at: Date;
  duration_ms: number | null;
  options: Record<string, unknown>;
}

const SELECT_VERSION = `
  SELECT d.name, v.version, v.table_name, v.source_path, v.source_bytes, v.sha256, v.rows, v.columns,
         v.rejected_rows, v.rejects_path, v.imported_at, v.duration_ms, v.options
  FROM studio.dataset_versions v JOIN studio.datasets d ON d.id = v.dataset_id`;

function toInfo(row: VersionRow): DatasetVersionInfo {
  return {
    dataset: row.name,
    version: row.version,
    table: row.table_name,
    sourcePath: row.source_path,
    sourceBytes: row.source_bytes,
    sha256: row.sha256,
    rows: row.rows,
    columns: row.columns,
    rejected: row.rejected_rows,
    rejectsPath: row.rejects_path,
    importedAt: row.imported_at.toISOString(),
    durationMs: row.duration_ms,
    options: row.options,
  };
}

/** `data.<table>` quoted for SQL. */
export function qualifiedTable(table: string): string {
  return `data.${quoteIdent(table)}`;
}

/** A new version as the importer records it, inside the import's own transaction. */
export interface NewVersion {
  datasetId: number;
  version: number;
  table: string;
  sourcePath: string;
  sourceBytes: number;
  sha256: string;
  rows: number;
  columns: DatasetColumn[];
  rejected: number;
  rejectsPath: string | null;
  durationMs: number;
  options: Record<string, unknown>;
}

export class Catalog {
  constructor(private readonly db: Database) {}

  /**
   * Creates the dataset if needed, locks its row until the caller's transaction ends (so two
   * imports of one name number their versions in turn), and gives the next version number.
   */
  static async reserveVersion(client: pg.PoolClient, name: string): Promise<{ datasetId: number; version: number }> {
    const { rows } = await client.query<{ id: number }>(
      'INSERT INTO studio.datasets (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id',
      [name],
    );
    const datasetId = Number(rows[0]!.id);
    const next = await client.query<{ version: number }>(
      'SELECT coalesce(max(version), 0) + 1 AS version FROM studio.dataset_versions WHERE dataset_id = $1',
      [datasetId],
    );
    return { datasetId, version: Number(next.rows[0]!.version) };
  }

  /** Records the version and makes it current; only visible once the caller commits. */
  static async addVersion(client: pg.PoolClient, v: NewVersion): Promise<void> {
    await client.query(
      `INSERT INTO studio.dataset_versions (dataset_id, version, table_name, source_path, source_bytes, sha256, rows, columns, rejected_rows, rejects_path, options, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        v.datasetId,
        v.version,
        v.table,
        v.sourcePath,
        v.sourceBytes,
        v.sha256,
        v.rows,
        JSON.stringify(v.columns),
        v.rejected,
        v.rejectsPath,
        JSON.stringify(v.options),
        v.durationMs,
      ],
    );
    await client.query('UPDATE studio.datasets SET current_version = $2 WHERE id = $1', [v.datasetId, v.version]);
  }

  async list(): Promise<DatasetSummary[]> {
    const { rows } = await this.db.query<VersionRow & { versions: number }>(
      `${SELECT_VERSION.replace('SELECT', 'SELECT (SELECT count(*) FROM studio.dataset_versions x WHERE x.dataset_id = d.id)::int AS versions,')}
       WHERE v.version = d.current_version ORDER BY d.name`,
    );
    return rows.map((r) => ({ ...toInfo(r), versions: r.versions }));
  }

  /** A version of a dataset (the current one by default); DATASET_NOT_FOUND when absent. */
  async get(name: string, version?: number): Promise<DatasetVersionInfo> {
    const { rows } = version
      ? await this.db.query<VersionRow>(`${SELECT_VERSION} WHERE d.name = $1 AND v.version = $2`, [name, version])
      : await this.db.query<VersionRow>(`${SELECT_VERSION} WHERE d.name = $1 AND v.version = d.current_version`, [name]);
    const row = rows[0];
    if (!row) {
      throw new StudioError('DATASET_NOT_FOUND', version ? `Dataset "${name}" has no version ${version}.` : `No dataset named "${name}".`, {
        dataset: name,
        version,
      });
    }
    return toInfo(row);
  }

  async versions(name: string): Promise<DatasetVersionInfo[]> {
    const { rows } = await this.db.query<VersionRow>(`${SELECT_VERSION} WHERE d.name = $1 ORDER BY v.version`, [name]);
    if (!rows.length) throw new StudioError('DATASET_NOT_FOUND', `No dataset named "${name}".`, { dataset: name });
    return rows.map(toInfo);
  }

  async rename(name: string, to: string): Promise<void> {
    if (name === to) return;
    try {
      const { rowCount } = await this.db.query('UPDATE studio.datasets SET name = $2 WHERE name = $1', [name, to]);
      if (!rowCount) throw new StudioError('DATASET_NOT_FOUND', `No dataset named "${name}".`, { dataset: name });
    } catch (err) {
      if (err instanceof StudioError && err.details?.sqlstate === '23505') {
        throw new StudioError('INVALID_REQUEST', `A dataset named "${to}" already exists.`, { dataset: to });
      }
      throw err;
    }
  }

  /**
   * Drops every version's table, what other domains keep about those tables (`dropDerived`, given
   * the tables' OIDs: the browse row maps) and the catalog entries, in one transaction; rejects
   * files after. Answers the dropped tables (their snapshots are the caller's to remove), or null
   * when there is no such dataset.
   */
  async delete(name: string, dropDerived: (client: pg.PoolClient, oids: number[]) => Promise<void>): Promise<{ tables: string[] } | null> {
    const removedFiles: string[] = [];
    const deleted = await this.db.transaction(async (client: pg.PoolClient) => {
      const { rows } = await client.query<{ id: number; table_name: string | null; oid: number | null; rejects_path: string | null }>(
        `SELECT d.id, v.table_name, to_regclass('data.' || quote_ident(v.table_name))::int8 AS oid, v.rejects_path
         FROM studio.datasets d LEFT JOIN studio.dataset_versions v ON v.dataset_id = d.id WHERE d.name = $1 FOR UPDATE OF d`,
        [name],
      );
      if (!rows.length) return null;
      const tables: string[] = [];
      for (const r of rows) {
        if (r.table_name) {
          await client.query(`DROP TABLE IF EXISTS ${qualifiedTable(r.table_name)}`);
          tables.push(r.table_name);
        }
        if (r.rejects_path) removedFiles.push(r.rejects_path);
      }
      // After the tables: DROP TABLE waited for any map build still reading them, so its map is found too.
      await dropDerived(
        client,
        rows.flatMap((r) => (r.oid === null ? [] : [Number(r.oid)])),
      );
      await client.query('DELETE FROM studio.datasets WHERE id = $1', [rows[0]!.id]);
      return { tables };
    });
    for (const f of removedFiles) fs.rmSync(f, { force: true });
    return deleted;
  }
}
