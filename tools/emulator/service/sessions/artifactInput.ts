/**
 * Validation of one artifact as a caller sends it in a create body or a `...@delta` PATCH element,
 * with the documented codes (Graph docs: backup-storage-error-codes): `InvalidRestorePoint`,
 * `InvalidPathType`, `InvalidArtifactRequest`.
 */
import type { ApiVersion } from "../../contract";
import { checkODataType, checkProperties, isObject, type JsonObject } from "../body";
import { badRequest, show, unknownProperty } from "../errors";
import type { Tenant } from "../tenant/types";
import type { KindSpec } from "./kinds";
import type { ArtifactInput, Destination } from "./model";

/** What validating an artifact needs: the session kind, the API version and the tenant. */
export interface ItemContext {
  readonly spec: KindSpec;
  readonly apiVersion: ApiVersion;
  readonly tenant: Tenant;
}

const STANDARD_READ_ONLY = [
  "id",
  "status",
  "startDateTime",
  "completionDateTime",
  "error",
  "createdDateTime",
  "restoredSiteId",
  "restoredSiteName",
  "restoredSiteWebUrl",
  "restoredFolderId",
  "restoredFolderName",
  "restoredItemCount",
];

const GRANULAR_ITEM_READ_ONLY = [
  "status",
  "webUrl",
  "restoredItemKey",
  "restoredItemPath",
  "restoredItemWebUrl",
  "restorePointDateTime",
  "startDateTime",
  "completionDateTime",
  "error",
  "siteId",
  "directoryObjectId",
];

/** Validates one element of a standard or granular collection of the session's kind. */
export function validateArtifact(
  context: ItemContext,
  style: "standard" | "granular",
  raw: unknown,
  path: string,
): ArtifactInput {
  if (!isObject(raw)) {
    throw badRequest("InvalidArtifactRequest", `${path} must be an artifact object.`);
  }
  if (style === "standard") {
    return standardArtifact(context, raw, path);
  }
  return context.spec.granular.style === "browseItem"
    ? browseItemArtifact(context, raw, path)
    : mailboxSearchArtifact(context, raw, path);
}

function standardArtifact(context: ItemContext, raw: JsonObject, path: string): ArtifactInput {
  const typeName = context.spec.standard.typeName;
  checkProperties(raw, {
    allowed: ["restorePoint", "destinationType", "@odata.type"],
    readOnly: STANDARD_READ_ONLY,
    typeName: `microsoft.graph.${typeName}`,
    path: `${path}.`,
  });
  checkODataType(raw, typeName, `${path}.`);
  const point = restorePointOf(context, raw["restorePoint"], `${path}.restorePoint`);
  const destinationType = destinationOf(raw["destinationType"], `${path}.destinationType`, true) ?? "new";
  return { style: "standard", unitId: point.unitId, restorePointId: point.id, destinationType };
}

function browseItemArtifact(context: ItemContext, raw: JsonObject, path: string): ArtifactInput {
  const typeName = context.spec.granular.typeName;
  const allowed = ["browseSessionId", "id", "@odata.type"];
  if (context.apiVersion === "beta") {
    allowed.push("destinationType");
  } else if ("destinationType" in raw) {
    throw badRequest(
      "BadRequest",
      `The property '${path}.destinationType' does not exist on type 'microsoft.graph.${typeName}' in v1.0; ` +
        "it is available only in beta.",
    );
  }
  if ("itemKey" in raw) {
    throw unknownProperty(`${path}.itemKey`, `microsoft.graph.${typeName}`);
  }
  checkProperties(raw, {
    allowed,
    readOnly: GRANULAR_ITEM_READ_ONLY,
    typeName: `microsoft.graph.${typeName}`,
    path: `${path}.`,
  });
  checkODataType(raw, typeName, `${path}.`);
  const browseSessionId = requiredString(raw["browseSessionId"], `${path}.browseSessionId`);
  const itemKey = requiredString(raw["id"], `${path}.id`);
  const workload = context.spec.kind === "sharePoint" ? "sharePoint" : "oneDriveForBusiness";
  const item = context.tenant.browseItem(workload, browseSessionId, itemKey);
  if (item === undefined) {
    throw badRequest(
      "InvalidArtifactRequest",
      `${path}: browse session '${browseSessionId}' has no item '${itemKey}' (the browse session is unknown, ` +
        "expired or still being created, or the item key did not come from it).",
    );
  }
  // v1.0 has no destinationType on granular items, and beta's example 2 sends none. The docs describe
  // `restoredItemPath` as the one folder where all the items of a granular session are restored, so a
  // granular item without a destination lands in that folder: a new location, never in place.
  const destinationType = destinationOf(raw["destinationType"], `${path}.destinationType`, false) ?? "new";
  return {
    style: "browseItem",
    unitId: item.unitId,
    restorePointId: item.restorePointId,
    destinationType,
    browseSessionId,
    itemKey,
    item,
  };
}

function mailboxSearchArtifact(context: ItemContext, raw: JsonObject, path: string): ArtifactInput {
  const typeName = context.spec.granular.typeName;
  checkProperties(raw, {
    allowed: ["restorePoint", "destinationType", "searchResponseId", "@odata.type"],
    readOnly: [...STANDARD_READ_ONLY, "artifactCount"],
    typeName: `microsoft.graph.${typeName}`,
    path: `${path}.`,
  });
  checkODataType(raw, typeName, `${path}.`);
  const point = restorePointOf(context, raw["restorePoint"], `${path}.restorePoint`);
  const destinationType = destinationOf(raw["destinationType"], `${path}.destinationType`, true) ?? "new";
  const searchResponseId = requiredString(raw["searchResponseId"], `${path}.searchResponseId`);
  const search = context.tenant.searchResponse(searchResponseId);
  if (search === undefined) {
    throw badRequest(
      "InvalidArtifactRequest",
      `${path}.searchResponseId '${searchResponseId}' names no restore point search with an artifactQuery.`,
    );
  }
  if (!search.restorePointIds.includes(point.id)) {
    throw badRequest(
      "InvalidRestorePoint",
      `${path}.restorePoint '${point.id}' is not one of the restore points that search '${searchResponseId}' returned.`,
    );
  }
  return {
    style: "mailboxSearch",
    unitId: point.unitId,
    restorePointId: point.id,
    destinationType,
    searchResponseId,
    hitCount: search.hitCount,
  };
}

/** `{ "id": "<id>" }` or the older `{ "@odata.id": "<id or URL>" }`; the point must exist and fit the kind. */
function restorePointOf(context: ItemContext, raw: unknown, path: string): { id: string; unitId: string } {
  if (!isObject(raw)) {
    throw badRequest("InvalidRestorePoint", `${path} is required: send { "id": "<restorePointId>" }.`);
  }
  checkProperties(raw, {
    allowed: ["id", "@odata.id", "@odata.type"],
    readOnly: ["protectionDateTime", "expirationDateTime", "tags", "protectionUnit"],
    typeName: "microsoft.graph.restorePoint",
    path: `${path}.`,
  });
  checkODataType(raw, "restorePoint", `${path}.`);
  if ("id" in raw && "@odata.id" in raw) {
    throw badRequest("InvalidRestorePoint", `${path}: send either id or @odata.id, not both.`);
  }
  const reference = raw["id"] ?? raw["@odata.id"];
  if (typeof reference !== "string" || reference.trim() === "") {
    throw badRequest("InvalidRestorePoint", `${path}.id is empty: the restore point id is required.`);
  }
  const id = "@odata.id" in raw ? idFromReference(reference) : reference;
  const point = context.tenant.restorePoint(id);
  if (point === undefined) {
    throw badRequest(
      "InvalidRestorePoint",
      `${path}.id '${id}' is not a valid restore point id of this tenant.`,
    );
  }
  if (point.workload !== context.spec.kind) {
    throw badRequest(
      "InvalidRestorePoint",
      `${path}.id '${id}' is a ${point.workload} restore point; a ${context.spec.typeName} restores ${context.spec.kind} restore points only.`,
    );
  }
  return { id: point.id, unitId: point.unitId };
}

/** `.../restorePoints/<id>`, `restorePoints('<id>')` or a bare id. */
function idFromReference(reference: string): string {
  const match = /restorePoints(?:\('?([^')]+)'?\)|\/([^/?#]+))\s*$/i.exec(reference);
  return decodeURIComponent(match?.[1] ?? match?.[2] ?? reference);
}

function destinationOf(raw: unknown, path: string, required: boolean): Destination | undefined {
  if (raw === undefined && !required) {
    return undefined;
  }
  if (raw === "new" || raw === "inPlace") {
    return raw;
  }
  throw badRequest(
    "InvalidPathType",
    raw === undefined || raw === null
      ? `${path} is required: 'new' or 'inPlace'.`
      : `${path} ${show(raw)} is not a restore path type: use 'new' or 'inPlace'.`,
  );
}

function requiredString(raw: unknown, path: string): string {
  if (typeof raw !== "string" || raw.trim() === "") {
    throw badRequest("InvalidArtifactRequest", `${path} is required and must be a non-empty string.`);
  }
  return raw;
}

/** What makes two artifacts "the same" for `DuplicateArtifactInList`. */
export function duplicateKey(input: ArtifactInput): string {
  switch (input.style) {
    case "standard":
      return `unit:${input.unitId.toLowerCase()}`;
    case "browseItem":
      return `item:${input.itemKey.toLowerCase()}`;
    case "mailboxSearch":
      return `search:${input.restorePointId}|${input.searchResponseId}`;
  }
}
