export {
  DatabricksEmulator,
  startDatabricksEmulator,
  MB,
  type EmulatorOptions,
  type Executor,
  type ExecuteRequest,
  type RequestRecord,
} from './server';
export { faultAnswers } from './faults';
export { EmulatorClock } from './clock';
export { fakeClock, type FakeClock } from './fake-clock';
