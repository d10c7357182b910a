/**
 * Resolving granular selectors against Graph: the restore point a time means, a browse session and the
 * item at each path, or a restore point search with the artifact query. Create and update resolve what
 * is not resolved yet; the preview of a new resource resolves too and logs what each selector means.
 */
import { BrowsePathNotFoundError, BrowseWalker, openBrowseSession } from "../../functions/browse";
import { NoMatchingRestorePointError, UnknownProtectionUnitError } from "../../functions/errors";
import { searchMailboxItemsWith } from "../../functions/mailboxSearch";
import { resolveSelectors } from "../../functions/resolve";
import { failureLine, type CheckFailure } from "../../checkFailure";
import type { BrowseKind } from "../../graph/browse";
import type { SessionContext } from "./context";
import {
  carryGranularResolutions,
  expandGranular,
  isGranularSelector,
  isPathSelector,
} from "./granularSelectors";
import type {
  GranularArtifactInput,
  GranularPathSelector,
  GranularQuerySelector,
  GranularSelector,
  PathResolution,
} from "../../model";

function describeTarget(selector: GranularSelector): string {
  if (selector.protectionUnitId !== undefined) return `protectionUnitId ${selector.protectionUnitId}`;
  if ("mailbox" in selector && selector.mailbox !== undefined) return `mailbox ${selector.mailbox}`;
  if ("siteWebUrl" in selector && selector.siteWebUrl !== undefined) return `site ${selector.siteWebUrl}`;
  return `OneDrive of ${(selector as GranularPathSelector).oneDriveOwner ?? "?"}`;
}

/** A selector that cannot be resolved: the property and what to change, apart (a check failure in preview). */
export class GranularSelectorError extends Error implements CheckFailure {
  constructor(
    readonly property: string,
    readonly reason: string,
  ) {
    super(failureLine({ property, reason }));
    this.name = "GranularSelectorError";
  }
}

/**
 * Resolves every granular selector not resolved yet (explicit artifacts pass through), logging which
 * restore point and how many items each one means. Throws {@link GranularSelectorError} naming the
 * property when a selector matches nothing; nothing is written to a restore session before that.
 */
export async function resolveGranularSelectors(
  ctx: SessionContext,
  list: readonly GranularArtifactInput[],
  verb = "resolves to",
): Promise<GranularArtifactInput[]> {
  const property = ctx.schema.granularProperty;
  const resolved: GranularArtifactInput[] = [];
  for (const [index, artifact] of list.entries()) {
    if (!isGranularSelector(artifact) || artifact.resolved !== undefined) {
      resolved.push(artifact);
      continue;
    }
    const at = `${property}[${index}]`;
    try {
      resolved.push(
        isPathSelector(artifact)
          ? await resolvePaths(ctx, at, artifact, verb)
          : await resolveQuery(ctx, at, artifact, verb),
      );
    } catch (error) {
      if (
        error instanceof BrowsePathNotFoundError ||
        NoMatchingRestorePointError.isInstance(error) ||
        UnknownProtectionUnitError.isInstance(error)
      ) {
        throw new GranularSelectorError(at, `${describeTarget(artifact)}: ${error.message}`);
      }
      throw error;
    }
  }
  return resolved;
}

async function resolvePaths(
  ctx: SessionContext,
  at: string,
  selector: GranularPathSelector,
  verb: string,
): Promise<GranularPathSelector> {
  const kind = ctx.schema.kind as BrowseKind;
  const [point] = await resolveSelectors(ctx.client, kind, [
    {
      ...(selector.siteWebUrl === undefined ? {} : { siteWebUrl: selector.siteWebUrl }),
      ...(selector.oneDriveOwner === undefined ? {} : { oneDriveOwner: selector.oneDriveOwner }),
      ...(selector.protectionUnitId === undefined ? {} : { protectionUnitId: selector.protectionUnitId }),
      restorePointTime: selector.restorePointTime,
      restorePointPreference: selector.restorePointPreference,
      // Only fast restore points can be browsed.
      tags: "fastRestore",
    },
  ]);
  const { session } = await openBrowseSession(ctx.client, kind, point.restorePoint.id);
  const walker = new BrowseWalker(ctx.client, kind, session.id);
  const items: PathResolution["items"] = [];
  const described: string[] = [];
  for (const path of selector.paths) {
    const item = await walker.find(path);
    if (item === undefined) throw new BrowsePathNotFoundError(path, path, []);
    items.push({ path, id: item.itemKey, type: item.type });
    described.push(
      `${path} (${item.type}${item.type === "file" ? "" : `, ${item.itemsCount ?? "?"} items`})`,
    );
  }
  await ctx.log.info(
    `${at}: ${describeTarget(selector)} at ${selector.restorePointTime} ${verb} fast restore point ` +
      `${point.restorePoint.id} (${point.restorePoint.protectionDateTime}), browse session ${session.id}: ` +
      `${items.length} item(s): ${described.join(", ")}.`,
  );
  return {
    ...selector,
    resolved: {
      restorePointId: point.restorePoint.id,
      protectionDateTime: point.restorePoint.protectionDateTime,
      browseSessionId: session.id,
      items,
    },
  };
}

async function resolveQuery(
  ctx: SessionContext,
  at: string,
  selector: GranularQuerySelector,
  verb: string,
): Promise<GranularQuerySelector> {
  const found = await searchMailboxItemsWith(ctx.client, {
    ...(selector.mailbox === undefined ? {} : { mailbox: selector.mailbox }),
    ...(selector.protectionUnitId === undefined ? {} : { protectionUnitId: selector.protectionUnitId }),
    restorePointTime: selector.restorePointTime,
    restorePointPreference: selector.restorePointPreference,
    query: selector.query,
  });
  await ctx.log.info(
    `${at}: ${describeTarget(selector)} at ${selector.restorePointTime} ${verb} restore point ` +
      `${found.restorePoint.id} (${found.restorePoint.protectionDateTime}), search ${found.searchResponseId}: ` +
      `${found.artifactHitCount ?? "an unknown number of"} matching item(s).`,
  );
  return {
    ...selector,
    resolved: {
      restorePointId: found.restorePoint.id,
      protectionDateTime: found.restorePoint.protectionDateTime,
      searchResponseId: found.searchResponseId,
      artifactHitCount: found.artifactHitCount,
    },
  };
}

export async function granularToApply(
  ctx: SessionContext,
  olds: readonly GranularArtifactInput[],
  news: readonly GranularArtifactInput[],
): Promise<GranularArtifactInput[]> {
  return expandGranular(await resolveGranularSelectors(ctx, carryGranularResolutions(olds, news)));
}

/**
 * Preview of a new resource: resolves its granular selectors (opening or reusing a browse session,
 * which restores nothing) and logs what each one means. A selector that matches nothing is returned as
 * a check failure; any other error (Graph unreachable) is only a warning, and create tries again.
 */
export async function previewGranularSelectors(
  ctx: SessionContext,
  list: readonly GranularArtifactInput[],
): Promise<CheckFailure[]> {
  if (!list.some(isGranularSelector)) return [];
  try {
    await resolveGranularSelectors(ctx, list, "will restore from");
    return [];
  } catch (error) {
    if (error instanceof GranularSelectorError) {
      return [{ property: error.property, reason: error.reason }];
    }
    await ctx.log.warn(
      `Could not resolve the granular selectors for the preview (${error instanceof Error ? error.message : String(error)}); ` +
        `create resolves them again.`,
    );
    return [];
  }
}
