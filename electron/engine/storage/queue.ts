/**
 * The publish queue (studio.publish_queue): every publish is recorded before it starts and marked
 * done after its manifest is written, so one that storage interrupted (or a crash) is retried later
 * instead of lost. A publisher holds a session advisory lock on the entry while it works: two
 * processes never publish the same entry at once, and a crashed publisher releases it.
 */
import type pg from 'pg';
import type { ErrorData } from '../../../shared/errors';
import type { ChartImage, PublishQueueItem, PublishResult, QueueState } from '../../../shared/contract/storage';
import type { Database } from '../db/database';

const LOCK_NAMESPACE = 0x5350_3300; // "SP3" + 00: storage publish entries

export interface QueueEntry {
  id: number;
  dataset: string;
  version: number | null;
  runId: string;
  includeDataset: boolean;
  charts: ChartImage[];
  state: QueueState;
  attempts: number;
  createdAt: Date;
}

interface Row {
  id: number;
  dataset: string;
  version: number | null;
  run_id: string;
  include_dataset: boolean;
  charts: ChartImage[];
  chart_count: number;
  state: QueueState;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: ErrorData | null;
  created_at: Date;
  updated_at: Date;
  prefix: string | null;
}

export class PublishQueue {
  constructor(private readonly db: Database) {}

  /** Records a publish (or refreshes the run's active entry) and answers its id. */
  async enqueue(entry: {
    dataset: string;
    version: number;
    runId: string;
    includeDataset: boolean;
    charts: ChartImage[];
  }): Promise<number> {
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO studio.publish_queue (dataset, version, run_id, include_dataset, charts, state, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, 'queued', now())
       ON CONFLICT (run_id) WHERE state IN ('queued', 'publishing', 'failed')
       DO UPDATE SET include_dataset = EXCLUDED.include_dataset OR studio.publish_queue.include_dataset,
                     charts = CASE WHEN jsonb_array_length(EXCLUDED.charts) > 0 THEN EXCLUDED.charts ELSE studio.publish_queue.charts END,
                     state = CASE WHEN studio.publish_queue.state = 'failed' THEN 'queued' ELSE studio.publish_queue.state END,
                     next_attempt_at = now(), updated_at = now()
       RETURNING id`,
      [entry.dataset, entry.version, entry.runId, entry.includeDataset, JSON.stringify(entry.charts)],
    );
    return rows[0]!.id;
  }

  async list(includeDone = false): Promise<PublishQueueItem[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT id, dataset, version, run_id, include_dataset, jsonb_array_length(charts) AS chart_count, state, attempts,
              next_attempt_at, last_error, created_at, updated_at, prefix
       FROM studio.publish_queue WHERE $1 OR state <> 'done' ORDER BY id DESC LIMIT 500`,
      [includeDone],
    );
    return rows.map((r) => ({
      id: r.id,
      dataset: r.dataset,
      version: r.version,
      runId: r.run_id,
      includeDataset: r.include_dataset,
      charts: r.chart_count,
      state: r.state,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
      lastError: r.last_error,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      prefix: r.prefix,
    }));
  }

  /** Ids ready to publish now: queued and due, or left `publishing` by a publisher that is gone. */
  async dueIds(): Promise<number[]> {
    const { rows } = await this.db.query<{ id: number }>(
      `SELECT id FROM studio.publish_queue
       WHERE (state = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now())) OR state = 'publishing'
       ORDER BY id LIMIT 100`,
    );
    return rows.map((r) => r.id);
  }

  /** When the next queued entry becomes due, or null when nothing waits. */
  async nextDue(): Promise<Date | null> {
    const { rows } = await this.db.query<{ at: Date | null }>(
      `SELECT min(coalesce(next_attempt_at, now())) AS at FROM studio.publish_queue WHERE state = 'queued'`,
    );
    return rows[0]?.at ?? null;
  }

  /** Makes queued or failed entries due now. */
  async retryNow(id?: number): Promise<number> {
    const { rowCount } = await this.db.query(
      `UPDATE studio.publish_queue SET state = 'queued', next_attempt_at = now(), updated_at = now()
       WHERE state IN ('queued', 'failed') AND ($1::bigint IS NULL OR id = $1)`,
      [id ?? null],
    );
    return rowCount ?? 0;
  }

  /** Removes an entry unless a publisher is working on it right now. */
  async remove(id: number): Promise<boolean> {
    return this.db.withClient(async (client) => {
      if (!(await tryLock(client, id))) return false;
      try {
        const { rowCount } = await client.query('DELETE FROM studio.publish_queue WHERE id = $1', [id]);
        return (rowCount ?? 0) > 0;
      } finally {
        await unlock(client, id);
      }
    });
  }
}

/** One entry, locked for the lifetime of `work` on a dedicated connection; null when busy or gone. */
export async function withLockedEntry<T>(
  db: Database,
  id: number,
  work: (entry: QueueEntry, update: EntryUpdater) => Promise<T>,
): Promise<{ locked: false } | { locked: true; value: T }> {
  return db.withClient(async (client) => {
    if (!(await tryLock(client, id))) return { locked: false as const };
    try {
      const { rows } = await client.query<Row>('SELECT * FROM studio.publish_queue WHERE id = $1', [id]);
      const row = rows[0];
      if (!row || row.state === 'done') return { locked: false as const };
      const entry: QueueEntry = {
        id: row.id,
        dataset: row.dataset,
        version: row.version,
        runId: row.run_id,
        includeDataset: row.include_dataset,
        charts: row.charts,
        state: row.state,
        attempts: row.attempts,
        createdAt: row.created_at,
      };
      return { locked: true as const, value: await work(entry, new EntryUpdater(client, id)) };
    } finally {
      await unlock(client, id);
    }
  });
}

/** State changes of a locked entry, on the connection that holds the lock. */
export class EntryUpdater {
  constructor(
    private readonly client: pg.PoolClient,
    private readonly id: number,
  ) {}

  async publishing(where: { endpoint: string; bucket: string; prefix: string }): Promise<number> {
    const { rows } = await this.client.query<{ attempts: number }>(
      `UPDATE studio.publish_queue SET state = 'publishing', attempts = attempts + 1, endpoint = $2, bucket = $3, prefix = $4, updated_at = now()
       WHERE id = $1 RETURNING attempts`,
      [this.id, where.endpoint, where.bucket, where.prefix],
    );
    return rows[0]?.attempts ?? 1;
  }

  async done(result: PublishResult): Promise<void> {
    await this.client.query(
      `UPDATE studio.publish_queue SET state = 'done', result = $2::jsonb, last_error = NULL, next_attempt_at = NULL, charts = '[]'::jsonb, updated_at = now() WHERE id = $1`,
      [this.id, JSON.stringify(result)],
    );
  }

  async requeue(error: ErrorData, delayMs: number): Promise<Date> {
    const { rows } = await this.client.query<{ next_attempt_at: Date }>(
      `UPDATE studio.publish_queue SET state = 'queued', last_error = $2::jsonb, next_attempt_at = now() + ($3::double precision * interval '1 millisecond'), updated_at = now()
       WHERE id = $1 RETURNING next_attempt_at`,
      [this.id, JSON.stringify(error), delayMs],
    );
    return rows[0]!.next_attempt_at;
  }

  async failed(error: ErrorData): Promise<void> {
    await this.client.query(
      `UPDATE studio.publish_queue SET state = 'failed', last_error = $2::jsonb, next_attempt_at = NULL, updated_at = now() WHERE id = $1`,
      [this.id, JSON.stringify(error)],
    );
  }

  async remove(): Promise<void> {
    await this.client.query('DELETE FROM studio.publish_queue WHERE id = $1', [this.id]);
  }
}

async function tryLock(client: pg.PoolClient, id: number): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int, $2::int) AS ok', [
    LOCK_NAMESPACE | 0,
    id % 2_147_483_647,
  ]);
  return rows[0]?.ok === true;
}

async function unlock(client: pg.PoolClient, id: number): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1::int, $2::int)', [LOCK_NAMESPACE | 0, id % 2_147_483_647]).catch(() => undefined);
}
