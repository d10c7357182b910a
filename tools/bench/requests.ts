/**
 * Counting the emulator's request log: requests split into authentication (token and discovery), Graph
 * GETs and Graph writes, and Graph requests attributed to the session they touched.
 */
import type { RequestLogEntry } from "../emulator";

/** Requests of one operation, split the way the table shows them. */
export interface RequestCounts {
  /** Token and metadata-discovery requests to Entra ID. */
  readonly auth: number;
  /** Graph GETs. */
  readonly get: number;
  /** Graph POST, PATCH and DELETE. */
  readonly write: number;
  readonly total: number;
  /** Of those, Graph requests answered 429. */
  readonly throttled: number;
}


/** Whether Graph answered 429. */
export function isThrottled(entry: RequestLogEntry): boolean {
  return entry.kind === "graph" && entry.status === 429;
}

/** Counts entries by kind. */
export function countRequests(entries: readonly RequestLogEntry[]): RequestCounts {
  let auth = 0;
  let get = 0;
  let write = 0;
  for (const entry of entries) {
    if (entry.kind !== "graph") auth += 1;
    else if (entry.method === "GET") get += 1;
    else write += 1;
  }
  return { auth, get, write, total: auth + get + write, throttled: entries.filter(isThrottled).length };
}

const SESSION_IN_PATH = /RestoreSessions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

/** The session a Graph request is about, from its path; undefined for creates and lists. */
export function sessionOf(entry: RequestLogEntry): string | undefined {
  return SESSION_IN_PATH.exec(entry.path)?.[1]?.toLowerCase();
}

/** Whether the request reads the session itself (not its artifacts, bulk requests or an action). */
export function isSessionGet(entry: RequestLogEntry): boolean {
  return entry.kind === "graph" && entry.method === "GET" && /RestoreSessions\/[^/]+$/i.test(entry.path);
}

/** Whether the request is an activation. */
export function isActivate(entry: RequestLogEntry): boolean {
  return entry.kind === "graph" && entry.method === "POST" && /\/activate$/i.test(entry.path);
}

/** Graph requests grouped by the session in their path. */
export function groupBySession(entries: readonly RequestLogEntry[]): Map<string, RequestLogEntry[]> {
  const groups = new Map<string, RequestLogEntry[]>();
  for (const entry of entries) {
    const id = sessionOf(entry);
    if (id !== undefined) {
      groups.set(id, [...(groups.get(id) ?? []), entry]);
    }
  }
  return groups;
}

/** Milliseconds since the epoch of an entry's arrival. */
export function arrivalInMs(entry: RequestLogEntry): number {
  return Date.parse(entry.time);
}
