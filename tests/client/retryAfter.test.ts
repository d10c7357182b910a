import { expect } from "chai";
import { backoffDelayInMs, parseRetryAfterInMs } from "../../provider/graph/retryAfter";

describe("Retry-After parsing", () => {
  const now = Date.parse("2026-11-22T10:00:00Z");

  it("reads delay-seconds as milliseconds", () => {
    expect(parseRetryAfterInMs("0", now)).to.equal(0);
    expect(parseRetryAfterInMs("7", now)).to.equal(7_000);
    expect(parseRetryAfterInMs(" 300 ", now)).to.equal(300_000);
  });

  it("reads a fractional seconds value", () => {
    expect(parseRetryAfterInMs("1.5", now)).to.equal(1_500);
  });

  it("reads an HTTP date relative to now", () => {
    expect(parseRetryAfterInMs("Sun, 22 Nov 2026 10:04:00 GMT", now)).to.equal(240_000);
  });

  it("treats an HTTP date in the past as no wait", () => {
    expect(parseRetryAfterInMs("Sun, 22 Nov 2026 09:00:00 GMT", now)).to.equal(0);
  });

  it("ignores a missing, negative or unreadable header so the caller falls back to backoff", () => {
    expect(parseRetryAfterInMs(undefined, now)).to.equal(undefined);
    expect(parseRetryAfterInMs("-5", now)).to.equal(undefined);
    expect(parseRetryAfterInMs("soon", now)).to.equal(undefined);
    expect(parseRetryAfterInMs("Xyz, 99 Foo 2026 10:00:00 GMT", now)).to.equal(undefined);
  });
});

describe("exponential backoff with full jitter", () => {
  it("doubles the ceiling with each retry", () => {
    const nearlyOne = 0.999999;
    expect(backoffDelayInMs(1, 1_000, 60_000, nearlyOne)).to.equal(999);
    expect(backoffDelayInMs(2, 1_000, 60_000, nearlyOne)).to.equal(1_999);
    expect(backoffDelayInMs(3, 1_000, 60_000, nearlyOne)).to.equal(3_999);
  });

  it("never exceeds the configured maximum", () => {
    expect(backoffDelayInMs(30, 1_000, 60_000, 0.999999)).to.be.lessThan(60_000);
    expect(backoffDelayInMs(30, 1_000, 60_000, 0.5)).to.equal(30_000);
  });

  it("draws the whole range down to zero (full jitter, not equal jitter)", () => {
    expect(backoffDelayInMs(4, 1_000, 60_000, 0)).to.equal(0);
    expect(backoffDelayInMs(4, 1_000, 60_000, 0.25)).to.equal(2_000);
  });
});
