/**
 * `create` as a state machine (docs/exactly-once.md has the diagram and the crash-point rows C1..C12).
 * Read top to bottom: each state is one function, and the comment above it says what the next `up`
 * does when the provider host is killed while in it.
 *
 *   importSessionId set? -> take over (`importSession.ts`: verify, activate a draft if asked; no journal)
 *   resolve -> journal (wait while another live create holds it) -> start:
 *                 recover a leftover | search before POST -> post -> record
 *           -> fill (patch batches | reconcile) -> bulk -> activate -> wait -> done (journal end)
 *
 * Once the session exists every failure is thrown as a `SessionKeptError`, so the engine keeps it in
 * state and the next `up` continues with an update (`update/update.ts`).
 */
import { createRestoreSession, getRestoreSession } from "../../graph/backupRestore";
import { AmbiguousRequestError, GraphError } from "../../graph/errors";
import {
  ARTIFACTS_PER_REQUEST,
  type GranularArtifactInput,
  type RestoreSession,
  type SessionInputs,
  type SessionOutputs,
  type SessionSpec,
  type StandardArtifactInput,
} from "../../model";
import { assertPathId } from "../../graph/pathId";
import { isSelectorArtifact, type AnyArtifactInput } from "../session/artifactIdentity";
import { addDelta, chunk, resolveArtifacts, toWireArtifact } from "../session/artifacts";
import type { SessionContext } from "../session/context";
import { listSessionArtifacts, observe, observeFrom } from "../session/observe";
import { sessionOutputs, toStruct } from "../session/outputs";
import { fromSpec, toSpec } from "../session/spec";
import { expandGranular } from "../session/granularSelectors";
import { resolveGranularSelectors } from "../session/resolveGranular";
import { takeOverSession } from "./importSession";
import { createFingerprint, JOURNAL_DIR_ENV, openJournal, type JournalHandle } from "./journal";
import {
  compareArtifacts,
  findEarlierLookalikes,
  findEmptyDraftsSince,
  findLookalikes,
  findOurDraft,
  idsOf,
} from "./search";
import {
  activateOnce,
  bulkOnce,
  collectionFor,
  keepSession,
  patchInBatches,
  pollDelays,
  reconcileArtifacts,
  waitForCompletion,
} from "../session/steps";

export interface CreatedSession {
  id: string;
  outs: SessionOutputs;
}

/**
 * How the session was come by, which decides how it is finished:
 * - `posted`: POSTed (or adopted by search) now; it holds exactly the first batch, so the rest is
 *   PATCHed in batches and the bulk request is sent without a read.
 * - `recorded`: named by an interrupted create's journal entry; it may have stopped anywhere after its
 *   POST, so its artifacts are reconciled to the declared ones, the bulk request is sent only if none
 *   exists, and activation only if Graph still reports a draft.
 */
type Origin = "posted" | "recorded";

interface Started {
  readonly session: RestoreSession;
  readonly origin: Origin;
}

/** What one create works with, fixed after `resolve`. */
interface Plan {
  readonly spec: SessionSpec;
  /** Every declared artifact, selectors resolved. */
  readonly artifacts: AnyArtifactInput[];
  /** What the POST carries (at most 50); the rest go in PATCH batches. */
  readonly first: AnyArtifactInput[];
  readonly rest: AnyArtifactInput[][];
  readonly deadlineInMs: number;
}

export async function createSession(
  ctx: SessionContext,
  inputs: SessionInputs,
  providerValue: unknown,
): Promise<CreatedSession> {
  const declared = toSpec(ctx.schema, inputs);
  if (declared.importSessionId !== undefined) {
    // The program names the session (I3 by the user's word): it is verified and taken over, with no
    // POST and no journal entry, so no other create can ever adopt it (`importSession.ts`).
    return takeOverSession(ctx, declared.importSessionId, declared, providerValue);
  }
  const plan = await resolve(ctx, inputs);
  const entry = await journal(ctx, inputs, plan);
  let started: Started;
  try {
    started = await start(ctx, entry, plan);
  } catch (error) {
    // Graph refused the POST: no session, the entry is done with. Any other end may have left a
    // session Graph made: the entry stays (given up), so the next create looks for it.
    if (GraphError.isInstance(error) && error.status >= 400 && error.status < 500) entry.handle.end();
    else entry.handle.release();
    throw error;
  }
  try {
    return await finish(ctx, started, plan, providerValue);
  } finally {
    // The engine has the id now, from the result or from the partial-creation error (row C12: the
    // instant between this and the answer reaching the engine is not covered).
    entry.handle.end();
  }
}

// ---- resolve (C1: nothing written yet; the next up starts over) ----------------------------------------

async function resolve(ctx: SessionContext, inputs: SessionInputs): Promise<Plan> {
  const spec = toSpec(ctx.schema, inputs);
  const deadlineInMs = ctx.timing.nowInMs() + spec.completionTimeoutMinutes * 60_000;
  const artifacts: AnyArtifactInput[] =
    spec.style === "standard"
      ? await resolveArtifacts(ctx, spec.standard)
      : spec.style === "granular"
        ? // Granular selectors resolve to browse items or a search, and go out as those.
          expandGranular(await resolveGranularSelectors(ctx, spec.granular))
        : [];
  // 413 on create has no documented limit; 50 is the documented PATCH limit, so the POST carries at most 50.
  const [first = [], ...rest] = chunk(artifacts, ARTIFACTS_PER_REQUEST);
  return { spec, artifacts, first, rest, deadlineInMs };
}

// ---- journal (C2..C11 are recovered from what this entry says) ----------------------------------------

/**
 * The journal entry of this create: a leftover of an interrupted create of the same inputs (claimed),
 * or a new one. While another live process holds an entry of the same fingerprint, waits for it to
 * end or for its lease to expire, until the completion deadline.
 */
async function journal(ctx: SessionContext, inputs: SessionInputs, plan: Plan): Promise<Acquisition> {
  const { tenantId, clientId, graphEndpoint, apiVersion } = ctx.settings;
  const fingerprint = createFingerprint({
    tenantId,
    clientId,
    graphEndpoint,
    apiVersion,
    kind: ctx.schema.kind,
    inputs,
  });
  const opened = openJournal({ onWarning: (message) => void ctx.log.warn(message) });
  const delays = pollDelays(ctx);
  for (;;) {
    const acquired = opened.acquire(fingerprint);
    if (acquired.kind === "new") return { handle: acquired.handle, leftover: false, sessionId: undefined };
    if (acquired.kind === "leftover") {
      return { handle: acquired.handle, leftover: true, sessionId: acquired.sessionId };
    }
    const remaining = plan.deadlineInMs - ctx.timing.nowInMs();
    const owner = `pid ${acquired.owner.pid} on ${acquired.owner.hostId.split("/")[0]}`;
    if (remaining <= 0) {
      throw new Error(
        `Another create of this ${ctx.schema.typeName} with the same inputs is running (${owner}, lease until ` +
          `${acquired.leaseExpiresAt.toISOString()}); not starting a second restore. Run up again once it has ` +
          `finished, or remove its entry from ${JOURNAL_DIR_ENV} if that process is gone.`,
      );
    }
    const delay = Math.min(delays(), remaining);
    await ctx.log.info(
      `Another create of this ${ctx.schema.typeName} with the same inputs is running (${owner}); waiting ${delay} ms for it to end.`,
    );
    await ctx.timing.sleep(delay);
  }
}

/** The entry this create holds, and what a leftover named. */
interface Acquisition {
  readonly handle: JournalHandle;
  /** Claimed from an interrupted create rather than begun now. */
  readonly leftover: boolean;
  /** The session the leftover names, if its POST had answered. */
  readonly sessionId: string | undefined;
}

// ---- start: recover, or search before the POST, then POST and record ---------------------------------

async function start(ctx: SessionContext, entry: Acquisition, plan: Plan): Promise<Started> {
  if (entry.leftover) {
    const recovered = await recoverLeftover(ctx, entry, plan);
    if (recovered) {
      entry.handle.recordSession(recovered.session.id);
      return recovered;
    }
  } else {
    await searchBeforePost(ctx, plan);
  }
  const session = await post(ctx, plan, entry.handle.startedAt);
  entry.handle.recordSession(session.id);
  return { session, origin: "posted" };
}

/**
 * C2..C11 (journal kept). The entry names a session => read it; it must hold a part of the declared
 * artifacts (a draft) or all of them; else it is left alone and a new one is made. The entry names none
 * (killed between sending the POST and reading its answer) => search-adoption.
 */
async function recoverLeftover(
  ctx: SessionContext,
  entry: Acquisition,
  plan: Plan,
): Promise<Started | undefined> {
  const began = entry.handle.startedAt.toISOString();
  if (entry.sessionId === undefined) {
    const adopted = await adoptBySearch(ctx, plan, entry.handle.startedAt, `was interrupted at ${began}`);
    return adopted && { session: adopted, origin: "posted" };
  }
  assertPathId(entry.sessionId, "restore session id", "the create journal");
  let session: RestoreSession;
  try {
    session = await getRestoreSession(ctx.client, entry.sessionId);
  } catch (error) {
    if (!(GraphError.isInstance(error) && error.status === 404)) throw error;
    await ctx.log.info(
      `An interrupted create of this ${ctx.schema.typeName} had made session ${entry.sessionId}, which no longer exists; creating a new one.`,
    );
    return undefined;
  }
  if (!(await fitsDeclared(ctx, session, plan))) {
    await ctx.log.warn(
      `An interrupted create of this ${ctx.schema.typeName} had made session ${session.id}, but its artifacts are not ` +
        `the ones declared now; leaving it alone and creating a new one.`,
    );
    return undefined;
  }
  await ctx.log.warn(
    `A create of this ${ctx.schema.typeName} started at ${began} was interrupted (its provider host stopped) after ` +
      `making session ${session.id} (${session.status}); adopted it instead of creating another.`,
  );
  return { session, origin: "recorded" };
}

/** A draft may hold a part of the declared artifacts (its PATCHes stopped half way); a session that left draft, all. */
async function fitsDeclared(ctx: SessionContext, session: RestoreSession, plan: Plan): Promise<boolean> {
  const { spec, artifacts } = plan;
  if (spec.style === "bulk" || spec.style === "empty") return true;
  const actual = await listSessionArtifacts(ctx, session, spec.style);
  if (spec.standard.some(isSelectorArtifact)) {
    // A selector may resolve to a newer restore point now than when that create POSTed; the session is
    // ours by its recorded id, so only the count is compared (a draft is reconciled afterwards).
    return session.status === "draft"
      ? actual.length <= artifacts.length
      : actual.length === artifacts.length;
  }
  const relation = compareArtifacts(artifacts, actual);
  return relation === "exact" || (relation === "part" && session.status === "draft");
}

/**
 * Search-adoption of what a POST sent at `sentAt` made (C3, X1, X2): never without an app id, never a
 * POST without artifacts, never one of several. Resolves undefined when it made nothing (POST again).
 */
async function adoptBySearch(
  ctx: SessionContext,
  plan: Plan,
  sentAt: Date,
  how: string,
): Promise<RestoreSession | undefined> {
  const appId = ctx.settings.clientId;
  if (plan.first.length === 0) {
    // Nothing to recognise it by: create again, and name what may be the lost POST's draft.
    const orphans = await findEmptyDraftsSince(ctx, appId, sentAt);
    if (orphans.length > 0) {
      await ctx.log.warn(
        `The create request for ${ctx.schema.typeName} ${how} and carried no artifacts, so the session it may have ` +
          `made cannot be recognised; creating a new one. Possibly orphaned empty draft(s): ${idsOf(orphans)}; ` +
          `delete them if they are not yours.`,
      );
    }
    return undefined;
  }
  if (appId === undefined) {
    const lookalikes = (await findLookalikes(ctx, undefined, plan.first)).filter((s) => s.status === "draft");
    if (lookalikes.length === 0) return undefined;
    throw new Error(
      `The create request for ${ctx.schema.typeName} ${how}, and without a configured app id ` +
        `(m365-backup:clientId) the provider cannot tell whether draft(s) ${idsOf(lookalikes)} are the one it made. ` +
        `Check the session's createdBy in Graph; to take it over set importSessionId to its id, or delete it, then ` +
        `run up again.`,
    );
  }
  const found = await findOurDraft(ctx, appId, sentAt, plan.first);
  if (found.length > 1) {
    throw new Error(
      `The create request for ${ctx.schema.typeName} ${how} and ${found.length} matching draft sessions exist ` +
        `(${idsOf(found)}); not guessing which is ours. Delete the extra drafts, or take the right one over with ` +
        `importSessionId, then run up again.`,
    );
  }
  if (found.length === 0) return undefined;
  await ctx.log.warn(
    `The create request for ${ctx.schema.typeName} ${how}; adopted session ${found[0].id}, which it created.`,
  );
  return found[0];
}

/**
 * No evidence of an earlier create (first create, or the journal was lost): look for sessions holding
 * exactly the declared artifacts. A running one is refused (X3): never a second concurrent restore.
 * Drafts are not ours to touch (I3) and are named as possible orphans.
 */
async function searchBeforePost(ctx: SessionContext, plan: Plan): Promise<void> {
  if (plan.artifacts.length === 0) return;
  const { running, drafts } = await findEarlierLookalikes(ctx, ctx.settings.clientId, plan.artifacts);
  if (running.length > 0) {
    throw new Error(
      `Not creating ${ctx.schema.typeName}: session(s) ${idsOf(running)} of this kind already restore exactly the ` +
        `declared artifacts and are still running, and this stack cannot show it made them (no state, no journal ` +
        `entry). A second restore of the same data now could overwrite the first. If it is this resource's restore ` +
        `(a lost create journal), set importSessionId to its id to take it over; else wait for it to finish.`,
    );
  }
  if (drafts.length > 0) {
    await ctx.log.warn(
      `Draft session(s) ${idsOf(drafts)} already hold all or part of the declared artifacts of this ` +
        `${ctx.schema.typeName}, but this stack cannot show it made them, so they are left alone and a new session ` +
        `is created. If one is left over from an interrupted create whose journal was lost, delete it.`,
    );
  }
}

/**
 * POST with the first batch (C2/C3 around it). An ambiguous outcome (reset, timeout, 5xx) is settled
 * by search-adoption before the POST is sent again, once.
 */
async function post(ctx: SessionContext, plan: Plan, startedAt: Date): Promise<RestoreSession> {
  const { spec, first } = plan;
  const body = {
    ...(first.length > 0
      ? { collection: spec.style === "granular" ? ("granular" as const) : ("standard" as const) }
      : {}),
    artifacts: first.map(toWireArtifact),
    ...(spec.conflictBehavior ? { conflictBehavior: spec.conflictBehavior } : {}),
  };
  const send = async (): Promise<RestoreSession> => {
    const session = await createRestoreSession(ctx.client, ctx.schema.kind, body);
    assertPathId(session.id, "restore session id", "Graph's answer to the create request");
    return session;
  };
  try {
    const session = await send();
    await ctx.log.info(
      `Created ${ctx.schema.typeName} ${session.id} (${plan.artifacts.length} artifact(s)).`,
    );
    return session;
  } catch (error) {
    if (!AmbiguousRequestError.isInstance(error)) throw error;
    const sentAt = error.startedAt < startedAt ? error.startedAt : startedAt;
    const adopted = await adoptBySearch(ctx, plan, sentAt, `ended ambiguously (${error.causeSummary})`);
    if (adopted) return adopted;
    await ctx.log.info(
      `The create request ended ambiguously (${error.causeSummary}) and made no session that can be recognised; sending it again once.`,
    );
    return send();
  }
}

// ---- fill, bulk, activate, wait (C4..C11: the entry names the session from here on) -------------------

async function finish(
  ctx: SessionContext,
  started: Started,
  plan: Plan,
  providerValue: unknown,
): Promise<CreatedSession> {
  const { spec } = plan;
  const { session, origin } = started;
  const applied: SessionSpec = { ...spec, standard: [], granular: [], bulk: null, activate: false };
  record(applied, plan.first);
  // The freshest session Graph has answered with; undefined once something changed it since.
  let latest: RestoreSession | undefined = session;
  try {
    if (session.status === "draft") {
      if (await fill(ctx, session.id, origin, plan, applied)) latest = undefined;
      if (spec.bulk) {
        await bulkOnce(ctx, session.id, spec.bulk, origin === "posted" ? "none" : "unknown");
        latest = undefined;
      }
    } else {
      // Left draft: completed and activated by the create that made it; nothing is written.
      record(applied, plan.rest.flat());
    }
    applied.bulk = spec.bulk;
    if (spec.activate) {
      latest = (await activateIfDraft(ctx, session, origin, plan.deadlineInMs)) ?? latest;
      applied.activate = true;
    }
    const observation =
      spec.activate && spec.waitForCompletion
        ? await waitForCompletion(ctx, session.id, spec.style, plan.deadlineInMs, latest)
        : latest
          ? await observeFrom(ctx, latest, spec.style)
          : await observe(ctx, session.id, spec.style);
    return { id: session.id, outs: toStruct(sessionOutputs(fromSpec(ctx.schema, applied), observation)) };
  } catch (error) {
    throw await keepSession(ctx, session, applied, error, providerValue, "created");
  }
}

function record(applied: SessionSpec, added: AnyArtifactInput[]): void {
  if (applied.style === "granular") applied.granular.push(...(added as GranularArtifactInput[]));
  else applied.standard.push(...(added as StandardArtifactInput[]));
}

/**
 * PATCH batches after the POST (C4/C5 between them), or, for a recorded session, reconcile its
 * artifacts to the declared ones. Resolves true when it wrote.
 */
async function fill(
  ctx: SessionContext,
  id: string,
  origin: Origin,
  plan: Plan,
  applied: SessionSpec,
): Promise<boolean> {
  const { spec } = plan;
  if (spec.style !== "standard" && spec.style !== "granular") return false;
  if (origin === "posted") {
    try {
      for (const batch of plan.rest) {
        await patchInBatches(ctx, id, collectionFor(ctx, spec.style), batch.map(addDelta));
        record(applied, batch);
      }
      return plan.rest.length > 0;
    } catch (error) {
      if (!AmbiguousRequestError.isInstance(error)) throw error;
      // Settled by reading: the reconcile below sends only what is still missing.
    }
  }
  if (spec.style === "granular") {
    applied.granular = await reconcileArtifacts(
      ctx,
      id,
      "granular",
      plan.artifacts as GranularArtifactInput[],
    );
  } else {
    applied.standard = await reconcileArtifacts(
      ctx,
      id,
      "standard",
      plan.artifacts as StandardArtifactInput[],
    );
  }
  return true;
}

/**
 * C8/C9: activation at most once. A posted session is a draft (its POST said so); a recorded one is
 * read first, and one that left draft is never activated again.
 */
async function activateIfDraft(
  ctx: SessionContext,
  session: RestoreSession,
  origin: Origin,
  deadlineInMs: number,
): Promise<RestoreSession | undefined> {
  if (session.status !== "draft") return undefined;
  if (origin === "recorded") {
    const current = await getRestoreSession(ctx.client, session.id);
    if (current.status !== "draft") return current;
  }
  return activateOnce(ctx, session.id, deadlineInMs);
}
