/**
 * Bulk addition requests (Graph docs: resources/restoreartifactsbulkrequestbase): validation of the create
 * body with the documented codes, and the wire shape (the list leaves out the address lists, as documented).
 */
import type { ApiVersion, GraphRequest } from "../../contract";
import { checkODataType, checkProperties, isObject, type JsonObject } from "../body";
import { badRequest, isGuid, show } from "../errors";
import { odataType, type KindSpec } from "./kinds";
import type { BulkRecord } from "./model";
import { identity, iso } from "./render";

/** Most sites or users one bulk request may name (documented). */
export const BULK_TARGET_LIMIT = 10_000;

const READ_ONLY = [
  "id",
  "status",
  "error",
  "createdBy",
  "createdDateTime",
  "lastModifiedBy",
  "lastModifiedDateTime",
];

function invalid(message: string): never {
  throw badRequest("BulkRestoreInvalidCreateRequest", message);
}

/** Validates a create body; returns the fields to store (Graph's names, as sent). */
export function validateBulkCreate(
  spec: KindSpec,
  apiVersion: ApiVersion,
  body: unknown,
): Record<string, unknown> {
  if (!isObject(body) || Object.keys(body).length === 0) {
    invalid(`The request body is empty or not an object: a ${spec.bulk.typeName} is required.`);
  }
  const targets = [...spec.bulk.emailFields, ...spec.bulk.urlFields, ...spec.bulk.idFields];
  if ("protectionUnitIds" in body) {
    invalid(
      "protectionUnitIds is not implemented by the service yet; name the resources in " +
        targets.join(" or ") +
        ".",
    );
  }
  checkProperties(body, {
    allowed: [
      "@odata.type",
      "displayName",
      "destinationType",
      "protectionTimePeriod",
      "restorePointPreference",
      "tags",
      ...targets,
    ],
    readOnly: READ_ONLY,
    typeName: `microsoft.graph.${spec.bulk.typeName}`,
  });
  checkODataType(body, spec.bulk.typeName);
  if (body["displayName"] !== undefined && typeof body["displayName"] !== "string") {
    invalid("displayName must be a string.");
  }
  if (body["destinationType"] !== "new" && body["destinationType"] !== "inPlace") {
    invalid(`destinationType is required: 'new' or 'inPlace' (got ${show(body["destinationType"])}).`);
  }
  checkTimePeriod(body["protectionTimePeriod"]);
  const preference = body["restorePointPreference"];
  if (preference !== undefined && preference !== "latest" && preference !== "oldest") {
    invalid(`restorePointPreference ${show(preference)} is not 'latest' or 'oldest'.`);
  }
  checkTags(body["tags"], apiVersion);
  checkTargets(spec, body);
  return { ...body };
}

function checkTimePeriod(value: unknown): void {
  if (!isObject(value)) {
    invalid("protectionTimePeriod is required: { startDateTime, endDateTime }.");
  }
  checkProperties(value, {
    allowed: ["startDateTime", "endDateTime"],
    typeName: "microsoft.graph.timePeriod",
    path: "protectionTimePeriod.",
  });
  const start = dateOf(value["startDateTime"], "protectionTimePeriod.startDateTime", true);
  const end = dateOf(value["endDateTime"], "protectionTimePeriod.endDateTime", false);
  if (start !== undefined && end !== undefined && end <= start) {
    invalid("protectionTimePeriod.endDateTime must be after startDateTime.");
  }
}

function dateOf(value: unknown, path: string, required: boolean): number | undefined {
  if (value === undefined && !required) {
    return undefined;
  }
  const ms = typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    invalid(`${path} must be an ISO 8601 date and time (got ${show(value)}).`);
  }
  return ms;
}

function checkTags(value: unknown, apiVersion: ApiVersion): void {
  if (value === undefined) {
    return;
  }
  const members =
    apiVersion === "beta" ? ["none", "fastRestore", "includeNewerItems"] : ["none", "fastRestore"];
  const parts = typeof value === "string" ? value.split(",").map((p) => p.trim()) : [];
  if (parts.length === 0 || parts.some((p) => !members.includes(p))) {
    invalid(`tags ${show(value)} is not a combination of ${members.join(", ")}.`);
  }
}

function checkTargets(spec: KindSpec, body: JsonObject): void {
  const lists = [...spec.bulk.emailFields, ...spec.bulk.urlFields, ...spec.bulk.idFields].map((name) => {
    const value = body[name];
    if (value !== undefined && (!Array.isArray(value) || value.some((v) => typeof v !== "string"))) {
      invalid(`${name} must be an array of strings.`);
    }
    return { name, values: (value ?? []) as string[] };
  });
  const total = lists.reduce((sum, list) => sum + list.values.length, 0);
  if (total === 0) {
    invalid(`The request names no resources: send ${lists.map((l) => l.name).join(" or ")}.`);
  }
  if (total > BULK_TARGET_LIMIT) {
    throw badRequest(
      "BulkRestoreRestorationResourcesCountExceedsLimit",
      `The request names ${total} resources; a bulk addition request takes at most ${BULK_TARGET_LIMIT}.`,
    );
  }
  for (const { name, values } of lists) {
    values.forEach((value, i) => checkTarget(spec, name, value, `${name}[${i}]`));
  }
}

function checkTarget(spec: KindSpec, name: string, value: string, path: string): void {
  if (spec.bulk.emailFields.includes(name) && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
    throw badRequest(
      "BulkRestoreInvalidCreateRequestUserEmail",
      `${path} '${value}' is not a valid email address.`,
    );
  }
  if (spec.bulk.urlFields.includes(name) && !isSiteUrl(value)) {
    throw badRequest(
      "BulkRestoreInvalidCreateRequestSiteUrl",
      `${path} '${value}' is not a valid https site URL.`,
    );
  }
  if (name === "directoryObjectIds" && !isGuid(value)) {
    invalid(`${path} '${value}' is not a directory object id (GUID).`);
  }
  if (name === "siteIds" && value.trim() === "") {
    invalid(`${path} is empty.`);
  }
}

function isSiteUrl(value: string): boolean {
  if (/\s/.test(value)) {
    return false;
  }
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname.includes(".");
  } catch {
    return false;
  }
}

/** The wire shape; `inList` leaves out the address lists the list response omits. */
export function renderBulk(
  spec: KindSpec,
  bulk: BulkRecord,
  request: GraphRequest,
  inList: boolean,
): Record<string, unknown> {
  const fields = bulk.fields;
  const tags = typeof fields["tags"] === "string" ? fields["tags"] : "none";
  const body: Record<string, unknown> = {
    "@odata.type": odataType(spec.bulk.typeName),
    id: bulk.id,
    displayName: fields["displayName"] ?? null,
    destinationType: fields["destinationType"],
    protectionTimePeriod: fields["protectionTimePeriod"],
    restorePointPreference: fields["restorePointPreference"] ?? "latest",
    tags: request.includeUnknownEnumMembers ? tags : tags.replace(/includeNewerItems/g, "unknownFutureValue"),
    status: bulk.status,
    error: bulk.error ?? null,
    createdBy: identity(bulk.createdBy),
    createdDateTime: iso(bulk.createdAtMs),
    lastModifiedBy: identity(bulk.lastModifiedBy),
    lastModifiedDateTime: iso(bulk.lastModifiedAtMs),
  };
  for (const name of [...spec.bulk.emailFields, ...spec.bulk.urlFields, ...spec.bulk.idFields]) {
    if (!(inList && spec.bulk.omittedInList.includes(name))) {
      body[name] = fields[name] ?? [];
    }
  }
  return body;
}
