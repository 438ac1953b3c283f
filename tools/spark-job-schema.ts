/**
 * Writes shared/spark-job.schema.json from shared/spark-job.ts (the zod schemas), for the job's
 * pytest suite, which validates against it without Node. A test fails while the file is stale.
 *   node --import tsx tools/spark-job-schema.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { sparkJobJsonSchema } from '../shared/spark-job';

export const SCHEMA_FILE = path.resolve(import.meta.dirname, '../shared/spark-job.schema.json');

export function schemaText(): string {
  return `${JSON.stringify(sparkJobJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  fs.writeFileSync(SCHEMA_FILE, schemaText());
  console.log(`wrote ${SCHEMA_FILE}`);
}
