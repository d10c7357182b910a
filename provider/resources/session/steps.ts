/**
 * The steps create's and update's state machines share, each one request or a settled group of them:
 * artifact batches, reconciling a draft to the declared artifacts, the bulk request, activation,
 * waiting. Every write that Graph may have applied without saying so (a reset, a timeout, a 5xx) is
 * settled here by reading before anything is sent again.
 */
import {
  activateRestoreSession,
  createBulkAdditionRequest,
  getRestoreSession,
  listBulkAdditionRequests,
  patchArtifacts,
  toArray,
  type ArtifactCollection,
} from "../../graph/backupRestore";
import { AmbiguousRequestError, GraphError } from "../../graph/errors";
import {
  ARTIFACTS_PER_REQUEST,
  isSuccessfulSessionStatus,
  isTerminalSessionStatus,
  type ArtifactDelta,
  type ArtifactStyle,
  type BulkAdditionRequestBody,
  type BulkRequestInput,
  type RestoreSession,
  type SessionObservation,
  type SessionSpec,
  type StandardArtifactInput,
} from "../../model";
import {
  ARTIFACT_RULES,
  artifactValue,
  isSelectorArtifact,
  pairArtifacts,
  type AnyArtifactInput,
} from "./artifactIdentity";
import { addDelta, chunk, removeDelta, resolveArtifacts } from "./artifacts";
import { nextInterval, type SessionContext } from "./context";
import { decideNextPoll, POLL_CEILING_IN_MS, restoreStartInMs, type PollState } from "./pollSchedule";
import { messageOf, SessionKeptError } from "./errors";
import { fallbackObservation, listSessionArtifacts, observe, observeFrom } from "./observe";
import { describeFailedArtifacts, sessionOutputs } from "./outputs";
import { fromSpec } from "./spec";

/** Graph's transient refusal when 25 sessions are already active. */
export const TOO_MANY_ACTIVE = "TooManyActiveRestoreSessions";

// ---- Waiting between polls: the one place that asks for the next interval ------------------------------

/** The waits between polls (and between activation retries), first one first. */
export function pollDelays(ctx: SessionContext): () => number {
  let interval = ctx.timing.initialPollIntervalInMs;
  return () => {
    const current = interval;
    interval = nextInterval(ctx.timing, interval);
    return current;
  };
}

// ---- Artifacts --------------------------------------------------------------------------------------

/** The collection a style's artifacts live in. */
export function collectionFor(ctx: SessionContext, style: ArtifactStyle): ArtifactCollection {
  return style === "granular" && ctx.schema.granularShape === "browseItem" ? "granular" : "standard";
}

/** Sends `@delta` batches of at most 50 elements; inline per-item failures become one error. */
export async function patchInBatches(
  ctx: SessionContext,
  id: string,
  collection: ArtifactCollection,
  delta: ArtifactDelta[],
): Promise<void> {
  for (const batch of chunk(delta, ARTIFACTS_PER_REQUEST)) {
    const results = await patchArtifacts(ctx.client, ctx.schema.kind, id, collection, batch);
    const failures = results.filter((result) => result.failure !== undefined);
    if (failures.length > 0) {
      throw new Error(
        `Graph refused ${failures.length} artifact change(s) on restore session ${id}: ` +
          failures
            .map(
              (result) =>
                `${result.id ?? "?"} ${result.failure?.code ?? ""}: ${result.failure?.message ?? ""}`,
            )
            .join("; "),
      );
    }
  }
}

/**
 * Carries recorded resolutions over from the old inputs: a selector already in the session keeps the
 * restore point it was resolved to, so newer restore points never cause drift.
 */
export function carryResolutions(
  olds: StandardArtifactInput[],
  news: StandardArtifactInput[],
): StandardArtifactInput[] {
  const recorded = new Map<string, string>();
  for (const old of olds) {
    if (isSelectorArtifact(old) && old.resolvedRestorePointId !== undefined) {
      recorded.set(artifactValue(old), old.resolvedRestorePointId);
    }
  }
  return news.map((artifact) => {
    const id = isSelectorArtifact(artifact) ? recorded.get(artifactValue(artifact)) : undefined;
    return id === undefined ? artifact : { ...artifact, resolvedRestorePointId: id };
  });
}

/** One pass, and one more after a PATCH whose outcome was unknown. */
const MAX_RECONCILE_PASSES = 2;

/**
 * Makes the draft's artifacts equal `desired` (selectors resolved first), computing the delta against
 * the session's actual artifacts, so a PATCH sequence that stopped half way is finished, not repeated.
 * Returns the desired list as applied (with resolutions recorded).
 */
export async function reconcileArtifacts<T extends AnyArtifactInput>(
  ctx: SessionContext,
  id: string,
  style: ArtifactStyle,
  desired: T[],
): Promise<T[]> {
  const collection = collectionFor(ctx, style);
  const resolved =
    collection === "standard"
      ? ((await resolveArtifacts(ctx, desired as StandardArtifactInput[])) as T[])
      : desired;
  for (let pass = 1; ; pass++) {
    const session = await getRestoreSession(ctx.client, id);
    const actual = await listSessionArtifacts(ctx, session, style);
    const { missing: additions, extra: removals } = pairArtifacts(resolved, actual, ARTIFACT_RULES.ownDraft);
    const delta = [...removals.map((artifact) => removeDelta(artifact.id)), ...additions.map(addDelta)];
    if (delta.length === 0) {
      return resolved;
    }
    await ctx.log.info(
      `Restore session ${id}: adding ${additions.length} and removing ${removals.length} artifact(s).`,
    );
    try {
      await patchInBatches(ctx, id, collection, delta);
      return resolved;
    } catch (error) {
      // A PATCH whose outcome is unknown is settled by reading the artifacts again, once: what it did
      // apply drops out of the next delta, and only what is still missing or extra is sent.
      if (!AmbiguousRequestError.isInstance(error) || pass >= MAX_RECONCILE_PASSES) {
        throw error;
      }
      await ctx.log.warn(
        `${error.method} ${error.path} ended ambiguously (${error.causeSummary}); reading restore session ` +
          `${id}'s artifacts to settle it.`,
      );
    }
  }
}

// ---- Bulk request -----------------------------------------------------------------------------------

export function bulkBody(bulk: BulkRequestInput): BulkAdditionRequestBody {
  return { ...bulk };
}

async function hasBulkRequest(ctx: SessionContext, id: string): Promise<boolean> {
  return (await toArray(listBulkAdditionRequests(ctx.client, ctx.schema.kind, id))).length > 0;
}

/**
 * Sends the bulk request unless the session has one already. `known: "none"` skips the read (the
 * session was just POSTed empty by this create). An ambiguous POST is settled by reading: a request
 * that arrived is not sent again.
 */
export async function bulkOnce(
  ctx: SessionContext,
  id: string,
  bulk: BulkRequestInput,
  known: "none" | "unknown",
): Promise<void> {
  if (known === "unknown" && (await hasBulkRequest(ctx, id))) return;
  try {
    await createBulkAdditionRequest(ctx.client, ctx.schema.kind, id, bulkBody(bulk));
  } catch (error) {
    if (!AmbiguousRequestError.isInstance(error)) throw error;
    await ctx.log.warn(
      `${error.method} ${error.path} ended ambiguously (${error.causeSummary}); reading restore session ${id}'s ` +
        `bulk requests to settle it.`,
    );
    if (await hasBulkRequest(ctx, id)) return;
    await createBulkAdditionRequest(ctx.client, ctx.schema.kind, id, bulkBody(bulk));
  }
}

// ---- Activation -------------------------------------------------------------------------------------

/** Activations that failed without taking (the session stayed a draft) before the error is reported. */
const MAX_UNSETTLED_ACTIVATIONS = 2;

/**
 * Activates a draft. On `TooManyActiveRestoreSessions` waits with backoff and tries again until
 * `deadlineInMs`. An activate whose outcome is unknown (reset, timeout, 5xx) or refused with 403 is
 * settled by reading the session: if it left `draft`, activation happened and is never sent again.
 */
export async function activateOnce(
  ctx: SessionContext,
  id: string,
  deadlineInMs: number,
): Promise<RestoreSession> {
  const delays = pollDelays(ctx);
  let unsettled = 0;
  for (;;) {
    try {
      return await activateRestoreSession(ctx.client, id);
    } catch (error) {
      if (AmbiguousRequestError.isInstance(error) || (GraphError.isInstance(error) && error.status === 403)) {
        const session = await getRestoreSession(ctx.client, id);
        if (session.status !== "draft") {
          return session;
        }
        // Still a draft: that activate did not take. Sent once more; a second failure is reported.
        if (!AmbiguousRequestError.isInstance(error) || ++unsettled >= MAX_UNSETTLED_ACTIVATIONS) {
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
      const delay = Math.min(delays(), remaining);
      await ctx.log.info(
        `Restore session ${id}: too many active restore sessions; trying again in ${delay} ms.`,
      );
      await ctx.timing.sleep(delay);
    }
  }
}

// ---- Waiting ----------------------------------------------------------------------------------------

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

function countsOf(observation: SessionObservation): string {
  const count = observation.restoreSessionArtifactCount;
  return `${count.completed} completed, ${count.inProgress} in progress, ${count.failed} failed of ${count.total}`;
}

/**
 * Polls until the session is terminal or the deadline passes. Resolves with the final observation
 * when it completed; throws {@link RestoreFailedError} for `failed`/`completedWithError` and
 * {@link CompletionTimeoutError} at the deadline.
 *
 * The waits come from `pollSchedule.ts`: the floor first, then a tenth of the restore's age, capped,
 * and at most one poll aimed at the end the pace of Graph's counts predicts, made before the one due.
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
  let previous: PollState | undefined;
  let dueInMs: number | undefined;
  let aimed = false;
  for (;;) {
    const nowInMs = ctx.timing.nowInMs();
    const remaining = deadlineInMs - nowInMs;
    if (isTerminalSessionStatus(session.status) || remaining <= 0) {
      return settle(id, await observeFrom(ctx, session, style));
    }
    const latest: PollState = {
      elapsedInMs: nowInMs - startedAtInMs,
      counts: session.restoreSessionArtifactCount,
    };
    const next = decideNextPoll(
      { latest, aimed, ...(previous && { previous }), ...(dueInMs !== undefined && { dueInMs }) },
      options,
    );
    await ctx.timing.sleep(Math.min(Math.max(0, next.atInMs - latest.elapsedInMs), remaining));
    // After the aimed poll the poll that was due stays due; after any other, the schedule goes on from it.
    previous = latest;
    aimed ||= next.aimed;
    dueInMs = next.aimed ? next.dueInMs : undefined;
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

// ---- Failing after the session exists ---------------------------------------------------------------

/**
 * A failure after the session exists, as a {@link SessionKeptError} with the best outputs we can get:
 * what the failure itself observed, else a fresh read, else what we last knew.
 */
export async function keepSession(
  ctx: SessionContext,
  session: RestoreSession,
  applied: SessionSpec,
  error: unknown,
  providerValue: unknown,
  verb: "created" | "updated" | "taken over",
  previous?: SessionObservation,
): Promise<SessionKeptError> {
  let observation: SessionObservation;
  if (error instanceof RestoreFailedError || error instanceof CompletionTimeoutError) {
    observation = error.observation;
  } else {
    try {
      observation = await observe(ctx, session.id, applied.style);
    } catch {
      observation = fallbackObservation(session, previous);
    }
  }
  const outputs = sessionOutputs(fromSpec(ctx.schema, applied), observation);
  const message =
    error instanceof RestoreFailedError || error instanceof CompletionTimeoutError
      ? error.message
      : `${ctx.schema.typeName} ${session.id} was ${verb}, but the next step failed: ${messageOf(error)}\n` +
        `The session is kept in state; the next up continues from here without creating a second session.`;
  return new SessionKeptError(session.id, outputs, message, providerValue);
}
