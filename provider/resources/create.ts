/**
 * `create`: POST the session (with at most 50 artifacts), PATCH the rest in batches of 50, POST the
 * bulk request, activate if asked, wait if asked. Once the session exists every failure is thrown as a
 * {@link SessionKeptError}, so the engine keeps it and the next `up` continues with an update.
 */
import {
  createBulkAdditionRequest,
  createRestoreSession,
  MAX_ARTIFACTS_PER_PATCH,
  type BulkAdditionRequestBody,
} from "../graph/backupRestore";
import type { RestoreSession } from "../graph/models";
import { addDelta, chunk, resolveArtifacts, toWireArtifact, type AnyArtifactInput } from "./artifacts";
import type { SessionContext } from "./context";
import { adoptOrRetryCreate } from "./adopt";
import { keepSession } from "./keep";
import { activateOnce, waitForCompletion } from "./lifecycle";
import { observe, observeFrom } from "./observe";
import { sessionOutputs, toStruct } from "./outputs";
import { patchInBatches } from "./reconcile";
import { fromSpec, toSpec } from "./spec";
import type { BulkRequestInput, SessionInputs, SessionOutputs, SessionSpec } from "./types";

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
      return spec.granular;
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
  const session = await postSession(ctx, spec, first);
  await ctx.log.info(`Created ${ctx.schema.typeName} ${session.id} (${artifacts.length} artifact(s)).`);
  const applied: SessionSpec = { ...spec, standard: [], granular: [], bulk: null, activate: false };
  const record = (added: AnyArtifactInput[]): void => {
    if (spec.style === "granular") applied.granular.push(...(added as SessionSpec["granular"]));
    else applied.standard.push(...(added as SessionSpec["standard"]));
  };
  record(first);
  // The freshest session Graph has answered with; undefined once a PATCH or bulk request changed it.
  let latest: RestoreSession | undefined = session;
  try {
    for (const batch of rest) {
      await patchInBatches(
        ctx,
        session.id,
        spec.style === "granular" ? "granular" : "standard",
        batch.map(addDelta),
      );
      record(batch);
      latest = undefined;
    }
    if (spec.bulk) {
      await createBulkAdditionRequest(ctx.client, ctx.schema.kind, session.id, bulkBody(spec.bulk));
      applied.bulk = spec.bulk;
      latest = undefined;
    }
    if (spec.activate) {
      latest = await activateOnce(ctx, session.id, deadlineInMs);
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
  }
}
