/**
 * Small, exact statistics for the recovery-time figures. Each takes the values in any order and
 * returns undefined for an empty list, so a caller cannot mistake "nothing measured" for zero.
 */

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The middle value; for an even count, the mean of the two middle values. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) {
    return undefined;
  }
  const sorted = sortedCopy(values);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The nearest-rank percentile: the smallest value such that at least `percent`% of the values are at
 * or below it. It is always one of the measured values, never an interpolation, which is what an
 * auditor can check against the list by hand.
 */
export function percentile(values: readonly number[], percent: number): number | undefined {
  if (!(percent > 0 && percent <= 100)) {
    throw new RangeError(`percentile takes a percent in (0, 100], got ${percent}`);
  }
  if (values.length === 0) {
    return undefined;
  }
  const sorted = sortedCopy(values);
  const rank = Math.ceil((percent / 100) * sorted.length);
  return sorted[rank - 1];
}

export function maximum(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : Math.max(...values);
}
