/** The report's request counts, from the emulator's request log. Pure. */
import type { RequestCounts } from "./report";

/** The fields of a request log entry the counts need. */
export interface LoggedRequest {
  readonly kind: string;
  readonly method: string;
  readonly path: string;
  readonly appId?: string;
}

/** POST, PATCH and DELETE change something, except the POST actions that only read (search, browse). */
export function isWrite(entry: Pick<LoggedRequest, "method" | "path">): boolean {
  if (entry.method === "POST") {
    return !/\/restorePoints\/search$|\/browse$/.test(entry.path);
  }
  return entry.method === "PATCH" || entry.method === "DELETE";
}

/** Counts the Graph requests of one application (all applications when `appId` is undefined). */
export function countRequests(entries: readonly LoggedRequest[], appId: string | undefined): RequestCounts {
  const graph = entries.filter(
    (entry) => entry.kind === "graph" && (appId === undefined || entry.appId === appId),
  );
  const byMethod: Record<string, number> = {};
  for (const entry of graph) {
    byMethod[entry.method] = (byMethod[entry.method] ?? 0) + 1;
  }
  return { total: graph.length, writes: graph.filter(isWrite).length, byMethod };
}
