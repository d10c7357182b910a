/**
 * `read` (refresh and import): GET the session and every page of its artifacts. A draft Graph no
 * longer has returns no id, so refresh drops it; a session that left draft is kept as it was, with a
 * warning (I4 in docs/exactly-once.md: dropping it would make the next `up` restore again). Import (no inputs in state) rebuilds inputs that
 * reproduce the session, so a program written to match it shows no diff.
 */
import { getBulkAdditionRequest, listBulkAdditionRequests, toArray } from "../../graph/backupRestore";
import type {
  ArtifactOutput,
  BulkAdditionRequest,
  BulkRequestInput,
  GranularArtifactInput,
  GranularRestoreArtifact,
  KindSchema,
  RestoreArtifact,
  SessionInputs,
  SessionObservation,
  SessionOutputs,
  SessionSpec,
  StandardArtifactInput,
  WritableDestinationType,
} from "../../model";
import type { SessionContext } from "../session/context";
import { observeIfExists } from "../session/observe";
import { observationFrom, sessionOutputs, toStruct } from "../session/outputs";
import { DEFAULT_COMPLETION_TIMEOUT_MINUTES, fromSpec, sortArtifacts, toSpec } from "../session/spec";
import { normalizeId } from "../session/validators";

export interface ReadSession {
  id?: string;
  props?: SessionOutputs;
  inputs?: SessionInputs;
}

/**
 * State written by this provider always has `activate`; an import starts from nothing. Not reachable
 * under today's SDK: the engine's import `Read` carries no state, so the dynamic-provider host cannot
 * find `__provider` and fails before this runs (pulumi/pulumi#3550; `importSessionId` is the way in).
 * Kept for an SDK whose host can deserialize the provider without it.
 */
function isImport(props: Record<string, unknown>): boolean {
  return typeof props.activate !== "boolean";
}

/**
 * `read` (refresh, and import where the SDK allows it): the session and its artifacts as Graph has them
 * now. Its parameters are `deleteSession`'s on purpose (the host's call for a session in state).
 */
export async function readSession(
  ctx: SessionContext,
  id: string,
  props: Record<string, unknown>,
): Promise<ReadSession> {
  const importing = isImport(props);
  const spec = importing ? undefined : toSpec(ctx.schema, props as SessionInputs);
  const observation = await observeIfExists(ctx, id, spec?.style);
  if (!observation) {
    if (spec && observationFrom(props).status !== "draft") return keepVanished(ctx, id, props);
    await ctx.log.info(`${ctx.schema.typeName} ${id} no longer exists in Graph; removing it from state.`);
    return {};
  }
  if (spec) {
    return { id, props: toStruct(sessionOutputs(fromSpec(ctx.schema, spec), observation)) };
  }
  const inputs = fromSpec(ctx.schema, await reconstructSpec(ctx, id, observation));
  return { id, props: toStruct(sessionOutputs(inputs, observation)), inputs: toStruct(inputs) };
}

/**
 * A session that left draft and that Graph answers 404 for (purged after a year, or read with another
 * app or tenant): kept in state with the same id and outputs, so the restore does not run again.
 */
async function keepVanished(
  ctx: SessionContext,
  id: string,
  props: Record<string, unknown>,
): Promise<ReadSession> {
  const last = observationFrom(props);
  const when = last.createdDateTime ?? "an unknown time";
  await ctx.log.warn(
    `${ctx.schema.typeName} ${id} was activated (made ${when}, last seen ${last.status}${
      last.completedDateTime ? `, completed ${last.completedDateTime}` : ""
    }) but Graph no longer returns it (purged after a year, or this run uses another tenant or app). It stays in ` +
      `state as it was, so its restore does not run again; a restore runs again only when triggers change, or ` +
      `after \`pulumi state delete\` of this resource.`,
  );
  return { id, props: toStruct(props as SessionOutputs) };
}

function destination(artifact: ArtifactOutput): WritableDestinationType {
  return artifact.destinationType === "inPlace" ? "inPlace" : "new";
}

/** Inputs that reproduce an existing session, from what Graph reports. */
async function reconstructSpec(
  ctx: SessionContext,
  id: string,
  observation: SessionObservation,
): Promise<SessionSpec> {
  const spec: SessionSpec = {
    style: "empty",
    standard: [],
    granular: [],
    bulk: null,
    conflictBehavior: null,
    activate: observation.status !== "draft",
    waitForCompletion: false,
    completionTimeoutMinutes: DEFAULT_COMPLETION_TIMEOUT_MINUTES,
    triggers: null,
    artifactOutputs: "all",
  };
  if (observation.restoreJobType === "bulk") {
    spec.bulk = await reconstructBulk(ctx, id);
    spec.style = spec.bulk ? "bulk" : "empty";
    return spec;
  }
  const granular = observation.artifacts.filter((a) => a.browseSessionId || a.searchResponseId);
  if (granular.length > 0) {
    spec.granular = sortArtifacts(granular.map((a) => granularInput(ctx.schema, a)));
    spec.style = "granular";
    return spec;
  }
  spec.standard = sortArtifacts(
    observation.artifacts
      .filter((a) => a.restorePointId !== null)
      .map((a): StandardArtifactInput => ({
        restorePoint: { id: normalizeId(a.restorePointId as string) },
        destinationType: destination(a),
      })),
  );
  spec.style = spec.standard.length > 0 ? "standard" : "empty";
  return spec;
}

function granularInput(schema: KindSchema, artifact: ArtifactOutput): GranularArtifactInput {
  if (schema.granularShape === "mailboxSearch") {
    return {
      restorePoint: { id: normalizeId(artifact.restorePointId ?? "") },
      searchResponseId: artifact.searchResponseId ?? "",
      destinationType: destination(artifact),
    };
  }
  // v1.0 reports no destination and restores granular items into a new folder: the `new` its check asks for.
  return {
    browseSessionId: artifact.browseSessionId ?? "",
    id: normalizeId(artifact.id),
    destinationType: destination(artifact),
  };
}

const BULK_LIST_FIELDS = ["siteWebUrls", "siteIds", "mailboxes", "drives", "directoryObjectIds"] as const;

async function reconstructBulk(ctx: SessionContext, id: string): Promise<BulkRequestInput | null> {
  const [listed] = await toArray(listBulkAdditionRequests(ctx.client, ctx.schema.kind, id));
  if (!listed) {
    return null;
  }
  // The list omits the resource lists; the item GET has them.
  const request: BulkAdditionRequest = await getBulkAdditionRequest(
    ctx.client,
    ctx.schema.kind,
    id,
    listed.id,
  );
  const input: BulkRequestInput = {
    protectionTimePeriod: { startDateTime: request.protectionTimePeriod?.startDateTime ?? "" },
    destinationType: request.destinationType === "inPlace" ? "inPlace" : "new",
  };
  if (request.protectionTimePeriod?.endDateTime)
    input.protectionTimePeriod.endDateTime = request.protectionTimePeriod.endDateTime;
  if (request.displayName) input.displayName = request.displayName;
  if (request.restorePointPreference === "latest" || request.restorePointPreference === "oldest") {
    input.restorePointPreference = request.restorePointPreference;
  }
  if (request.tags) input.tags = request.tags;
  for (const field of BULK_LIST_FIELDS) {
    const list = request[field];
    if (Array.isArray(list) && list.length > 0 && ctx.schema.bulkLists.includes(field)) {
      input[field] = [...list].map((entry) => entry.toLowerCase()).sort();
    }
  }
  return input;
}

export type { RestoreArtifact, GranularRestoreArtifact };
