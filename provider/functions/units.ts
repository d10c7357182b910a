/**
 * Finding protection units by the names people use: a mailbox's email, a site's URL, a OneDrive owner's
 * email or Entra user id.
 *
 * Graph documents no usable `$filter` fields on the protection unit lists, so we read each needed list in
 * full (all pages) once per call and match on our side. Only the kinds a call needs are listed.
 */
import type { GraphClient } from "../graph";
import { listProtectionUnits, toArray } from "../graph/backupRestore";
import type { ProtectionUnit, RestoreSessionKind } from "../model";
import { mapWithConcurrency } from "./concurrency";
import { normalizeEmail, normalizeOneDriveOwner, normalizeSiteWebUrl } from "./selectors";

/** The unit-naming inputs, each with the kind it belongs to. */
export type UnitNameKind = "mailbox" | "siteWebUrl" | "oneDriveOwner";

export const KIND_OF_NAME: Readonly<Record<UnitNameKind, RestoreSessionKind>> = {
  mailbox: "exchange",
  siteWebUrl: "sharePoint",
  oneDriveOwner: "oneDriveForBusiness",
};

/** The units of one kind, indexed by the normalized names they can be found by. */
export class UnitIndex {
  private readonly byKey = new Map<string, ProtectionUnit>();
  /** Units Graph returned without the field we match on (app-only calls may omit `email`). */
  readonly unitsWithoutName: number;

  constructor(
    readonly kind: RestoreSessionKind,
    units: readonly ProtectionUnit[],
  ) {
    let unnamed = 0;
    for (const unit of units) {
      const keys = keysOf(kind, unit);
      if (keys.length === 0) {
        unnamed++;
      }
      for (const key of keys) {
        if (!this.byKey.has(key)) {
          this.byKey.set(key, unit);
        }
      }
    }
    this.unitsWithoutName = unnamed;
  }

  /** The unit a name refers to, or `undefined`. The name is normalized the same way as the index. */
  find(name: string): ProtectionUnit | undefined {
    return this.byKey.get(normalizeName(this.kind, name));
  }
}

function keysOf(kind: RestoreSessionKind, unit: ProtectionUnit): string[] {
  switch (kind) {
    case "exchange":
      return unit.email ? [normalizeEmail(unit.email)] : [];
    case "sharePoint":
      return unit.siteWebUrl ? [normalizeSiteWebUrl(unit.siteWebUrl)] : [];
    case "oneDriveForBusiness":
      return [unit.email, unit.directoryObjectId]
        .filter((value): value is string => typeof value === "string" && value !== "")
        .map(normalizeOneDriveOwner);
  }
}

function normalizeName(kind: RestoreSessionKind, name: string): string {
  switch (kind) {
    case "exchange":
      return normalizeEmail(name);
    case "sharePoint":
      return normalizeSiteWebUrl(name);
    case "oneDriveForBusiness":
      return normalizeOneDriveOwner(name);
  }
}

/** Lists every page of each requested kind (concurrently, one listing per kind) and indexes them. */
export async function loadUnitIndexes(
  client: GraphClient,
  kinds: Iterable<RestoreSessionKind>,
  abortSignal?: AbortSignal,
): Promise<Map<RestoreSessionKind, UnitIndex>> {
  const unique = [...new Set(kinds)];
  const indexes = await mapWithConcurrency(
    unique,
    unique.length || 1,
    async (kind) => new UnitIndex(kind, await toArray(listProtectionUnits(client, kind, { abortSignal }))),
  );
  return new Map(indexes.map((index) => [index.kind, index]));
}

/** A hint for "not found" messages when Graph left out the names we match on. */
export function missingNamesHint(index: UnitIndex): string {
  return index.unitsWithoutName === 0
    ? ""
    : ` (${index.unitsWithoutName} ${index.kind} protection units came back without the name we match on;` +
        ` Graph fills email only for delegated calls, so use protectionUnitId or a directory object id there)`;
}

/** The session kind of a protection unit from its `@odata.type`, or `undefined` if absent or unknown. */
export function kindOfUnit(
  unit: Pick<ProtectionUnit, "@odata.type"> | undefined,
): RestoreSessionKind | undefined {
  const type = unit?.["@odata.type"]?.replace(/^#/, "").toLowerCase();
  switch (type) {
    case "microsoft.graph.mailboxprotectionunit":
      return "exchange";
    case "microsoft.graph.siteprotectionunit":
      return "sharePoint";
    case "microsoft.graph.driveprotectionunit":
      return "oneDriveForBusiness";
    default:
      return undefined;
  }
}
