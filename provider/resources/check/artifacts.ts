/**
 * `check` for the artifact inputs: each item validated and normalized, failures naming the property
 * path and the fix. Called by `check.ts` once per artifact property.
 */
import type {
  ArtifactById,
  ArtifactSelector,
  GranularBrowseArtifact,
  GranularMailboxArtifact,
  RestoreSessionKind,
  StandardArtifactInput,
  WritableDestinationType,
} from "../../model";
import {
  isSelector,
  normalizeSelector,
  validateSelector,
  type RestorePointSelector,
} from "../../functions/selectors";
import type { GraphApiVersion } from "../../settings";
import { describe, type Failures } from "../../checkFailure";
import { isOpaqueId } from "../../formats";
import { isPlainObject, normalizeId } from "../session/validators";

const DESTINATIONS: readonly WritableDestinationType[] = ["new", "inPlace"];

/** Reports properties outside `allowed`; true when there were none. */
export function checkKnownProperties(
  failures: Failures,
  path: string,
  value: Record<string, unknown>,
  allowed: readonly string[],
): boolean {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  for (const key of unknown) {
    failures.add(
      `${path}.${key}`,
      `Unknown property "${key}"; remove it or use one of: ${allowed.join(", ")}.`,
    );
  }
  return unknown.length === 0;
}

export function checkDestination(failures: Failures, path: string, value: unknown): WritableDestinationType {
  if (value === undefined) {
    return "new";
  }
  if (typeof value === "string" && (DESTINATIONS as string[]).includes(value)) {
    return value as WritableDestinationType;
  }
  failures.add(
    path,
    `destinationType is ${describe(value)}; use "new" (restore to a new location, the default) or "inPlace" (overwrite the original).`,
  );
  return "new";
}

/** The id at `item[key]`, normalized; a failure on `path.key` when it is not a well-formed id. */
function checkId(
  failures: Failures,
  path: string,
  item: Record<string, unknown>,
  key: string,
  what: string,
): string {
  const value = item[key];
  if (typeof value === "string" && isOpaqueId(value.trim())) {
    return normalizeId(value);
  }
  failures.add(
    `${path}.${key}`,
    `${what} is ${describe(value)}, which is not a well-formed id (letters, digits and - _ = + / . : only, no spaces); ` +
      `copy it from getRestorePoints() or the Graph response.`,
  );
  return typeof value === "string" ? value : "";
}

/** `{ id }` of a restore point reference. */
function checkRestorePointRef(failures: Failures, path: string, value: unknown): { id: string } {
  if (!isPlainObject(value)) {
    failures.add(
      path,
      `restorePoint must be an object { id: "<restore point id>" }, got ${describe(value)}.`,
    );
    return { id: "" };
  }
  checkKnownProperties(failures, path, value, ["id"]);
  return { id: checkId(failures, path, value, "id", "The restore point id") };
}

// ---- Standard artifacts ---------------------------------------------------------------------------------

/** `{ restorePoint: { id }, destinationType? }` or a selector; normalized, destination defaulted to `new`. */
export function checkStandardArtifact(
  failures: Failures,
  path: string,
  kind: RestoreSessionKind,
  value: unknown,
): StandardArtifactInput {
  if (isPlainObject(value) && isSelector(value)) {
    return checkSelectorArtifact(failures, path, kind, value);
  }
  if (!isPlainObject(value) || value.restorePoint === undefined) {
    failures.add(
      path,
      `Each artifact needs restorePoint: { id } or a selector such as { ${selectorExample(kind)}, restorePointTime: "2026-11-20T09:00:00Z" }; got ${describe(value)}.`,
    );
    return { restorePoint: { id: "" }, destinationType: "new" };
  }
  checkKnownProperties(failures, path, value, ["restorePoint", "destinationType"]);
  const artifact: ArtifactById = {
    restorePoint: checkRestorePointRef(failures, `${path}.restorePoint`, value.restorePoint),
    destinationType: checkDestination(failures, `${path}.destinationType`, value.destinationType),
  };
  return artifact;
}

function selectorExample(kind: RestoreSessionKind): string {
  switch (kind) {
    case "exchange":
      return `mailbox: "ann@contoso.com"`;
    case "sharePoint":
      return `siteWebUrl: "https://contoso.sharepoint.com/sites/finance"`;
    case "oneDriveForBusiness":
      return `oneDriveOwner: "ann@contoso.com"`;
  }
}

function checkSelectorArtifact(
  failures: Failures,
  path: string,
  kind: RestoreSessionKind,
  value: Record<string, unknown>,
): ArtifactSelector {
  if (value.restorePoint !== undefined) {
    failures.add(
      `${path}.restorePoint`,
      "An artifact names either restorePoint: { id } or a selector (unit and restorePointTime), not both; remove one.",
    );
  }
  const rest = { ...value };
  delete rest.restorePoint;
  const problems = validateSelector(path, rest, kind);
  failures.addAll(problems);
  if (problems.length > 0) {
    return { restorePointTime: "", restorePointPreference: "latest", destinationType: "new" };
  }
  const normalized = normalizeSelector(rest as unknown as RestorePointSelector);
  return {
    ...normalized,
    restorePointPreference: normalized.restorePointPreference ?? "latest",
    destinationType: (normalized.destinationType as WritableDestinationType | undefined) ?? "new",
  };
}

// ---- Granular artifacts ---------------------------------------------------------------------------------

/** `{ browseSessionId, id, destinationType? }`; `destinationType` is beta-only. */
export function checkBrowseArtifact(
  failures: Failures,
  path: string,
  apiVersion: GraphApiVersion,
  value: unknown,
): GranularBrowseArtifact {
  if (!isPlainObject(value)) {
    failures.add(
      path,
      `Each granular artifact is { browseSessionId, id: "<browse itemKey>" }, got ${describe(value)}.`,
    );
    return { browseSessionId: "", id: "" };
  }
  checkKnownProperties(failures, path, value, ["browseSessionId", "id", "destinationType"]);
  return {
    browseSessionId: checkId(failures, path, value, "browseSessionId", "The browse session id"),
    id: checkItemKey(failures, `${path}.id`, value.id),
    ...checkGranularItemDestination(failures, path, apiVersion, value),
  };
}

/**
 * The destination of a granular site or OneDrive item: never left to Graph. Beta takes `destinationType`
 * and it is always sent (default `new`). v1.0 has no such field, and the v1.0 docs describe
 * `restoredItemPath` as the one folder where a granular session's items are restored, so v1.0 restores
 * into a new folder: the program must say it accepts that with `destinationType: "new"` (recorded, not
 * sent); `inPlace` cannot be asked of v1.0 at all.
 *
 * @param item - the granular item at `path` (an artifact or a path selector), whose `destinationType` is checked.
 * @returns `{ destinationType }` to spread into the normalized item, or `{}` when there is none to record.
 */
export function checkGranularItemDestination(
  failures: Failures,
  path: string,
  apiVersion: GraphApiVersion,
  item: Record<string, unknown>,
): { destinationType?: WritableDestinationType } {
  const at = `${path}.destinationType`;
  const value = item.destinationType;
  const destination = checkDestination(failures, at, value);
  if (apiVersion === "beta") {
    return { destinationType: destination };
  }
  if (value === undefined) {
    failures.add(
      at,
      `Graph v1.0 takes no destination for granular items; its docs say they are restored into one new folder per ` +
        `session (restoredItemPath). Write destinationType: "new" to accept that, or set m365-backup:apiVersion to ` +
        `"beta" to send the destination explicitly.`,
    );
    return {};
  }
  if (destination === "inPlace") {
    failures.add(
      at,
      `Graph v1.0 cannot restore granular items in place (it has no destination field; items land in a new folder). ` +
        `Set m365-backup:apiVersion to "beta" for an in-place granular restore, or write destinationType: "new".`,
    );
  }
  return { destinationType: destination };
}

function checkItemKey(failures: Failures, path: string, value: unknown): string {
  if (typeof value === "string" && value.split(",").every((part) => isOpaqueId(part.trim()))) {
    return normalizeId(value);
  }
  failures.add(
    path,
    `id is ${describe(value)}, which is not a browse itemKey (comma-joined ids such as "siteId,webId,listId,itemId"); ` +
      `copy the itemKey from the browse session's results.`,
  );
  return typeof value === "string" ? value : "";
}

/** `{ restorePoint: { id }, searchResponseId, destinationType? }`. */
export function checkMailboxSearchArtifact(
  failures: Failures,
  path: string,
  value: unknown,
): GranularMailboxArtifact {
  if (!isPlainObject(value)) {
    failures.add(
      path,
      `Each granular mailbox artifact is { restorePoint: { id }, searchResponseId }, got ${describe(value)}.`,
    );
    return { restorePoint: { id: "" }, searchResponseId: "", destinationType: "new" };
  }
  checkKnownProperties(failures, path, value, ["restorePoint", "searchResponseId", "destinationType"]);
  return {
    restorePoint: checkRestorePointRef(failures, `${path}.restorePoint`, value.restorePoint),
    searchResponseId: checkId(failures, path, value, "searchResponseId", "The searchResponseId"),
    destinationType: checkDestination(failures, `${path}.destinationType`, value.destinationType),
  };
}
