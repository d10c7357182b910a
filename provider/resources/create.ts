/**
 * `create`: POST the session (with at most 50 artifacts), PATCH the rest in batches of 50, POST the
 * bulk request, activate if asked, wait if asked. Once the session exists every failure is thrown as a
 * {@link SessionKeptError}, so the engine keeps it and the next `up` continues with an update.
 *
 * A create journal (`journal.ts`) on the provider host's disk covers the one gap the engine leaves: a
 * host killed before `create` answers. Its entry is written before the POST and names the session as
 * soon as Graph answers; the next create with the same inputs adopts that session (`resume.ts`)
 * instead of creating, and activating, a second one.
 */
import {
  createBulkAdditionRequest,
  createRestoreSession,
  MAX_ARTIFACTS_PER_PATCH,
  type BulkAdditionRequestBody,
} from "../graph/backupRestore";
import { GraphError } from "../graph/errors";
import type { RestoreSession } from "../graph/models";
import { addDelta, chunk, resolveArtifacts, toWireArtifact, type AnyArtifactInput } from "./artifacts";
import type { SessionContext } from "./context";
import { adoptOrRetryCreate } from "./adopt";
import { expandGranular } from "./granularSelectors";
import { resolveGranularSelectors } from "./resolveGranular";
import { createFingerprint, openJournal, type JournalHandle } from "./journal";
import { keepSession } from "./keep";
import { activateOnce, waitForCompletion } from "./lifecycle";
import { listSessionArtifacts, observe, observeFrom } from "./observe";
import { sessionOutputs, toStruct } from "./outputs";
import { patchInBatches, reconcileArtifacts } from "./reconcile";
import { adoptLeftover } from "./resume";
import { fromSpec, toSpec } from "./spec";
import type {
  BulkRequestInput,
  GranularArtifactInput,
  SessionInputs,
  SessionOutputs,
  SessionSpec,
  StandardArtifactInput,
} from "./types";

export interface CreatedSession {
  id: string;
  outs: SessionOutputs;
}

/** The artifacts the session is built from, selectors resolved (before anything is created). */
async function artifactsToCreate(ctx: SessionContext, spec: SessionSpec): Promise<AnyArtifactInput[]> {
  switch (spec.style) {
    case "standard":
      return resolveArtifacts(ctx, spec.standard);
    case "granular":
      // Granular selectors resolve to browse items or a search, and go out as those.
      return expandGranular(await resolveGranularSelectors(ctx, spec.granular));
    case "bulk":
    case "empty":
      return [];
  }
}

/** POSTs the session; an ambiguous outcome is settled by adopting what that request made. */
async function postSession(
  ctx: SessionContext,
  spec: SessionSpec,
  first: AnyArtifactInput[],
): Promise<RestoreSession> {
  const body = {
    ...(first.length > 0
      ? { collection: spec.style === "granular" ? ("granular" as const) : ("standard" as const) }
      : {}),
    artifacts: first.map(toWireArtifact),
    ...(spec.conflictBehavior ? { conflictBehavior: spec.conflictBehavior } : {}),
  };
  return adoptOrRetryCreate(ctx, first, () => createRestoreSession(ctx.client, ctx.schema.kind, body));
}

export function bulkBody(bulk: BulkRequestInput): BulkAdditionRequestBody {
  return { ...bulk };
}

/** The session a create works on, and its journal entry (ended once the engine has the id). */
interface StartedSession {
  readonly session: RestoreSession;
  readonly entry: JournalHandle;
  /** Taken over from an interrupted create rather than POSTed now. */
  readonly adopted: boolean;
  /** Adopted by the id the journal recorded: that create may have stopped anywhere after its POST. */
  readonly named: boolean;
}

/**
 * The session an interrupted create of the same inputs made (from the journal), else a new one,
 * POSTed with a journal entry written first and the id recorded as soon as Graph answers.
 */
async function startSession(
  ctx: SessionContext,
  inputs: SessionInputs,
  spec: SessionSpec,
  artifacts: AnyArtifactInput[],
  first: AnyArtifactInput[],
): Promise<StartedSession> {
  const journal = openJournal({ onWarning: (message) => void ctx.log.warn(message) });
  const { tenantId, clientId, graphEndpoint, apiVersion } = ctx.settings;
  const fingerprint = createFingerprint({
    tenantId,
    clientId,
    graphEndpoint,
    apiVersion,
    kind: ctx.schema.kind,
    inputs,
  });
  // Adoption failing (Graph unreachable) leaves the claimed entry in place for the next up.
  const leftover = journal.claimLeftover(fingerprint);
  const adopted = leftover && (await adoptLeftover(ctx, leftover, spec, artifacts, first));
  if (leftover && adopted) {
    leftover.handle.recordSession(adopted.session.id);
    return { session: adopted.session, entry: leftover.handle, adopted: true, named: adopted.named };
  }
  // An entry whose session is gone is done with; one that named none keeps its earlier start time.
  if (leftover?.sessionId !== undefined) leftover.handle.end();
  const entry =
    leftover !== undefined && leftover.sessionId === undefined ? leftover.handle : journal.begin(fingerprint);
  try {
    const session = await postSession(ctx, spec, first);
    entry.recordSession(session.id);
    return { session, entry, adopted: false, named: false };
  } catch (error) {
    // Graph refused it: no session. Any other end (ambiguous, or a 2xx whose body could not be read)
    // keeps the entry, so the next up looks for the session it may have made.
    if (GraphError.isInstance(error) && error.status >= 300) entry.end();
    throw error;
  }
}

function recordApplied(applied: SessionSpec, style: SessionSpec["style"], added: AnyArtifactInput[]): void {
  if (style === "granular") applied.granular.push(...(added as GranularArtifactInput[]));
  else applied.standard.push(...(added as StandardArtifactInput[]));
}

/**
 * A draft an interrupted create made and named: its PATCHes may have stopped half way, so its
 * artifacts are brought to the declared ones, and the bulk request is sent if nothing arrived yet.
 */
async function finishNamedDraft(
  ctx: SessionContext,
  session: RestoreSession,
  spec: SessionSpec,
  artifacts: AnyArtifactInput[],
  applied: SessionSpec,
): Promise<void> {
  if (spec.style === "granular") {
    applied.granular = await reconcileArtifacts(
      ctx,
      session.id,
      "granular",
      artifacts as GranularArtifactInput[],
    );
  } else if (spec.style === "standard") {
    applied.standard = await reconcileArtifacts(
      ctx,
      session.id,
      "standard",
      artifacts as StandardArtifactInput[],
    );
  } else if (spec.bulk) {
    if ((await listSessionArtifacts(ctx, session, spec.style)).length === 0) {
      await createBulkAdditionRequest(ctx.client, ctx.schema.kind, session.id, bulkBody(spec.bulk));
    }
    applied.bulk = spec.bulk;
  }
}

/**
 * Adds what the POST did not carry. Resolves true when it wrote to the session (so the POST's answer
 * is stale). A session that left draft was completed and activated by the create that made it.
 */
async function fillSession(
  ctx: SessionContext,
  started: StartedSession,
  spec: SessionSpec,
  artifacts: AnyArtifactInput[],
  rest: AnyArtifactInput[][],
  applied: SessionSpec,
): Promise<boolean> {
  const { session } = started;
  if (session.status !== "draft") {
    recordApplied(applied, spec.style, rest.flat());
    applied.bulk = spec.bulk;
    return false;
  }
  if (started.named) {
    await finishNamedDraft(ctx, session, spec, artifacts, applied);
    return true;
  }
  for (const batch of rest) {
    await patchInBatches(
      ctx,
      session.id,
      spec.style === "granular" ? "granular" : "standard",
      batch.map(addDelta),
    );
    recordApplied(applied, spec.style, batch);
  }
  if (spec.bulk) {
    await createBulkAdditionRequest(ctx.client, ctx.schema.kind, session.id, bulkBody(spec.bulk));
    applied.bulk = spec.bulk;
  }
  return rest.length > 0 || spec.bulk !== null;
}

export async function createSession(
  ctx: SessionContext,
  inputs: SessionInputs,
  providerValue: unknown,
): Promise<CreatedSession> {
  const spec = toSpec(ctx.schema, inputs);
  const deadlineInMs = ctx.timing.nowInMs() + spec.completionTimeoutMinutes * 60_000;
  const artifacts = await artifactsToCreate(ctx, spec);
  // 413 on create has no documented limit; 50 is the documented PATCH limit, so the POST carries at most 50.
  const [first = [], ...rest] = chunk(artifacts, MAX_ARTIFACTS_PER_PATCH);
  const started = await startSession(ctx, inputs, spec, artifacts, first);
  const { session } = started;
  if (!started.adopted) {
    await ctx.log.info(`Created ${ctx.schema.typeName} ${session.id} (${artifacts.length} artifact(s)).`);
  }
  const applied: SessionSpec = { ...spec, standard: [], granular: [], bulk: null, activate: false };
  recordApplied(applied, spec.style, first);
  // The freshest session Graph has answered with; undefined once a PATCH or bulk request changed it.
  let latest: RestoreSession | undefined = session;
  try {
    if (await fillSession(ctx, started, spec, artifacts, rest, applied)) latest = undefined;
    if (spec.activate) {
      // Never a second activation: a session that left draft has been activated already.
      if (session.status === "draft") latest = await activateOnce(ctx, session.id, deadlineInMs);
      applied.activate = true;
    }
    const observation =
      spec.activate && spec.waitForCompletion
        ? await waitForCompletion(ctx, session.id, spec.style, deadlineInMs, latest)
        : latest
          ? await observeFrom(ctx, latest, spec.style)
          : await observe(ctx, session.id, spec.style);
    return { id: session.id, outs: toStruct(sessionOutputs(fromSpec(ctx.schema, applied), observation)) };
  } catch (error) {
    throw await keepSession(ctx, session, applied, error, providerValue, "created");
  } finally {
    // The engine has the id now, from the result or from the partial-creation error.
    started.entry.end();
  }
}
