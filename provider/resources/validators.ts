/**
 * Format rules for the values a restore session names, and their normalized forms. Pure.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A GUID, optionally followed by `_...` (restore point ids such as `c7e7..bf_1701648000_14_1`). */
const GUID_PREFIXED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(_[A-Za-z0-9_]+)?$/i;
/** Opaque Graph ids: restore points (GUID-based or base64), browse sessions, search responses. */
const OPAQUE_ID = /^[A-Za-z0-9][A-Za-z0-9_=+/.:-]{0,1023}$/;
/** A browse `itemKey`: comma-joined GUIDs (`siteId,webId,listId,itemId`). */
const ITEM_KEY = /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}(,[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})*$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** An opaque id as Graph issues them: no whitespace, no characters outside a safe set. */
export function isOpaqueId(value: string): boolean {
  return OPAQUE_ID.test(value);
}

export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

export function isIsoInstant(value: string): boolean {
  return ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
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

/**
 * The comparison form of an id: GUIDs (and GUID-prefixed restore point ids, and item keys made of
 * GUIDs) are case-insensitive, so they are lower-cased; anything else (base64 ids) is case-sensitive
 * and kept as written.
 */
export function normalizeId(value: string): string {
  const trimmed = value.trim();
  return GUID_PREFIXED.test(trimmed) || ITEM_KEY.test(trimmed) ? trimmed.toLowerCase() : trimmed;
}

export function normalizeInstant(value: string): string {
  return new Date(value.trim()).toISOString();
}

/** Site URLs are case-insensitive and a trailing slash names the same site. */
export function normalizeUrl(value: string): string {
  const url = new URL(value.trim());
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`.toLowerCase();
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** For messages: a value as the user wrote it, briefly. */
export function describe(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  }
  if (value === null) {
    return "null";
  }
  return Array.isArray(value) ? "a list" : typeof value;
}
