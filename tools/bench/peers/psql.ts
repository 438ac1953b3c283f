/**
 * The psql peers: `\copy` into a typed table, `\copy (…) to /dev/null`, `\copy … to` a file.
 * psql runs as its own process against the engine's PostgreSQL, as a user would run it.
 */
import { PG_TYPES, type DatasetColumn } from '../../../shared/types';
import { quoteIdent } from '../../../electron/engine/db/sql';
import { NotAvailable } from '../protocol';
import { runChecked, runProcess } from './process';

export interface Connection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export class Psql {
  constructor(
    readonly executable: string,
    private readonly connection: Connection,
  ) {}

  private env(): NodeJS.ProcessEnv {
    const c = this.connection;
    return {
      ...process.env,
      PGHOST: c.host,
      PGPORT: String(c.port),
      PGUSER: c.user,
      PGPASSWORD: c.password,
      PGDATABASE: c.database,
      // The file is UTF-8; the server must not transcode it through the locale's encoding.
      PGCLIENTENCODING: 'UTF8',
      PGAPPNAME: 'sparkpolar-bench-psql',
    };
  }

  /** `psql --version`, or NotAvailable when psql cannot run. */
  async version(): Promise<string> {
    const result = await runProcess(this.executable, ['--version']);
    if (result.code !== 0) throw new NotAvailable(`${this.executable} --version failed`);
    return result.stdout.trim();
  }

  /** Runs commands (each its own -c, as psql requires for backslash commands), optionally in one transaction. */
  async run(commands: string[], options: { singleTransaction?: boolean; signal?: AbortSignal } = {}): Promise<string> {
    const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1'];
    if (options.singleTransaction) args.push('-1');
    for (const c of commands) args.push('-c', c);
    const result = await runChecked(this.executable, args, { env: this.env(), signal: options.signal });
    return result.stdout;
  }
}

/** A single-quoted literal for psql's \copy file name. */
export function fileLiteral(file: string): string {
  return `'${file.replace(/'/g, "''")}'`;
}

/** CREATE TABLE with the same identifiers and PostgreSQL types as the product's table. */
export function createTableSql(qualifiedName: string, columns: DatasetColumn[]): string {
  const defs = columns.map((c) => `${quoteIdent(c.identifier)} ${PG_TYPES[c.type]}`);
  return `CREATE TABLE ${qualifiedName} (${defs.join(', ')})`;
}

/**
 * `\copy` of a CSV with a header into a table. The UTF-8 BOM sits at the start of the header
 * line, which `header` skips, so psql reads the very same bytes the importer reads and the BOM
 * never reaches a value: no preprocessing of the file is needed for a fair comparison.
 */
export function copyInCommand(qualifiedName: string, file: string): string {
  return `\\copy ${qualifiedName} FROM ${fileLiteral(file)} WITH (FORMAT csv, HEADER true)`;
}

export function copyOutCommand(selectOrTable: string, file: string, header: boolean): string {
  return `\\copy ${selectOrTable} TO ${fileLiteral(file)} WITH (FORMAT csv${header ? ', HEADER true' : ''})`;
}
