/**
 * `check` for the bulk addition request: one per session, with the documented fields of its kind.
 */
import { describe, type Failures } from "../../checkFailure";
import { isEmail, isGuid, isHttpsUrl, isIsoInstant, isOpaqueId, normalizeInstant } from "../../formats";
import { normalizeSiteWebUrl } from "../../functions/selectors";
import { checkDestination, checkKnownProperties } from "./artifacts";
import {
  BULK_RESOURCES_LIMIT,
  type BulkListField,
  type BulkRequestInput,
  type KindSchema,
  type WritablePreference,
} from "../../model";
import { isPlainObject, normalizeId } from "../session/validators";

const PREFERENCES: readonly WritablePreference[] = ["latest", "oldest"];
const TAG_MEMBERS = ["none", "fastRestore", "includeNewerItems"];

const BULK_FIELDS = [
  "displayName",
  "protectionTimePeriod",
  "restorePointPreference",
  "tags",
  "destinationType",
];

/** The one bulk addition request of a session, with the documented fields of its kind. */
export function checkBulkRequest(
  failures: Failures,
  path: string,
  schema: KindSchema,
  value: unknown,
): BulkRequestInput {
  const request: BulkRequestInput = { protectionTimePeriod: { startDateTime: "" }, destinationType: "new" };
  if (!isPlainObject(value)) {
    failures.add(
      path,
      `The bulk addition request is an object with ${schema.bulkLists.join(" or ")} and protectionTimePeriod.`,
    );
    return request;
  }
  checkKnownProperties(failures, path, value, [...schema.bulkLists, ...BULK_FIELDS]);
  if (value.displayName !== undefined) {
    if (typeof value.displayName === "string") request.displayName = value.displayName;
    else failures.add(`${path}.displayName`, "displayName must be a string.");
  }
  let total = 0;
  for (const field of schema.bulkLists) {
    const list = checkBulkList(failures, `${path}.${field}`, field, value[field]);
    if (list !== undefined) {
      request[field] = list;
      total += list.length;
    }
  }
  if (total === 0) {
    failures.add(
      path,
      `A bulk addition request names at least one resource: set ${schema.bulkLists.join(" or ")}.`,
    );
  } else if (total > BULK_RESOURCES_LIMIT) {
    failures.add(
      path,
      `A bulk addition request takes at most ${BULK_RESOURCES_LIMIT} resources (got ${total}); split them over several sessions.`,
    );
  }
  request.protectionTimePeriod = checkTimePeriod(
    failures,
    `${path}.protectionTimePeriod`,
    value.protectionTimePeriod,
  );
  if (value.restorePointPreference !== undefined) {
    if ((PREFERENCES as unknown[]).includes(value.restorePointPreference)) {
      request.restorePointPreference = value.restorePointPreference as WritablePreference;
    } else {
      failures.add(
        `${path}.restorePointPreference`,
        `restorePointPreference is ${describe(value.restorePointPreference)}; use "latest" or "oldest".`,
      );
    }
  }
  if (value.tags !== undefined) {
    request.tags = checkTags(failures, `${path}.tags`, value.tags);
  }
  request.destinationType = checkDestination(failures, `${path}.destinationType`, value.destinationType);
  return request;
}

function checkBulkList(
  failures: Failures,
  path: string,
  field: BulkListField,
  value: unknown,
): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    failures.add(path, `${field} must be a list of strings.`);
    return undefined;
  }
  const normalized: string[] = [];
  const seen = new Set<string>();
  value.forEach((entry: unknown, index) => {
    const item = normalizeBulkEntry(field, entry);
    if (item === undefined) {
      failures.add(
        `${path}[${index}]`,
        `${describe(entry)} is not ${BULK_ENTRY_FORMS[field]}; fix or remove it.`,
      );
      return;
    }
    if (seen.has(item)) {
      failures.add(`${path}[${index}]`, `${describe(entry)} is listed twice; remove the duplicate.`);
      return;
    }
    seen.add(item);
    normalized.push(item);
  });
  return normalized.sort();
}

const BULK_ENTRY_FORMS: Record<BulkListField, string> = {
  siteWebUrls: "an https:// site URL",
  siteIds: "a site id",
  mailboxes: "a mailbox email address",
  drives: "a OneDrive owner's email address",
  directoryObjectIds: "an Entra object id (a GUID)",
};

function normalizeBulkEntry(field: BulkListField, entry: unknown): string | undefined {
  if (typeof entry !== "string") {
    return undefined;
  }
  const value = entry.trim();
  switch (field) {
    case "siteWebUrls":
      return isHttpsUrl(value) ? normalizeSiteWebUrl(value) : undefined;
    case "siteIds":
      return value.split(",").every((part) => isOpaqueId(part)) ? normalizeId(value) : undefined;
    case "mailboxes":
    case "drives":
      return isEmail(value) ? value.toLowerCase() : undefined;
    case "directoryObjectIds":
      return isGuid(value) ? value.toLowerCase() : undefined;
  }
}

function checkTimePeriod(
  failures: Failures,
  path: string,
  value: unknown,
): BulkRequestInput["protectionTimePeriod"] {
  if (!isPlainObject(value)) {
    failures.add(
      path,
      `protectionTimePeriod is required: { startDateTime: "2026-11-01T00:00:00Z", endDateTime?: ... }.`,
    );
    return { startDateTime: "" };
  }
  checkKnownProperties(failures, path, value, ["startDateTime", "endDateTime"]);
  const period: BulkRequestInput["protectionTimePeriod"] = { startDateTime: "" };
  for (const field of ["startDateTime", "endDateTime"] as const) {
    const instant = value[field];
    if (instant === undefined && field === "endDateTime") {
      continue;
    }
    if (typeof instant === "string" && isIsoInstant(instant.trim())) {
      period[field] = normalizeInstant(instant);
    } else {
      failures.add(
        `${path}.${field}`,
        `${field} is ${describe(instant)}; write an ISO 8601 instant such as "2026-11-20T09:00:00Z".`,
      );
    }
  }
  if (period.startDateTime && period.endDateTime && period.startDateTime >= period.endDateTime) {
    failures.add(`${path}.endDateTime`, "endDateTime must be after startDateTime.");
  }
  return period;
}

function checkTags(failures: Failures, path: string, value: unknown): string {
  const members = typeof value === "string" ? value.split(",").map((part) => part.trim()) : [];
  if (members.length === 0 || members.some((member) => !TAG_MEMBERS.includes(member))) {
    failures.add(
      path,
      `tags is ${describe(value)}; use "fastRestore" (or a comma-separated list of ${TAG_MEMBERS.join(", ")}).`,
    );
    return "";
  }
  return [...new Set(members)].sort().join(",");
}
