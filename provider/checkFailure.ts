/**
 * A `check` failure as it travels from the rule that finds it to the engine: the property path and the
 * reason, apart. The dynamic provider's `check` returns these as they are (`failures: { property,
 * reason }[]`); the engine shows the path beside the reason. Every reason says how to fix it.
 */

/** One `check` failure: the property path (`mailboxRestoreArtifacts[0].restorePointTime`) and what to do. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** Collects failures; every rule adds to one of these. */
export class Failures {
  readonly list: CheckFailure[] = [];

  add(property: string, reason: string): void {
    this.list.push({ property, reason });
  }

  /** Adds failures found elsewhere (a rule that returns its list). */
  addAll(failures: readonly CheckFailure[]): void {
    this.list.push(...failures);
  }

  get empty(): boolean {
    return this.list.length === 0;
  }
}

/** One line for a failure where only text fits (an exception message): `path: reason`. */
export function failureLine(failure: CheckFailure): string {
  return `${failure.property}: ${failure.reason}`;
}

/** For reasons: a value as the user wrote it, briefly. */
export function describe(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  }
  if (value === null) {
    return "null";
  }
  return Array.isArray(value) ? "a list" : typeof value;
}
