/**
 * The pandas peer: the usual `insert_data.py` (pandas `read_csv` + `to_sql` through SQLAlchemy
 * and psycopg2, default executemany, chunks of 10,000 rows). The script times only its own
 * read + insert, so Python's start-up and imports do not count against it.
 */
import { NotAvailable } from '../protocol';
import type { Connection } from './psql';
import { runChecked, runProcess } from './process';

const PROBE = 'import pandas, sqlalchemy, psycopg2; print(pandas.__version__, sqlalchemy.__version__, psycopg2.__version__.split()[0])';

const SCRIPT = `
import os, sys, time
import pandas as pd
import sqlalchemy as sa
path, schema, table, nrows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
url = sa.engine.URL.create('postgresql+psycopg2', username=os.environ['PGUSER'], password=os.environ['PGPASSWORD'],
                           host=os.environ['PGHOST'], port=int(os.environ['PGPORT']), database=os.environ['PGDATABASE'])
engine = sa.create_engine(url)
started = time.perf_counter()
# utf-8-sig drops the BOM, so the first column is named "Year" as in the other loaders.
df = pd.read_csv(path, encoding='utf-8-sig', nrows=nrows if nrows > 0 else None, low_memory=False)
df.to_sql(table, engine, schema=schema, if_exists='replace', index=False, chunksize=10000)
elapsed = time.perf_counter() - started
print(len(df), elapsed)
`;

export interface PandasPeer {
  python: string;
  versions: { pandas: string; sqlalchemy: string; psycopg2: string };
}

/** The first interpreter of `candidates` that can import pandas, SQLAlchemy and psycopg2. */
export async function findPandas(candidates: string[]): Promise<PandasPeer> {
  const tried: string[] = [];
  for (const python of candidates) {
    const result = await runProcess(python, ['-c', PROBE]).catch(() => null);
    if (result?.code === 0) {
      const [pandas = '?', sqlalchemy = '?', psycopg2 = '?'] = result.stdout.trim().split(/\s+/);
      return { python, versions: { pandas, sqlalchemy, psycopg2 } };
    }
    tried.push(python);
  }
  throw new NotAvailable(`no Python with pandas, SQLAlchemy and psycopg2 (tried ${tried.join(', ') || 'nothing'})`);
}

/** Loads the first `rows` rows (0: all) of the CSV into schema.table; returns the rows loaded and the seconds it took. */
export async function pandasToSql(
  peer: PandasPeer,
  connection: Connection,
  file: string,
  schema: string,
  table: string,
  rows: number,
): Promise<{ rows: number; seconds: number }> {
  const env = {
    ...process.env,
    PGHOST: connection.host,
    PGPORT: String(connection.port),
    PGUSER: connection.user,
    PGPASSWORD: connection.password,
    PGDATABASE: connection.database,
  };
  const result = await runChecked(peer.python, ['-c', SCRIPT, file, schema, table, String(rows)], { env });
  const [loaded, seconds] = result.stdout.trim().split(/\s+/).map(Number);
  if (!Number.isFinite(loaded) || !Number.isFinite(seconds))
    throw new Error(`pandas peer printed no timing: ${result.stdout.slice(0, 200)}`);
  return { rows: loaded!, seconds: seconds! };
}
