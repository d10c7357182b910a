/**
 * Restore point selectors: name what to restore (a mailbox, a site, a OneDrive owner or a protection unit)
 * and a point in time, instead of a restore point id that nobody knows during an incident.
 *
 * This file is pure: types, validation (called from the resources' `check`) and normalization (what the
 * resources' `diff` compares, so a re-run with the same intent is `same` even when newer restore points
 * have appeared since). Resolution against Graph lives in `resolve.ts`.
 */
import { describe, type CheckFailure } from "../checkFailure";
import { isEmail, isGuid, isIsoInstant, normalizeInstant } from "../formats";
import {
  KIND_SCHEMAS,
  type ArtifactSelector,
  type DestinationType,
  type RestoreSessionKind,
  type SelectorField,
  type WritablePreference,
} from "../model";

/** Which restore point to take relative to {@link RestorePointSelector.restorePointTime}. */
export type SelectorPreference = WritablePreference;

/** The only restore point tag a selector can require. */
export type SelectorTags = "fastRestore";

/**
 * Names a protection unit and a point in time. Exactly one of `mailbox`, `siteWebUrl`, `oneDriveOwner`
 * and `protectionUnitId` is set, and it must suit the session kind: Exchange takes `mailbox`, SharePoint
 * `siteWebUrl`, OneDrive `oneDriveOwner` (email or Entra user id); every kind takes `protectionUnitId`.
 *
 * `restorePointTime` is an ISO 8601 instant with a zone (`2026-11-20T09:00:00Z`). With the default
 * preference `latest` the chosen point is the latest one at or before that instant; with `oldest`, the
 * oldest one at or after it. `tags: "fastRestore"` only considers fast restore points.
 */
export type RestorePointSelector = Omit<
  ArtifactSelector,
  "restorePointPreference" | "destinationType" | "resolvedRestorePointId"
> & {
  restorePointPreference?: SelectorPreference;
  destinationType?: DestinationType;
};

/** The keys that name the unit; exactly one is set. */
export type SelectorTarget = SelectorField | "protectionUnitId";

export const SELECTOR_TARGETS: readonly SelectorTarget[] = [
  "mailbox",
  "siteWebUrl",
  "oneDriveOwner",
  "protectionUnitId",
];

/** Every property a selector may carry; anything else is a typo that `check` names. */
export const SELECTOR_PROPERTIES: readonly string[] = [
  ...SELECTOR_TARGETS,
  "restorePointTime",
  "restorePointPreference",
  "tags",
  "destinationType",
];

/** True when the artifact names a unit and a time rather than a restore point id. */
export function isSelector(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return false;
  }
  const record = value as Record<string, unknown>;
  return "restorePointTime" in record || SELECTOR_TARGETS.some((key) => key in record);
}

/**
 * Checks a selector before anything calls Graph. Returns one failure per problem, each naming the
 * property path and how to fix it; an empty list means valid. Never throws.
 *
 * @example
 * validateSelector("mailboxRestoreArtifacts[0]", { mailbox: "ann@contoso.com", restorePointTime: "yesterday" }, "exchange");
 * // [{ property: "mailboxRestoreArtifacts[0].restorePointTime", reason: "got \"yesterday\"; write an ISO 8601 instant ..." }]
 */
export function validateSelector(path: string, value: unknown, kind: RestoreSessionKind): CheckFailure[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [
      { property: path, reason: `a restore point selector must be an object such as ${example(kind)}.` },
    ];
  }
  const record = value as Record<string, unknown>;
  return [
    ...unknownPropertyProblems(path, record),
    ...targetProblems(path, record, kind),
    ...timeProblems(path, record),
    ...enumProblem(path, record, "restorePointPreference", ["latest", "oldest"]),
    ...enumProblem(path, record, "tags", ["fastRestore"]),
    ...enumProblem(path, record, "destinationType", ["new", "inPlace"]),
  ];
}

function example(kind: RestoreSessionKind): string {
  const samples: Record<RestoreSessionKind, string> = {
    exchange: `{ mailbox: "ann@contoso.com", restorePointTime: "2026-11-20T09:00:00Z" }`,
    sharePoint: `{ siteWebUrl: "https://contoso.sharepoint.com/sites/finance", restorePointTime: "2026-11-20T09:00:00Z" }`,
    oneDriveForBusiness: `{ oneDriveOwner: "ann@contoso.com", restorePointTime: "2026-11-20T09:00:00Z" }`,
  };
  return samples[kind];
}

function unknownPropertyProblems(path: string, record: Record<string, unknown>): CheckFailure[] {
  return Object.keys(record)
    .filter((key) => !SELECTOR_PROPERTIES.includes(key))
    .map((key) => ({
      property: `${path}.${key}`,
      reason: `unknown selector property; use only ${SELECTOR_PROPERTIES.join(", ")}.`,
    }));
}

function targetProblems(
  path: string,
  record: Record<string, unknown>,
  kind: RestoreSessionKind,
): CheckFailure[] {
  const allowed: SelectorTarget[] = [KIND_SCHEMAS[kind].selectorField, "protectionUnitId"];
  const present = SELECTOR_TARGETS.filter((key) => record[key] !== undefined);
  const wrongKind = present.filter((key) => !allowed.includes(key));
  if (wrongKind.length > 0) {
    return wrongKind.map((key) => ({
      property: `${path}.${key}`,
      reason: `not valid for a ${kind} restore session; name the unit with ${allowed.join(" or ")} instead.`,
    }));
  }
  if (present.length !== 1) {
    const found = present.length === 0 ? "none is set" : `${present.join(" and ")} are both set`;
    return [{ property: path, reason: `set exactly one of ${allowed.join(" or ")} (${found}).` }];
  }
  const key = present[0];
  const problem = targetValueProblem(record[key], key);
  return problem === undefined ? [] : [{ property: `${path}.${key}`, reason: problem }];
}

function targetValueProblem(value: unknown, key: SelectorTarget): string | undefined {
  if (typeof value !== "string" || value.trim() === "") {
    return `must be a non-empty string, got ${describe(value)}.`;
  }
  switch (key) {
    case "mailbox":
      return isEmail(value.trim()) ? undefined : `must be the mailbox's email address, got "${value}".`;
    case "oneDriveOwner":
      return isEmail(value.trim()) || isGuid(value.trim())
        ? undefined
        : `must be the owner's email address or Entra user id (a GUID), got "${value}".`;
    case "siteWebUrl":
      return siteWebUrlProblem(value.trim());
    case "protectionUnitId":
      return /\s/.test(value) ? `must not contain whitespace, got "${value}".` : undefined;
  }
}

/** The rule of `isHttpsUrl` (`provider/formats.ts`), written out to say which part of the URL is wrong. */
function siteWebUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `must be an absolute site URL such as https://contoso.sharepoint.com/sites/finance, got "${value}".`;
  }
  if (url.protocol !== "https:") {
    return `must be an https:// URL, got "${value}".`;
  }
  if (url.search !== "" || url.hash !== "") {
    return `must be the site's URL without a query or fragment, got "${value}".`;
  }
  return undefined;
}

function timeProblems(path: string, record: Record<string, unknown>): CheckFailure[] {
  const property = `${path}.restorePointTime`;
  const value = record.restorePointTime;
  if (value === undefined) {
    return [
      {
        property,
        reason: `required; give the incident time as an ISO 8601 instant such as "2026-11-20T09:00:00Z".`,
      },
    ];
  }
  if (typeof value !== "string" || !isIsoInstant(value.trim())) {
    return [
      {
        property,
        reason: `got ${describe(value)}; write an ISO 8601 instant with a zone, such as "2026-11-20T09:00:00Z" or "2026-11-20T10:00:00+01:00".`,
      },
    ];
  }
  return [];
}

function enumProblem(
  path: string,
  record: Record<string, unknown>,
  key: string,
  allowed: string[],
): CheckFailure[] {
  const value = record[key];
  if (value === undefined || (typeof value === "string" && allowed.includes(value))) {
    return [];
  }
  return [
    {
      property: `${path}.${key}`,
      reason: `got ${describe(value)}; use one of ${allowed.map((a) => `"${a}"`).join(", ")} or leave it unset.`,
    },
  ];
}

// ---- Normalization --------------------------------------------------------------------------------

/** Case-insensitive email comparison key. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Comparison key for a site URL: SharePoint URLs are case-insensitive and a trailing slash means the same
 * site, so `https://Contoso.sharepoint.com/sites/Finance/` and `https://contoso.sharepoint.com/sites/finance`
 * are one site. Text that is not a URL is only trimmed and lower-cased.
 */
export function normalizeSiteWebUrl(siteWebUrl: string): string {
  const trimmed = siteWebUrl.trim();
  try {
    const url = new URL(trimmed);
    const path = url.pathname.replace(/\/+$/, "");
    return `${url.protocol}//${url.host}${path}`.toLowerCase();
  } catch {
    return trimmed.replace(/\/+$/, "").toLowerCase();
  }
}

/** Comparison key for a OneDrive owner: an email or a GUID, both case-insensitive. */
export function normalizeOneDriveOwner(owner: string): string {
  return owner.trim().toLowerCase();
}

/**
 * The canonical form of a valid selector, for diffs and state: the unit key normalized, the time as
 * `toISOString()` (so `+01:00` and `Z` spellings of one instant are equal), the preference defaulted to
 * `latest`. `destinationType` and `tags` are kept as given (the resource owns the destination default).
 * Call it only on selectors {@link validateSelector} accepted.
 */
export function normalizeSelector(selector: RestorePointSelector): RestorePointSelector {
  const normalized: RestorePointSelector = {
    restorePointTime: normalizeInstant(selector.restorePointTime),
    restorePointPreference: selector.restorePointPreference ?? "latest",
  };
  if (selector.mailbox !== undefined) normalized.mailbox = normalizeEmail(selector.mailbox);
  if (selector.siteWebUrl !== undefined) normalized.siteWebUrl = normalizeSiteWebUrl(selector.siteWebUrl);
  if (selector.oneDriveOwner !== undefined)
    normalized.oneDriveOwner = normalizeOneDriveOwner(selector.oneDriveOwner);
  if (selector.protectionUnitId !== undefined) normalized.protectionUnitId = selector.protectionUnitId.trim();
  if (selector.tags !== undefined) normalized.tags = selector.tags;
  if (selector.destinationType !== undefined) normalized.destinationType = selector.destinationType;
  return normalized;
}

/** The unit a selector names, for messages: `mailbox ann@contoso.com`. */
export function describeSelectorTarget(selector: RestorePointSelector): string {
  for (const key of SELECTOR_TARGETS) {
    const value = selector[key];
    if (value !== undefined) {
      return `${key} ${value}`;
    }
  }
  return "no unit";
}
