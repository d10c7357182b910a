/**
 * Validation of restore-session create (POST) and update (PATCH with `...Artifacts@delta`) bodies, in
 * a fixed order: body shape and properties, which collection, size limit, each element, then the
 * cross-element rules (one destination type, no duplicates).
 */
import type { ApiVersion } from "../../contract";
import { checkODataType, checkProperties, isEmptyBody, isObject, objectBody } from "../body";
import { badRequest, malformedBody, show } from "../errors";
import type { Tenant } from "../tenant/types";
import { duplicateKey, validateArtifact, type ItemContext } from "./artifactInput";
import type { KindSpec } from "./kinds";
import type { ArtifactInput } from "./model";
import { GraphServiceError } from "../../contract";

/**
 * Most artifacts one create request may carry (413 above); the docs give no number
 * (docs/emulator-sessions.md, gap 6).
 */
export const CREATE_ARTIFACT_LIMIT = 50;
/** Most `@delta` elements one PATCH may carry (documented). */
export const PATCH_ARTIFACT_LIMIT = 50;

/** Values of `@microsoft.graph.conflictBehavior`. */
export const CONFLICT_BEHAVIORS = ["fail", "replace", "rename"];
const CONFLICT_ANNOTATION = "@microsoft.graph.conflictBehavior";

const SESSION_READ_ONLY = [
  "id",
  "status",
  "restoreJobType",
  "restoreSessionArtifactCount",
  "createdBy",
  "createdDateTime",
  "lastModifiedBy",
  "lastModifiedDateTime",
  "completedDateTime",
  "error",
];

/** A validated create body. */
export interface CreateInput {
  readonly style: "empty" | "standard" | "granular";
  readonly artifacts: readonly ArtifactInput[];
  readonly conflictBehavior?: string;
}

/**
 * Validates a create body for `spec`'s typed collection (Graph docs:
 * backuprestoreroot-post-{kind}restoresessions).
 */
export function validateCreate(
  spec: KindSpec,
  apiVersion: ApiVersion,
  tenant: Tenant,
  body: unknown,
): CreateInput {
  if (isEmptyBody(body)) {
    return { style: "empty", artifacts: [] };
  }
  const object = objectBody(body, `a ${spec.typeName}`);
  checkProperties(object, {
    allowed: ["@odata.type", spec.standard.collection, spec.granular.collection, CONFLICT_ANNOTATION],
    readOnly: [...SESSION_READ_ONLY, spec.bulk.collection],
    typeName: `microsoft.graph.${spec.typeName}`,
  });
  checkODataType(object, spec.typeName);
  const hasStandard = spec.standard.collection in object;
  const hasGranular = spec.granular.collection in object;
  if (hasStandard && hasGranular) {
    throw mixedStyles(spec);
  }
  const style = hasGranular ? "granular" : "standard";
  const conflictBehavior = checkConflictBehavior(spec, apiVersion, object[CONFLICT_ANNOTATION], hasGranular);
  if (!hasStandard && !hasGranular) {
    return { style: "empty", artifacts: [] };
  }
  const collection = hasGranular ? spec.granular.collection : spec.standard.collection;
  const items = artifactArray(object[collection], collection);
  if (items.length > CREATE_ARTIFACT_LIMIT) {
    throw new GraphServiceError(
      413,
      "RestoreArtifactsLimitBreached",
      `${collection} has ${items.length} artifacts; a create request takes at most ${CREATE_ARTIFACT_LIMIT}. ` +
        `Create the session with fewer and add the rest with PATCH ${collection}@delta.`,
    );
  }
  const context: ItemContext = { spec, apiVersion, tenant };
  const artifacts = items.map((item, i) => validateArtifact(context, style, item, `${collection}[${i}]`));
  checkOneDestination(artifacts, collection);
  checkNoDuplicates(artifacts, collection);
  return conflictBehavior === undefined ? { style, artifacts } : { style, artifacts, conflictBehavior };
}

function checkConflictBehavior(
  spec: KindSpec,
  apiVersion: ApiVersion,
  value: unknown,
  granular: boolean,
): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (apiVersion !== "beta") {
    throw malformedBody(`${CONFLICT_ANNOTATION} is available only in beta.`);
  }
  if (spec.kind === "exchange") {
    throw malformedBody(`${CONFLICT_ANNOTATION} applies to SharePoint and OneDrive granular restores only.`);
  }
  if (!granular) {
    throw malformedBody(
      `${CONFLICT_ANNOTATION} applies only to a session created with ${spec.granular.collection}.`,
    );
  }
  if (typeof value !== "string" || !CONFLICT_BEHAVIORS.includes(value)) {
    throw malformedBody(
      `${CONFLICT_ANNOTATION} ${show(value)} is not one of ${CONFLICT_BEHAVIORS.join(", ")}.`,
    );
  }
  return value;
}

/** One element of a PATCH `@delta` collection. */
export type DeltaElement =
  | { readonly op: "add"; readonly input: ArtifactInput }
  | { readonly op: "remove"; readonly id: string; readonly reason: string };

/** A validated PATCH body: which collection and its elements, in request order. */
export interface PatchInput {
  readonly style: "standard" | "granular";
  readonly collection: string;
  readonly elements: readonly DeltaElement[];
}

/**
 * Validates a PATCH body (Graph docs: {kind}restoresession-update); the store then applies it against the
 * session.
 */
export function validatePatch(
  spec: KindSpec,
  apiVersion: ApiVersion,
  tenant: Tenant,
  body: unknown,
): PatchInput {
  if (!isObject(body) || Object.keys(body).length === 0) {
    throw badRequest(
      "InvalidPatchRequest",
      `The PATCH body must be a JSON object with ${spec.standard.collection}@delta.`,
    );
  }
  const standardKey = `${spec.standard.collection}@delta`;
  const granularKey = `${spec.granular.collection}@delta`;
  for (const key of [spec.standard.collection, spec.granular.collection]) {
    if (key in body) {
      throw badRequest(
        "InvalidPatchRequest",
        `Artifacts are changed through '${key}@delta' (add, or remove with @removed); '${key}' cannot be set directly.`,
      );
    }
  }
  if (CONFLICT_ANNOTATION in body) {
    throw malformedBody(`${CONFLICT_ANNOTATION} can be sent only when the session is created.`);
  }
  checkProperties(body, {
    allowed: ["@odata.type", standardKey, ...(spec.granular.patchable ? [granularKey] : [])],
    readOnly: [...SESSION_READ_ONLY, spec.bulk.collection],
    typeName: `microsoft.graph.${spec.typeName}`,
  });
  checkODataType(body, spec.typeName);
  if (standardKey in body && granularKey in body) {
    throw mixedStyles(spec);
  }
  if (!(standardKey in body) && !(granularKey in body)) {
    throw badRequest("InvalidPatchRequest", `The PATCH body has no ${standardKey}.`);
  }
  const style = granularKey in body ? "granular" : "standard";
  const collection = style === "granular" ? spec.granular.collection : spec.standard.collection;
  const key = `${collection}@delta`;
  const items = artifactArray(body[key], key);
  if (items.length > PATCH_ARTIFACT_LIMIT) {
    throw badRequest(
      "RestoreArtifactsLimitBreached",
      `${key} has ${items.length} elements; one PATCH takes at most ${PATCH_ARTIFACT_LIMIT}. Send them in batches.`,
    );
  }
  const context: ItemContext = { spec, apiVersion, tenant };
  const elements = items.map((item, i) => deltaElement(context, style, item, `${key}[${i}]`));
  checkDeltaDuplicates(elements, key);
  return { style, collection, elements };
}

function deltaElement(
  context: ItemContext,
  style: "standard" | "granular",
  raw: unknown,
  path: string,
): DeltaElement {
  if (!isObject(raw) || !("@removed" in raw)) {
    return { op: "add", input: validateArtifact(context, style, raw, path) };
  }
  checkProperties(raw, { allowed: ["@removed", "id"], typeName: "a removed entity", path: `${path}.` });
  const removed = raw["@removed"];
  const reason = isObject(removed) ? removed["reason"] : undefined;
  if (
    !isObject(removed) ||
    Object.keys(removed).some((k) => k !== "reason") ||
    (reason !== "changed" && reason !== "deleted")
  ) {
    throw badRequest(
      "InvalidPatchRequest",
      `${path}.@removed must be { "reason": "changed" } (or "deleted").`,
    );
  }
  const id = raw["id"];
  if (typeof id !== "string" || id.trim() === "") {
    throw badRequest("InvalidPatchRequest", `${path}.id is required: the id of the artifact to remove.`);
  }
  return { op: "remove", id, reason };
}

function artifactArray(value: unknown, name: string): readonly unknown[] {
  if (value === null || (Array.isArray(value) && value.length === 0)) {
    throw badRequest("InvalidArtifactRequest", `${name} is empty: at least one artifact is required.`);
  }
  if (!Array.isArray(value)) {
    throw badRequest("InvalidArtifactRequest", `${name} must be an array of artifacts.`);
  }
  return value as readonly unknown[];
}

function mixedStyles(spec: KindSpec): GraphServiceError {
  return badRequest(
    "InvalidArtifactRequest",
    `A request cannot contain both ${spec.standard.collection} and ${spec.granular.collection}: ` +
      "a session restores either whole units or granular items.",
  );
}

/** `DifferentRestoreDestinationType` when the artifacts do not all share one destination type. */
export function checkOneDestination(artifacts: readonly ArtifactInput[], where: string): void {
  const types = new Set(artifacts.map((a) => a.destinationType));
  if (types.size > 1) {
    throw badRequest(
      "DifferentRestoreDestinationType",
      `${where} mixes destination types (${[...types].join(", ")}): restoring to a new location and in place ` +
        "in one restore session isn't supported.",
    );
  }
}

/** `DuplicateArtifactInList` for the first artifact that repeats an earlier one. */
export function checkNoDuplicates(artifacts: readonly ArtifactInput[], where: string): void {
  const seen = new Set<string>();
  artifacts.forEach((artifact, i) => {
    const key = duplicateKey(artifact);
    if (seen.has(key)) {
      throw badRequest(
        "DuplicateArtifactInList",
        `${where}[${i}] duplicates an earlier artifact (${describe(artifact)}).`,
      );
    }
    seen.add(key);
  });
}

/** Within one PATCH: no artifact added twice, no id removed twice (paths name the element). */
function checkDeltaDuplicates(elements: readonly DeltaElement[], where: string): void {
  const seen = new Set<string>();
  elements.forEach((element, i) => {
    const key = element.op === "add" ? duplicateKey(element.input) : `removed:${element.id.toLowerCase()}`;
    if (seen.has(key)) {
      const what =
        element.op === "add" ? `adds ${describe(element.input)}` : `removes artifact '${element.id}'`;
      throw badRequest("DuplicateArtifactInList", `${where}[${i}] ${what} a second time.`);
    }
    seen.add(key);
  });
}

/** An artifact as error messages name it. */
export function describe(artifact: ArtifactInput): string {
  switch (artifact.style) {
    case "standard":
      return `protection unit '${artifact.unitId}', restore point '${artifact.restorePointId}'`;
    case "browseItem":
      return `item '${artifact.itemKey}'`;
    case "mailboxSearch":
      return `restore point '${artifact.restorePointId}' with search '${artifact.searchResponseId}'`;
  }
}
