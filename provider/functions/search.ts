/**
 * Many "which restore point for this unit" questions answered with as few `restorePoints/search` calls
 * as Graph allows.
 *
 * Questions that share a window, a preference and a tag filter are one group: one search call serves up
 * to {@link MAX_UNITS_PER_SEARCH} of its units (Graph's documented limit), so a group is split into
 * chunks, and all chunks of all groups run with at most {@link SEARCH_CONCURRENCY} calls in flight.
 * Whatever comes back is checked again on our side by {@link chooseRestorePoint}.
 */
import type { GraphClient } from "../graph";
import { GraphError } from "../graph/errors";
import { searchRestorePoints } from "../graph/backupRestore";
import type { RestorePoint, RestorePointSearchRequest } from "../model";
import { chunk, mapWithConcurrency } from "./concurrency";
import { UnknownProtectionUnitError } from "./errors";
import type { SelectorPreference } from "./selectors";
import { type TimeRange, chooseRestorePoint, toTimePeriod } from "./timeWindow";

/** Graph's limit on `protectionUnitIds` per `restorePoints/search` request. */
export const MAX_UNITS_PER_SEARCH = 20;

/** How many search calls run at once: enough to be quick, few enough not to invite throttling. */
export const SEARCH_CONCURRENCY = 4;

/** One question: the restore point of `protectionUnitId` that the window, preference and tags mean. */
export interface RestorePointQuery {
  protectionUnitId: string;
  range: TimeRange;
  preference: SelectorPreference;
  fastRestoreOnly: boolean;
  /** The id came from a protection unit list (so Graph knows it); ids typed by a user are not. */
  verified?: boolean;
}

/** Tuning for tests and large tenants. */
export interface SearchOptions {
  /** Default {@link SEARCH_CONCURRENCY}. */
  concurrency?: number;
  /** Cancels the calls. */
  abortSignal?: AbortSignal;
}

interface Group {
  key: string;
  template: Omit<RestorePointQuery, "protectionUnitId" | "verified">;
  unitIds: string[];
  verified: Set<string>;
}

/**
 * Answers each query with the chosen restore point, or `undefined` when nothing matches; the result is
 * in query order. A unit asked about twice with the same criteria is searched once.
 */
export async function findRestorePoints(
  client: GraphClient,
  queries: readonly RestorePointQuery[],
  options: SearchOptions = {},
): Promise<(RestorePoint | undefined)[]> {
  const groups = groupQueries(queries);
  const calls = groups.flatMap((group) =>
    chunk(group.unitIds, MAX_UNITS_PER_SEARCH).map((unitIds) => ({ group, unitIds })),
  );
  const candidates = new Map<string, RestorePoint[]>();
  await mapWithConcurrency(calls, options.concurrency ?? SEARCH_CONCURRENCY, async ({ group, unitIds }) => {
    const response = await searchRestorePoints(client, searchRequest(group.template, unitIds), {
      abortSignal: options.abortSignal,
    }).catch((error: unknown) => {
      throw explainInvalidUnit(error, unitIds, group.verified);
    });
    for (const result of response.searchResults ?? []) {
      const unitId = unitOf(result.restorePoint, unitIds);
      const key = candidateKey(group.key, unitId);
      candidates.set(key, [...(candidates.get(key) ?? []), result.restorePoint]);
    }
  });
  return queries.map((query) =>
    chooseRestorePoint(candidates.get(candidateKey(groupKey(query), query.protectionUnitId)) ?? [], query),
  );
}

function groupQueries(queries: readonly RestorePointQuery[]): Group[] {
  const groups = new Map<string, Group>();
  for (const query of queries) {
    const key = groupKey(query);
    const { protectionUnitId, verified, ...template } = query;
    const group = groups.get(key) ?? { key, template, unitIds: [], verified: new Set<string>() };
    // Graph refuses a search that names one unit twice, and ids compare case-insensitively.
    if (!group.unitIds.some((id) => sameId(id, protectionUnitId))) {
      group.unitIds.push(protectionUnitId);
    }
    if (verified === true) {
      group.verified.add(protectionUnitId.toLowerCase());
    }
    groups.set(key, group);
  }
  return [...groups.values()];
}

function groupKey(query: RestorePointQuery): string {
  return [query.range.startInMs, query.range.endInMs, query.preference, query.fastRestoreOnly].join("|");
}

function candidateKey(group: string, unitId: string): string {
  return `${group}|${unitId.toLowerCase()}`;
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function searchRequest(template: Group["template"], unitIds: string[]): RestorePointSearchRequest {
  const request: RestorePointSearchRequest = {
    protectionUnitIds: unitIds,
    protectionTimePeriod: toTimePeriod(template.range),
    restorePointPreference: template.preference,
  };
  if (template.fastRestoreOnly) {
    request.tags = "fastRestore";
  }
  return request;
}

/**
 * Graph rejects a whole search with `InvalidProtectionUnitId` without saying which id. Ids that came from
 * a unit list are known to Graph, so the others in the chunk are the suspects; name them.
 */
function explainInvalidUnit(
  error: unknown,
  unitIds: readonly string[],
  verified: ReadonlySet<string>,
): unknown {
  if (!GraphError.isInstance(error) || error.code !== "InvalidProtectionUnitId") {
    return error;
  }
  const suspects = unitIds.filter((id) => !verified.has(id.toLowerCase()));
  if (suspects.length === 0) {
    return error;
  }
  return new UnknownProtectionUnitError(
    undefined,
    suspects.map((id) => `protectionUnitId ${id}`),
    ` (Graph answered InvalidProtectionUnitId for a search that included ${suspects.length === 1 ? "it" : "them"})`,
  );
}

/**
 * The unit a search result belongs to: its expanded `protectionUnit`, or the only unit asked about.
 * A result we cannot attribute is an error rather than a guess.
 */
function unitOf(point: RestorePoint, askedFor: readonly string[]): string {
  const id = point.protectionUnit?.id;
  if (id !== undefined && id !== "") {
    return id;
  }
  if (askedFor.length === 1) {
    return askedFor[0];
  }
  throw new Error(
    `restorePoints/search returned restore point ${point.id} without its protectionUnit, ` +
      `so it cannot be matched to one of the ${askedFor.length} units searched.`,
  );
}
