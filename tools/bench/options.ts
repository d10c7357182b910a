/**
 * The bench command's flags. Every figure runs against a local emulator; the defaults are chosen so
 * the whole table prints in about a quarter of an hour on a 2-core machine.
 */

/** The sections of the table, in the order they run and print. */
export const SECTIONS = ["operations", "drill", "bulk", "throttled", "overhead", "alternative", "durations"] as const;
/** One section of the table. */
export type Section = (typeof SECTIONS)[number];

/** The parsed flags. */
export interface BenchOptions {
  /** Latency the emulator adds to every Graph request, in ms. */
  readonly latencyInMs: number;
  /** The emulator's typical restore time of one artifact, in ms (a session takes up to ~1.45× this). */
  readonly restoreMs: number;
  /**
   * The same for the 25-session drills (sections 2, 4, 5 and 7), one drill per value, side by side:
   * 5,000 (sessions of about 7.6 s, issue #15's workload; `npm run drill` restores shorter still, with
   * 1,500) and 80,000 (about 2 min).
   */
  readonly drillRestoreMs: readonly number[];
  /** Page size of the emulator's paged lists (Graph documents none; see docs/benchmarks.md). */
  readonly pageSize: number;
  /** Fraction of Graph requests answered 429 in the throttled drill. */
  readonly throttleFraction: number;
  /** `Retry-After` on those answers, in seconds. */
  readonly retryAfterSeconds: number;
  /** Sessions in the drill (Graph allows 25 active at once). */
  readonly sessions: number;
  /** Artifacts per drill session. */
  readonly artifactsPerSession: number;
  /** Mailboxes in the bulk addition request. */
  readonly bulkMailboxes: number;
  /** Artifacts of the large standard session. */
  readonly largeSessionArtifacts: number;
  /** The alternative script's fixed polling interval, in ms. */
  readonly alternativePollInMs: number;
  /** Where the JSON goes. */
  readonly output: string;
  /** Which sections to run (default all). */
  readonly sections: readonly Section[];
  readonly help: boolean;
}

/** The defaults: everything, at a scale that fits about a quarter of an hour on 2 cores. */
export const DEFAULT_BENCH_OPTIONS: BenchOptions = {
  latencyInMs: 50,
  restoreMs: 5_000,
  drillRestoreMs: [5_000, 80_000],
  pageSize: 100,
  throttleFraction: 0.1,
  retryAfterSeconds: 1,
  sessions: 25,
  artifactsPerSession: 50,
  bulkMailboxes: 10_000,
  largeSessionArtifacts: 1_000,
  alternativePollInMs: 5_000,
  output: "bench/results.json",
  sections: SECTIONS,
  help: false,
};

/** `--help`. */
export const BENCH_USAGE = `Usage: npm run bench -- [options]

Measures Graph requests, time and state size of the provider against the local emulator, side by side
with a plain script using @microsoft/microsoft-graph-client, prints one table and writes it as JSON.

  --latency-ms N            latency the emulator adds to every Graph request (default 50)
  --restore-ms N            emulator: typical restore time of one artifact (default 5000)
  --drill-restore-ms N,M    the same for the 25-session drills, one drill per value (default 5000,80000:
                            sessions of about 7.6 s, then of about 2 min)
  --page-size N             emulator: page size of paged lists (default 100)
  --throttle-fraction F     throttled drill: fraction of Graph requests answered 429 (default 0.1)
  --retry-after-seconds N   throttled drill: Retry-After on those answers (default 1)
  --sessions N              drill sessions (default 25, Graph's active-session cap)
  --artifacts N             artifacts per drill session (default 50)
  --bulk-mailboxes N        mailboxes in the bulk addition request (default 10000)
  --large-artifacts N       artifacts of the large standard session (default 1000)
  --alternative-poll-ms N   the plain script's polling interval (default 5000)
  --only a,b                run only these sections: ${SECTIONS.join(", ")}
  --out FILE                JSON output (default bench/results.json)
  --help                    this text
`;

const NUMERIC_FLAGS: Record<string, keyof BenchOptions> = {
  "--latency-ms": "latencyInMs",
  "--restore-ms": "restoreMs",
  "--page-size": "pageSize",
  "--throttle-fraction": "throttleFraction",
  "--retry-after-seconds": "retryAfterSeconds",
  "--sessions": "sessions",
  "--artifacts": "artifactsPerSession",
  "--bulk-mailboxes": "bulkMailboxes",
  "--large-artifacts": "largeSessionArtifacts",
  "--alternative-poll-ms": "alternativePollInMs",
};

function parseNumber(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isFinite(value) || value < 0) {
    throw new Error(`${flag} needs a non-negative number, got ${text === undefined ? "nothing" : `"${text}"`}.`);
  }
  return value;
}

function parseNumberList(flag: string, text: string | undefined): number[] {
  const values = (text ?? "").split(",").map((part) => parseNumber(flag, part));
  if (values.some((value) => value === 0)) throw new Error(`${flag} needs positive numbers, got "${text ?? ""}".`);
  return values;
}

function parseSections(text: string | undefined): Section[] {
  const names = (text ?? "").split(",").map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes a comma-separated list of ${SECTIONS.join(", ")}; got "${text ?? ""}".`);
  }
  return SECTIONS.filter((section) => names.includes(section));
}

/** Parses `argv` (without node and the script); throws with a message naming the flag on a bad one. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options: Record<string, unknown> = { ...DEFAULT_BENCH_OPTIONS };
  for (let index = 0; index < argv.length; index++) {
    const [flag = "", inline] = (argv[index] ?? "").split(/=(.*)/s, 2);
    const value = (): string | undefined => inline ?? argv[++index];
    const numeric = NUMERIC_FLAGS[flag];
    if (numeric !== undefined) {
      options[numeric] = parseNumber(flag, value());
    } else if (flag === "--drill-restore-ms") {
      options.drillRestoreMs = parseNumberList(flag, value());
    } else if (flag === "--only") {
      options.sections = parseSections(value());
    } else if (flag === "--out") {
      options.output = value() ?? DEFAULT_BENCH_OPTIONS.output;
    } else if (flag === "--help" || flag === "-h") {
      options.help = true;
    } else {
      throw new Error(`Unknown option ${flag}; see npm run bench -- --help.`);
    }
  }
  const parsed = options as unknown as BenchOptions;
  if (parsed.throttleFraction > 1) {
    throw new Error("--throttle-fraction must be between 0 and 1.");
  }
  return parsed;
}
