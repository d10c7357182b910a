/**
 * `GET /solutions/backupRestore/restorePoints` (Graph docs: backuprestoreroot-list-restorepoints).
 *
 * - `$expand=protectionUnit($filter=id eq '<unitId>')` and a `$filter` on `protectionDateTime` are both
 *   required; a missing one is 400 `InvalidSearchRequest` naming it. A malformed or unknown unit id is
 *   400 `InvalidProtectionUnitId`.
 * - `$filter` takes `protectionDateTime` with `lt`, `le`, `gt`, `ge`, `eq`, joined with `and`; on beta
 *   also `protectionUnit/policyId eq '<id>'` (beta changelog). A range that cannot hold any time is 400
 *   `InvalidSearchRequest`. Past 2,048 characters or 20 comparisons: `FilterLengthExceeded`.
 * - `$orderby=protectionDateTime [asc|desc]`. At most five points; without `$orderby` the five most
 *   recent, newest first; with `asc` the five oldest in range.
 * - Never paged: the docs' list example shows a nextLink, but the limit is five (same page), so the
 *   emulator returns one page with no nextLink.
 * - Expired points are not listed.
 */
import { GraphServiceError, type GraphRequest, type GraphResponse, type Route } from "../../contract";
import type { TenantContext } from "./context";
import { parseFilter, type FilterGrammar } from "./filters";
import { pointsInRange, type Preference, type TimeRange } from "./schedule";
import { assertServiceAllows } from "./serviceStatus";
import type { SeededProtectionUnit } from "./types";
import { BASE_PATH, Permission, metadataContext, restorePointJson } from "./wire";

export const MAX_LISTED_RESTORE_POINTS = 5;

const EXPAND = /^\s*protectionUnit\s*\(\s*\$filter\s*=\s*id\s+eq\s+'([^']*)'\s*\)\s*$/;

function grammarFor(request: GraphRequest): FilterGrammar {
  const dateTime = { operators: ["lt", "le", "gt", "ge", "eq"], value: "dateTime" } as const;
  const policy = { operators: ["eq"], value: "string" } as const;
  return {
    fields:
      request.apiVersion === "beta"
        ? { protectionDateTime: dateTime, "protectionUnit/policyId": policy }
        : { protectionDateTime: dateTime },
    connective: "and",
    errorCode: "InvalidSearchRequest",
  };
}

function required(name: string, example: string): GraphServiceError {
  return new GraphServiceError(
    400,
    "InvalidSearchRequest",
    `The query option ${name} is required on restorePoints, e.g. ${name}=${example}.`,
  );
}

function expandedUnit(context: TenantContext, request: GraphRequest): SeededProtectionUnit {
  const expand = request.query.get("$expand");
  if (expand === null) {
    throw required("$expand", "protectionUnit($filter=id eq '<protectionUnitId>')");
  }
  const match = EXPAND.exec(expand);
  if (match === null) {
    throw new GraphServiceError(
      400,
      "InvalidSearchRequest",
      `The $expand '${expand}' is not supported; restorePoints takes $expand=protectionUnit($filter=id eq '<protectionUnitId>').`,
    );
  }
  const unit = context.directory.unitById(match[1] ?? "");
  if (unit === undefined) {
    throw new GraphServiceError(
      400,
      "InvalidProtectionUnitId",
      `'${match[1] ?? ""}' is not the id of a protection unit in this tenant.`,
    );
  }
  return unit;
}

/** The time range and policy the filter asks for; `undefined` range when the policy does not match. */
function filteredRange(request: GraphRequest, unit: SeededProtectionUnit): TimeRange | undefined {
  const filter = request.query.get("$filter");
  if (filter === null) {
    throw required("$filter", "protectionDateTime lt 2024-05-12T10:01:00Z");
  }
  const clauses = parseFilter(filter, grammarFor(request));
  if (!clauses.some((clause) => clause.field === "protectionDateTime")) {
    throw new GraphServiceError(
      400,
      "InvalidSearchRequest",
      "The $filter must compare protectionDateTime, e.g. protectionDateTime lt 2024-05-12T10:01:00Z.",
    );
  }
  let fromInMs = Number.MIN_SAFE_INTEGER;
  let toInMs = Number.MAX_SAFE_INTEGER;
  let policyMatches = true;
  for (const { field, operator, value } of clauses) {
    if (field !== "protectionDateTime") {
      policyMatches &&= value === unit.policyId;
      continue;
    }
    const time = value as number;
    if (operator === "lt" || operator === "le" || operator === "eq") {
      toInMs = Math.min(toInMs, operator === "lt" ? time - 1 : time);
    }
    if (operator === "gt" || operator === "ge" || operator === "eq") {
      fromInMs = Math.max(fromInMs, operator === "gt" ? time + 1 : time);
    }
  }
  if (fromInMs > toInMs) {
    throw new GraphServiceError(
      400,
      "InvalidSearchRequest",
      "The $filter's protectionDateTime bounds leave an empty time range.",
    );
  }
  return policyMatches ? { fromInMs, toInMs } : undefined;
}

function order(request: GraphRequest): Preference {
  const orderBy = request.query.get("$orderby");
  if (orderBy === null) {
    return "latest";
  }
  const match = /^\s*protectionDateTime(?:\s+(asc|desc))?\s*$/.exec(orderBy);
  if (match === null) {
    throw new GraphServiceError(
      400,
      "BadRequest",
      `The $orderby '${orderBy}' is not supported; restorePoints orders by protectionDateTime asc or desc.`,
    );
  }
  return match[1] === "desc" ? "latest" : "oldest";
}

function listRestorePoints(context: TenantContext, request: GraphRequest): GraphResponse {
  assertServiceAllows(context.service.state, "read");
  const unit = expandedUnit(context, request);
  const range = filteredRange(request, unit);
  const preference = order(request);
  const points =
    range === undefined
      ? []
      : pointsInRange(unit, range, context.clock, {
          preference,
          fastRestoreOnly: false,
          limit: MAX_LISTED_RESTORE_POINTS,
        });
  return {
    status: 200,
    body: {
      "@odata.context": metadataContext(request, "solutions/backupRestore/restorePoints(protectionUnit())"),
      value: points.map((point) => restorePointJson(point, unit)),
    },
  };
}

export function restorePointListRoute(context: TenantContext): Route {
  return {
    method: "GET",
    pattern: `${BASE_PATH}/restorePoints`,
    permissions: [Permission.restoreRead, Permission.restoreReadWrite],
    queryOptions: ["$expand", "$filter", "$orderby"],
    handle: (request) => listRestorePoints(context, request),
  };
}
