/** Phase durations and details of a Databricks run: tasks[0] first, the top level as fallback. */
import type { SparkPhases } from '../../../shared/contract/spark';
import type { Run } from './client';

const positive = (v: number | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);

/** The three phase durations can be 0 at the top level of multi-task runs: prefer the task's. */
export function phasesOf(run: Run): SparkPhases {
  const task = run.tasks[0];
  const pick = (key: 'queue_duration' | 'setup_duration' | 'execution_duration' | 'cleanup_duration' | 'run_duration') =>
    positive(task?.[key]) ?? positive(run[key]);
  const zeroOrNull = (key: 'queue_duration' | 'setup_duration' | 'execution_duration' | 'cleanup_duration') => {
    const v = pick(key);
    if (v !== null) return v;
    // A reported 0 is a real zero (no queue); absent means unknown.
    const raw = task?.[key] ?? run[key];
    return typeof raw === 'number' ? raw : null;
  };
  return {
    queueMs: zeroOrNull('queue_duration'),
    setupMs: zeroOrNull('setup_duration'),
    executionMs: zeroOrNull('execution_duration'),
    cleanupMs: zeroOrNull('cleanup_duration'),
    runMs: pick('run_duration') ?? (run.end_time && run.start_time ? run.end_time - run.start_time : null),
  };
}

export function clusterOf(run: Run): Record<string, string | number | boolean | null> {
  const task = run.tasks[0];
  const clusterId = task?.cluster_instance?.cluster_id ?? run.cluster_instance?.cluster_id ?? task?.existing_cluster_id ?? null;
  const out: Record<string, string | number | boolean | null> = { serverless: !clusterId };
  if (clusterId) out.clusterId = clusterId;
  if (task?.cluster_instance?.spark_context_id) out.sparkContextId = task.cluster_instance.spark_context_id;
  if (task?.environment_key) out.environmentKey = task.environment_key;
  return out;
}
