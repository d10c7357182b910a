/**
 * What one provider call works with: the kind, a Graph client built for this call, the settings it
 * came from, a log that goes through `pulumi.log`, and time (a seam so tests can use fake timers).
 */
import type { GraphClient } from "../graph/client";
import type { ProviderSettings } from "../settings";
import type { KindSchema } from "./kinds";

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
  /** First wait between polls (and between activation retries); grows by half each time. */
  readonly initialPollIntervalInMs: number;
  /** Longest wait between polls. */
  readonly maxPollIntervalInMs: number;
}

export interface SessionContext {
  readonly schema: KindSchema;
  readonly client: GraphClient;
  readonly settings: ProviderSettings;
  readonly log: ProviderLog;
  readonly timing: Timing;
}

/** First wait between polls: a session is not done two seconds after activation, so nothing is missed. */
export const DEFAULT_INITIAL_POLL_INTERVAL_IN_MS = 2_000;
/**
 * Longest wait between polls. Completion is seen at most this late, and a drill's recovery time is
 * measured from when `up` sees it, so 15 s keeps that error small next to restores that take minutes,
 * while a two-hour restore still costs under 500 GETs (about 250 at a 30 s cap; a 5 s loop makes 1,440).
 */
export const DEFAULT_MAX_POLL_INTERVAL_IN_MS = 15_000;

/**
 * Real time. `M365_BACKUP_POLL_INTERVAL_MS` (environment of the provider process) sets the first
 * poll interval: the emulator's tests and demos finish restores in milliseconds. The first poll after
 * activation comes after this interval, not at once (see `waitForCompletion`).
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

/** The next wait: half as long again, capped, and never past the deadline. */
export function nextInterval(timing: Timing, currentInMs: number): number {
  return Math.min(Math.ceil(currentInMs * 1.5), timing.maxPollIntervalInMs);
}
