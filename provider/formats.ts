/**
 * How the values a program names are written: ids, email addresses (UPNs), site URLs and instants.
 * The one set of format rules that `check` (`resources/check/`) and the selectors
 * (`functions/selectors.ts`) both test against. Pure.
 *
 * Not here: the stricter gate every id passes before it goes into a URL path, which is
 * `graph/pathId.ts` (it refuses `/`, which base64 restore point ids may hold; those only travel in
 * request bodies).
 */

const GUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const GUID = new RegExp(`^${GUID_PATTERN}$`, "i");
/** A GUID, optionally followed by `_...` (restore point ids such as `c7e7..bf_1701648000_14_1`). */
const GUID_PREFIXED = new RegExp(`^${GUID_PATTERN}(_[A-Za-z0-9_]+)?$`, "i");
/** A browse `itemKey` made of GUIDs, comma-joined (`siteId,webId,listId,itemId`). */
const GUID_ITEM_KEY = new RegExp(`^${GUID_PATTERN}(,${GUID_PATTERN})*$`, "i");
/** Opaque Graph ids: restore points (GUID-based or base64), browse sessions, search responses. */
const OPAQUE_ID = /^[A-Za-z0-9][A-Za-z0-9_=+/.:-]{0,1023}$/;
/**
 * A restore session id as `importSessionId` takes it: starts with a letter or digit (so never `.` or
 * `..`), then letters, digits, `.`, `_`, `:` and `-` only. Graph's session ids are GUIDs.
 */
const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** ISO 8601 with an explicit zone: a time without one means different instants on different machines. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** An opaque id as Graph issues them: no whitespace, no characters outside a safe set. */
export function isOpaqueId(value: string): boolean {
  return OPAQUE_ID.test(value);
}

/** Whether `value` has the form of a restore session id. */
export function isSessionId(value: string): boolean {
  return SESSION_ID.test(value);
}

/**
 * GUIDs, GUID-prefixed restore point ids and item keys made of GUIDs: ids Graph compares without case
 * (base64 ids, by contrast, are case-sensitive).
 */
export function isCaseInsensitiveId(value: string): boolean {
  return GUID_PREFIXED.test(value) || GUID_ITEM_KEY.test(value);
}

/** An email address or UPN, loosely: something@domain.tld without whitespace. */
export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

/** True when `value` is an ISO 8601 instant with an explicit zone that `Date` can parse. */
export function isIsoInstant(value: string): boolean {
  return ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

/** The comparison form of an instant {@link isIsoInstant} accepted: `+01:00` and `Z` spellings are equal. */
export function normalizeInstant(value: string): string {
  return new Date(value.trim()).toISOString();
}

/** An absolute `https://` URL without query or fragment. */
export function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.search === "" && url.hash === "";
  } catch {
    return false;
  }
}
