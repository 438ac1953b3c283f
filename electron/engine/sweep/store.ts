/** Sweeps in `studio.sweeps`: one JSON document per sweep, rewritten as points arrive. */
import type { SweepRecord, SweepSummary } from '../../../shared/contract/sweep';
import { StudioError } from '../../../shared/errors';
import type { Database } from '../db/database';

export class SweepStore {
  constructor(private readonly db: Database) {}

  async save(record: SweepRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO studio.sweeps (id, dataset, status, started_at, record) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, record = EXCLUDED.record`,
      [record.id, record.dataset, record.status, record.startedAt, JSON.stringify(record)],
    );
  }

  async get(id: string): Promise<SweepRecord> {
    const { rows } = await this.db.query<{ record: SweepRecord }>('SELECT record FROM studio.sweeps WHERE id = $1', [id]);
    if (!rows[0]) throw new StudioError('NOT_FOUND', `No sweep "${id}".`, { sweepId: id });
    return rows[0].record;
  }

  /** The latest finished sweep of a dataset, for the HTML report. */
  async latest(dataset: string): Promise<SweepRecord | null> {
    const { rows } = await this.db.query<{ record: SweepRecord }>(
      `SELECT record FROM studio.sweeps WHERE dataset = $1 AND status = 'succeeded' ORDER BY started_at DESC LIMIT 1`,
      [dataset],
    );
    return rows[0]?.record ?? null;
  }

  async list(dataset: string | undefined, limit: number): Promise<SweepSummary[]> {
    const { rows } = await this.db.query<{ record: SweepRecord }>(
      `SELECT record FROM studio.sweeps WHERE ($1::text IS NULL OR dataset = $1) ORDER BY started_at DESC LIMIT $2`,
      [dataset ?? null, limit],
    );
    return rows.map(({ record: r }) => ({
      id: r.id,
      dataset: r.dataset,
      version: r.version,
      status: r.status,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      sizes: r.sizes,
      engines: r.engines,
      points: r.points.length,
    }));
  }
}
