import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as sinon from "sinon";
import {
  createFingerprint,
  currentOwner,
  DEFAULT_LEASE_IN_MS,
  journalDirectory,
  MAX_ENTRY_AGE_IN_MS,
  openJournal,
  ownerIsDead,
  parseEntry,
  processIsAlive,
  processStartTime,
  type Acquired,
  type FingerprintParts,
  type JournalEntry,
  type JournalOwner,
  type ProcessView,
} from "../../provider/resources/create/journal";

const PARTS: FingerprintParts = {
  tenantId: "7f1c7c4e-5c55-4bd1-a6e5-6a3f3b5e2c10",
  clientId: "0d6a4e3b-2f1e-4a5b-9c8d-7e6f5a4b3c2d",
  graphEndpoint: "https://graph.microsoft.com",
  apiVersion: "v1.0",
  kind: "exchange",
  inputs: {
    mailboxRestoreArtifacts: [{ restorePoint: { id: "rp-1" } }],
    activate: true,
    waitForCompletion: true,
    completionTimeoutMinutes: 60,
    triggers: ["drill-1"],
  },
};

/** A pid that certainly does not run: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid;
}

describe("create journal", () => {
  let directory: string;
  let warnings: string[];
  let clock: sinon.SinonFakeTimers;
  const fp = createFingerprint(PARTS);

  beforeEach(() => {
    directory = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "m365-journal-")), "journal");
    warnings = [];
    clock = sinon.useFakeTimers({
      now: Date.parse("2026-12-04T10:00:00Z"),
      toFake: ["Date", "setInterval", "clearInterval"],
    });
  });
  afterEach(() => {
    clock.restore();
    fs.rmSync(path.dirname(directory), { recursive: true, force: true });
  });

  const HOST = "runner-1/boot-a";
  /** Processes of HOST: pid -> start time. Pids not listed do not run. */
  const running = new Map<number, string>([
    [4242, "1000"],
    [2002, "2000"],
  ]);
  const machine: ProcessView = { hostId: HOST, startTime: (pid) => running.get(pid) };
  const owner = (pid: number, startTime = running.get(pid) ?? "777", hostId = HOST): JournalOwner => ({
    hostId,
    pid,
    startTime,
    token: (pid.toString(16) + startTime).padEnd(16, "0").slice(0, 16),
  });
  const open = (who: JournalOwner) =>
    openJournal({
      directory,
      owner: who,
      processes: machine,
      onWarning: (message) => warnings.push(message),
    });
  const entries = (): JournalEntry[] =>
    fs
      .readdirSync(directory)
      .map((name) => JSON.parse(fs.readFileSync(path.join(directory, name), "utf8")) as JournalEntry);
  const handleOf = (acquired: Acquired) => {
    if (acquired.kind === "busy") throw new Error("busy");
    return acquired.handle;
  };

  describe("fingerprint", () => {
    it("is a sha256 hex digest that ignores the waiting options and key order", () => {
      const reordered = {
        ...PARTS,
        inputs: {
          triggers: ["drill-1"],
          activate: true,
          mailboxRestoreArtifacts: [{ restorePoint: { id: "rp-1" } }],
          waitForCompletion: false,
          completionTimeoutMinutes: 5,
        },
      };
      expect(fp).to.match(/^[0-9a-f]{64}$/);
      expect(createFingerprint(reordered)).to.equal(fp);
    });

    it("changes with triggers, activate, artifacts, kind, tenant, app, endpoint and API version", () => {
      const variants: FingerprintParts[] = [
        { ...PARTS, inputs: { ...PARTS.inputs, triggers: ["drill-2"] } },
        { ...PARTS, inputs: { ...PARTS.inputs, activate: false } },
        {
          ...PARTS,
          inputs: { ...PARTS.inputs, mailboxRestoreArtifacts: [{ restorePoint: { id: "rp-2" } }] },
        },
        { ...PARTS, kind: "sharePoint" },
        { ...PARTS, tenantId: "another-tenant" },
        { ...PARTS, clientId: "another-app" },
        { ...PARTS, graphEndpoint: "https://127.0.0.1:4443" },
        { ...PARTS, apiVersion: "beta" },
      ];
      const prints = variants.map(createFingerprint);
      expect(new Set([fp, ...prints]).size).to.equal(variants.length + 1);
    });
  });

  it("defaults to a folder under the home directory and honours M365_BACKUP_JOURNAL_DIR", () => {
    expect(journalDirectory({})).to.equal(path.join(os.homedir(), ".pulumi-m365-backup", "journal"));
    expect(journalDirectory({ M365_BACKUP_JOURNAL_DIR: directory })).to.equal(directory);
  });

  it("writes an entry before the POST (0700/0600) with its owner and lease, never the inputs", () => {
    const acquired = open(owner(4242)).acquire(fp);
    expect(acquired.kind).to.equal("new");
    expect(fs.statSync(directory).mode & 0o777).to.equal(0o700);
    const names = fs.readdirSync(directory);
    expect(names).to.have.length(1);
    expect(fs.statSync(path.join(directory, names[0])).mode & 0o777).to.equal(0o600);
    const [entry] = entries();
    expect(Object.keys(entry).sort()).to.deep.equal([
      "fingerprint",
      "leaseExpiresAt",
      "owner",
      "startedAt",
      "version",
    ]);
    expect(entry.owner).to.deep.equal(owner(4242));
    expect(Date.parse(entry.leaseExpiresAt) - Date.now()).to.equal(DEFAULT_LEASE_IN_MS);
    handleOf(acquired).recordSession("session-1");
    expect(entries()[0].sessionId).to.equal("session-1");
    expect(fs.readFileSync(path.join(directory, names[0]), "utf8")).to.not.include("rp-1");
    handleOf(acquired).end();
  });

  it("renews the lease with a heartbeat until end, and removes the entry once", () => {
    const handle = handleOf(open(owner(4242)).acquire(fp));
    clock.tick(DEFAULT_LEASE_IN_MS * 2);
    expect(Date.parse(entries()[0].leaseExpiresAt)).to.be.greaterThan(Date.now());
    handle.end();
    handle.recordSession("late");
    handle.end();
    expect(fs.readdirSync(directory)).to.deep.equal([]);
    expect(warnings).to.deep.equal([]);
  });

  it("reports a live entry of another process as busy, and never claims it", () => {
    const first = handleOf(open(owner(4242)).acquire(fp));
    const second = open(owner(2002)).acquire(fp);
    expect(second.kind).to.equal("busy");
    expect(second.kind === "busy" && second.owner.pid).to.equal(4242);
    first.end();
    const third = open(owner(2002)).acquire(fp);
    expect(third.kind).to.equal("new");
    handleOf(third).end();
  });

  it("hands over the entry of a process that no longer runs, with its start time and session id", () => {
    const dead = owner(1001, "500");
    const left = handleOf(open(dead).acquire(fp));
    left.recordSession("session-1");
    // The host is killed: no heartbeat any more, and pid 1001 runs nothing.
    const claimed = open(owner(2002)).acquire(fp);
    expect(claimed.kind).to.equal("leftover");
    expect(claimed.kind === "leftover" && claimed.sessionId).to.equal("session-1");
    expect(entries()).to.have.length(1);
    expect(entries()[0].owner.pid).to.equal(2002);
    expect(open(owner(4242)).acquire(fp).kind, "owned by a running process now").to.equal("busy");
    handleOf(claimed).end();
    left.end();
  });

  it("treats an entry whose pid was reused (another start time: a new PID namespace) as a leftover", () => {
    // The killed job's host had pid 4242 too, but started at another time than the running 4242.
    const killed = owner(4242, "999");
    const left = handleOf(open(killed).acquire(fp));
    left.recordSession("session-1");
    expect(ownerIsDead(killed, machine)).to.equal(true);
    expect(ownerIsDead(owner(4242), machine)).to.equal(false);
    const claimed = open(owner(4242)).acquire(fp);
    expect(claimed.kind === "leftover" && claimed.sessionId).to.equal("session-1");
    handleOf(claimed).end();
    left.end();
  });

  it("never proves another host's owner dead: its entry is a leftover only once its lease expires", () => {
    const elsewhere = owner(1001, "500", "runner-2/boot-b");
    const left = handleOf(open(elsewhere).acquire(fp));
    left.recordSession("session-1");
    expect(open(owner(2002)).acquire(fp).kind).to.equal("busy");
    // Its heartbeat stops (the host died); the lease runs out.
    left.release();
    const claimed = open(owner(2002)).acquire(fp);
    expect(claimed.kind === "leftover" && claimed.sessionId).to.equal("session-1");
    handleOf(claimed).end();
  });

  it("lets exactly one of two claimants take a leftover", () => {
    handleOf(open(owner(1001, "5")).acquire(fp)).recordSession("session-1");
    const first = open(owner(2002)).acquire(fp);
    const second = open(owner(4242)).acquire(fp);
    expect(first.kind).to.equal("leftover");
    expect(second.kind, "the claimed entry is live again").to.equal("busy");
    handleOf(first).end();
  });

  it("gives an entry up on release: kept, lease expired, so the next create looks for its session", () => {
    const handle = handleOf(open(owner(4242)).acquire(fp));
    handle.release();
    expect(entries()).to.have.length(1);
    const next = open(owner(4242)).acquire(fp);
    expect(next.kind, "even the same process claims a given-up entry").to.equal("leftover");
    handleOf(next).end();
  });

  it("ignores entries with another fingerprint, and removes entries older than the age limit", () => {
    handleOf(
      open(owner(1001, "5")).acquire(createFingerprint({ ...PARTS, kind: "oneDriveForBusiness" })),
    ).release();
    const ours = open(owner(2002)).acquire(fp);
    expect(ours.kind).to.equal("new");
    handleOf(ours).release();
    clock.setSystemTime(Date.now() + MAX_ENTRY_AGE_IN_MS + 1);
    const again = open(owner(4242)).acquire(createFingerprint({ ...PARTS, kind: "sharePoint" }));
    handleOf(again).end();
    expect(fs.readdirSync(directory)).to.deep.equal([]);
  });

  it("validates every field it reads back", () => {
    const good: JournalEntry = {
      version: 2,
      fingerprint: fp,
      owner: owner(1001, "5"),
      leaseExpiresAt: "2026-12-04T10:01:00.000Z",
      startedAt: "2026-12-04T10:00:00.000Z",
      sessionId: "0f3f9d1e-1111-4222-8333-944455556666",
    };
    expect(parseEntry(JSON.stringify(good))).to.deep.equal(good);
    const bad: unknown[] = [
      { ...good, sessionId: ".." },
      { ...good, sessionId: "a/b" },
      { ...good, fingerprint: "not-hex" },
      { ...good, startedAt: "yesterday" },
      { ...good, leaseExpiresAt: 5 },
      { ...good, owner: { ...good.owner, pid: -1 } },
      { ...good, owner: { ...good.owner, token: "zz" } },
      { ...good, version: 1 },
    ];
    for (const entry of bad)
      expect(parseEntry(JSON.stringify(entry)), JSON.stringify(entry)).to.equal(undefined);
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    fs.writeFileSync(
      path.join(directory, `${fp}.00000000000003e9.aaaaaaaaaaaa.json`),
      JSON.stringify(bad[0]),
    );
    expect(open(owner(2002)).acquire(fp).kind, "an invalid entry is never adopted").to.equal("new");
    expect(warnings.join("\n")).to.match(/cannot read/);
  });

  it("removes group and other write from its directory, and refuses one that another user owns", () => {
    fs.mkdirSync(directory, { recursive: true });
    fs.chmodSync(directory, 0o777);
    handleOf(open(owner(4242)).acquire(fp)).end();
    expect(fs.statSync(directory).mode & 0o022).to.equal(0);
    if (process.getuid?.() === 0) return; // root owns everything it makes; the refusal is not testable as root
    const foreign = "/";
    const journal = openJournal({
      directory: foreign,
      owner: owner(4242),
      processes: machine,
      onWarning: (m) => warnings.push(m),
    });
    expect(journal.acquire(fp).kind).to.equal("new");
    expect(warnings.join("\n")).to.match(/is not used: it belongs to uid 0/);
  });

  it("reads this process's owner from /proc: host and boot, pid, start time", () => {
    const self = currentOwner();
    expect(self.pid).to.equal(process.pid);
    expect(self.token).to.match(/^[0-9a-f]{16}$/);
    if (fs.existsSync("/proc/self/stat")) {
      expect(self.startTime).to.match(/^\d+$/);
      expect(self.hostId).to.match(new RegExp(`^${os.hostname()}/[0-9a-f-]+$`));
    }
    expect(processStartTime(deadPid())).to.equal(undefined);
    expect(processIsAlive(process.pid)).to.equal(true);
  });

  it("warns and carries on when the directory cannot be written", () => {
    const blocked = path.join(path.dirname(directory), "a-file");
    fs.mkdirSync(path.dirname(directory), { recursive: true });
    fs.writeFileSync(blocked, "");
    const journal = openJournal({
      directory: path.join(blocked, "journal"),
      onWarning: (message) => warnings.push(message),
    });
    const acquired = journal.acquire(fp);
    expect(acquired.kind).to.equal("new");
    handleOf(acquired).recordSession("session-1");
    handleOf(acquired).end();
    expect(warnings.length).to.be.greaterThan(0);
    expect(warnings[0]).to.match(/could not be opened \(ENOTDIR\); continuing without it/);
  });
});
