/**
 * A crash-safe intent journal for `create`, on local disk.
 *
 * A dynamic provider's `create` answers the engine only when it returns: if the provider host is
 * killed before that (a CI runner at its time limit), the engine never learns the session id and the
 * next `up` calls `create` again. The engine's own pending-operation record does not help a dynamic
 * provider, so `create` writes down its intent here before it POSTs, records the session id as soon as
 * Graph answers, and removes the entry when the engine has the id (create returned, or threw an error
 * carrying the id). An entry left by a process that no longer runs, for the same fingerprint, tells the
 * next `create` which session to adopt instead of starting a second restore.
 *
 * An entry holds a fingerprint (a sha256 over the settings that identify the tenant and app and the
 * normalized inputs), the writer's pid, when it started, and the session id once known: never a secret
 * and never the inputs themselves. One file per in-flight create; writes are atomic (a temporary file
 * renamed into place) and a leftover is claimed by renaming it, so two creates cannot adopt one session.
 *
 * The journal is best effort: when the directory cannot be written, each operation reports a warning
 * and `create` goes on as it would without it.
 */
import { createHash, randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { canonicalJson } from "./spec";

/** Environment variable that sets the journal directory (of the provider host's process). */
export const JOURNAL_DIR_ENV = "M365_BACKUP_JOURNAL_DIR";

/** Input properties that change only how `up` waits or reports, not what is restored: not in the fingerprint. */
export const FINGERPRINT_EXCLUDED_INPUTS: readonly string[] = [
  "waitForCompletion",
  "completionTimeoutMinutes",
  "artifactOutputs",
];

/** What one in-flight create wrote down. */
export interface JournalEntry {
  /** See {@link createFingerprint}. */
  readonly fingerprint: string;
  /** The process that owns the entry; a leftover once it no longer runs. */
  readonly pid: number;
  /** ISO time the create started, before its POST (bounds the search for what that POST made). */
  readonly startedAt: string;
  /** The session Graph made, as soon as the POST answered. */
  readonly sessionId?: string;
}

/** What identifies one create: where it goes and what it restores. */
export interface FingerprintParts {
  readonly tenantId: string | undefined;
  readonly clientId: string | undefined;
  readonly graphEndpoint: string;
  readonly apiVersion: string;
  /** The resource kind, e.g. `exchange`. */
  readonly kind: string;
  /** The normalized inputs (from `check`), `triggers` included. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

/**
 * The sha256 (hex) of `parts`, with the inputs in canonical JSON and without the waiting options
 * ({@link FINGERPRINT_EXCLUDED_INPUTS}) and `__provider`. One-way: the journal never holds the inputs.
 */
export function createFingerprint(parts: FingerprintParts): string {
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parts.inputs)) {
    if (!FINGERPRINT_EXCLUDED_INPUTS.includes(key) && key !== "__provider") inputs[key] = value;
  }
  const text = canonicalJson({
    tenantId: parts.tenantId?.toLowerCase() ?? null,
    clientId: parts.clientId?.toLowerCase() ?? null,
    graphEndpoint: parts.graphEndpoint.toLowerCase(),
    apiVersion: parts.apiVersion,
    kind: parts.kind,
    inputs,
  });
  return createHash("sha256").update(text).digest("hex");
}

/** The journal directory: `M365_BACKUP_JOURNAL_DIR`, else `~/.pulumi-m365-backup/journal`. */
export function journalDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[JOURNAL_DIR_ENV];
  return configured !== undefined && configured !== ""
    ? path.resolve(configured)
    : path.join(os.homedir(), ".pulumi-m365-backup", "journal");
}

/** One entry this process owns. */
export interface JournalHandle {
  /** Records the session id (right after the POST answered, or when a session was adopted). */
  recordSession(sessionId: string): void;
  /** Removes the entry: the engine has the id, or no session was made. Idempotent. */
  end(): void;
}

/** A leftover entry, now owned by this process (its handle ends or updates it). */
export interface ClaimedLeftover {
  readonly startedAt: Date;
  readonly sessionId?: string;
  readonly handle: JournalHandle;
}

/** The journal's operations; build one per provider call with {@link openJournal}. */
export interface Journal {
  /** Writes an entry for a create about to POST. */
  begin(fingerprint: string): JournalHandle;
  /**
   * Takes over an entry with `fingerprint` whose process no longer runs (never one of this process's
   * own), or `undefined`. The oldest is taken first.
   */
  claimLeftover(fingerprint: string): ClaimedLeftover | undefined;
}

/** Options for {@link openJournal}; the defaults are the real ones. */
export interface JournalOptions {
  /** Defaults to {@link journalDirectory}. */
  directory?: string;
  /** Told once per failed operation (a failing directory); never throws. */
  onWarning?: (message: string) => void;
  /** This process's pid. */
  pid?: number;
  /** Whether a process runs; defaults to `process.kill(pid, 0)` (only ESRCH means it does not). */
  isAlive?: (pid: number) => boolean;
  /** The current time. */
  now?: () => Date;
}

/** `process.kill(pid, 0)`: no such process (ESRCH) is the only answer that means "not alive". */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

const ENTRY_SUFFIX = ".json";
const FINGERPRINT_PATTERN = /^[0-9a-f]{64}$/;

/** `<fingerprint>.<pid>.<nonce>.json`: the pid in the name is the owner, so a rename transfers it. */
function entryName(fingerprint: string, pid: number): string {
  return `${fingerprint}.${pid}.${randomBytes(6).toString("hex")}${ENTRY_SUFFIX}`;
}

function ownerOf(name: string): number | undefined {
  const parts = name.slice(0, -ENTRY_SUFFIX.length).split(".");
  const pid = Number(parts[1]);
  return parts.length === 3 && Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** Writes `entry` to `file` atomically (0600): a temporary file beside it, then a rename. */
function writeEntry(file: string, entry: JournalEntry): void {
  const temporary = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(temporary, JSON.stringify(entry), { mode: 0o600, flag: "wx" });
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function readEntry(file: string): JournalEntry | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<JournalEntry>;
    if (typeof value.fingerprint !== "string" || typeof value.startedAt !== "string") return undefined;
    if (!Number.isFinite(Date.parse(value.startedAt))) return undefined;
    return {
      fingerprint: value.fingerprint,
      pid: Number(value.pid),
      startedAt: value.startedAt,
      ...(typeof value.sessionId === "string" ? { sessionId: value.sessionId } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Opens the journal (creating its directory 0700 on first write). Holds no open resources. */
export function openJournal(options: JournalOptions = {}): Journal {
  const directory = options.directory ?? journalDirectory();
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? processIsAlive;
  const now = options.now ?? ((): Date => new Date());
  const warn = (what: string, error: unknown): void =>
    options.onWarning?.(
      `The create journal (${directory}) could not ${what} (${describe(error)}); continuing without it, ` +
        `so a provider host killed during this create may leave a session the next up does not know about.`,
    );

  const handleFor = (file: string, base: JournalEntry): JournalHandle => {
    let entry = base;
    let ended = false;
    return {
      recordSession(sessionId) {
        if (ended) return;
        entry = { ...entry, sessionId };
        try {
          writeEntry(file, entry);
        } catch (error) {
          warn("record the session id", error);
        }
      },
      end() {
        if (ended) return;
        ended = true;
        try {
          fs.rmSync(file, { force: true });
        } catch (error) {
          warn("remove an entry", error);
        }
      },
    };
  };

  return {
    begin(fingerprint) {
      const entry: JournalEntry = { fingerprint, pid, startedAt: now().toISOString() };
      const file = path.join(directory, entryName(fingerprint, pid));
      try {
        fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
        writeEntry(file, entry);
      } catch (error) {
        warn("write an entry", error);
      }
      return handleFor(file, entry);
    },
    claimLeftover(fingerprint) {
      if (!FINGERPRINT_PATTERN.test(fingerprint)) return undefined;
      let names: string[];
      try {
        names = fs.readdirSync(directory);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") warn("be read", error);
        return undefined;
      }
      const candidates = names
        .filter((name) => name.startsWith(`${fingerprint}.`) && name.endsWith(ENTRY_SUFFIX))
        .map((name) => ({ name, owner: ownerOf(name) }))
        .filter(
          (candidate): candidate is { name: string; owner: number } =>
            candidate.owner !== undefined && candidate.owner !== pid && !isAlive(candidate.owner),
        )
        .map((candidate) => ({
          name: candidate.name,
          entry: readEntry(path.join(directory, candidate.name)),
        }))
        .filter(
          (candidate): candidate is { name: string; entry: JournalEntry } =>
            candidate.entry?.fingerprint === fingerprint,
        )
        .sort((a, b) => Date.parse(a.entry.startedAt) - Date.parse(b.entry.startedAt));
      for (const candidate of candidates) {
        const claimed = path.join(directory, entryName(fingerprint, pid));
        try {
          // Atomic: whoever renames first owns the entry; the others get ENOENT and try the next.
          fs.renameSync(path.join(directory, candidate.name), claimed);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOENT") warn("claim an entry", error);
          continue;
        }
        const previous = readEntry(claimed) ?? candidate.entry;
        const entry: JournalEntry = { ...previous, pid };
        try {
          writeEntry(claimed, entry);
        } catch (error) {
          warn("take over an entry", error);
        }
        return {
          startedAt: new Date(entry.startedAt),
          ...(entry.sessionId !== undefined ? { sessionId: entry.sessionId } : {}),
          handle: handleFor(claimed, entry),
        };
      }
      return undefined;
    },
  };
}
