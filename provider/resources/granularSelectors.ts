/**
 * Granular selectors: files and folders by path, or mail items by query, in the restore point a time
 * means, instead of browse session ids, item keys and search response ids.
 *
 * - `check` validates them ({@link checkGranularSelector}), naming the property and the fix.
 * - `create` resolves them ({@link resolveGranularSelectors}) before anything is written to a restore
 *   session, and {@link expandGranular} turns each into the artifacts Graph takes.
 * - State keeps the selector as written plus its resolution (`resolved`), folded back by
 *   {@link foldGranular}; diff compares the selector without it, so re-running is a no-op and newer
 *   restore points never cause drift.
 * - A preview of a new resource resolves them too and logs what each one means
 *   ({@link previewGranularSelectors}).
 */
import {
  BrowsePathNotFoundError,
  BrowseWalker,
  normalizePath,
  openBrowseSession,
  pathSegments,
} from "../functions/browse";
import { NoMatchingRestorePointError, UnknownProtectionUnitError } from "../functions/errors";
import { searchMailboxItemsWith, type MailboxQuery } from "../functions/mailboxSearch";
import { resolveSelectors } from "../functions/resolve";
import {
  isSelector,
  normalizeSelector,
  validateSelector,
  type RestorePointSelector,
} from "../functions/selectors";
import type { BrowseKind } from "../graph/browse";
import type { StructuredQueryExpression } from "../graph/models";
import type { GraphApiVersion } from "../settings";
import { checkGranularItemDestination, checkKnownProperties, type Failures } from "./checkArtifacts";
import { checkDestination } from "./checkArtifacts";
import type { SessionContext } from "./context";
import type { KindSchema } from "./kinds";
import type {
  GranularArtifactInput,
  GranularBrowseArtifact,
  GranularMailboxArtifact,
  WritableDestinationType,
  WritablePreference,
} from "./types";
import { describe, isPlainObject } from "./validators";

/** What a path selector resolved to, pinned in state. */
export interface PathResolution {
  restorePointId: string;
  protectionDateTime: string;
  browseSessionId: string;
  /** One per path, in the selector's path order. */
  items: { path: string; id: string; type: string }[];
  /** Only in state after a create that stopped before every item was added; absent means complete. */
  complete?: false;
}

/** What a mailbox selector resolved to, pinned in state. */
export interface QueryResolution {
  restorePointId: string;
  protectionDateTime: string;
  searchResponseId: string;
  artifactHitCount: number | null;
}

/** `{ siteWebUrl | oneDriveOwner | protectionUnitId, restorePointTime, paths }`: items of a fast restore point. */
export interface GranularPathSelector {
  siteWebUrl?: string;
  oneDriveOwner?: string;
  protectionUnitId?: string;
  restorePointTime: string;
  restorePointPreference: WritablePreference;
  /** Normalized (`/Shared Documents/Finance`), unique, sorted. */
  paths: string[];
  /** As for browse items: written under v1.0 (`new` only), defaulted to `new` under beta. */
  destinationType?: WritableDestinationType;
  resolved?: PathResolution;
}

/** `{ mailbox | protectionUnitId, restorePointTime, query }`: mail items a query matches. */
export interface GranularQuerySelector {
  mailbox?: string;
  protectionUnitId?: string;
  restorePointTime: string;
  restorePointPreference: WritablePreference;
  query: MailboxQuery;
  destinationType: WritableDestinationType;
  resolved?: QueryResolution;
}

export type GranularSelector = GranularPathSelector | GranularQuerySelector;

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

function isPathSelector(selector: GranularSelector): selector is GranularPathSelector {
  return "paths" in selector;
}

// ---- check ------------------------------------------------------------------------------------------

const UNIT_AND_TIME = ["protectionUnitId", "restorePointTime", "restorePointPreference"];
const GRANULAR_ITEMS = ["email", "calendar", "contact", "note", "task"];
const MAX_QUERY_LENGTH = 1024;

/** Validates and normalizes a granular selector of the schema's kind; failures name the property. */
export function checkGranularSelector(
  failures: Failures,
  path: string,
  schema: KindSchema,
  apiVersion: GraphApiVersion,
  given: object,
): GranularSelector {
  const value = given as Record<string, unknown>;
  const unitField = schema.selectorField;
  const own = schema.granularShape === "browseItem" ? "paths" : "query";
  const other = own === "paths" ? "query" : "paths";
  if (value[other] !== undefined) {
    failures.add(
      `${path}.${other}`,
      own === "paths"
        ? `query selects mail items and is for granularMailboxRestoreArtifacts; name files and folders with paths: ["/Shared Documents/Finance"].`
        : `paths select files and folders of sites and OneDrives; select mail items with query: { queryExpression: "(Subject -like 'Invoice*')" }.`,
    );
  }
  checkKnownProperties(failures, path, value, [unitField, ...UNIT_AND_TIME, own, "destinationType", other]);
  const unitAndTime = Object.fromEntries(
    [unitField, ...UNIT_AND_TIME].filter((key) => value[key] !== undefined).map((key) => [key, value[key]]),
  );
  const problems = validateSelector(path, unitAndTime, schema.kind);
  for (const problem of problems) {
    const split = problem.indexOf(": ");
    failures.add(split > 0 ? problem.slice(0, split) : path, split > 0 ? problem.slice(split + 2) : problem);
  }
  const normalized: RestorePointSelector =
    problems.length === 0
      ? normalizeSelector(unitAndTime as unknown as RestorePointSelector)
      : { restorePointTime: "" };
  const base = {
    ...(normalized.mailbox === undefined ? {} : { mailbox: normalized.mailbox }),
    ...(normalized.siteWebUrl === undefined ? {} : { siteWebUrl: normalized.siteWebUrl }),
    ...(normalized.oneDriveOwner === undefined ? {} : { oneDriveOwner: normalized.oneDriveOwner }),
    ...(normalized.protectionUnitId === undefined ? {} : { protectionUnitId: normalized.protectionUnitId }),
    restorePointTime: normalized.restorePointTime,
    restorePointPreference: normalized.restorePointPreference ?? "latest",
  };
  if (own === "paths") {
    const selector: GranularPathSelector = {
      ...base,
      paths: checkPaths(failures, `${path}.paths`, value.paths),
    };
    const destination = checkGranularItemDestination(
      failures,
      `${path}.destinationType`,
      apiVersion,
      value.destinationType,
    );
    if (destination !== undefined) selector.destinationType = destination;
    return selector;
  }
  return {
    ...base,
    query: checkQuery(failures, `${path}.query`, apiVersion, value.query),
    destinationType: checkDestination(failures, `${path}.destinationType`, value.destinationType),
  };
}

function checkPaths(failures: Failures, path: string, value: unknown): string[] {
  const example = `paths: ["/Shared Documents/Finance"]`;
  if (!Array.isArray(value) || value.length === 0) {
    failures.add(
      path,
      `paths must be a non-empty list of paths below the site or OneDrive, such as ${example}; got ${describe(value)}.`,
    );
    return [];
  }
  const seen = new Map<string, number>();
  const paths: string[] = [];
  value.forEach((item: unknown, index) => {
    const at = `${path}[${index}]`;
    if (typeof item !== "string" || item.trim() === "") {
      failures.add(at, `Each path is a string such as "/Shared Documents/Finance"; got ${describe(item)}.`);
      return;
    }
    let segments: string[];
    try {
      segments = pathSegments(item.trim());
    } catch (error) {
      failures.add(at, (error as Error).message);
      return;
    }
    if (segments.length === 0) {
      failures.add(
        at,
        `"${item}" names the whole site or OneDrive; a granular restore names a library, folder or file below it ` +
          `("/Shared Documents/Finance"). To restore everything, use the standard artifacts instead.`,
      );
      return;
    }
    const normalized = normalizePath(item.trim());
    const first = seen.get(normalized.toLowerCase());
    if (first !== undefined) {
      failures.add(at, `Duplicate of ${path}[${first}] (paths compare without case); remove one of them.`);
      return;
    }
    seen.set(normalized.toLowerCase(), index);
    paths.push(normalized);
  });
  return paths.sort();
}

function checkQuery(
  failures: Failures,
  path: string,
  apiVersion: GraphApiVersion,
  value: unknown,
): MailboxQuery {
  const example = `query: { queryExpression: "(Sender -eq 'mallory@contoso.com')" }`;
  if (!isPlainObject(value)) {
    failures.add(path, `query must be an object such as ${example}; got ${describe(value)}.`);
    return {};
  }
  checkKnownProperties(failures, path, value, ["queryExpression", "structuredQueryExpression"]);
  const { queryExpression, structuredQueryExpression } = value;
  if ((queryExpression === undefined) === (structuredQueryExpression === undefined)) {
    failures.add(
      path,
      `query takes exactly one of queryExpression and structuredQueryExpression, such as ${example}.`,
    );
    return {};
  }
  if (queryExpression !== undefined) {
    if (
      typeof queryExpression !== "string" ||
      queryExpression.trim() === "" ||
      queryExpression.length > MAX_QUERY_LENGTH
    ) {
      failures.add(
        `${path}.queryExpression`,
        `queryExpression must be a non-empty string of at most ${MAX_QUERY_LENGTH} characters, such as "(Subject -like 'Invoice*') -and (HasAttachment -eq 'true')"; got ${describe(queryExpression)}.`,
      );
      return {};
    }
    return { queryExpression: queryExpression.trim() };
  }
  if (apiVersion !== "beta") {
    failures.add(
      `${path}.structuredQueryExpression`,
      `structuredQueryExpression exists only in Graph beta; use queryExpression, or set m365-backup:apiVersion to "beta".`,
    );
  }
  return {
    structuredQueryExpression: checkStructured(
      failures,
      `${path}.structuredQueryExpression`,
      structuredQueryExpression,
    ),
  };
}

function checkStructured(failures: Failures, path: string, value: unknown): StructuredQueryExpression {
  if (!isPlainObject(value)) {
    failures.add(
      path,
      `structuredQueryExpression must be an object such as { senders: ["mallory@contoso.com"] }; got ${describe(value)}.`,
    );
    return {};
  }
  checkKnownProperties(failures, path, value, [
    "senders",
    "recipients",
    "subjects",
    "hasAttachment",
    "items",
  ]);
  const result: StructuredQueryExpression = {};
  for (const key of ["senders", "recipients", "subjects"] as const) {
    const list = value[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((entry) => typeof entry !== "string" || entry.trim() === "")) {
      failures.add(`${path}.${key}`, `${key} must be a list of non-empty strings; got ${describe(list)}.`);
      continue;
    }
    result[key] = (list as string[]).map((entry) => entry.trim());
  }
  if (value.hasAttachment !== undefined) {
    if (typeof value.hasAttachment !== "boolean") {
      failures.add(
        `${path}.hasAttachment`,
        `hasAttachment must be true or false; got ${describe(value.hasAttachment)}.`,
      );
    } else {
      result.hasAttachment = value.hasAttachment;
    }
  }
  if (value.items !== undefined) {
    if (!Array.isArray(value.items) || value.items.some((item) => !GRANULAR_ITEMS.includes(item as string))) {
      failures.add(
        `${path}.items`,
        `items must be a list of ${GRANULAR_ITEMS.join(", ")}; got ${describe(value.items)}.`,
      );
    } else {
      result.items = value.items as StructuredQueryExpression["items"];
    }
  }
  if (Object.keys(result).length === 0) {
    failures.add(
      path,
      "structuredQueryExpression matches nothing as written; set senders, recipients, subjects, hasAttachment or items.",
    );
  }
  return result;
}

/** What two selectors are compared by: everything written, never the resolution. */
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

// ---- resolve ------------------------------------------------------------------------------------------

/** The selector (written part only) each expanded artifact came from. */
const ORIGINS = new WeakMap<object, GranularSelector>();

function describeTarget(selector: GranularSelector): string {
  if (selector.protectionUnitId !== undefined) return `protectionUnitId ${selector.protectionUnitId}`;
  if ("mailbox" in selector && selector.mailbox !== undefined) return `mailbox ${selector.mailbox}`;
  if ("siteWebUrl" in selector && selector.siteWebUrl !== undefined) return `site ${selector.siteWebUrl}`;
  return `OneDrive of ${(selector as GranularPathSelector).oneDriveOwner ?? "?"}`;
}

/** A selector that cannot be resolved: names the property and what to change. */
export class GranularSelectorError extends Error {
  constructor(
    readonly property: string,
    message: string,
  ) {
    super(`${property}: ${message}`);
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
): Promise<{ property: string; reason: string }[]> {
  if (!list.some(isGranularSelector)) return [];
  try {
    await resolveGranularSelectors(ctx, list, "will restore from");
    return [];
  } catch (error) {
    if (error instanceof GranularSelectorError) {
      return [{ property: error.property, reason: error.message.slice(error.property.length + 2) }];
    }
    await ctx.log.warn(
      `Could not resolve the granular selectors for the preview (${error instanceof Error ? error.message : String(error)}); ` +
        `create resolves them again.`,
    );
    return [];
  }
}
