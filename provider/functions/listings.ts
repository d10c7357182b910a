/**
 * `getRestoreSessions` and `getProtectionUnits`: every page, filtered on our side (Graph documents no
 * `$filter` on these lists, and SDK-generated query options must not be relied on).
 */
import type { GraphClient } from "../graph";
import { listProtectionUnits, listRestoreSessions, toArray } from "../graph/backupRestore";
import {
  KIND_SCHEMAS,
  RESTORE_SESSION_KINDS,
  SESSION_STATUSES,
  type ProtectionUnit,
  type RestoreSession,
  type RestoreSessionKind,
  type RestoreSessionStatus,
} from "../model";
import { mapWithConcurrency } from "./concurrency";

export interface GetRestoreSessionsArgs {
  /** Only sessions of this kind. */
  kind?: RestoreSessionKind;
  /** Only sessions in this status, or in any of these. */
  status?: RestoreSessionStatus | RestoreSessionStatus[];
}

/** A session with its kind spelled out (Graph only gives `@odata.type`, in varying case). */
export type RestoreSessionWithKind = RestoreSession & { kind: RestoreSessionKind | null };

export interface GetProtectionUnitsArgs {
  /** Only units of this kind; default all three. */
  kind?: RestoreSessionKind;
}

export type ProtectionUnitWithKind = ProtectionUnit & { kind: RestoreSessionKind };

/** The kind of a session from its `@odata.type` (`#microsoft.graph.sharepointRestoreSession` counts). */
export function kindOfSession(session: Pick<RestoreSession, "@odata.type">): RestoreSessionKind | null {
  const type = (session["@odata.type"] ?? "").toLowerCase();
  return RESTORE_SESSION_KINDS.find((kind) => KIND_SCHEMAS[kind].odataType.toLowerCase() === type) ?? null;
}

/** All sessions (every page) matching the kind and status filters. */
export async function getRestoreSessionsWith(
  client: GraphClient,
  args: GetRestoreSessionsArgs = {},
  abortSignal?: AbortSignal,
): Promise<RestoreSessionWithKind[]> {
  const statuses = args.status === undefined ? undefined : [args.status].flat();
  checkArgs(args.kind, statuses);
  const sessions = await toArray(listRestoreSessions(client, { abortSignal }));
  return sessions
    .map((session) => ({ ...session, kind: kindOfSession(session) }))
    .filter((session) => args.kind === undefined || session.kind === args.kind)
    .filter((session) => statuses === undefined || statuses.includes(session.status));
}

/** All protection units (every page) of one kind, or of all three, each tagged with its kind. */
export async function getProtectionUnitsWith(
  client: GraphClient,
  args: GetProtectionUnitsArgs = {},
  abortSignal?: AbortSignal,
): Promise<ProtectionUnitWithKind[]> {
  checkArgs(args.kind, undefined);
  const kinds = args.kind === undefined ? [...RESTORE_SESSION_KINDS] : [args.kind];
  const lists = await mapWithConcurrency(kinds, kinds.length, async (kind) =>
    (await toArray(listProtectionUnits(client, kind, { abortSignal }))).map((unit) => ({ ...unit, kind })),
  );
  return lists.flat();
}

function checkArgs(kind: unknown, statuses: unknown[] | undefined): void {
  if (kind !== undefined && !(RESTORE_SESSION_KINDS as readonly unknown[]).includes(kind)) {
    throw new TypeError(
      `kind must be one of ${RESTORE_SESSION_KINDS.join(", ")}; got ${JSON.stringify(kind)}.`,
    );
  }
  const unknown = (statuses ?? []).filter(
    (status) => !(SESSION_STATUSES as readonly unknown[]).includes(status),
  );
  if (unknown.length > 0) {
    throw new TypeError(
      `status must be among ${SESSION_STATUSES.join(", ")}; got ${unknown.map((status) => JSON.stringify(status)).join(", ")}.`,
    );
  }
}
