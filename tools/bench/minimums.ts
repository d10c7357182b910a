/**
 * The fewest requests the Graph API allows for each operation, reasoned from the documented API
 * (see docs/benchmarks.md for the reasoning). Pure functions of the sizes involved.
 *
 * - One token per operation: a token lives an hour, so one provider process needs one.
 * - A create POST carries at most 50 artifacts; the rest go in PATCHes of at most 50 (`@delta`).
 * - The create and activate responses are the session, but carry no artifacts: the artifact ids and
 *   statuses the resource reports take one list request per page.
 * - Waiting needs at least one GET of the session (the one that finds it terminal).
 * - A no-change `up` needs nothing: the inputs are compared with the state.
 * - Destroy deletes drafts (one DELETE each); an activated session cannot be deleted.
 */
import { ARTIFACTS_PER_REQUEST } from "../../provider/model";
import type { RequestCounts } from "./requests";

/** Pages of a list of `items` (an empty list is still one page). */
export function pages(items: number, pageSize: number): number {
  return Math.max(1, Math.ceil(items / pageSize));
}

function counts(auth: number, get: number, write: number): RequestCounts {
  return { auth, get, write, total: auth + get + write, throttled: 0 };
}

/** Create a standard session of `artifacts`, optionally activate it, optionally wait for it. */
export function createMinimum(
  artifacts: number,
  pageSize: number,
  options: { activate?: boolean; wait?: boolean } = {},
): RequestCounts {
  const patches = Math.ceil(Math.max(0, artifacts - ARTIFACTS_PER_REQUEST) / ARTIFACTS_PER_REQUEST);
  const writes = 1 + patches + (options.activate ? 1 : 0);
  const reads = pages(artifacts, pageSize) + (options.wait ? 1 : 0);
  return counts(1, reads, writes);
}

/** Create an empty session, add one bulk addition request, activate, wait and list what it resolved to. */
export function bulkMinimum(resolvedArtifacts: number, pageSize: number): RequestCounts {
  return counts(1, 1 + pages(resolvedArtifacts, pageSize), 3);
}

/** Refresh of sessions with these artifact counts: each session once, each artifact page once. */
export function refreshMinimum(artifactCounts: readonly number[], pageSize: number): RequestCounts {
  const reads = artifactCounts.reduce((sum, count) => sum + 1 + pages(count, pageSize), 0);
  return counts(artifactCounts.length > 0 ? 1 : 0, reads, 0);
}

/** Destroy: one DELETE per draft; activated sessions are only forgotten. */
export function destroyMinimum(drafts: number): RequestCounts {
  return counts(drafts > 0 ? 1 : 0, 0, drafts);
}

/** A no-change `up`. */
export const NO_CHANGE_MINIMUM: RequestCounts = counts(0, 0, 0);
