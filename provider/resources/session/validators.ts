/**
 * The normalized forms of the values a restore session names, for `check`. Pure. The format rules
 * themselves are `provider/formats.ts`, shared with the selectors.
 */
import { isCaseInsensitiveId } from "../../formats";

/**
 * The comparison form of an id: GUIDs (and GUID-prefixed restore point ids, and item keys made of
 * GUIDs) are case-insensitive, so they are lower-cased; anything else (base64 ids) is case-sensitive
 * and kept as written.
 */
export function normalizeId(value: string): string {
  const trimmed = value.trim();
  return isCaseInsensitiveId(trimmed) ? trimmed.toLowerCase() : trimmed;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
