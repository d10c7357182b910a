/**
 * Bringing a draft's artifacts to what the program declares. The delta is computed against the
 * session's actual artifacts (not against the old inputs), so an earlier `up` that stopped half way
 * is finished correctly by the next one.
 */
import {
  getRestoreSession,
  MAX_ARTIFACTS_PER_PATCH,
  patchArtifacts,
  type ArtifactCollection,
} from "../graph/backupRestore";
import { AmbiguousRequestError } from "../graph/errors";
import type { ArtifactDelta } from "../graph/models";
import {
  addDelta,
  chunk,
  matchArtifact,
  removeDelta,
  resolveArtifacts,
  type AnyArtifactInput,
} from "./artifacts";
import type { SessionContext } from "./context";
import { listSessionArtifacts } from "./observe";
import { artifactValue, isSelectorArtifact } from "./spec";
import type { ArtifactStyle, StandardArtifactInput } from "./types";

/** Sends `@delta` batches of at most 50 elements; inline per-item failures become one error. */
export async function patchInBatches(
  ctx: SessionContext,
  id: string,
  collection: ArtifactCollection,
  delta: ArtifactDelta[],
): Promise<void> {
  for (const batch of chunk(delta, MAX_ARTIFACTS_PER_PATCH)) {
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

/**
 * Makes the draft's artifacts equal `desired` (selectors resolved first). Returns the desired list as
 * applied (with resolutions recorded).
 */
export async function reconcileArtifacts<T extends AnyArtifactInput>(
  ctx: SessionContext,
  id: string,
  style: ArtifactStyle,
  desired: T[],
): Promise<T[]> {
  const collection: ArtifactCollection =
    style === "granular" && ctx.schema.granularShape === "browseItem" ? "granular" : "standard";
  const resolved =
    collection === "standard"
      ? ((await resolveArtifacts(ctx, desired as StandardArtifactInput[])) as T[])
      : desired;
  for (let pass = 1; ; pass++) {
    const session = await getRestoreSession(ctx.client, id);
    const actual = await listSessionArtifacts(ctx, session, style);
    const taken = new Set<string>();
    const additions = resolved.filter((artifact) => matchArtifact(artifact, actual, taken) === undefined);
    const removals = actual.filter((artifact) => !taken.has(artifact.id));
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

/** One pass, and one more after a PATCH whose outcome was unknown. */
const MAX_RECONCILE_PASSES = 2;
