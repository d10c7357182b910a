/**
 * `check` for `importSessionId` (pure): its format, and the one change it cannot survive. The
 * take-over itself, which needs Graph, is in `create/importSession.ts`.
 */
import { describe, type Failures } from "../../checkFailure";
import { isSessionId } from "../../formats";
import { jsonEqual } from "../session/spec";
import type { SessionSpec } from "../../model";

/** Validates `importSessionId`; resolves to the id (trimmed) or `undefined` when unset or invalid. */
export function checkImportSessionId(failures: Failures, value: unknown): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const id = typeof value === "string" ? value.trim() : "";
  if (!isSessionId(id)) {
    failures.add(
      "importSessionId",
      `importSessionId must be the id of an existing restore session (a GUID such as ` +
        `"3d5c8f0e-6a2b-4f1e-9c7d-2b8e4a1f0c9d", as getRestoreSessions or the Microsoft 365 admin center ` +
        `shows it), got ${describe(value)}.`,
    );
    return undefined;
  }
  return id;
}

/**
 * A change to `triggers` or `conflictBehavior` replaces the session in state with a new one; with
 * `importSessionId` still set, that new one would be the same session taken over again (and the old
 * copy's delete would then delete it). Refused, naming the fix.
 */
export function checkNoReplacementTakeOver(
  failures: Failures,
  olds: Record<string, unknown>,
  spec: SessionSpec,
): void {
  const existing = typeof olds.activate === "boolean";
  if (!existing || spec.importSessionId === undefined) {
    return;
  }
  const changed = [
    jsonEqual(olds.triggers ?? null, spec.triggers) ? undefined : "triggers",
    (olds.conflictBehavior ?? null) === spec.conflictBehavior ? undefined : "conflictBehavior",
  ].filter((property): property is string => property !== undefined);
  if (changed.length > 0) {
    failures.add(
      "importSessionId",
      `${changed.join(" and ")} changed, which starts a new restore session, but importSessionId still names ` +
        `session ${spec.importSessionId}, so the new one would be that session again. Remove importSessionId ` +
        `(it is only used when the resource is created), then run up again.`,
    );
  }
}
