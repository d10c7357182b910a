/**
 * Reads the drill program's stack outputs (see `examples/restore-drill/index.js`) into typed values,
 * tolerating anything missing: a failed `up` may have produced none.
 */
import { RESTORE_SESSION_KINDS, type RestoreSessionKind } from "../../provider/model";

/** One session the program declared. */
export interface ProgramSession {
  readonly id: string;
  readonly kind: RestoreSessionKind;
  /** The Pulumi resource name. */
  readonly name: string;
  /** What it restores, as the program named it (mailboxes, site URLs, OneDrive owners). */
  readonly targets: readonly string[];
}

export interface ProgramOutputs {
  readonly sessions: readonly ProgramSession[];
  readonly restorePointTime?: string;
  readonly targetRtoMinutes?: number;
  /** Every target of one kind across the sessions. */
  targetsOf(kind: RestoreSessionKind): string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readSession(value: unknown): ProgramSession[] {
  if (!isRecord(value) || typeof value.id !== "string" || value.id === "") {
    return [];
  }
  const kind = RESTORE_SESSION_KINDS.find((candidate) => candidate === value.kind);
  if (kind === undefined) {
    return [];
  }
  const targets = Array.isArray(value.targets)
    ? value.targets.filter((item): item is string => typeof item === "string")
    : [];
  return [{ id: value.id, kind, name: typeof value.name === "string" ? value.name : "", targets }];
}

/** Parses the outputs; unknown or malformed entries are left out. */
export function readProgramOutputs(outputs: Record<string, unknown>): ProgramOutputs {
  const sessions = Array.isArray(outputs.sessions) ? outputs.sessions.flatMap(readSession) : [];
  const rto = Number(outputs.targetRtoMinutes);
  return {
    sessions,
    ...(typeof outputs.restorePointTime === "string" ? { restorePointTime: outputs.restorePointTime } : {}),
    ...(Number.isFinite(rto) && rto > 0 ? { targetRtoMinutes: rto } : {}),
    targetsOf: (kind) =>
      sessions.filter((session) => session.kind === kind).flatMap((session) => [...session.targets]),
  };
}
