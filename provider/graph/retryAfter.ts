/**
 * `Retry-After` parsing and backoff math: pure functions, no clock of their own.
 */

/**
 * How long a `Retry-After` header asks to wait: delay-seconds (`"120"`, fractions tolerated) or an
 * HTTP date (`"Wed, 21 Oct 2026 07:28:00 GMT"`), relative to `nowInMs`. A date in the past means 0.
 * Returns `undefined` for a missing or unreadable header, so the caller falls back to backoff.
 */
export function parseRetryAfterInMs(header: string | undefined, nowInMs: number): number | undefined {
  if (header === undefined) {
    return undefined;
  }
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Math.round(Number(text) * 1000);
  }
  // Only an HTTP date is accepted as a date: `Date.parse` would also take "1" or "2026".
  if (!/^[A-Za-z]{3},? /.test(text)) {
    return undefined;
  }
  const dateInMs = Date.parse(text);
  return Number.isNaN(dateInMs) ? undefined : Math.max(0, dateInMs - nowInMs);
}

/**
 * Exponential backoff with full jitter: a uniformly random wait in `[0, min(max, base * 2^(retry-1)))`.
 *
 * @param retry - 1 for the first retry.
 * @param random - a number in `[0, 1)`.
 */
export function backoffDelayInMs(
  retry: number,
  baseDelayInMs: number,
  maxDelayInMs: number,
  random: number,
): number {
  const ceiling = Math.min(maxDelayInMs, baseDelayInMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(ceiling * random);
}
