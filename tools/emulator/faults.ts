/**
 * Scripted, deterministic faults. A test prepends rules (newest first wins), each matching requests by
 * target, method and path and firing `once`, `times: n` or on `every: n`-th match; `reset()` clears them.
 * Besides rules there are two standing settings: a per-request latency (benchmarks) and a throttling
 * fraction drawn from a seeded generator, so "20 % of requests are throttled" is the same set of
 * requests on every run. The standing settings start from the emulator's options, and `reset()` returns
 * them there (so a benchmark's configured latency survives a test's cleanup).
 */
import { SeededRandom } from "./random";

/** What a fault does to the request it hits. */
export type FaultAction =
  /** 429 with `Retry-After` in seconds (default 1), or as an HTTP date when `retryAfterAsDate`. */
  | { readonly kind: "throttle"; readonly retryAfterSeconds?: number; readonly retryAfterAsDate?: boolean }
  /** A Graph-shaped error (e.g. 503, 504, 500) without processing the request. */
  | {
      readonly kind: "status";
      readonly status: number;
      readonly code?: string;
      readonly retryAfterSeconds?: number;
    }
  /** Wait this long, then process the request normally. */
  | { readonly kind: "latency"; readonly latencyInMs: number }
  /** Destroy the connection before answering; the request is not processed. */
  | { readonly kind: "reset" }
  /** Never answer; the request is not processed and the socket stays open until the client gives up. */
  | { readonly kind: "hang" }
  /** Process the request, then destroy the connection instead of sending the response. */
  | { readonly kind: "ambiguous" }
  /**
   * Process the request, then never answer: the socket stays open until the client goes away. The
   * request log records it once processed, so a test can kill the caller after Graph handled it.
   */
  | { readonly kind: "lostAnswer" }
  /** Process the request, then answer a Graph-shaped error anyway (a gateway's 503 after the work was done). */
  | { readonly kind: "appliedStatus"; readonly status: number }
  /** Answer 200 with a JSON content type and a body that is not valid JSON; not processed. */
  | { readonly kind: "malformedJson" }
  /** Answer 502 with an HTML page, as a proxy in front of Graph would; not processed. */
  | { readonly kind: "htmlError" };

/** Which endpoint a rule applies to. */
export type FaultTarget = "graph" | "token";

/** A fault rule as tests (and the admin route) write it. */
export interface FaultRule {
  /** Default `graph`. `token` targets the Entra ID token endpoint. */
  readonly target?: FaultTarget;
  /** HTTP method; any when omitted. */
  readonly method?: string;
  /**
   * Path prefix. For Graph it is compared with the path after the version (`/solutions/...`) unless it
   * starts with `/v1.0/` or `/beta/`; for the token endpoint, with the full path.
   */
  readonly path?: string;
  /**
   * A whole-path pattern with `{name}` segments (one segment each) and an optional trailing `/*`,
   * e.g. `/solutions/backupRestore/restoreSessions/{id}/activate`. Compared like `path`.
   */
  readonly pattern?: string;
  /** Fire on the first match only (same as `times: 1`). */
  readonly once?: boolean;
  /** Fire on the first `times` matches, then stop. */
  readonly times?: number;
  /** Fire on every n-th match (n, 2n, ...), indefinitely. */
  readonly every?: number;
  readonly action: FaultAction;
}

/** The seeded throttling setting. */
export interface ThrottleSettings {
  /** Fraction of Graph requests answered with 429, in [0, 1]. */
  readonly fraction: number;
  /** `Retry-After` seconds on those answers (default 1). */
  readonly retryAfterSeconds?: number;
}

/** The request facts a rule is matched against. */
export interface FaultProbe {
  readonly target: FaultTarget;
  readonly method: string;
  /** Full URL path, e.g. `/v1.0/solutions/backupRestore/restoreSessions`. */
  readonly path: string;
}

/** A rule that fired, with a label for the request log. */
export interface FaultDecision {
  readonly action: FaultAction;
  readonly label: string;
}

interface ActiveRule {
  readonly rule: FaultRule;
  matched: number;
  fired: number;
}

const VERSION_PREFIX = /^\/(v1\.0|beta)(?=\/)/;

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .split("/")
    .map((segment) => {
      if (segment === "*") {
        return ".*";
      }
      if (/^\{[^/{}]+\}$/.test(segment)) {
        return "[^/]+";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${escaped}$`);
}

function comparablePath(rulePath: string, probe: FaultProbe): string {
  if (probe.target === "token" || VERSION_PREFIX.test(rulePath)) {
    return probe.path;
  }
  return probe.path.replace(VERSION_PREFIX, "");
}

function ruleMatches(rule: FaultRule, probe: FaultProbe): boolean {
  if ((rule.target ?? "graph") !== probe.target) {
    return false;
  }
  if (rule.method !== undefined && rule.method.toUpperCase() !== probe.method.toUpperCase()) {
    return false;
  }
  if (rule.path !== undefined && !comparablePath(rule.path, probe).startsWith(rule.path)) {
    return false;
  }
  if (
    rule.pattern !== undefined &&
    !patternToRegExp(rule.pattern).test(comparablePath(rule.pattern, probe))
  ) {
    return false;
  }
  return true;
}

function fires(active: ActiveRule): boolean {
  const { rule } = active;
  if (rule.every !== undefined) {
    return active.matched % rule.every === 0;
  }
  const limit = rule.once === true ? 1 : rule.times;
  return limit === undefined || active.fired < limit;
}

function label(action: FaultAction): string {
  switch (action.kind) {
    case "throttle":
      return "status:429";
    case "status":
      return `status:${action.status}`;
    case "latency":
      return "latency";
    case "reset":
      return "reset";
    case "hang":
      return "hang";
    case "ambiguous":
      return "ambiguousCreate";
    case "lostAnswer":
      return "lostAnswer";
    case "appliedStatus":
      return `applied+status:${action.status}`;
    case "malformedJson":
      return "malformedJson";
    case "htmlError":
      return "htmlError";
  }
}

/** Checks a rule's shape; the admin route passes user JSON through here. */
export function validateFaultRule(rule: FaultRule): void {
  const counts = [rule.once === true, rule.times !== undefined, rule.every !== undefined].filter(Boolean);
  if (counts.length > 1) {
    throw new RangeError("A fault rule takes at most one of once, times and every.");
  }
  for (const [name, value] of [
    ["times", rule.times],
    ["every", rule.every],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new RangeError(`A fault rule's ${name} must be a positive integer, got ${String(value)}.`);
    }
  }
  const kinds = [
    "throttle",
    "status",
    "latency",
    "reset",
    "hang",
    "ambiguous",
    "lostAnswer",
    "appliedStatus",
    "malformedJson",
    "htmlError",
  ];
  if (typeof rule.action !== "object" || rule.action === null || !kinds.includes(rule.action.kind)) {
    throw new RangeError(`A fault rule needs an action whose kind is one of ${kinds.join(", ")}.`);
  }
  if (
    (rule.action.kind === "status" || rule.action.kind === "appliedStatus") &&
    !(rule.action.status >= 400 && rule.action.status <= 599)
  ) {
    throw new RangeError("A status fault needs a status between 400 and 599.");
  }
  if (rule.action.kind === "latency" && !(rule.action.latencyInMs >= 0)) {
    throw new RangeError("A latency fault needs a non-negative latencyInMs.");
  }
}

/** The fault table. Held by the emulator; tests use it through `emulator.faults`. */
export class Faults {
  private rules: ActiveRule[] = [];
  private throttleSettings: ThrottleSettings | undefined;
  private throttleRandom: SeededRandom;

  /** Added to every Graph request before it is processed (benchmarks use 50 ms). */
  latencyInMs: number;

  constructor(
    private readonly seed: string,
    /** The standing settings from the emulator's options; `reset()` returns to them. */
    private readonly configured: { readonly latencyInMs?: number; readonly throttle?: ThrottleSettings } = {},
  ) {
    this.latencyInMs = configured.latencyInMs ?? 0;
    this.throttleRandom = new SeededRandom(`${seed}/throttle`);
    this.setThrottle(configured.throttle);
  }

  /** Prepends a rule: the newest matching rule wins. Returns a function that removes it. */
  add(rule: FaultRule): () => void {
    validateFaultRule(rule);
    const active: ActiveRule = { rule, matched: 0, fired: 0 };
    this.rules.unshift(active);
    return () => {
      this.rules = this.rules.filter((candidate) => candidate !== active);
    };
  }

  /** The rules in force, newest first, with how often each matched and fired. */
  list(): { rule: FaultRule; matched: number; fired: number }[] {
    return this.rules.map(({ rule, matched, fired }) => ({ rule, matched, fired }));
  }

  /** Sets (or with `undefined` clears) the seeded throttling fraction; restarts its sequence. */
  setThrottle(throttle: ThrottleSettings | undefined): void {
    if (throttle !== undefined && !(throttle.fraction >= 0 && throttle.fraction <= 1)) {
      throw new RangeError(`throttle.fraction must be in [0, 1], got ${String(throttle.fraction)}`);
    }
    this.throttleSettings = throttle;
    this.throttleRandom = new SeededRandom(`${this.seed}/throttle`);
  }

  get throttle(): ThrottleSettings | undefined {
    return this.throttleSettings;
  }

  /** Removes every rule and returns latency and throttling to the configured settings. */
  reset(): void {
    this.rules = [];
    this.latencyInMs = this.configured.latencyInMs ?? 0;
    this.setThrottle(this.configured.throttle);
  }

  /** Decides what happens to one request: the first firing rule, else seeded throttling, else nothing. */
  decide(probe: FaultProbe): FaultDecision | undefined {
    let decision: FaultDecision | undefined;
    for (const active of this.rules) {
      if (!ruleMatches(active.rule, probe)) {
        continue;
      }
      active.matched += 1;
      if (decision === undefined && fires(active)) {
        active.fired += 1;
        decision = { action: active.rule.action, label: label(active.rule.action) };
      }
    }
    if (decision !== undefined || probe.target !== "graph" || this.throttleSettings === undefined) {
      return decision;
    }
    const { fraction, retryAfterSeconds = 1 } = this.throttleSettings;
    if (this.throttleRandom.next() < fraction) {
      return { action: { kind: "throttle", retryAfterSeconds }, label: "throttle" };
    }
    return undefined;
  }
}
