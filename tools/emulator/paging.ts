/**
 * Server-side paging as Graph does it: a page of `value` and, when more remain, an absolute
 * `@odata.nextLink` on the emulator's own address carrying an opaque `$skiptoken`.
 */
import { GraphServiceError, type GraphRequest } from "./contract";

interface SkipToken {
  /** Offset of the next page's first item. */
  o: number;
}

export function encodeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset } satisfies SkipToken)).toString("base64url");
}

export function decodeSkipToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<SkipToken>;
    if (typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0) {
      return parsed.o;
    }
  } catch {
    // fall through to the error below
  }
  throw new GraphServiceError(
    400,
    "BadRequest",
    "The $skiptoken is not valid. Follow @odata.nextLink as given.",
  );
}

/** Slices `items` into the page the request asks for and builds the collection body. */
export function pageOf<T>(
  request: GraphRequest,
  items: readonly T[],
  pageSize: number,
  context: string,
): { "@odata.context": string; "@odata.nextLink"?: string; value: T[] } {
  const token = request.query.get("$skiptoken");
  const offset = token === null ? 0 : decodeSkipToken(token);
  const value = items.slice(offset, offset + pageSize);
  const body: { "@odata.context": string; "@odata.nextLink"?: string; value: T[] } = {
    "@odata.context": context,
    value,
  };
  if (offset + pageSize < items.length) {
    // Written by hand rather than with URLSearchParams, which would send `%24skiptoken`: Graph's links
    // carry a literal `$skiptoken=`, and clients that compare or parse them expect that.
    const path = new URL(`${request.baseUrl}/${request.apiVersion}${request.path}`).href;
    body["@odata.nextLink"] = `${path}?$skiptoken=${encodeURIComponent(encodeSkipToken(offset + pageSize))}`;
  }
  return body;
}
