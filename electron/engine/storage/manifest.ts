/** `manifest.json`: built last at publish, parsed (and checked for shape) at reopen. */
import { z } from 'zod';
import { MANIFEST_FORMAT, type RunManifest } from '../../../shared/contract/storage';
import { StudioError } from '../../../shared/errors';

const storedObject = z.object({
  key: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  contentType: z.string(),
  role: z.enum(['result-parquet', 'result-csv', 'chart', 'report', 'dataset']),
  analysisId: z.string().optional(),
});

const manifestSchema = z.looseObject({
  format: z.literal(MANIFEST_FORMAT),
  publishedAt: z.string(),
  app: z.object({ name: z.string(), version: z.string() }),
  bucket: z.string(),
  prefix: z.string(),
  dataset: z.looseObject({ name: z.string(), version: z.number().int() }),
  run: z.looseObject({ runId: z.string(), engine: z.string(), startedAt: z.string() }),
  versions: z.record(z.string(), z.string()),
  timings: z.looseObject({}),
  analyses: z.array(z.looseObject({ id: z.string(), status: z.string() })),
  objects: z.array(storedObject),
});

export function parseManifest(bytes: Buffer, key: string): RunManifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new StudioError('S3_INTEGRITY', `${key} is not valid JSON.`, { key });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioError(
      'S3_INTEGRITY',
      `${key} is not a SparkPolar run manifest (${issue?.path.join('.') || 'root'}: ${issue?.message}).`,
      { key },
    );
  }
  const manifest = parsed.data as unknown as RunManifest;
  for (const o of manifest.objects) {
    if (!o.key.startsWith(manifest.prefix))
      throw new StudioError('S3_INTEGRITY', `${key} lists ${o.key}, outside its run folder.`, { key, object: o.key });
  }
  return manifest;
}

export function serializeManifest(manifest: RunManifest): Buffer {
  return Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
}
