/** The PySpark job shipped with the app (resources/spark/sparkpolar_job.py). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';

const FILE = 'sparkpolar_job.py';

function candidates(): string[] {
  const here = import.meta.dirname;
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  return [
    ...(process.env.SPARKPOLAR_SPARK_JOB ? [process.env.SPARKPOLAR_SPARK_JOB] : []),
    ...(packaged ? [path.join(packaged, 'spark', FILE)] : []),
    path.resolve(here, '../../../resources/spark', FILE),
    path.resolve(here, '../../resources/spark', FILE),
    path.resolve(here, '../resources/spark', FILE),
  ];
}

export interface JobSource {
  file: string;
  content: Buffer;
  sha256: string;
}

export function jobSource(): JobSource {
  for (const file of candidates()) {
    if (fs.existsSync(file)) {
      const content = fs.readFileSync(file);
      return { file, content, sha256: crypto.createHash('sha256').update(content).digest('hex') };
    }
  }
  throw new StudioError('INTERNAL', `The Spark job file ${FILE} is missing from this installation.`);
}
