/**
 * The one gate every id passes before it becomes part of a Graph URL path (finding 5 of issue 13): an
 * id from a program, the state, the create journal or a Graph response is checked against a
 * conservative pattern and only then percent-encoded. `..` would otherwise turn
 * `/restoreSessions/{id}/activate` into `/activate` one level up.
 */
import { hasBrand } from "../brand";

/**
 * Graph's ids: GUIDs, GUID-prefixed restore point ids, base64 and base64url opaque ids (which may
 * start with `-`, `_` or `+`). Letters, digits and `. _ : = + , -` only (no `/`, `%`, `?`, `#`,
 * whitespace), at most 1024 characters, and never `.` or `..`, the two segments a URL resolves away.
 */
const PATH_ID = /^(?!\.{1,2}$)[A-Za-z0-9._:=+,-]{1,1024}$/;

/** Where an id came from, named in the error: `"the stack's state"`, `"the create journal"`, ... */
export type IdSource = string;

/** What the id names, for the error: `"restore session id"`, `"bulk addition request id"`. */
export type IdRole = string;

/** An id that may not go into a URL; nothing was sent. */
export class InvalidPathIdError extends Error {
  readonly __invalidPathIdErrorBrand = true;

  constructor(
    readonly role: IdRole,
    readonly source: IdSource,
    value: unknown,
  ) {
    super(
      `Refusing to use ${describeValue(value)} as a ${role} (from ${source}): an id holds only letters, digits ` +
        `and . _ : = + , - (no /, %, ?, #, spaces) and is never "." or "..". Nothing was sent to Graph. Check ` +
        `where that id came from.`,
    );
    this.name = "InvalidPathIdError";
  }

  static isInstance(value: unknown): value is InvalidPathIdError {
    return hasBrand<InvalidPathIdError>(value, "__invalidPathIdErrorBrand");
  }
}

function describeValue(value: unknown): string {
  if (typeof value !== "string") return `a ${value === null ? "null" : typeof value} value`;
  // Shown escaped and short: the value may be long or hold control characters.
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
}

/** Whether `value` may be used as an id in a URL path. */
export function isPathId(value: unknown): value is string {
  return typeof value === "string" && PATH_ID.test(value);
}

/** Throws {@link InvalidPathIdError} unless `value` is a valid id. */
export function assertPathId(value: unknown, role: IdRole, source: IdSource): asserts value is string {
  if (!isPathId(value)) throw new InvalidPathIdError(role, source, value);
}

/** The checked, percent-encoded path segment for `value`. */
export function pathSegment(value: unknown, role: IdRole, source: IdSource = "an unnamed source"): string {
  assertPathId(value, role, source);
  return encodeURIComponent(value);
}
