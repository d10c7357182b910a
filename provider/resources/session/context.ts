/**
 * What one provider call works with: the kind, a Graph client built for this call, the settings it
 * came from, a log that goes through `pulumi.log`, and time (a seam so tests can use fake timers).
 */
import type { GraphClient } from "../../graph/client";
import type { ProviderSettings } from "../../settings";
import type { KindSchema } from "../../model";
import { POLL_FLOOR_IN_MS } from "./pollSchedule";

/**
 * Provider log lines; the host wires these to `pulumi.log`. Each resolves once the engine has the
 * line: await it when the line must arrive before the operation's answer (a warning on delete).
 */
export interface ProviderLog {
  info(message: string): Promise<void>;
  warn(message: string): Promise<void>;
  debug(message: string): Promise<void>;
}

/** Time as the flows see it. */
export interface Timing {
  nowInMs(): number;
  sleep(delayInMs: number): Promise<void>;
  /**
   * The poll schedule's floor (`pollSchedule.ts`): the wait before the first poll after activation
   * and the shortest between polls. Also the first wait between activation and delete retries, which
   * grow by half (`nextInterval`) or double each time.
   */
  readonly initialPollIntervalInMs: number;
  /** Longest wait between activation and delete retries (polls have the schedule's own ceiling). */
  readonly maxPollIntervalInMs: number;
}

export interface SessionContext {
  readonly schema: KindSchema;
  readonly client: GraphClient;
  readonly settings: ProviderSettings;
  readonly log: ProviderLog;
  readonly timing: Timing;
}

/**
 * First wait between polls, and the shortest: the hand-written 5 s loop, so polling never makes more
 * requests than it (see `pollSchedule.ts` for the rest of the schedule).
 */
export const DEFAULT_INITIAL_POLL_INTERVAL_IN_MS = POLL_FLOOR_IN_MS;
/** Longest wait between activation retries (`TooManyActiveRestoreSessions`) and delete retries. */
export const DEFAULT_MAX_POLL_INTERVAL_IN_MS = 15_000;

/**
 * Real time. `M365_BACKUP_POLL_INTERVAL_MS` (environment of the provider process) sets the poll
 * schedule's floor: the emulator's tests and demos finish restores in milliseconds. The first poll
 * after activation comes after this interval, not at once (see `waitForCompletion`).
 */
export function realTiming(env: NodeJS.ProcessEnv = process.env): Timing {
  const configured = Number(env.M365_BACKUP_POLL_INTERVAL_MS);
  const initial =
    Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_INITIAL_POLL_INTERVAL_IN_MS;
  return {
    nowInMs: () => Date.now(),
    sleep: (delayInMs) => new Promise((resolve) => setTimeout(resolve, delayInMs)),
    initialPollIntervalInMs: initial,
    maxPollIntervalInMs: Math.max(initial, DEFAULT_MAX_POLL_INTERVAL_IN_MS),
  };
}

/** The next wait between activation retries: half as long again, capped. */
export function nextInterval(timing: Timing, currentInMs: number): number {
  return Math.min(Math.ceil(currentInMs * 1.5), timing.maxPollIntervalInMs);
}
