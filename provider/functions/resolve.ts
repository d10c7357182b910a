/**
 * Turns selectors ("mailbox ann@contoso.com as it was at 09:00") into protection units and restore
 * points. The resources call {@link resolveSelectors} from `create` before anything is written to Graph,
 * so a selector that matches nothing fails with nothing created.
 */
import { failureLine } from "../checkFailure";
import type { GraphClient } from "../graph";
import { KIND_SCHEMAS, type RestorePoint, type RestoreSessionKind } from "../model";
import { NoMatchingRestorePointError, UnknownProtectionUnitError, type RestorePointMiss } from "./errors";
import { type RestorePointQuery, type SearchOptions, findRestorePoints } from "./search";
import {
  type RestorePointSelector,
  describeSelectorTarget,
  normalizeSelector,
  validateSelector,
} from "./selectors";
import { rangeForInstant, toTimePeriod } from "./timeWindow";
import { type UnitIndex, kindOfUnit, loadUnitIndexes, missingNamesHint } from "./units";

/** The restore point fields worth keeping: what a runbook shows and what state records. */
export interface ChosenRestorePoint {
  id: string;
  protectionDateTime: string;
  expirationDateTime: string | null;
  tags: string | null;
}

/** A selector with the unit and restore point it stands for. */
export interface ResolvedSelector {
  /** The selector in canonical form ({@link normalizeSelector}). */
  selector: RestorePointSelector;
  protectionUnitId: string;
  restorePoint: ChosenRestorePoint;
}

/** Keeps only the named fields of a restore point (never the whole response). */
export function chosenRestorePoint(point: RestorePoint): ChosenRestorePoint {
  return {
    id: point.id,
    protectionDateTime: point.protectionDateTime,
    expirationDateTime: point.expirationDateTime ?? null,
    tags: point.tags ?? null,
  };
}

/**
 * Resolves selectors of one session kind, in order.
 *
 * Lists the kind's protection units once (all pages) if any selector names a unit by mailbox, URL or
 * owner; selectors with `protectionUnitId` need no listing. Searches restore points in chunks of 20
 * units, at most 4 calls at once.
 *
 * @throws TypeError when a selector is invalid (the resources' `check` normally catches that first).
 * @throws {@link UnknownProtectionUnitError} naming every mailbox, URL, owner or id that is not a
 *   protection unit of this kind.
 * @throws {@link NoMatchingRestorePointError} naming every unit and time with no matching restore point.
 * @example
 * const [resolved] = await resolveSelectors(client, "exchange", [
 *   { mailbox: "ann@contoso.com", restorePointTime: "2026-11-20T09:00:00Z" },
 * ]);
 * resolved.restorePoint.id; // the latest restore point of Ann's mailbox at or before 09:00 UTC
 */
export async function resolveSelectors(
  client: GraphClient,
  kind: RestoreSessionKind,
  selectors: readonly RestorePointSelector[],
  options: SearchOptions = {},
): Promise<ResolvedSelector[]> {
  const problems = selectors.flatMap((selector, index) =>
    validateSelector(`selectors[${index}]`, selector, kind),
  );
  if (problems.length > 0) {
    throw new TypeError(`Invalid restore point selectors:\n  ${problems.map(failureLine).join("\n  ")}`);
  }
  const normalized = selectors.map(normalizeSelector);
  const unitIds = await unitIdsFor(client, kind, normalized, options.abortSignal);
  const queries = normalized.map((selector, index): RestorePointQuery => {
    const preference = selector.restorePointPreference ?? "latest";
    return {
      protectionUnitId: unitIds[index],
      range: rangeForInstant(Date.parse(selector.restorePointTime), preference),
      preference,
      fastRestoreOnly: selector.tags === "fastRestore",
      verified: selector.protectionUnitId === undefined,
    };
  });
  const points = await findRestorePoints(client, queries, options);
  checkKinds(kind, normalized, points);
  const misses = normalized.flatMap((selector, index) =>
    points[index] === undefined ? [missOf(selector, queries[index])] : [],
  );
  if (misses.length > 0) {
    throw new NoMatchingRestorePointError(misses);
  }
  return normalized.map((selector, index) => ({
    selector,
    protectionUnitId: queries[index].protectionUnitId,
    restorePoint: chosenRestorePoint(points[index] as RestorePoint),
  }));
}

async function unitIdsFor(
  client: GraphClient,
  kind: RestoreSessionKind,
  selectors: readonly RestorePointSelector[],
  abortSignal: AbortSignal | undefined,
): Promise<string[]> {
  const nameKey = KIND_SCHEMAS[kind].selectorField;
  const needsListing = selectors.some((selector) => selector[nameKey] !== undefined);
  const index: UnitIndex | undefined = needsListing
    ? (await loadUnitIndexes(client, [kind], abortSignal)).get(kind)
    : undefined;
  const unknown: string[] = [];
  const ids = selectors.map((selector) => {
    if (selector.protectionUnitId !== undefined) {
      return selector.protectionUnitId;
    }
    const unit = index?.find(selector[nameKey] as string);
    if (unit === undefined) {
      unknown.push(describeSelectorTarget(selector));
      return "";
    }
    return unit.id;
  });
  if (unknown.length > 0) {
    throw new UnknownProtectionUnitError(kind, unknown, index === undefined ? "" : missingNamesHint(index));
  }
  return ids;
}

/** A `protectionUnitId` of another workload would fail at create time with a vaguer error: say so now. */
function checkKinds(
  kind: RestoreSessionKind,
  selectors: readonly RestorePointSelector[],
  points: readonly (RestorePoint | undefined)[],
): void {
  const wrong: string[] = [];
  selectors.forEach((selector, index) => {
    const actual = kindOfUnit(points[index]?.protectionUnit);
    if (selector.protectionUnitId !== undefined && actual !== undefined && actual !== kind) {
      wrong.push(`protectionUnitId ${selector.protectionUnitId} (a ${actual} unit)`);
    }
  });
  if (wrong.length > 0) {
    throw new UnknownProtectionUnitError(kind, wrong);
  }
}

function missOf(selector: RestorePointSelector, query: RestorePointQuery): RestorePointMiss {
  const period = toTimePeriod(query.range);
  return {
    target: describeSelectorTarget(selector),
    protectionUnitId: query.protectionUnitId,
    startDateTime: period.startDateTime as string,
    endDateTime: period.endDateTime as string,
    restorePointTime: selector.restorePointTime,
    preference: query.preference,
    fastRestoreOnly: query.fastRestoreOnly,
  };
}
