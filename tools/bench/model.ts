/** The shape of `bench/results.json`: every figure the table prints, with the settings that made it. */
import type { RequestCounts } from "./requests";

/** The machine a run was measured on. */
export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryInBytes: number;
  readonly nodeVersion: string;
  readonly platform: string;
  /** 1-minute load average when the run started (other work on the machine skews wall times). */
  readonly loadAverage: number;
}

/** Section 1: one operation on one kind. */
export interface OperationRow {
  readonly kind: string;
  readonly operation: string;
  readonly measured: RequestCounts;
  readonly minimum: RequestCounts;
  /** The whole operation (all three kinds at once). */
  readonly wallInMs: number;
  /** The kind's longest step (its provider calls); the rest of the operation is program and runner. */
  readonly providerInMs: number;
  readonly failures: string[];
}

/** Per-session polling while waiting (section 5). */
export interface PollingFigures {
  /** Session GETs after activation, per session: mean and max. */
  readonly pollsPerSessionMean: number;
  readonly pollsPerSessionMax: number;
  /** From activation to the last artifact's completion (Graph's own timestamps). */
  readonly sessionDurationMeanInMs: number;
  readonly sessionDurationMaxInMs: number;
  /** How long after completion the poll that saw it arrived: mean and max. */
  readonly detectionDelayMeanInMs: number;
  readonly detectionDelayMaxInMs: number;
  /** From the first request to the answer that showed the last session done. */
  readonly lastSeenInMs: number;
}

/** Sections 2, 4 and 7: a drill of many sessions. */
export interface DrillFigures {
  readonly label: string;
  readonly sessions: number;
  readonly artifactsPerSession: number;
  readonly parallel?: number;
  readonly wallInMs: number;
  /** From the start of the run to its first request (program, runner and host start, or Node and imports). */
  readonly startupInMs: number;
  /**
   * The provider's start-up in parts, from the program's own timestamps: the provider host and the
   * program's Node process up to the program's first line; loading the package; declaring the
   * resources; then to the first request (registrations with the provider's serialization, the
   * host loading the provider on the first Check, Create, the token). Absent for the plain script.
   */
  readonly startupParts?: {
    readonly toProgramInMs: number;
    readonly packageLoadInMs: number;
    readonly declareInMs: number;
    readonly toFirstRequestInMs: number;
  };
  /** First to last request the emulator saw. */
  readonly requestSpanInMs: number;
  /** From the last request's arrival to the end of the run (its answer, the runner or script finishing). */
  readonly tailInMs: number;
  /** First to last activation: near zero when every session starts at once, one restore when they go in waves. */
  readonly activationSpreadInMs: number;
  readonly requests: RequestCounts;
  readonly minimum: RequestCounts;
  /** Longest chain of sequential requests × latency + the longest restore. */
  readonly criticalPathInMs: number;
  readonly criticalChainRequests: number;
  readonly longestRestoreInMs: number;
  /** Resources (or script sessions) that did not end completed. */
  readonly failed: number;
  readonly failures: string[];
  /** Sessions created beyond one per planned session. */
  readonly duplicateSessions: number;
  /** Sum of the `Retry-After` waits Graph asked for (throttled drill). */
  readonly mandatedWaitInMs: number;
  /** The largest sum of mandated waits on one session's requests. */
  readonly longestSessionMandatedWaitInMs: number;
  readonly polling: PollingFigures;
}

/** Section 3: one large session. */
export interface BulkRow {
  readonly label: string;
  readonly artifacts: number;
  readonly requests: RequestCounts;
  readonly minimum: RequestCounts;
  readonly wallInMs: number;
  readonly restoreInMs: number;
  readonly stateBytes: number;
  readonly failures: string[];
}

/** Section 6. */
export interface OverheadFigures {
  /** Serialized `__provider` bytes per resource type. */
  readonly providerBytes: Record<string, number>;
  /** Spawning the provider host until it answered Configure. */
  readonly hostStartInMs: number;
  /** A fresh host's first provider call (a refresh) until its first request to the emulator. */
  readonly firstCallToFirstRequestInMs: number;
  /** `up` on a fresh runner (program run included) until the first request to the emulator. */
  readonly upToFirstRequestInMs: number;
}

/** Section 8: one restore length, the provider against the plain script with two loops. */
export interface DurationRow {
  /** E.g. `20 s`, or `2 h (simulated)`. */
  readonly restore: string;
  /** The emulator's `restoreMs` that gives sessions of about that length. */
  readonly restoreMs: number;
  /** Run on the emulator's clock rather than in real time. */
  readonly simulated: boolean;
  readonly provider: DrillFigures;
  readonly script5: DrillFigures;
  readonly script2: DrillFigures;
}

/** The whole of `bench/results.json`. */
export interface BenchResults {
  readonly generatedAt: string;
  readonly machine: MachineInfo;
  readonly settings: Record<string, unknown>;
  operations?: OperationRow[];
  /** The drill with the runner's default parallelism, then with one slot per session. */
  drill?: DrillFigures[];
  bulk?: BulkRow[];
  /** The throttled drill, once per restore length. */
  throttled?: DrillFigures[];
  overhead?: OverheadFigures;
  alternative?: DrillFigures[];
  durations?: DurationRow[];
  /** Peak resident memory of the provider host (VmHWM), in bytes, by scenario. */
  hostPeakMemoryInBytes: Record<string, number>;
  totalInMs: number;
}
