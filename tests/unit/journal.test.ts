import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  createFingerprint,
  journalDirectory,
  openJournal,
  processIsAlive,
  type FingerprintParts,
  type JournalEntry,
} from "../../provider/resources/journal";

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
  const fp = createFingerprint(PARTS);

  beforeEach(() => {
    directory = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "m365-journal-")), "journal");
    warnings = [];
  });
  afterEach(() => {
    fs.rmSync(path.dirname(directory), { recursive: true, force: true });
  });

  /** The pids of these tests' "killed" provider hosts; every other pid counts as running. */
  const DEAD = new Set([1001, 1002]);
  const open = (pid: number, alive: (pid: number) => boolean = (other) => !DEAD.has(other)) =>
    openJournal({ directory, pid, isAlive: alive, onWarning: (message) => warnings.push(message) });

  const entries = (): JournalEntry[] =>
    fs
      .readdirSync(directory)
      .map((name) => JSON.parse(fs.readFileSync(path.join(directory, name), "utf8")) as JournalEntry);

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

  it("writes an entry before the POST (directory 0700, file 0600) holding only fingerprint, pid and time", () => {
    const handle = open(4242).begin(fp);
    expect(fs.statSync(directory).mode & 0o777).to.equal(0o700);
    const names = fs.readdirSync(directory);
    expect(names).to.have.length(1);
    expect(fs.statSync(path.join(directory, names[0])).mode & 0o777).to.equal(0o600);
    const [entry] = entries();
    expect(Object.keys(entry).sort()).to.deep.equal(["fingerprint", "pid", "startedAt"]);
    expect(entry).to.include({ fingerprint: fp, pid: 4242 });
    handle.recordSession("session-1");
    expect(entries()).to.deep.equal([{ ...entry, sessionId: "session-1" }]);
    expect(fs.readdirSync(directory), "no temporary file left").to.have.length(1);
    expect(fs.readFileSync(path.join(directory, names[0]), "utf8")).to.not.include("rp-1");
  });

  it("removes the entry at end, once, and records nothing after it", () => {
    const handle = open(4242).begin(fp);
    handle.end();
    handle.recordSession("late");
    handle.end();
    expect(fs.readdirSync(directory)).to.deep.equal([]);
    expect(warnings).to.deep.equal([]);
  });

  it("hands a dead process's entry over with its start time and session id", () => {
    const left = open(1001).begin(fp);
    left.recordSession("session-1");
    const claimed = open(2002).claimLeftover(fp);
    expect(claimed?.sessionId).to.equal("session-1");
    expect(claimed?.startedAt).to.be.instanceOf(Date);
    expect(entries()).to.have.length(1);
    expect(entries()[0]).to.include({ pid: 2002, sessionId: "session-1" });
    expect(open(3003).claimLeftover(fp), "owned by a running process now").to.equal(undefined);
    claimed?.handle.end();
    expect(fs.readdirSync(directory)).to.deep.equal([]);
  });

  it("reports a leftover without a session id when the process died before the POST answered", () => {
    open(1001).begin(fp);
    const claimed = open(2002).claimLeftover(fp);
    expect(claimed).to.not.equal(undefined);
    expect(claimed?.sessionId).to.equal(undefined);
  });

  it("never treats a running process's entry, or this process's own, as a leftover", () => {
    open(1001).begin(fp);
    expect(open(2002, (pid) => pid === 1001).claimLeftover(fp)).to.equal(undefined);
    const own = openJournal({ directory, pid: 2002, isAlive: () => false });
    // Every other pid counts as dead here: only the pid check keeps 2002 from claiming its own entry.
    own.begin(fp);
    expect(own.claimLeftover(fp), "only the entry of 1001 can be claimed").to.not.equal(undefined);
    expect(own.claimLeftover(fp), "its own entries never").to.equal(undefined);
  });

  it("ignores entries with another fingerprint", () => {
    open(1001).begin(createFingerprint({ ...PARTS, kind: "oneDriveForBusiness" }));
    expect(open(2002).claimLeftover(fp)).to.equal(undefined);
  });

  it("lets exactly one of two claimants take a leftover", () => {
    open(1001).begin(fp).recordSession("session-1");
    const first = open(2002).claimLeftover(fp);
    const second = open(3003).claimLeftover(fp);
    expect([first?.sessionId, second?.sessionId]).to.deep.equal(["session-1", undefined]);
  });

  it("takes the oldest leftover first", () => {
    let time = Date.parse("2026-11-22T10:00:00Z");
    const at = (pid: number) =>
      openJournal({
        directory,
        pid,
        isAlive: (other) => !DEAD.has(other),
        now: () => new Date((time += 1_000)),
      });
    at(1001).begin(fp).recordSession("older");
    at(1002).begin(fp).recordSession("newer");
    expect(at(2002).claimLeftover(fp)?.sessionId).to.equal("older");
    expect(at(2003).claimLeftover(fp)?.sessionId).to.equal("newer");
  });

  it("detects a real dead process with process.kill(pid, 0)", () => {
    expect(processIsAlive(process.pid)).to.equal(true);
    expect(processIsAlive(deadPid())).to.equal(false);
    openJournal({ directory, pid: deadPid() }).begin(fp);
    expect(openJournal({ directory }).claimLeftover(fp)).to.not.equal(undefined);
  });

  it("warns and carries on when the directory cannot be written", () => {
    const blocked = path.join(path.dirname(directory), "a-file");
    fs.mkdirSync(path.dirname(directory), { recursive: true });
    fs.writeFileSync(blocked, "");
    const journal = openJournal({
      directory: path.join(blocked, "journal"),
      onWarning: (message) => warnings.push(message),
    });
    const handle = journal.begin(fp);
    handle.recordSession("session-1");
    handle.end();
    expect(journal.claimLeftover(fp)).to.equal(undefined);
    expect(warnings.length).to.be.greaterThan(0);
    expect(warnings[0]).to.match(/could not write an entry \(ENOTDIR\); continuing without it/);
  });
});
