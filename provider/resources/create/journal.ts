/**
 * A crash-safe intent journal for `create`, on local disk (or a directory shared between runs).
 *
 * A dynamic provider's `create` answers the engine only when it returns: if the provider host is
 * killed before that (a CI runner at its time limit), the engine never learns the session id and the
 * next `up` calls `create` again. So `create` writes down its intent here before it POSTs, records the
 * session id as soon as Graph answers, and removes the entry when the engine has the id. An entry whose
 * owner is gone, for the same fingerprint, tells the next `create` which session to adopt.
 *
 * **Who owns an entry.** A pid alone means nothing across containers (a retried CI job in a fresh PID
 * namespace gets the same pid) or machines. An entry records its owner as the host and boot identity
 * (hostname + `/proc/sys/kernel/random/boot_id`), the pid, the process start time (field 22 of
 * `/proc/<pid>/stat`) and a random token, and holds a **lease** renewed by a heartbeat while the create
 * runs. It is a leftover (adoptable) when the lease has expired, or earlier when its owner is provably
 * dead: same host and boot, and no process with that pid or one that started at another time.
 *
 * An entry holds a fingerprint (a sha256 over the settings that identify the tenant and app and the
 * normalized inputs), the owner, times, and the session id once known: never a secret and never the
 * inputs. Writes are atomic (a temporary file renamed into place); a leftover is claimed by renaming
 * it, so two creates cannot adopt one session. Every field read back is validated; entries older than
 * {@link MAX_ENTRY_AGE_IN_MS} are removed. The directory must belong to the current user and not be
 * writable by group or others (fixed when we own it, else the journal is not used).
 *
 * The journal is best effort where the disk fails: each failing operation reports a warning saying
 * that a killed create may then leave a session the next `up` does not know about.
 */
import { createHash, randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isPathId } from "../../graph/pathId";
import { canonicalJson } from "../session/spec";

/** Environment variable that sets the journal directory (of the provider host's process). */
export const JOURNAL_DIR_ENV = "M365_BACKUP_JOURNAL_DIR";

/** Input properties that change only how `up` waits or reports, not what is restored: not in the fingerprint. */
export const FINGERPRINT_EXCLUDED_INPUTS: readonly string[] = [
  "waitForCompletion",
  "completionTimeoutMinutes",
  "artifactOutputs",
];

/** How long an entry's lease lasts without a heartbeat. */
export const DEFAULT_LEASE_IN_MS = 60_000;
/** Entries older than this are removed when the directory is scanned. */
export const MAX_ENTRY_AGE_IN_MS = 30 * 24 * 60 * 60_000;

/** The process that owns an entry. */
export interface JournalOwner {
  /** `hostname/boot_id` (boot id empty where `/proc` has none). */
  readonly hostId: string;
  readonly pid: number;
  /** Field 22 of `/proc/<pid>/stat` (clock ticks since boot), or `""` where unknown. */
  readonly startTime: string;
  /** Random, per process: tells this process's entries from a pid-reusing one's. */
  readonly token: string;
}

/** What one in-flight create wrote down. */
export interface JournalEntry {
  readonly version: 2;
  /** See {@link createFingerprint}. */
  readonly fingerprint: string;
  readonly owner: JournalOwner;
  /** ISO time the lease ends unless the owner's heartbeat renews it. */
  readonly leaseExpiresAt: string;
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

// ---- Who runs ----------------------------------------------------------------------------------------

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return "";
  }
}

/** `hostname/boot_id`: a reboot or another machine gives another id. */
export function currentHostId(): string {
  return `${os.hostname()}/${readText("/proc/sys/kernel/random/boot_id")}`;
}

/**
 * Field 22 of `/proc/<pid>/stat`, the process start time; `""` when unknown, `undefined` when no such
 * process is visible. The command name (field 2) may hold spaces and parentheses, so fields are
 * counted from the last `)`.
 */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ESRCH") {
      // No /proc at all (not Linux): say unknown rather than dead, unless kill says no such process.
      if (!fs.existsSync("/proc/self/stat")) return processIsAlive(pid) ? "" : undefined;
      return undefined;
    }
    return "";
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After ")" come field 3 (state) onwards: field 22 is index 19.
  return fields[19] ?? "";
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

/** This process as an owner (a fresh token per process). */
let selfOwner: JournalOwner | undefined;
export function currentOwner(): JournalOwner {
  selfOwner ??= {
    hostId: currentHostId(),
    pid: process.pid,
    startTime: processStartTime(process.pid) ?? "",
    token: randomBytes(8).toString("hex"),
  };
  return selfOwner;
}

/** How the journal sees processes; the defaults look at this machine. */
export interface ProcessView {
  readonly hostId: string;
  /** See {@link processStartTime}. */
  startTime(pid: number): string | undefined;
}

const realProcesses: ProcessView = { hostId: currentHostId(), startTime: processStartTime };

/**
 * Whether `owner` is provably gone: only on this host and boot, and only when its pid runs no process
 * or one that started at another time (the pid was reused, e.g. in a new PID namespace).
 */
export function ownerIsDead(owner: JournalOwner, processes: ProcessView): boolean {
  if (owner.hostId !== processes.hostId) return false;
  const started = processes.startTime(owner.pid);
  if (started === undefined) return true;
  return owner.startTime !== "" && started !== "" && started !== owner.startTime;
}

// ---- Entries on disk ---------------------------------------------------------------------------------

const ENTRY_SUFFIX = ".json";
const FINGERPRINT_PATTERN = /^[0-9a-f]{64}$/;
const TOKEN_PATTERN = /^[0-9a-f]{16}$/;

/** `<fingerprint>.<token>.<nonce>.json`: a rename to another token transfers the entry. */
function entryName(fingerprint: string, token: string): string {
  return `${fingerprint}.${token}.${randomBytes(6).toString("hex")}${ENTRY_SUFFIX}`;
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

function isTime(value: unknown): value is string {
  return typeof value === "string" && Number.isFinite(Date.parse(value));
}

/** The entry in `file` if every field is valid; anything else is not trusted. */
export function parseEntry(text: string): JournalEntry | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const owner = (value?.owner ?? {}) as Record<string, unknown>;
  const valid =
    value.version === 2 &&
    typeof value.fingerprint === "string" &&
    FINGERPRINT_PATTERN.test(value.fingerprint) &&
    isTime(value.startedAt) &&
    isTime(value.leaseExpiresAt) &&
    (value.sessionId === undefined || isPathId(value.sessionId)) &&
    typeof owner.hostId === "string" &&
    Number.isInteger(owner.pid) &&
    (owner.pid as number) > 0 &&
    typeof owner.startTime === "string" &&
    /^\d*$/.test(owner.startTime) &&
    typeof owner.token === "string" &&
    TOKEN_PATTERN.test(owner.token);
  if (!valid) return undefined;
  return {
    version: 2,
    fingerprint: value.fingerprint as string,
    owner: {
      hostId: owner.hostId as string,
      pid: owner.pid as number,
      startTime: owner.startTime as string,
      token: owner.token as string,
    },
    leaseExpiresAt: value.leaseExpiresAt as string,
    startedAt: value.startedAt as string,
    ...(value.sessionId === undefined ? {} : { sessionId: value.sessionId as string }),
  };
}

function readEntry(file: string): JournalEntry | undefined {
  try {
    return parseEntry(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

// ---- The journal -------------------------------------------------------------------------------------

/** One entry this process owns. Its heartbeat renews the lease until {@link end} or {@link release}. */
export interface JournalHandle {
  /** When the create began (before its POST); for a claimed leftover, when the first create began. */
  readonly startedAt: Date;
  /** Records the session id (right after the POST answered, or when a session was adopted). */
  recordSession(sessionId: string): void;
  /** Removes the entry: the engine has the id, or no session was made. Idempotent. */
  end(): void;
  /**
   * Keeps the entry but gives it up now (lease expired, heartbeat stopped): the create stopped without
   * knowing whether Graph made the session, so the next create looks for it. Idempotent.
   */
  release(): void;
}

/** What {@link Journal.acquire} found for a fingerprint. */
export type Acquired =
  /** Nothing left over: a new entry, written now. */
  | { readonly kind: "new"; readonly handle: JournalHandle }
  /** An earlier create's entry, now ours. */
  | { readonly kind: "leftover"; readonly sessionId?: string; readonly handle: JournalHandle }
  /** Another live create of the same fingerprint holds a lease: wait for it. */
  | { readonly kind: "busy"; readonly owner: JournalOwner; readonly leaseExpiresAt: Date };

/** The journal's operations; build one per provider call with {@link openJournal}. */
export interface Journal {
  /**
   * For a create about to start: claims the oldest leftover of `fingerprint` (lease expired or owner
   * provably dead), else reports a live one (`busy`), else writes a new entry.
   */
  acquire(fingerprint: string): Acquired;
}

/** Options for {@link openJournal}; the defaults are the real ones. */
export interface JournalOptions {
  /** Defaults to {@link journalDirectory}. */
  directory?: string;
  /** Told once per failed operation (a failing directory); never throws. */
  onWarning?: (message: string) => void;
  /** This process. */
  owner?: JournalOwner;
  /** The processes of this machine. */
  processes?: ProcessView;
  /** The current time. */
  now?: () => Date;
  /** Lease length; the heartbeat renews it every third of this. */
  leaseInMs?: number;
}

/** Why the directory cannot be trusted, or undefined when it is fine (fixed if it was group-writable). */
function checkDirectory(directory: string): string | undefined {
  const stat = fs.statSync(directory);
  if (!stat.isDirectory()) return "it is not a directory";
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  if (uid !== undefined && stat.uid !== uid) {
    return `it belongs to uid ${stat.uid}, not to this user (uid ${uid}); another user could plant entries`;
  }
  if ((stat.mode & 0o022) !== 0) fs.chmodSync(directory, stat.mode & 0o755 & ~0o022);
  return undefined;
}

/** Opens the journal (creating its directory 0700 on first write). Holds no open resources. */
export function openJournal(options: JournalOptions = {}): Journal {
  const directory = options.directory ?? journalDirectory();
  const owner = options.owner ?? currentOwner();
  const processes = options.processes ?? realProcesses;
  const now = options.now ?? ((): Date => new Date());
  const leaseInMs = options.leaseInMs ?? DEFAULT_LEASE_IN_MS;
  const warn = (what: string, error: unknown): void =>
    options.onWarning?.(
      `The create journal (${directory}) could not ${what} (${describe(error)}); continuing without it, ` +
        `so a provider host killed during this create may leave a session the next up does not know about.`,
    );
  const lease = (): string => new Date(now().getTime() + leaseInMs).toISOString();

  const handleFor = (file: string, base: JournalEntry): JournalHandle => {
    let entry = base;
    let done = false;
    const write = (what: string): void => {
      try {
        writeEntry(file, entry);
      } catch (error) {
        warn(what, error);
      }
    };
    const heartbeat = setInterval(
      () => {
        // Claimed by another create (our lease had expired): it is theirs now.
        if (!fs.existsSync(file)) {
          clearInterval(heartbeat);
          return;
        }
        entry = { ...entry, leaseExpiresAt: lease() };
        write("renew a lease");
      },
      Math.max(1, Math.floor(leaseInMs / 3)),
    );
    heartbeat.unref();
    const stop = (): boolean => {
      if (done) return false;
      done = true;
      clearInterval(heartbeat);
      return true;
    };
    return {
      startedAt: new Date(base.startedAt),
      recordSession(sessionId) {
        if (done) return;
        entry = { ...entry, sessionId, leaseExpiresAt: lease() };
        write("record the session id");
      },
      end() {
        if (!stop()) return;
        try {
          fs.rmSync(file, { force: true });
        } catch (error) {
          warn("remove an entry", error);
        }
      },
      release() {
        if (!stop()) return;
        entry = { ...entry, leaseExpiresAt: new Date(0).toISOString() };
        write("give up an entry");
      },
    };
  };

  const ensureDirectory = (): boolean => {
    try {
      fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
      const problem = checkDirectory(directory);
      if (problem === undefined) return true;
      options.onWarning?.(
        `The create journal (${directory}) is not used: ${problem}. Point ${JOURNAL_DIR_ENV} at a directory of ` +
          `your own; until then a provider host killed during a create may leave a session the next up does not know about.`,
      );
    } catch (error) {
      warn("be opened", error);
    }
    return false;
  };

  const begin = (fingerprint: string): Acquired => {
    const entry: JournalEntry = {
      version: 2,
      fingerprint,
      owner,
      leaseExpiresAt: lease(),
      startedAt: now().toISOString(),
    };
    const file = path.join(directory, entryName(fingerprint, owner.token));
    try {
      writeEntry(file, entry);
    } catch (error) {
      warn("write an entry", error);
    }
    return { kind: "new", handle: handleFor(file, entry) };
  };

  /** Reads every entry of `fingerprint`, removing expired-by-age and unreadable ones. */
  const scan = (fingerprint: string): { name: string; entry: JournalEntry }[] => {
    let names: string[];
    try {
      names = fs.readdirSync(directory);
    } catch (error) {
      warn("be read", error);
      return [];
    }
    const found: { name: string; entry: JournalEntry }[] = [];
    for (const name of names.filter((n) => n.endsWith(ENTRY_SUFFIX))) {
      const file = path.join(directory, name);
      const entry = readEntry(file);
      const old = entry === undefined || now().getTime() - Date.parse(entry.startedAt) > MAX_ENTRY_AGE_IN_MS;
      if (old) {
        // Invalid entries are left where they are (a warning names them); only valid, old ones go.
        if (entry === undefined) {
          options.onWarning?.(
            `The create journal (${directory}) holds an entry it cannot read, ${name}; ignoring it.`,
          );
        } else {
          fs.rmSync(file, { force: true });
        }
        continue;
      }
      if (entry.fingerprint === fingerprint && name.startsWith(`${fingerprint}.`))
        found.push({ name, entry });
    }
    return found.sort((a, b) => Date.parse(a.entry.startedAt) - Date.parse(b.entry.startedAt));
  };

  const isLeftover = (entry: JournalEntry): boolean =>
    Date.parse(entry.leaseExpiresAt) <= now().getTime() ||
    (entry.owner.token !== owner.token && ownerIsDead(entry.owner, processes));

  const claim = (name: string): Acquired | undefined => {
    const claimed = path.join(directory, entryName(name.split(".")[0], owner.token));
    try {
      // Atomic: whoever renames first owns the entry; the others get ENOENT and try the next.
      fs.renameSync(path.join(directory, name), claimed);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") warn("claim an entry", error);
      return undefined;
    }
    const previous = readEntry(claimed);
    if (previous === undefined) return undefined;
    const entry: JournalEntry = { ...previous, owner, leaseExpiresAt: lease() };
    try {
      writeEntry(claimed, entry);
    } catch (error) {
      warn("take over an entry", error);
    }
    return {
      kind: "leftover",
      ...(entry.sessionId !== undefined ? { sessionId: entry.sessionId } : {}),
      handle: handleFor(claimed, entry),
    };
  };

  return {
    acquire(fingerprint) {
      if (!FINGERPRINT_PATTERN.test(fingerprint)) throw new Error("internal: not a journal fingerprint");
      if (!ensureDirectory()) return { kind: "new", handle: unusedHandle(now()) };
      const entries = scan(fingerprint);
      for (const candidate of entries.filter((c) => isLeftover(c.entry))) {
        const claimed = claim(candidate.name);
        if (claimed) return claimed;
      }
      const live = entries.find((c) => !isLeftover(c.entry) && fs.existsSync(path.join(directory, c.name)));
      if (live) {
        return { kind: "busy", owner: live.entry.owner, leaseExpiresAt: new Date(live.entry.leaseExpiresAt) };
      }
      return begin(fingerprint);
    },
  };
}

/** The handle of a create that runs without a journal (the directory was refused or failed). */
function unusedHandle(startedAt: Date): JournalHandle {
  return { startedAt, recordSession: () => undefined, end: () => undefined, release: () => undefined };
}
