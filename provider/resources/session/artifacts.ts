/**
 * Artifacts from inputs to the wire: selectors resolved to restore points, and bodies for create and
 * `@delta`. Which session artifact is which declared one is `artifactIdentity.ts`.
 */
import type { ArtifactBody, ArtifactDelta, ArtifactSelector, StandardArtifactInput } from "../../model";
import { resolveSelectors } from "../../functions/resolve";
import type { RestorePointSelector } from "../../functions/selectors";
import { isSelectorArtifact, restorePointOf, type AnyArtifactInput } from "./artifactIdentity";
import type { SessionContext } from "./context";
import { isGranularSelector } from "./granularSelectors";

/** The selector as the resolver takes it: without our destination default or recorded resolution. */
function bareSelector(selector: ArtifactSelector): RestorePointSelector {
  const bare: RestorePointSelector = { ...selector };
  delete (bare as Partial<ArtifactSelector>).resolvedRestorePointId;
  delete bare.destinationType;
  return bare;
}

/**
 * Resolves every selector not yet resolved, in one call; selectors come back with
 * `resolvedRestorePointId` set. Throws (before anything is created) when a selector matches nothing.
 */
export async function resolveArtifacts(
  ctx: SessionContext,
  artifacts: StandardArtifactInput[],
): Promise<StandardArtifactInput[]> {
  const pending = artifacts.filter(
    (artifact): artifact is ArtifactSelector =>
      isSelectorArtifact(artifact) && artifact.resolvedRestorePointId === undefined,
  );
  if (pending.length === 0) {
    return artifacts;
  }
  const resolved = await resolveSelectors(ctx.client, ctx.schema.kind, pending.map(bareSelector));
  const byIndex = new Map(pending.map((selector, index) => [selector, resolved[index]?.restorePoint.id]));
  return artifacts.map((artifact) => {
    const id = isSelectorArtifact(artifact) ? byIndex.get(artifact) : undefined;
    return id === undefined ? artifact : { ...artifact, resolvedRestorePointId: id };
  });
}

/** The element a create body or an `@delta` add carries. Selectors must be resolved first. */
export function toWireArtifact(artifact: AnyArtifactInput): ArtifactBody {
  if (isGranularSelector(artifact)) {
    throw new Error("internal: a granular selector reached the wire before it was expanded");
  }
  if ("browseSessionId" in artifact) {
    return {
      browseSessionId: artifact.browseSessionId,
      id: artifact.id,
      ...(artifact.destinationType === undefined ? {} : { destinationType: artifact.destinationType }),
    };
  }
  if ("searchResponseId" in artifact) {
    return {
      restorePoint: { id: artifact.restorePoint.id },
      destinationType: artifact.destinationType,
      searchResponseId: artifact.searchResponseId,
    };
  }
  const id = restorePointOf(artifact);
  if (id === undefined) {
    throw new Error("internal: a selector reached the wire before it was resolved");
  }
  return {
    restorePoint: {
      id: isSelectorArtifact(artifact)
        ? (artifact.resolvedRestorePointId as string)
        : artifact.restorePoint.id,
    },
    destinationType: artifact.destinationType,
  };
}

export function addDelta(artifact: AnyArtifactInput): ArtifactDelta {
  return toWireArtifact(artifact);
}

export function removeDelta(artifactId: string): ArtifactDelta {
  return { "@removed": { reason: "changed" }, id: artifactId };
}

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}
