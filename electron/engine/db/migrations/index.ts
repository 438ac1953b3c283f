/**
 * Every migration, in one list. Numbers are owned by area so parallel work does not collide:
 * 1-99 core, 100-199 datasets/import, 200-299 analyses, 300-399 storage, 400-499 spark,
 * 500-599 settings. Never edit an applied migration; add a new one.
 */
import { m0001_core } from './0001-core';
import { m0100_catalog } from './0100-catalog';
import { m0150_browseSchema } from './0150-browse-schema';
import { m0200_analysisRuns } from './0200-analysis-runs';
import { m0300_publishQueue } from './0300-publish-queue';
import { m0400_sparkRuns } from './0400-spark-runs';
import { m0450_sweeps } from './0450-sweeps';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  m0001_core,
  m0100_catalog,
  m0150_browseSchema,
  m0200_analysisRuns,
  m0300_publishQueue,
  m0400_sparkRuns,
  m0450_sweeps,
];
