/**
 * One-time runs and their life cycle, computed from the emulated clock: QUEUED → PENDING
 * (cluster setup) → RUNNING → TERMINATING → TERMINATED, with per-task run ids, cancellation,
 * failures (INTERNAL_ERROR + FAILED on the parent) and the phase durations Databricks reports.
 */
export interface PhaseDurations {
  queue: number;
  setup: number;
  /** Shortest execution; a run stays RUNNING until its work is done. */
  execution: number;
  cleanup: number;
}

export type ComputeKind = 'serverless' | 'existing-cluster' | 'new-cluster';

export interface TaskFailure {
  error: string;
  errorTrace: string;
}

export interface TaskOutcome {
  failure?: TaskFailure;
  notebookResult?: string;
  logs?: string;
}

export interface EmulatedTask {
  runId: string;
  taskKey: string;
  spec: Record<string, unknown>;
  /** Extra tasks (for array paging) do nothing and succeed. */
  main: boolean;
}

export interface EmulatedRun {
  runId: string;
  jobId: string;
  name: string;
  compute: ComputeKind;
  clusterId: string | null;
  tasks: EmulatedTask[];
  submittedAt: number;
  durations: PhaseDurations;
  /** Emulated time the work finished (null while it runs). */
  workDoneAt: number | null;
  outcome: TaskOutcome | null;
  cancelledAt: number | null;
}

export type LifeCycle = 'QUEUED' | 'PENDING' | 'RUNNING' | 'TERMINATING' | 'TERMINATED' | 'INTERNAL_ERROR';

export interface RunView {
  lifeCycle: LifeCycle;
  resultState: 'SUCCESS' | 'FAILED' | 'CANCELED' | null;
  taskLifeCycle: LifeCycle;
  stateMessage: string;
  startTime: number;
  endTime: number;
  queue: number;
  setup: number;
  execution: number;
  cleanup: number;
  /** Whether the run has reached the point where the job's output exists. */
  workVisible: boolean;
}

const CANCEL_CLEANUP_MS = 800;

/** The state of a run at emulated time `now`. */
export function viewRun(run: EmulatedRun, now: number): RunView {
  const d = run.durations;
  const t0 = run.submittedAt;
  const queueEnd = t0 + d.queue;
  const setupEnd = queueEnd + d.setup;
  const plannedExecEnd = setupEnd + d.execution;
  const execEnd = run.workDoneAt === null ? Infinity : Math.max(plannedExecEnd, run.workDoneAt);
  const cleanupEnd = execEnd + d.cleanup;
  const clamp = (from: number, to: number) => Math.max(0, Math.min(now, to) - from);

  if (run.cancelledAt !== null && run.cancelledAt < execEnd) {
    const c = run.cancelledAt;
    const end = c + CANCEL_CLEANUP_MS;
    const base = {
      startTime: t0,
      queue: Math.max(0, Math.min(c, queueEnd) - t0),
      setup: Math.max(0, Math.min(c, setupEnd) - queueEnd),
      execution: Math.max(0, c - setupEnd),
      workVisible: false,
    };
    if (now < end)
      return {
        ...base,
        lifeCycle: 'TERMINATING',
        taskLifeCycle: 'TERMINATING',
        resultState: null,
        stateMessage: 'Run cancellation requested.',
        endTime: 0,
        cleanup: clamp(c, end),
      };
    return {
      ...base,
      lifeCycle: 'TERMINATED',
      taskLifeCycle: 'TERMINATED',
      resultState: 'CANCELED',
      stateMessage: 'Run cancelled.',
      endTime: end,
      cleanup: CANCEL_CLEANUP_MS,
    };
  }

  const timing = {
    startTime: t0,
    queue: clamp(t0, queueEnd),
    setup: clamp(queueEnd, setupEnd),
    execution: clamp(setupEnd, execEnd),
    cleanup: clamp(execEnd, cleanupEnd),
  };
  if (now < queueEnd)
    return {
      ...timing,
      lifeCycle: 'QUEUED',
      taskLifeCycle: 'QUEUED',
      resultState: null,
      stateMessage: 'Waiting for compute resources.',
      endTime: 0,
      workVisible: false,
    };
  if (now < setupEnd) {
    const message = run.compute === 'serverless' ? 'Waiting for serverless compute.' : 'Waiting for cluster to start.';
    return {
      ...timing,
      lifeCycle: 'PENDING',
      taskLifeCycle: 'PENDING',
      resultState: null,
      stateMessage: message,
      endTime: 0,
      workVisible: false,
    };
  }
  if (now < execEnd)
    return {
      ...timing,
      lifeCycle: 'RUNNING',
      taskLifeCycle: 'RUNNING',
      resultState: null,
      stateMessage: 'In run',
      endTime: 0,
      workVisible: false,
    };
  const failed = Boolean(run.outcome?.failure);
  if (now < cleanupEnd)
    return {
      ...timing,
      lifeCycle: 'TERMINATING',
      taskLifeCycle: 'TERMINATING',
      resultState: null,
      stateMessage: '',
      endTime: 0,
      workVisible: true,
    };
  if (failed) {
    return {
      ...timing,
      lifeCycle: 'INTERNAL_ERROR',
      taskLifeCycle: 'TERMINATED',
      resultState: 'FAILED',
      stateMessage: `Task ${run.tasks[0]?.taskKey ?? 'main'} failed with message: Workload failed, see run output for details. This caused all downstream tasks to get skipped.`,
      endTime: cleanupEnd,
      workVisible: true,
    };
  }
  return {
    ...timing,
    lifeCycle: 'TERMINATED',
    taskLifeCycle: 'TERMINATED',
    resultState: 'SUCCESS',
    stateMessage: '',
    endTime: cleanupEnd,
    workVisible: true,
  };
}

function statusOf(lifeCycle: LifeCycle, resultState: RunView['resultState'], message: string) {
  const state = lifeCycle === 'INTERNAL_ERROR' ? 'TERMINATED' : lifeCycle;
  if (!resultState) return { state };
  const code = resultState === 'SUCCESS' ? 'SUCCESS' : resultState === 'CANCELED' ? 'CANCELED' : 'RUN_EXECUTION_ERROR';
  const type = resultState === 'SUCCESS' ? 'SUCCESS' : resultState === 'CANCELED' ? 'SUCCESS' : 'CLIENT_ERROR';
  return { state, termination_details: { code, type, message } };
}

/** The `runs/get` body (before paging) of a run at `now`. */
export function runJson(run: EmulatedRun, now: number, host: string, workspaceId: string): Record<string, unknown> {
  const v = viewRun(run, now);
  const runPage = `${host}/?o=${workspaceId}#job/${run.jobId}/run/${run.runId}`;
  const state = (lifeCycle: LifeCycle) => ({
    life_cycle_state: lifeCycle,
    ...(v.resultState ? { result_state: v.resultState } : {}),
    state_message: v.stateMessage,
    user_cancelled_or_timedout: v.resultState === 'CANCELED',
  });
  const total = v.queue + v.setup + v.execution + v.cleanup;
  const tasks = run.tasks.map((t) => {
    const failedHere = t.main && v.resultState === 'FAILED';
    const taskResult = v.resultState === 'FAILED' && !t.main ? 'SUCCESS' : v.resultState;
    const task: Record<string, unknown> = {
      run_id: t.runId,
      task_key: t.taskKey,
      ...t.spec,
      state: {
        life_cycle_state: v.taskLifeCycle,
        ...(taskResult ? { result_state: taskResult } : {}),
        state_message: failedHere ? 'Workload failed, see run output for details' : v.resultState === 'FAILED' ? '' : v.stateMessage,
        user_cancelled_or_timedout: v.resultState === 'CANCELED',
      },
      status: statusOf(v.taskLifeCycle, taskResult, failedHere ? 'Workload failed, see run output for details' : ''),
      start_time: v.startTime,
      end_time: v.endTime,
      queue_duration: v.queue,
      setup_duration: v.setup,
      execution_duration: v.execution,
      cleanup_duration: v.cleanup,
      run_duration: total,
      attempt_number: 0,
      run_page_url: `${host}/?o=${workspaceId}#job/${run.jobId}/run/${t.runId}`,
    };
    if (run.clusterId && v.lifeCycle !== 'QUEUED')
      task.cluster_instance = { cluster_id: run.clusterId, spark_context_id: '4820617259381749201' };
    return task;
  });
  // Multi-task-format runs report the three phases as 0 at the top level: read them from tasks[0].
  const body: Record<string, unknown> = {
    job_id: run.jobId,
    run_id: run.runId,
    number_in_job: run.runId,
    run_name: run.name,
    run_type: 'SUBMIT_RUN',
    creator_user_name: 'analyst@example.com',
    state: state(v.lifeCycle),
    status: statusOf(v.lifeCycle, v.resultState, v.stateMessage),
    start_time: v.startTime,
    end_time: v.endTime,
    queue_duration: v.queue,
    setup_duration: 0,
    execution_duration: 0,
    cleanup_duration: 0,
    run_duration: total,
    run_page_url: runPage,
    format: 'MULTI_TASK',
    tasks,
  };
  if (run.clusterId && v.lifeCycle !== 'QUEUED')
    body.cluster_instance = { cluster_id: run.clusterId, spark_context_id: '4820617259381749201' };
  return body;
}
