/**
 * `npm run drill` end to end: the built command, spawned as a user runs it, against its own emulator.
 * The report it writes is checked against what the emulator itself recorded (its request log and the
 * final state of every session, read from the emulator's service, not through the drill's client).
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DrillReport } from "../../tools/drill/report";
import type { EmulatorEvidence } from "../../tools/drill/evidence";
import { findPulumiCli } from "../../tools/runner";

const REPO = path.resolve(__dirname, "..", "..");
const DRILL = path.join(REPO, "dist", "tools", "drill", "main.js");

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationInMs: number;
}

function runDrill(args: readonly string[]): Promise<Finished> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DRILL, ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, durationInMs: Date.now() - started }));
  });
}

const CREATE =
  /^\/v1\.0\/solutions\/backupRestore\/(exchange|sharePoint|oneDriveForBusiness)RestoreSessions$/;
const ACTIVATE = /^\/v1\.0\/solutions\/backupRestore\/restoreSessions\/([^/]+)\/activate$/;

describe("npm run drill, end to end against the emulator", function () {
  this.timeout(240_000);
  let directory: string;
  let run: Finished;
  let report: DrillReport;
  let evidence: EmulatorEvidence;

  before(async function () {
    if (!fs.existsSync(DRILL)) {
      throw new Error(`${DRILL} is missing: run \`npm run build\` first (npm test does).`);
    }
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "drill-e2e-"));
    run = await runDrill([
      "--out",
      path.join(directory, "report"),
      "--emulator-evidence",
      path.join(directory, "evidence.json"),
    ]);
    if (run.code !== 0) {
      throw new Error(`the drill exited with ${run.code}\n${run.stdout}\n${run.stderr}`);
    }
    report = JSON.parse(
      fs.readFileSync(path.join(directory, "report", "report.json"), "utf8"),
    ) as DrillReport;
    evidence = JSON.parse(fs.readFileSync(path.join(directory, "evidence.json"), "utf8")) as EmulatorEvidence;
    console.log(`    the drill took ${(run.durationInMs / 1000).toFixed(1)} s`);
  });

  after(() => {
    if (directory) {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it("says how it ran the program and prints a plain line per change when stdout is not a terminal", () => {
    const expected = findPulumiCli()
      ? /through the Pulumi Automation API \(pulumi CLI found at /
      : /through the lifecycle runner \(no pulumi CLI on PATH\)/;
    expect(run.stdout).to.match(expected);
    expect(run.stdout).not.to.contain("\x1b");
    expect(run.stdout).to.match(/\] Exchange session \S+ \w+ → completed \(5\/5 done/);
    expect(run.stdout).to.match(/\] SharePoint session \S+ .*completed/);
    expect(run.stdout).to.match(/\] OneDrive session \S+ .*completed/);
  });

  it("leaves the three report files and prints the summary with the RTO per workload", () => {
    for (const file of ["report.json", "report.md", "report.html"]) {
      expect(fs.statSync(path.join(directory, "report", file)).size, file).to.be.greaterThan(500);
    }
    expect(run.stdout).to.contain("Drill PASSED");
    expect(run.stdout).to.match(
      /Exchange Online \(mailboxes\)\s+5\/5 restored\s+median [\d.]+ s, p95 [\d.]+ s, max [\d.]+ s\s+→ Met/,
    );
    expect(run.stdout).to.contain(path.join("report", "report.html"));
  });

  it("reports exactly the sessions the program created and activated, as the request log shows", () => {
    const program = evidence.requestLog.filter(
      (entry) => entry.kind === "graph" && entry.appId === evidence.programAppId,
    );
    const creates = program.filter(
      (entry) => entry.method === "POST" && CREATE.test(entry.path) && entry.status === 201,
    );
    const activated = program
      .filter((entry) => entry.method === "POST" && entry.status === 200)
      .flatMap((entry) => ACTIVATE.exec(entry.path)?.[1] ?? []);
    const reported = report.sessions.map((session) => session.id).sort();
    expect(creates).to.have.length(3);
    expect(reported).to.deep.equal(evidence.sessions.map(({ session }) => String(session.id)).sort());
    expect(reported).to.deep.equal([...activated].sort());
    expect(report.sessions.map((session) => session.kind).sort()).to.deep.equal([
      "exchange",
      "oneDriveForBusiness",
      "sharePoint",
    ]);
  });

  it("gives every artifact the status, times and restore point Graph holds at the end", () => {
    for (const session of report.sessions) {
      const held = evidence.sessions.find(({ session: candidate }) => candidate.id === session.id);
      expect(held, session.id).to.not.equal(undefined);
      expect(session.status).to.equal(held!.session.status);
      expect(session.createdDateTime).to.equal(held!.session.createdDateTime);
      const artifacts = held!.artifacts.map((artifact) => ({
        id: artifact.id,
        status: artifact.status,
        completionDateTime: artifact.completionDateTime,
        restorePointId: (artifact.restorePoint as { id: string }).id,
      }));
      expect(
        session.artifacts.map((artifact) => ({
          id: artifact.id,
          status: artifact.status,
          completionDateTime: artifact.completionDateTime,
          restorePointId: artifact.restorePoint.id,
        })),
      ).to.have.deep.members(artifacts);
    }
    expect(report.counts).to.deep.equal({ sessions: 3, total: 8, succeeded: 8, failed: 0, notFinished: 0 });
  });

  it("names what each item is and restores everything to a new location", () => {
    const labels = report.sessions.flatMap((session) => session.artifacts.map((artifact) => artifact.label));
    expect(labels.filter((label) => /^user\d{4}@contoso\.com$/.test(label))).to.have.length(7);
    expect(labels).to.include("https://contoso.sharepoint.com/sites/security-0001");
    expect(
      report.sessions.flatMap((session) => session.artifacts.map((artifact) => artifact.destinationType)),
    ).to.satisfy((types: string[]) => types.every((type) => type === "new"));
  });

  it("counts the program's Graph requests from the request log, apart from the drill's own reads", () => {
    const program = evidence.requestLog.filter(
      (entry) => entry.kind === "graph" && entry.appId === evidence.programAppId,
    );
    const writes = program.filter(
      (entry) =>
        ["POST", "PATCH", "DELETE"].includes(entry.method) && !entry.path.endsWith("/restorePoints/search"),
    );
    expect(report.requests?.total).to.equal(program.length);
    expect(report.requests?.writes).to.equal(writes.length);
    expect(writes.length).to.equal(6); // three creates, three activations: nothing else changed anything
    const observer = evidence.requestLog.filter(
      (entry) => entry.kind === "graph" && entry.appId !== evidence.programAppId,
    );
    expect(observer.length).to.be.greaterThan(0);
    expect(
      observer.every((entry) => entry.method === "GET" || entry.path.endsWith("/restorePoints/search")),
    ).to.equal(true);
  });

  it("passes, with each workload within the target RTO taken from the program's config", () => {
    expect(report.outcome).to.equal("passed");
    expect(report.targetRtoInMinutes).to.equal(240);
    expect(report.mode).to.equal(findPulumiCli() ? "automationApi" : "lifecycleRunner");
    expect(report.target.kind).to.equal("emulator");
    expect(report.workloads.map((workload) => [workload.kind, workload.verdict])).to.deep.equal([
      ["exchange", "met"],
      ["sharePoint", "met"],
      ["oneDriveForBusiness", "met"],
    ]);
  });
});
