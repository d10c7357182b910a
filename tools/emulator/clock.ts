/**
 * Emulator time: the wall clock plus an offset that tests and the admin route can move forward, so
 * "a day later" (new restore points, expired ones, finished restores) needs no waiting.
 */
export class EmulatorClock {
  private offsetInMs = 0;

  constructor(private readonly wallClock: () => number = Date.now) {}

  nowInMs(): number {
    return this.wallClock() + this.offsetInMs;
  }

  now(): Date {
    return new Date(this.nowInMs());
  }

  /** Moves emulator time forward; it never goes back. */
  advance(durationInMs: number): void {
    if (!Number.isFinite(durationInMs) || durationInMs < 0) {
      throw new RangeError(`advance takes a non-negative duration in ms, got ${durationInMs}`);
    }
    this.offsetInMs += durationInMs;
  }
}
