/**
 * `searchMailboxItems`: `restorePoints/search` with an `artifactQuery` on one mailbox. Graph answers a
 * `searchResponseId` that a granular mailbox artifact names, the restore points searched and, per point,
 * how many items match (`artifactHitCount`).
 *
 * The restore point is chosen exactly as a selector chooses it (latest at or before the time, or
 * oldest at or after it), then the artifact query runs over the same window and preference; the point
 * it answers for must be that one, or the search is refused rather than guessed.
 */
import type { GraphClient } from "../graph";
import { searchRestorePoints } from "../graph/backupRestore";
import type { ArtifactQuery, MailboxQuery } from "../model";
import { resolveSelectors, type ChosenRestorePoint } from "./resolve";
import type { SelectorPreference } from "./selectors";
import { rangeForInstant, toTimePeriod } from "./timeWindow";

/** Arguments of {@link searchMailboxItemsWith}. */
export interface SearchMailboxItemsArgs {
  /** The mailbox's address, or `protectionUnitId`. */
  mailbox?: string;
  protectionUnitId?: string;
  /** ISO instant with a zone. */
  restorePointTime: string;
  /** Default `latest`. */
  restorePointPreference?: SelectorPreference;
  query: MailboxQuery;
}

/** What {@link searchMailboxItemsWith} found. */
export interface SearchMailboxItemsResult {
  protectionUnitId: string;
  /** Names the search in a granular mailbox artifact. */
  searchResponseId: string;
  restorePoint: ChosenRestorePoint;
  /** How many items the query matches in that restore point (null when Graph does not say). */
  artifactHitCount: number | null;
}

/** The wire `artifactQuery` for a query. */
export function toArtifactQuery(query: MailboxQuery): ArtifactQuery {
  return {
    artifactType: "message",
    ...(query.queryExpression === undefined ? {} : { queryExpression: query.queryExpression }),
    ...(query.structuredQueryExpression === undefined
      ? {}
      : { structuredQueryExpression: query.structuredQueryExpression }),
  };
}

/**
 * Searches one mailbox's restore point for the items a query matches.
 *
 * @example
 * const found = await searchMailboxItemsWith(client, {
 *   mailbox: "ann@contoso.com",
 *   restorePointTime: "2026-11-20T09:00:00Z",
 *   query: { queryExpression: "(Sender -eq 'mallory@contoso.com')" },
 * });
 */
export async function searchMailboxItemsWith(
  client: GraphClient,
  args: SearchMailboxItemsArgs,
  options: { abortSignal?: AbortSignal } = {},
): Promise<SearchMailboxItemsResult> {
  if ((args.query?.queryExpression === undefined) === (args.query?.structuredQueryExpression === undefined)) {
    throw new TypeError("query takes exactly one of queryExpression and structuredQueryExpression.");
  }
  const preference = args.restorePointPreference ?? "latest";
  const [resolved] = await resolveSelectors(
    client,
    "exchange",
    [
      {
        ...(args.mailbox === undefined ? {} : { mailbox: args.mailbox }),
        ...(args.protectionUnitId === undefined ? {} : { protectionUnitId: args.protectionUnitId }),
        restorePointTime: args.restorePointTime,
        restorePointPreference: preference,
      },
    ],
    options,
  );
  const response = await searchRestorePoints(
    client,
    {
      protectionUnitIds: [resolved.protectionUnitId],
      protectionTimePeriod: toTimePeriod(
        rangeForInstant(Date.parse(resolved.selector.restorePointTime), preference),
      ),
      restorePointPreference: preference,
      artifactQuery: toArtifactQuery(args.query),
    },
    options,
  );
  const hit = response.searchResults.find(
    (result) => result.restorePoint.id.toLowerCase() === resolved.restorePoint.id.toLowerCase(),
  );
  if (hit === undefined || response.searchResponseId === undefined) {
    throw new Error(
      `The artifact query search of ${args.mailbox ?? args.protectionUnitId ?? "the mailbox"} did not answer for ` +
        `restore point ${resolved.restorePoint.id} (${resolved.restorePoint.protectionDateTime}), the one ` +
        `${preference === "latest" ? "at or before" : "at or after"} ${args.restorePointTime}; not guessing another. Try again.`,
    );
  }
  return {
    protectionUnitId: resolved.protectionUnitId,
    searchResponseId: response.searchResponseId,
    restorePoint: resolved.restorePoint,
    artifactHitCount: typeof hit.artifactHitCount === "number" ? hit.artifactHitCount : null,
  };
}
