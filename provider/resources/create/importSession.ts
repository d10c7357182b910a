/**
 * `importSessionId`: a create that takes an existing session over instead of making one. This is how a
 * session made outside the stack (in the admin center, by a script, by a stack whose state was lost)
 * comes under Pulumi: `pulumi import` cannot do it for dynamic resources (the SDK's provider host
 * fails on the engine's import Read before any provider code runs; see the README).
 *
 * The user named the session, so the provider may act on it (invariant I3), but only after showing it
 * holds exactly what the program declares (I2): the session must be of this kind, and its artifacts
 * and destinations (selectors resolved first; browse item keys and search responses compared), or its
 * bulk request's lists and options, must equal the declared ones. Every difference is named.
 *
 * Nothing is written to Graph except `activate` on a draft when the program says `activate: true`. A
 * session that left draft is never activated again; `activate: false` on one is refused, since a
 * restore cannot be undone. No journal entry is written: the journal is what lets a later create adopt
 * a session it made, and this create made none.
 */
import {
  getRestoreSession,
  listArtifacts,
  listBulkAdditionRequests,
  toArray,
} from "../../graph/backupRestore";
import { GraphError } from "../../graph/errors";
import type {
  GranularRestoreArtifact,
  RestoreArtifact,
  RestoreSession,
  SessionOutputs,
  SessionSpec,
} from "../../model";
import {
  ARTIFACT_RULES,
  declaredFacts,
  describeArtifact,
  pairArtifacts,
  sessionFacts,
  type AnyArtifactInput,
} from "../session/artifactIdentity";
import { resolveArtifacts } from "../session/artifacts";
import type { SessionContext } from "../session/context";
import { activateOnce, keepSession, waitForCompletion } from "../session/steps";

import { observeFrom } from "../session/observe";
import { sessionOutputs, toStruct } from "../session/outputs";
import { fromSpec } from "../session/spec";
import { bulkDifferences } from "./importBulk";

/** What create returns for a session taken over. */
export interface TakenOverSession {
  id: string;
  outs: SessionOutputs;
}

/** Refusal to take a session over: nothing was written to Graph. */
export class TakeOverRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TakeOverRefusedError";
  }
}

/**
 * Create with `importSessionId`: reads and verifies the named session, activates it only if it is a
 * draft and `activate` is true, waits if asked, and returns its id and outputs. Once verified, a
 * failure keeps the session in state (the engine's partial-creation contract), like a create's.
 */
export async function takeOverSession(
  ctx: SessionContext,
  id: string,
  spec: SessionSpec,
  providerValue: unknown,
): Promise<TakenOverSession> {
  const deadlineInMs = ctx.timing.nowInMs() + spec.completionTimeoutMinutes * 60_000;
  const session = await readNamedSession(ctx, id);
  const declared = await resolvedArtifacts(ctx, spec);
  const differences = await differencesFrom(ctx, session, spec, declared);
  if (differences.length > 0) {
    throw new TakeOverRefusedError(
      `${ctx.schema.typeName} cannot take over restore session ${id} (importSessionId): it does not hold ` +
        `exactly what the program declares:\n- ${differences.join("\n- ")}\n` +
        `Declare exactly the session's artifacts and destinations, or remove importSessionId to create a new ` +
        `session. Nothing was written to Graph.`,
    );
  }
  const leftDraft = session.status !== "draft";
  if (leftDraft && !spec.activate) {
    throw new TakeOverRefusedError(
      `${ctx.schema.typeName} cannot take over restore session ${id} (importSessionId) with activate: false: ` +
        `the session is ${session.status}, so it has been activated, and a restore cannot be undone. Set ` +
        `activate: true to take it over (it is not activated again). Nothing was written to Graph.`,
    );
  }
  const applied: SessionSpec = {
    ...spec,
    ...(spec.style === "standard" ? { standard: declared as SessionSpec["standard"] } : {}),
  };
  await ctx.log.info(
    `Took over ${ctx.schema.typeName} ${id} (${session.status}) named by importSessionId; it holds exactly ` +
      `the declared artifacts.`,
  );
  try {
    // Never a second activation: a session that left draft has been activated already.
    const latest = spec.activate && !leftDraft ? await activateOnce(ctx, id, deadlineInMs) : session;
    const observation =
      spec.activate && spec.waitForCompletion
        ? await waitForCompletion(ctx, id, spec.style, deadlineInMs, latest)
        : await observeFrom(ctx, latest, spec.style);
    return { id, outs: toStruct(sessionOutputs(fromSpec(ctx.schema, applied), observation)) };
  } catch (error) {
    throw await keepSession(ctx, session, applied, error, providerValue, "taken over");
  }
}

/** The session `importSessionId` names; a clear error when Graph has none by that id. */
async function readNamedSession(ctx: SessionContext, id: string): Promise<RestoreSession> {
  try {
    return await getRestoreSession(ctx.client, id);
  } catch (error) {
    if (GraphError.isInstance(error) && error.status === 404) {
      throw new TakeOverRefusedError(
        `importSessionId names restore session ${id}, which Graph does not have (404). Check the id ` +
          `(getRestoreSessions lists the sessions), or remove importSessionId to create a new session.`,
      );
    }
    throw error;
  }
}

/** The declared artifacts, selectors resolved to restore points as create would resolve them. */
async function resolvedArtifacts(ctx: SessionContext, spec: SessionSpec): Promise<AnyArtifactInput[]> {
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

/** Every way `session` differs from the declaration, in words; empty when it holds exactly that. */
async function differencesFrom(
  ctx: SessionContext,
  session: RestoreSession,
  spec: SessionSpec,
  declared: AnyArtifactInput[],
): Promise<string[]> {
  const kindDifference = await kindDifferenceOf(ctx, session);
  if (kindDifference !== undefined) {
    return [kindDifference];
  }
  const [artifacts, bulkRequests] = await Promise.all([
    sessionArtifacts(ctx, session.id),
    toArray(listBulkAdditionRequests(ctx.client, ctx.schema.kind, session.id)),
  ]);
  const differences: string[] = [];
  if (spec.bulk) {
    differences.push(...(await bulkDifferences(ctx, session.id, spec.bulk, bulkRequests)));
  } else {
    differences.push(...artifactDifferences(declared, artifacts));
    if (bulkRequests.length > 0) {
      differences.push(
        `the session has ${bulkRequests.length} bulk addition request(s), which the program does not declare ` +
          `(declare it as ${ctx.schema.bulkProperty})`,
      );
    }
  }
  return differences;
}

/** Why `session` is not of this resource's kind, or undefined when it is. */
async function kindDifferenceOf(ctx: SessionContext, session: RestoreSession): Promise<string | undefined> {
  const type = session["@odata.type"];
  if (type !== undefined) {
    return sameODataType(type, ctx.schema.odataType)
      ? undefined
      : `it is a ${type.replace(/^#?microsoft\.graph\./i, "")}, not a ${ctx.schema.typeName} ` +
          `(declare it with the resource of its kind)`;
  }
  // Without the annotation, the kind's own collection answers for its members only.
  try {
    await ctx.client.get<unknown>(`/${ctx.schema.entitySet}/${encodeURIComponent(session.id)}`);
    return undefined;
  } catch (error) {
    if (GraphError.isInstance(error) && error.status === 404) {
      return `it is not in ${ctx.schema.entitySet}, so it is not a ${ctx.schema.typeName}`;
    }
    throw error;
  }
}

function sameODataType(actual: string, expected: string): boolean {
  const bare = (value: string): string => value.replace(/^#/, "").toLowerCase();
  return bare(actual) === bare(expected);
}

/** Every artifact of the session, from both lists where the kind has two (browse items are apart). */
async function sessionArtifacts(
  ctx: SessionContext,
  id: string,
): Promise<(RestoreArtifact | GranularRestoreArtifact)[]> {
  const standard = await toArray(listArtifacts(ctx.client, ctx.schema.kind, id, "standard"));
  if (ctx.schema.granularShape !== "browseItem") {
    return standard;
  }
  return [...standard, ...(await toArray(listArtifacts(ctx.client, ctx.schema.kind, id, "granular")))];
}

/**
 * What is declared and not in the session, and what is in the session and not declared, under the
 * take-over rule: an undeclared destination (a browse item under v1.0) only matches a session artifact
 * restored to a new location or reporting none, so an in-place session is never taken over on a
 * program that does not say in place.
 */
function artifactDifferences(
  declared: AnyArtifactInput[],
  actual: (RestoreArtifact | GranularRestoreArtifact)[],
): string[] {
  const { missing, extra } = pairArtifacts(declared, actual, ARTIFACT_RULES.takeOver);
  return [
    ...missing.map(
      (artifact) => `declared but not in the session: ${describeArtifact(declaredFacts(artifact))}`,
    ),
    ...extra.map(
      (artifact) => `in the session but not declared: ${describeArtifact(sessionFacts(artifact))}`,
    ),
  ];
}
