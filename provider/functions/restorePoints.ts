/**
 * `getRestorePoints`: for each named unit, the restore point a time window and preference mean, plus
 * the units with none. Works on plain, resolved arguments; `sdk/functions.ts` adds settings.
 */
import { isIsoInstant } from "../formats";
import type { GraphClient } from "../graph";
import type { RestoreSessionKind } from "../model";
import { UnknownProtectionUnitError } from "./errors";
import { type ChosenRestorePoint, chosenRestorePoint } from "./resolve";
import { type RestorePointQuery, type SearchOptions, findRestorePoints } from "./search";
import type { SelectorPreference, SelectorTags } from "./selectors";
import { defaultPreferenceForBounds, rangeForBounds, toTimePeriod } from "./timeWindow";
import { KIND_OF_NAME, type UnitNameKind, kindOfUnit, loadUnitIndexes, missingNamesHint } from "./units";

/** Which units and which window. Every list is optional; units named twice are searched once. */
export interface GetRestorePointsArgs {
  protectionUnitIds?: string[];
  /** Mailbox email addresses (Exchange). */
  mailboxes?: string[];
  /** Site URLs (SharePoint); case and a trailing slash do not matter. */
  siteWebUrls?: string[];
  /** OneDrive owners by email or Entra user id. */
  oneDriveOwners?: string[];
  /** ISO 8601 instant: only points at or before it. */
  before?: string;
  /** ISO 8601 instant: only points at or after it. */
  after?: string;
  /** Default `latest`, or `oldest` when only `after` is given. */
  preference?: SelectorPreference;
  /** `fastRestore`: only fast restore points. */
  tags?: SelectorTags;
}

/** A unit as the caller named it. */
export interface NamedUnit {
  /** `mailbox ann@contoso.com`, `protectionUnitId 1234...`. */
  target: string;
  protectionUnitId: string;
  /** From the unit list, or from the search result for bare ids; `null` when Graph did not say. */
  kind: RestoreSessionKind | null;
}

export interface UnitRestorePoint extends NamedUnit {
  restorePoint: ChosenRestorePoint;
}

export interface GetRestorePointsResult {
  /** The window searched (ISO 8601, both bounds inclusive). */
  searchPeriod: { startDateTime: string; endDateTime: string };
  preference: SelectorPreference;
  tags: SelectorTags | null;
  /** One entry per named unit that has a matching point, in the order the units were named. */
  restorePoints: UnitRestorePoint[];
  /** Named units with no matching restore point in the window. */
  noMatch: NamedUnit[];
}

const NAME_LISTS: readonly { arg: "mailboxes" | "siteWebUrls" | "oneDriveOwners"; name: UnitNameKind }[] = [
  { arg: "mailboxes", name: "mailbox" },
  { arg: "siteWebUrls", name: "siteWebUrl" },
  { arg: "oneDriveOwners", name: "oneDriveOwner" },
];

/**
 * Finds the restore points. Mailboxes, URLs and owners are looked up in the protection unit lists of
 * their kinds (one listing per kind needed); protection unit ids are searched as given.
 *
 * @throws TypeError naming a malformed argument.
 * @throws {@link UnknownProtectionUnitError} naming every mailbox, URL or owner that is not protected.
 */
export async function getRestorePointsWith(
  client: GraphClient,
  args: GetRestorePointsArgs,
  options: SearchOptions & { nowInMs?: number } = {},
): Promise<GetRestorePointsResult> {
  const bounds = parseArgs(args);
  const range = rangeForBounds(bounds, options.nowInMs ?? Date.now());
  const preference = args.preference ?? defaultPreferenceForBounds(bounds);
  const units = await namedUnits(client, args, options.abortSignal);
  const queries = units.map((unit): RestorePointQuery => ({
    protectionUnitId: unit.protectionUnitId,
    range,
    preference,
    fastRestoreOnly: args.tags === "fastRestore",
    verified: unit.kind !== null,
  }));
  const points = await findRestorePoints(client, queries, options);
  const result: GetRestorePointsResult = {
    searchPeriod: toTimePeriod(range) as GetRestorePointsResult["searchPeriod"],
    preference,
    tags: args.tags ?? null,
    restorePoints: [],
    noMatch: [],
  };
  units.forEach((unit, index) => {
    const point = points[index];
    if (point === undefined) {
      result.noMatch.push(unit);
    } else {
      const kind = unit.kind ?? kindOfUnit(point.protectionUnit) ?? null;
      result.restorePoints.push({ ...unit, kind, restorePoint: chosenRestorePoint(point) });
    }
  });
  return result;
}

function parseArgs(args: GetRestorePointsArgs): { beforeInMs?: number; afterInMs?: number } {
  const problems: string[] = [];
  for (const list of ["protectionUnitIds", "mailboxes", "siteWebUrls", "oneDriveOwners"] as const) {
    const value: unknown = args[list];
    if (
      value !== undefined &&
      (!Array.isArray(value) || value.some((item) => typeof item !== "string" || item.trim() === ""))
    ) {
      problems.push(`${list} must be a list of non-empty strings.`);
    }
  }
  for (const bound of ["before", "after"] as const) {
    const value: unknown = args[bound];
    if (value !== undefined && (typeof value !== "string" || !isIsoInstant(value.trim()))) {
      problems.push(`${bound} must be an ISO 8601 instant with a zone, such as "2026-11-20T09:00:00Z".`);
    }
  }
  if (args.preference !== undefined && !["latest", "oldest"].includes(args.preference)) {
    problems.push(`preference must be "latest" or "oldest".`);
  }
  if (args.tags !== undefined && args.tags !== "fastRestore") {
    problems.push(`tags must be "fastRestore" or unset.`);
  }
  if (problems.length > 0) {
    throw new TypeError(`getRestorePoints: ${problems.join(" ")}`);
  }
  return {
    beforeInMs: args.before === undefined ? undefined : Date.parse(args.before.trim()),
    afterInMs: args.after === undefined ? undefined : Date.parse(args.after.trim()),
  };
}

async function namedUnits(
  client: GraphClient,
  args: GetRestorePointsArgs,
  abortSignal: AbortSignal | undefined,
): Promise<NamedUnit[]> {
  const wanted = NAME_LISTS.filter(({ arg }) => (args[arg] ?? []).length > 0);
  const indexes = await loadUnitIndexes(
    client,
    wanted.map(({ name }) => KIND_OF_NAME[name]),
    abortSignal,
  );
  const units: NamedUnit[] = (args.protectionUnitIds ?? []).map((id) => ({
    target: `protectionUnitId ${id.trim()}`,
    protectionUnitId: id.trim(),
    kind: null,
  }));
  const unknown: string[] = [];
  const hints = new Set<string>();
  for (const { arg, name } of wanted) {
    const kind = KIND_OF_NAME[name];
    const index = indexes.get(kind);
    for (const value of args[arg] ?? []) {
      const unit = index?.find(value);
      if (unit === undefined) {
        unknown.push(`${name} ${value}`);
        if (index !== undefined && missingNamesHint(index) !== "") hints.add(missingNamesHint(index));
      } else {
        units.push({ target: `${name} ${value}`, protectionUnitId: unit.id, kind });
      }
    }
  }
  if (unknown.length > 0) {
    throw new UnknownProtectionUnitError(undefined, unknown, [...hints].join(""));
  }
  return units;
}
