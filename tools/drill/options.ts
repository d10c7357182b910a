/**
 * The drill command's flags. Everything has a default that runs against the local emulator; a real
 * tenant is used only when asked for with `--tenant real`, never by default.
 */

/** How to run the program: pick automatically (CLI if present), or force one. */
export type ModeChoice = "auto" | "automation" | "runner";

export interface DrillOptions {
  readonly tenant: "emulator" | "real";
  readonly mode: ModeChoice;
  /** Where the report goes; default `drill-report` in the current directory. */
  readonly outputDir: string;
  /** Emulator only: typical time one artifact takes, in ms. */
  readonly restoreMs: number;
  /** Emulator only: tenant seed (the program's defaults match the default seed). */
  readonly seed: string;
  readonly targetRtoMinutes?: number;
  readonly restorePointTime?: string;
  /** How long `up` waits for the sessions (the program's `completionTimeoutMinutes`). */
  readonly completionTimeoutMinutes?: number;
  /** Force the plain line-per-change log even on a terminal. */
  readonly plain: boolean;
  /** Emulator only: also write the emulator's request log and final session state to this file. */
  readonly emulatorEvidence?: string;
  readonly help: boolean;
}

export const DEFAULT_DRILL_OPTIONS: DrillOptions = {
  tenant: "emulator",
  mode: "auto",
  outputDir: "drill-report",
  restoreMs: 1500,
  seed: "m365-backup",
  plain: false,
  help: false,
};

export const DRILL_USAGE = `Usage: npm run drill -- [options]

Runs the restore drill (examples/restore-drill) and writes drill-report/report.{json,md,html}.

  --tenant emulator|real     where to restore (default: emulator, a local Graph started for the run).
                             "real" uses the m365-backup settings from the environment (AZURE_TENANT_ID,
                             AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or another credential,
                             M365_BACKUP_GRAPH_ENDPOINT, M365_BACKUP_API_VERSION) and the restore-drill
                             settings below or RESTORE_DRILL_* variables; it restores to NEW locations only.
  --mode auto|automation|runner
                             auto (default): the Automation API when a pulumi CLI is on PATH, else the
                             lifecycle runner.
  --out DIR                  report directory (default: drill-report)
  --target-rto-minutes N     target RTO the report holds each workload to (default: the program's, 240)
  --restore-point-time ISO   restore each item as of this instant (default: midnight UTC today)
  --completion-timeout-minutes N
                             how long up waits for the sessions to finish (default: the program's, 60)
  --restore-ms N             emulator: typical time one item takes to restore, in ms (default 1500)
  --seed S                   emulator: tenant seed (default m365-backup)
  --plain                    print one line per change even on a terminal
  --emulator-evidence FILE   emulator: also write its request log and final session state (JSON)
  --help                     this text
`;

function requireValue(argv: readonly string[], index: number, flag: string): string {
  const value = argv[index + 1];
  if (value === undefined || value.startsWith("--")) {
    throw new Error(`${flag} needs a value. Run with --help for the options.`);
  }
  return value;
}

function positiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${flag} takes a positive number, got "${text}".`);
  }
  return value;
}

function oneOf<T extends string>(text: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(text)) {
    throw new Error(`${flag} takes one of ${allowed.join(", ")}; got "${text}".`);
  }
  return text as T;
}

/** Parses the command line (without `node` and the script). Throws with a message naming the flag. */
export function parseDrillOptions(argv: readonly string[]): DrillOptions {
  const options: { -readonly [K in keyof DrillOptions]: DrillOptions[K] } = { ...DEFAULT_DRILL_OPTIONS };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    switch (flag) {
      case "--tenant":
        options.tenant = oneOf(requireValue(argv, index++, flag), ["emulator", "real"], flag);
        break;
      case "--mode":
        options.mode = oneOf(requireValue(argv, index++, flag), ["auto", "automation", "runner"], flag);
        break;
      case "--out":
        options.outputDir = requireValue(argv, index++, flag);
        break;
      case "--target-rto-minutes":
        options.targetRtoMinutes = positiveNumber(requireValue(argv, index++, flag), flag);
        break;
      case "--completion-timeout-minutes":
        options.completionTimeoutMinutes = positiveNumber(requireValue(argv, index++, flag), flag);
        break;
      case "--restore-point-time": {
        const value = requireValue(argv, index++, flag);
        if (Number.isNaN(Date.parse(value)) || !/[zZ]|[+-]\d{2}:\d{2}$/.test(value)) {
          throw new Error(
            `${flag} takes an ISO 8601 instant with a zone, e.g. 2026-11-20T09:00:00Z; got "${value}".`,
          );
        }
        options.restorePointTime = value;
        break;
      }
      case "--restore-ms":
        options.restoreMs = positiveNumber(requireValue(argv, index++, flag), flag);
        break;
      case "--seed":
        options.seed = requireValue(argv, index++, flag);
        break;
      case "--emulator-evidence":
        options.emulatorEvidence = requireValue(argv, index++, flag);
        break;
      case "--plain":
        options.plain = true;
        break;
      case "--help":
      case "-h":
        options.help = true;
        break;
      default:
        throw new Error(`Unknown option "${flag}". Run with --help for the options.`);
    }
  }
  return options;
}
