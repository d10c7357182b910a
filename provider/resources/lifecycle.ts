/**
 * Activation (once, retried while Graph has too many active sessions) and waiting for completion
 * (polling on the schedule of `pollSchedule.ts`, stopping at a terminal status or the deadline).
 */
import { activateRestoreSession, getRestoreSession } from "../graph/backupRestore";
import { AmbiguousRequestError, GraphError } from "../graph/errors";
import { isSuccessfulSessionStatus, isTerminalSessionStatus, type RestoreSession } from "../graph/models";
import { nextInterval, type SessionContext } from "./context";
import { observeFrom } from "./observe";
import { nextPollDelayInMs, POLL_CEILING_IN_MS, restoreStartInMs } from "./pollSchedule";
import { describeFailedArtifacts } from "./outputs";
import type { ArtifactStyle, SessionObservation } from "./types";

/** Graph's transient refusal when 25 sessions are already active. */
export const TOO_MANY_ACTIVE = "TooManyActiveRestoreSessions";

/** Waiting ran out of time; the session keeps running in Graph. */
export class CompletionTimeoutError extends Error {
  constructor(
    readonly observation: SessionObservation,
    message: string,
  ) {
    super(message);
    this.name = "CompletionTimeoutError";
  }
}

/** The session ended `failed` or `completedWithError`. */
export class RestoreFailedError extends Error {
  constructor(
    readonly observation: SessionObservation,
    message: string,
  ) {
    super(message);
    this.name = "RestoreFailedError";
  }
}

/**
 * Activates a draft. On `TooManyActiveRestoreSessions` waits with backoff and tries again until
 * `deadlineInMs`. An activate whose outcome is unknown (reset, timeout) is settled by reading the
 * session: if it left `draft`, activation happened.
 */
export async function activateOnce(
  ctx: SessionContext,
  id: string,
  deadlineInMs: number,
): Promise<RestoreSession> {
  let interval = ctx.timing.initialPollIntervalInMs;
  for (;;) {
    try {
      return await activateRestoreSession(ctx.client, id);
    } catch (error) {
      if (AmbiguousRequestError.isInstance(error) || (GraphError.isInstance(error) && error.status === 403)) {
        // Unknown outcome, or "not a draft": if the session left draft, it has been activated.
        const session = await getRestoreSession(ctx.client, id);
        if (session.status !== "draft") {
          return session;
        }
        if (!AmbiguousRequestError.isInstance(error)) {
          throw error;
        }
      } else if (!(GraphError.isInstance(error) && error.code === TOO_MANY_ACTIVE)) {
        throw error;
      }
      const remaining = deadlineInMs - ctx.timing.nowInMs();
      if (remaining <= 0) {
        throw new Error(
          `Could not activate restore session ${id}: Graph still reports ${TOO_MANY_ACTIVE} (at most 25 sessions ` +
            `can be active at once) after waiting until the completion timeout. The session stays a draft in ` +
            `state; run up again once other restores have finished, or raise completionTimeoutMinutes.`,
        );
      }
      await ctx.log.info(
        `Restore session ${id}: too many active restore sessions; trying again in ${Math.min(interval, remaining)} ms.`,
      );
      await ctx.timing.sleep(Math.min(interval, remaining));
      interval = nextInterval(ctx.timing, interval);
    }
  }
}

function countsOf(observation: SessionObservation): string {
  const count = observation.restoreSessionArtifactCount;
  return `${count.completed} completed, ${count.inProgress} in progress, ${count.failed} failed of ${count.total}`;
}

/**
 * Polls until the session is terminal or the deadline passes. Resolves with the final observation
 * when it completed; throws {@link RestoreFailedError} for `failed`/`completedWithError` and
 * {@link CompletionTimeoutError} at the deadline.
 *
 * The waits come from `pollSchedule.ts`: the floor first, then a tenth of the restore's age, capped.
 * `known` is the session as Graph last answered it (the `/activate` response). When given, the
 * restore's age counts from now and the first poll comes only after the floor (a session that just
 * answered `activating` is not done a moment later), and a terminal `known` is never read again.
 * Without it (a wait resumed by a later `up`) the session is read at once and its age counts from
 * Graph's activation time. The final observation is built from the poll that found the session
 * terminal: only the artifacts are listed after it, once.
 */
export async function waitForCompletion(
  ctx: SessionContext,
  id: string,
  style: ArtifactStyle,
  deadlineInMs: number,
  known?: RestoreSession,
): Promise<SessionObservation> {
  const activatedAtInMs = known ? ctx.timing.nowInMs() : undefined;
  let session = known ?? (await getRestoreSession(ctx.client, id));
  const startedAtInMs = restoreStartInMs(ctx.timing.nowInMs(), session.lastModifiedDateTime, activatedAtInMs);
  const options = { floorInMs: ctx.timing.initialPollIntervalInMs, ceilingInMs: POLL_CEILING_IN_MS };
  for (;;) {
    const nowInMs = ctx.timing.nowInMs();
    const remaining = deadlineInMs - nowInMs;
    if (isTerminalSessionStatus(session.status) || remaining <= 0) {
      return settle(id, await observeFrom(ctx, session, style));
    }
    const state = { elapsedInMs: nowInMs - startedAtInMs, counts: session.restoreSessionArtifactCount };
    await ctx.timing.sleep(Math.min(nextPollDelayInMs(state, options), remaining));
    session = await getRestoreSession(ctx.client, id);
  }
}

/**
 * Resolves with a completed session's observation; throws {@link RestoreFailedError} for a failed one
 * and {@link CompletionTimeoutError} for one still running.
 */
export function settle(id: string, observation: SessionObservation): SessionObservation {
  if (isSuccessfulSessionStatus(observation.status)) {
    return observation;
  }
  if (isTerminalSessionStatus(observation.status)) {
    throw new RestoreFailedError(
      observation,
      `Restore session ${id} ended ${observation.status} (${countsOf(observation)}). Failed artifacts:\n` +
        `${describeFailedArtifacts(observation)}\n` +
        `The session and its outputs stay in state and later runs will not fail again for it; ` +
        `to run the restore again, change triggers.`,
    );
  }
  throw new CompletionTimeoutError(
    observation,
    `Restore session ${id} did not finish within completionTimeoutMinutes: status ${observation.status}, ` +
      `${countsOf(observation)}. It keeps running in Graph and stays in state; the next up with ` +
      `waitForCompletion resumes waiting (or raise completionTimeoutMinutes).`,
  );
}
