/**
 * The two ways resolving "what to restore" can fail before anything is created. Each class carries a
 * brand and a static `isInstance()` (like Pulumi's own errors) so callers in another copy of the package,
 * or across a serialized closure, can still recognise it without `instanceof`.
 */
import type { RestoreSessionKind, WritablePreference } from "../model";
import { hasBrand } from "../brand";

/** One unit-and-time that matched no restore point. */
export interface RestorePointMiss {
  /** What the caller named: `mailbox ann@contoso.com`, `protectionUnitId 1234...`. */
  target: string;
  protectionUnitId: string;
  /** The search window, ISO 8601. */
  startDateTime: string;
  endDateTime: string;
  /** The instant the caller asked about (selectors), when there was one. */
  restorePointTime?: string;
  preference: WritablePreference;
  fastRestoreOnly: boolean;
}

const NO_MATCH_BRAND = Symbol.for("pulumi-m365-backup:NoMatchingRestorePointError");

/** No restore point satisfies a selector: nothing has been created. */
export class NoMatchingRestorePointError extends Error {
  readonly [NO_MATCH_BRAND] = true;
  readonly misses: readonly RestorePointMiss[];

  constructor(misses: readonly RestorePointMiss[]) {
    super(noMatchMessage(misses));
    this.name = "NoMatchingRestorePointError";
    this.misses = misses;
  }

  /** True for any `NoMatchingRestorePointError`, even one from another copy of this package. */
  static isInstance(value: unknown): value is NoMatchingRestorePointError {
    return hasBrand<NoMatchingRestorePointError>(value, NO_MATCH_BRAND);
  }
}

function noMatchMessage(misses: readonly RestorePointMiss[]): string {
  const lines = misses.map((miss) => {
    const side = miss.preference === "latest" ? "at or before" : "at or after";
    const instant =
      miss.restorePointTime ?? (miss.preference === "latest" ? miss.endDateTime : miss.startDateTime);
    const tags = miss.fastRestoreOnly ? " fast restore" : "";
    return (
      `  ${miss.target} (protection unit ${miss.protectionUnitId}): no${tags} restore point ${side} ${instant}` +
      ` (searched ${miss.startDateTime} to ${miss.endDateTime})`
    );
  });
  return (
    `No restore point matches ${misses.length === 1 ? "this selector" : `${misses.length} selectors`}; nothing was created.\n` +
    `${lines.join("\n")}\n` +
    `Pick a time inside the units' retention, change restorePointPreference, or drop tags: "fastRestore".`
  );
}

const UNKNOWN_UNIT_BRAND = Symbol.for("pulumi-m365-backup:UnknownProtectionUnitError");

/** A mailbox, site URL, OneDrive owner or protection unit id that is not a protection unit of its kind. */
export class UnknownProtectionUnitError extends Error {
  readonly [UNKNOWN_UNIT_BRAND] = true;
  /** The kind searched, or `undefined` when the names spanned several kinds. */
  readonly kind: RestoreSessionKind | undefined;
  /** What could not be found, as named by the caller: `mailbox ann@contoso.com`. */
  readonly unknown: readonly string[];

  constructor(kind: RestoreSessionKind | undefined, unknown: readonly string[], hint = "") {
    const what = kind === undefined ? "protection unit" : `${kind} protection unit`;
    super(
      `No ${what} in this tenant matches: ${unknown.join(", ")}${hint}. ` +
        `Check the spelling, or list what is protected with getProtectionUnits().`,
    );
    this.name = "UnknownProtectionUnitError";
    this.kind = kind;
    this.unknown = unknown;
  }

  /** True for any `UnknownProtectionUnitError`, even one from another copy of this package. */
  static isInstance(value: unknown): value is UnknownProtectionUnitError {
    return hasBrand<UnknownProtectionUnitError>(value, UNKNOWN_UNIT_BRAND);
  }
}
