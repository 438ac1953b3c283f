/**
 * Object keys of a published run: `<dataset>/<version>/<run-id>/...`. The dataset segment keeps
 * the name readable and escapes only what would break the layout (`/`, `\`, `%`, control
 * characters, an all-dots name), so it decodes back to the exact dataset name.
 */
import { mediaType } from '../../../shared/mime';
export const MANIFEST_NAME = 'manifest.json';

export function datasetSegment(name: string): string {
  if (/^\.+$/.test(name)) return name.replace(/\./g, '%2E');
  // eslint-disable-next-line no-control-regex
  return name.replace(/[%/\\\u0000-\u001f\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function datasetFromSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export interface RunAddress {
  dataset: string;
  version: number;
  runId: string;
}

export function datasetPrefix(dataset: string): string {
  return `${datasetSegment(dataset)}/`;
}

export function runPrefix(run: RunAddress): string {
  return `${datasetSegment(run.dataset)}/${run.version}/${run.runId}/`;
}

/** Splits a key into its run address and the rest, or null when it is not in the layout. */
export function parseRunKey(key: string): { run: RunAddress; prefix: string; rest: string } | null {
  const m = /^([^/]+)\/(\d+)\/([^/]+)\/(.+)$/.exec(key);
  if (!m) return null;
  const [, seg, version, runId, rest] = m as unknown as [string, string, string, string, string];
  return { run: { dataset: datasetFromSegment(seg), version: Number(version), runId }, prefix: `${seg}/${version}/${runId}/`, rest };
}

/** A file name for an analysis id (ids are catalog slugs; anything else is escaped). */
export function fileStem(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}

export const keys = {
  manifest: (prefix: string) => `${prefix}${MANIFEST_NAME}`,
  resultParquet: (prefix: string, id: string) => `${prefix}results/${fileStem(id)}.parquet`,
  resultCsv: (prefix: string, id: string) => `${prefix}results/${fileStem(id)}.csv`,
  chart: (prefix: string, id: string, ext: 'svg' | 'png') => `${prefix}charts/${fileStem(id)}.${ext}`,
  report: (prefix: string) => `${prefix}report.html`,
  dataset: (prefix: string, dataset: string) => `${prefix}dataset/${fileStem(dataset)}.parquet`,
};

export const CONTENT_TYPES = {
  parquet: mediaType('parquet'),
  csv: mediaType('csv'),
  svg: mediaType('svg'),
  png: mediaType('png'),
  html: mediaType('html'),
  json: mediaType('json'),
} as const;
