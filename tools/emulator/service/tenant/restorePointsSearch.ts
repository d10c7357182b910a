/**
 * `POST /solutions/backupRestore/restorePoints/search` (Graph docs: restorepoint-search).
 *
 * Choices where the docs are silent:
 * - "At most five restore points" is read per unit (the page does not say): with `restorePointPreference`
 *   each unit gets exactly its one preferred point (`latest`: newest in the period; `oldest`: oldest);
 *   without a preference each unit gets up to five, newest first. Results keep the input order.
 * - `noResultProtectionUnitIds` lists the units with *no* point in the period (the example's reading;
 *   the restorepoint-search description says the opposite).
 * - The period is inclusive at both ends; one of `startDateTime`/`endDateTime` may be left out. Start
 *   after end, a malformed time, an empty `protectionUnitIds`, more than 20 ids, a duplicate id, or an
 *   unknown preference or tag is 400 `InvalidSearchRequest`. A malformed id, or one that names no unit
 *   of this tenant, is 400 `InvalidProtectionUnitId`.
 * - `tags`: `none` (no filter) or `fastRestore`; beta also accepts `includeNewerItems`, which does not
 *   narrow the search (no seeded point carries it, so the emulator never returns it).
 * - `artifactQuery` is for mailboxes only (400 `InvalidSearchRequest` with any other unit). Each result
 *   then carries a deterministic `artifactHitCount`, and the `searchResponseId` is registered for
 *   granular mailbox artifacts. Every response carries a fresh `searchResponseId`; only those of artifact
 *   queries can be used in a granular restore.
 */
import { GraphServiceError, type GraphRequest, type GraphResponse, type Route } from "../../contract";
import { hashString } from "../../random";
import { checkProperties, objectBody } from "../body";
import { checkArtifactQuery } from "./artifactQuery";
import type { TenantContext } from "./context";
import { parseDateTime } from "./filters";
import { opaqueToken } from "./ids";
import { pointsInRange, type Preference, type TimeRange } from "./schedule";
import { assertServiceAllows } from "./serviceStatus";
import type { SeededProtectionUnit, SeededRestorePoint } from "./types";
import { BASE_PATH, Permission, metadataContext, restorePointJson, show } from "./wire";

export const MAX_SEARCH_UNITS = 20;
export const MAX_POINTS_PER_UNIT = 5;

function invalid(message: string): GraphServiceError {
  return new GraphServiceError(400, "InvalidSearchRequest", message);
}

function searchedUnits(context: TenantContext, value: unknown): SeededProtectionUnit[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid("protectionUnitIds is required: an array of 1 to 20 protection unit ids.");
  }
  if (value.length > MAX_SEARCH_UNITS) {
    throw invalid(`protectionUnitIds has ${value.length} ids; a search takes at most ${MAX_SEARCH_UNITS}.`);
  }
  const seen = new Set<string>();
  return value.map((id: unknown) => {
    if (typeof id !== "string") {
      throw new GraphServiceError(
        400,
        "InvalidProtectionUnitId",
        "Every protectionUnitIds entry must be a string id.",
      );
    }
    if (seen.has(id.toLowerCase())) {
      throw invalid(`protectionUnitIds lists '${id}' more than once.`);
    }
    seen.add(id.toLowerCase());
    const unit = context.directory.unitById(id);
    if (unit === undefined) {
      throw new GraphServiceError(
        400,
        "InvalidProtectionUnitId",
        `'${id}' is not the id of a protection unit in this tenant.`,
      );
    }
    return unit;
  });
}

function period(value: unknown): TimeRange {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(
      "protectionTimePeriod is required: { startDateTime?, endDateTime? } with at least one of them.",
    );
  }
  const body = value as Record<string, unknown>;
  checkProperties(body, {
    allowed: ["startDateTime", "endDateTime"],
    typeName: "microsoft.graph.timePeriod",
    path: "protectionTimePeriod.",
  });
  if (body.startDateTime === undefined && body.endDateTime === undefined) {
    throw invalid("protectionTimePeriod needs a startDateTime, an endDateTime or both.");
  }
  const bound = (name: string, fallback: number): number => {
    const text = body[name];
    if (text === undefined || text === null) {
      return fallback;
    }
    const time = parseDateTime(text);
    if (time === undefined) {
      throw invalid(
        `protectionTimePeriod.${name} must be an ISO 8601 date and time with a zone, got '${show(text)}'.`,
      );
    }
    return time;
  };
  const range = {
    fromInMs: bound("startDateTime", Number.MIN_SAFE_INTEGER),
    toInMs: bound("endDateTime", Number.MAX_SAFE_INTEGER),
  };
  if (range.fromInMs > range.toInMs) {
    throw invalid("protectionTimePeriod.startDateTime is after endDateTime.");
  }
  return range;
}

function preference(value: unknown): Preference | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (value !== "latest" && value !== "oldest") {
    throw invalid(`restorePointPreference must be 'latest' or 'oldest', got '${show(value)}'.`);
  }
  return value;
}

/** Whether the search keeps only fastRestore points; `tags` is a flags enum (comma-separated). */
function fastRestoreOnly(value: unknown, request: GraphRequest): boolean {
  if (value === undefined || value === null) {
    return false;
  }
  const allowed = ["none", "fastRestore", ...(request.apiVersion === "beta" ? ["includeNewerItems"] : [])];
  const members = typeof value === "string" ? value.split(",").map((member) => member.trim()) : [];
  const wrong = members.find((member) => !allowed.includes(member));
  if (members.length === 0 || wrong !== undefined || (members.includes("none") && members.length > 1)) {
    throw invalid(`tags must be one of ${allowed.join(", ")}, got '${show(value)}'.`);
  }
  return members.includes("fastRestore");
}

function search(context: TenantContext, request: GraphRequest): GraphResponse {
  assertServiceAllows(context.service.state, "read");
  const body = objectBody(
    request.body,
    "restorePoints/search takes protectionUnitIds and protectionTimePeriod",
  );
  checkProperties(body, {
    allowed: ["protectionUnitIds", "protectionTimePeriod", "restorePointPreference", "tags", "artifactQuery"],
    typeName: "microsoft.graph.restorePoint.search",
  });
  const units = searchedUnits(context, body.protectionUnitIds);
  const range = period(body.protectionTimePeriod);
  const chosen = preference(body.restorePointPreference);
  const fastOnly = fastRestoreOnly(body.tags, request);
  const query =
    body.artifactQuery === undefined ? undefined : checkArtifactQuery(body.artifactQuery, request.apiVersion);
  const notMailbox = units.find((unit) => unit.workload !== "exchange");
  if (query !== undefined && notMailbox !== undefined) {
    throw invalid(
      `artifactQuery searches mailboxes only; '${notMailbox.id}' is not a mailbox protection unit.`,
    );
  }
  const options = {
    preference: chosen ?? "latest",
    fastRestoreOnly: fastOnly,
    limit: chosen === undefined ? MAX_POINTS_PER_UNIT : 1,
  };
  const found: { point: SeededRestorePoint; unit: SeededProtectionUnit; hits?: number }[] = [];
  const noResult: string[] = [];
  for (const unit of units) {
    const points = pointsInRange(unit, range, context.clock, options);
    if (points.length === 0) {
      noResult.push(unit.id);
    }
    for (const point of points) {
      found.push({
        point,
        unit,
        ...(query === undefined ? {} : { hits: hitCount(context.seed, query, point.id) }),
      });
    }
  }
  const searchResponseId = opaqueToken(context.random, 18);
  if (query !== undefined) {
    const hits = found.reduce((sum, entry) => sum + (entry.hits ?? 0), 0);
    context.searches.add(searchResponseId, {
      restorePointIds: found.map((entry) => entry.point.id),
      hitCount: hits,
    });
  }
  return {
    status: 200,
    body: {
      "@odata.context": metadataContext(request, "microsoft.graph.restorePointSearchResponse"),
      searchResponseId,
      searchResults: found.map(({ point, unit, hits }) => ({
        ...(hits === undefined ? {} : { artifactHitCount: hits }),
        restorePoint: restorePointJson(point, unit),
      })),
      noResultProtectionUnitIds: noResult,
    },
  };
}

/** Items matching the query in one restore point: stable for a seed, query and point (0 to 60). */
function hitCount(seed: string, query: string, restorePointId: string): number {
  return hashString(`${seed}/${query}/${restorePointId}`) % 61;
}

export function restorePointSearchRoute(context: TenantContext): Route {
  return {
    method: "POST",
    pattern: `${BASE_PATH}/restorePoints/search`,
    permissions: [Permission.search],
    handle: (request) => search(context, request),
  };
}
