/**
 * The tenant's objects as Graph writes them on the wire, and the shared helpers of its routes: request
 * body checks, lazily computed pages and the permission names.
 */
import { GraphServiceError, type GraphRequest } from "../../contract";
import { decodeSkipToken, encodeSkipToken } from "../../paging";
import type { SeededProtectionUnit, SeededRestorePoint, Workload } from "./types";

export const Permission = {
  restoreRead: "BackupRestore-Restore.Read.All",
  restoreReadWrite: "BackupRestore-Restore.ReadWrite.All",
  search: "BackupRestore-Search.Read.All",
  configurationRead: "BackupRestore-Configuration.Read.All",
  configurationReadWrite: "BackupRestore-Configuration.ReadWrite.All",
  controlRead: "BackupRestore-Control.Read.All",
  controlReadWrite: "BackupRestore-Control.ReadWrite.All",
} as const;

export const BASE_PATH = "/solutions/backupRestore";

/** Per workload: the protection unit type name and its collection segment. */
export const UNIT_WIRE: Readonly<
  Record<Workload, { readonly type: string; readonly collection: string; readonly policies: string }>
> = {
  exchange: {
    type: "mailboxProtectionUnit",
    collection: "mailboxProtectionUnits",
    policies: "exchangeProtectionPolicies",
  },
  sharePoint: {
    type: "siteProtectionUnit",
    collection: "siteProtectionUnits",
    policies: "sharePointProtectionPolicies",
  },
  oneDriveForBusiness: {
    type: "driveProtectionUnit",
    collection: "driveProtectionUnits",
    policies: "oneDriveForBusinessProtectionPolicies",
  },
};

/** Graph's DateTimeOffset text without fractional seconds: `2024-05-12T10:00:00Z`. */
export function wireDate(date: Date | number): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function metadataContext(request: GraphRequest, fragment: string): string {
  return `${request.baseUrl}/${request.apiVersion}/$metadata#${fragment}`;
}

export function protectionUnitJson(unit: SeededProtectionUnit): Record<string, unknown> {
  const since = wireDate(unit.protectedSince);
  const json: Record<string, unknown> = {
    "@odata.type": `#microsoft.graph.${UNIT_WIRE[unit.workload].type}`,
    id: unit.id,
    policyId: unit.policyId,
    status: "protected",
    protectionSources: "manual",
    createdDateTime: since,
    lastModifiedDateTime: since,
    offboardRequestedDateTime: null,
    error: null,
  };
  if (unit.workload === "sharePoint") {
    return { ...json, siteId: unit.siteId, siteName: unit.siteName, siteWebUrl: unit.siteWebUrl };
  }
  return {
    ...json,
    directoryObjectId: unit.directoryObjectId,
    email: unit.email,
    displayName: unit.displayName,
  };
}

export function restorePointJson(
  point: SeededRestorePoint,
  unit: SeededProtectionUnit,
): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.restorePoint",
    id: point.id,
    protectionDateTime: wireDate(point.protectionDateTime),
    expirationDateTime: wireDate(point.expirationDateTime),
    tags: point.tags,
    protectionUnit: protectionUnitJson(unit),
  };
}

/** A JSON object body, or a 400 with `code`. An absent body counts as `{}` when `allowEmpty`. */
export function objectBody(
  request: GraphRequest,
  code: string,
  allowEmpty: boolean,
): Record<string, unknown> {
  if (request.body === undefined && allowEmpty) {
    return {};
  }
  if (typeof request.body !== "object" || request.body === null || Array.isArray(request.body)) {
    throw new GraphServiceError(400, code, "The request body must be a JSON object.");
  }
  return request.body as Record<string, unknown>;
}

/** Rejects any property not in `allowed`, naming it. */
export function rejectUnknownProperties(
  body: Record<string, unknown>,
  allowed: readonly string[],
  code: string,
): void {
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    throw new GraphServiceError(
      400,
      code,
      `The property '${unknown}' does not exist on this request. Allowed: ${allowed.join(", ") || "none"}.`,
    );
  }
}

/**
 * A page of a collection whose items are computed on demand: only the items on the page are built.
 * Same wire shape and `$skiptoken` as the emulator's `pageOf`.
 */
export function lazyPage(
  request: GraphRequest,
  total: number,
  pageSize: number,
  context: string,
  itemAt: (index: number) => unknown,
  extraQuery: Readonly<Record<string, string>> = {},
): { "@odata.context": string; "@odata.nextLink"?: string; value: unknown[] } {
  const token = request.query.get("$skiptoken");
  const offset = token === null ? 0 : decodeSkipToken(token);
  const value: unknown[] = [];
  for (let i = offset; i < Math.min(total, offset + pageSize); i++) {
    value.push(itemAt(i));
  }
  const body: { "@odata.context": string; "@odata.nextLink"?: string; value: unknown[] } = {
    "@odata.context": context,
    value,
  };
  if (offset + pageSize < total) {
    body["@odata.nextLink"] = nextLink(request, request.path, {
      ...extraQuery,
      $skiptoken: encodeSkipToken(offset + pageSize),
    });
  }
  return body;
}

/**
 * An absolute link on the emulator's own address. Query option names keep their `$` as Graph writes
 * them (`?$skiptoken=`); values are percent-encoded.
 */
export function nextLink(
  request: GraphRequest,
  path: string,
  query: Readonly<Record<string, string>>,
): string {
  const pairs = Object.entries(query).map(([name, text]) => `${name}=${encodeURIComponent(text)}`);
  return `${request.baseUrl}/${request.apiVersion}${path}?${pairs.join("&")}`;
}

/** A caller's value for an error message: strings as they are, anything else as JSON. */
export function show(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "undefined");
}
