/**
 * Granular selectors: files and folders by path, or mail items by query, in the restore point a time
 * means, instead of browse session ids, item keys and search response ids.
 *
 * - `check` validates them (`check/granular.ts`), naming the property and the fix.
 * - `create` resolves them (`resolveGranular.ts`) before anything is written to a restore session, and
 *   {@link expandGranular} turns each into the artifacts Graph takes.
 * - State keeps the selector as written plus its resolution (`resolved`), folded back by
 *   {@link foldGranular}; diff compares the selector without it ({@link granularSelectorIdentity}), so
 *   re-running is a no-op and newer restore points never cause drift.
 */
import { isSelector } from "../../functions/selectors";
import type {
  GranularArtifactInput,
  GranularBrowseArtifact,
  GranularMailboxArtifact,
  GranularPathSelector,
  GranularQuerySelector,
  GranularSelector,
  PathResolution,
  QueryResolution,
} from "../../model";
import { isPlainObject } from "./validators";

/**
 * For `check`, on an item of a granular list as written: a selector (paths or query, or a unit and a
 * time) rather than a browse item or a search artifact.
 */
export function looksLikeGranularSelector(value: unknown): boolean {
  if (!isPlainObject(value) || "browseSessionId" in value || "searchResponseId" in value) {
    return false;
  }
  return "paths" in value || "query" in value || isSelector(value);
}

/** A checked granular selector (it always carries `paths` or `query`), not a standard selector. */
export function isGranularSelector(value: unknown): value is GranularSelector {
  return isPlainObject(value) && ("paths" in value || "query" in value);
}

export function isPathSelector(selector: GranularSelector): selector is GranularPathSelector {
  return "paths" in selector;
}

export function granularSelectorIdentity(selector: GranularSelector): string {
  const target =
    selector.protectionUnitId !== undefined
      ? `protectionUnitId=${selector.protectionUnitId}`
      : "mailbox" in selector && selector.mailbox !== undefined
        ? `mailbox=${selector.mailbox}`
        : "siteWebUrl" in selector && selector.siteWebUrl !== undefined
          ? `siteWebUrl=${selector.siteWebUrl}`
          : `oneDriveOwner=${(selector as GranularPathSelector).oneDriveOwner ?? ""}`;
  const what = isPathSelector(selector)
    ? `paths=${JSON.stringify(selector.paths)}`
    : `query=${JSON.stringify([selector.query.queryExpression ?? null, selector.query.structuredQueryExpression ?? null])}`;
  // A create that stopped half way left the state short of the declared items: that is a change.
  const partial = isPathSelector(selector) && selector.resolved?.complete === false ? "|incomplete" : "";
  return `granular:${target}@${selector.restorePointTime}/${selector.restorePointPreference}|${what}${partial}`;
}

/** The selector (written part only) each expanded artifact came from. */
const ORIGINS = new WeakMap<object, GranularSelector>();

/**
 * The artifacts Graph takes for a granular list: explicit ones as they are, each resolved selector as
 * its items (or its search). Every expanded artifact remembers its selector for {@link foldGranular}.
 */
export function expandGranular(list: readonly GranularArtifactInput[]): GranularArtifactInput[] {
  return list.flatMap((artifact): GranularArtifactInput[] => {
    if (!isGranularSelector(artifact)) return [artifact];
    const { resolved } = artifact;
    if (resolved === undefined) {
      throw new Error("internal: a granular selector reached the wire before it was resolved");
    }
    const origin = { ...artifact, resolved: { ...resolved } } as GranularSelector;
    if (isPathSelector(origin) && origin.resolved !== undefined) {
      delete origin.resolved.complete;
      return origin.resolved.items.map((item) => {
        const expanded: GranularBrowseArtifact = {
          browseSessionId: (origin.resolved as PathResolution).browseSessionId,
          id: item.id,
          ...(origin.destinationType === undefined ? {} : { destinationType: origin.destinationType }),
        };
        ORIGINS.set(expanded, origin);
        return expanded;
      });
    }
    const query = origin as GranularQuerySelector;
    const expanded: GranularMailboxArtifact = {
      restorePoint: { id: (query.resolved as QueryResolution).restorePointId },
      searchResponseId: (query.resolved as QueryResolution).searchResponseId,
      destinationType: query.destinationType,
    };
    ORIGINS.set(expanded, origin);
    return [expanded];
  });
}

/**
 * The inverse of {@link expandGranular} for state: expanded artifacts become their selector again,
 * with the resolution pinned. A selector only some of whose items were added is marked incomplete, so
 * the next `up` sees a change and adds the rest before anything is activated.
 */
export function foldGranular(list: readonly GranularArtifactInput[]): GranularArtifactInput[] {
  const applied = new Map<GranularSelector, Set<string>>();
  const folded: GranularArtifactInput[] = [];
  for (const artifact of list) {
    const origin = ORIGINS.get(artifact);
    if (origin === undefined) {
      folded.push(artifact);
      continue;
    }
    const keys = applied.get(origin) ?? new Set<string>();
    keys.add("browseSessionId" in artifact ? artifact.id : "");
    applied.set(origin, keys);
  }
  for (const [origin, keys] of applied) {
    if (isPathSelector(origin) && origin.resolved !== undefined) {
      const complete = origin.resolved.items.every((item) => keys.has(item.id));
      folded.push(complete ? origin : { ...origin, resolved: { ...origin.resolved, complete: false } });
    } else {
      folded.push(origin);
    }
  }
  return folded;
}

/** A selector already in state keeps its resolution, so an update adds only what is new. */
export function carryGranularResolutions(
  olds: readonly GranularArtifactInput[],
  news: readonly GranularArtifactInput[],
): GranularArtifactInput[] {
  const recorded = new Map<string, GranularSelector["resolved"]>();
  for (const old of olds) {
    if (!isGranularSelector(old) || old.resolved === undefined) continue;
    const written = { ...old, resolved: undefined } as GranularSelector;
    const resolved = { ...old.resolved };
    if ("complete" in resolved) delete resolved.complete;
    recorded.set(granularSelectorIdentity(written), resolved);
  }
  return news.map((artifact) => {
    if (!isGranularSelector(artifact)) return artifact;
    const resolved = recorded.get(granularSelectorIdentity(artifact));
    return resolved === undefined ? artifact : ({ ...artifact, resolved } as GranularSelector);
  });
}

/** The list an update brings a draft to: resolutions carried over, new selectors resolved, all expanded. */
