import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { emulatorStackConfig, type Emulator } from "../../tools/emulator";
import { LifecycleRunner, createProject, installPackage, type StepReport } from "../../tools/runner";
import { graphCall, useEmulator } from "../helpers/emulator";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const EXAMPLE_DIR = path.join(__dirname, "..", "..", "examples", "dr-runbook");

function unit(emulator: Emulator, workload: "exchange" | "sharePoint", index: number) {
  const found = emulator.service.tenant.unitAt(workload, index);
  if (found === undefined) {
    throw new Error(`the seeded tenant has no ${workload} unit ${index}`);
  }
  return found;
}

interface ExportedPoint {
  unit: string;
  restorePointId: string;
  protectionDateTime: string;
}

describe("examples/dr-runbook through the lifecycle runner, from the installed package", function () {
  this.timeout(300_000);
  const suite = useEmulator({ unitsPerWorkload: 20 });
  let runner: LifecycleRunner | undefined;

  after(async () => {
    await runner?.close();
  });

  it("restores the mailboxes and the site as of the incident time, and a day later changes nothing", async () => {
    const emulator = suite.emulator;
    const installed = await installPackage();
    const projectDir = createProject({
      from: installed,
      name: "dr-runbook",
      files: {
        "index.js": fs.readFileSync(path.join(EXAMPLE_DIR, "index.js"), "utf8"),
        "Pulumi.yaml": fs.readFileSync(path.join(EXAMPLE_DIR, "Pulumi.yaml"), "utf8"),
      },
    });
    const incident = Math.floor((emulator.clock.nowInMs() - 3 * HOUR) / HOUR) * HOUR + 20 * 60 * 1000;
    const mailboxes = [0, 1, 2].map((index) => unit(emulator, "exchange", index).email as string);
    const site = unit(emulator, "sharePoint", 4);
    runner = new LifecycleRunner({
      projectDir,
      config: {
        ...emulatorStackConfig(emulator),
        "dr-runbook:incidentTime": new Date(incident).toISOString(),
        "dr-runbook:mailboxes": JSON.stringify(mailboxes),
        "dr-runbook:siteWebUrl": site.siteWebUrl as string,
      },
    });

    const first = await runner.up();
    expect(sessionSteps(first.steps)).to.deep.equal([
      ["create", "ExchangeRestoreSession"],
      ["create", "SharePointRestoreSession"],
    ]);
    const points = first.outputs.restorePoints as ExportedPoint[];
    expect(points.map((point) => point.unit)).to.deep.equal([
      ...mailboxes.map((mailbox) => `mailbox ${mailbox}`),
      `siteWebUrl ${site.siteWebUrl as string}`,
    ]);
    for (const point of points) {
      expect(Date.parse(point.protectionDateTime), point.unit).to.equal(Math.floor(incident / HOUR) * HOUR);
    }
    expect(first.outputs.unitsWithoutRestorePoint).to.deep.equal([]);
    expect(first.outputs.mailboxSessionStatus).to.not.equal("draft");

    // The sessions restore exactly the points the function reported.
    const sessionPoints = await sessionRestorePointIds(emulator, [
      ["exchangeRestoreSessions", first.outputs.mailboxSessionId as string, "mailboxRestoreArtifacts"],
      ["sharePointRestoreSessions", first.outputs.siteSessionId as string, "siteRestoreArtifacts"],
    ]);
    expect(sessionPoints.sort()).to.deep.equal(points.map((point) => point.restorePointId).sort());

    emulator.clock.advance(DAY);
    emulator.requestLog.clear();
    const second = await runner.up();
    expect(sessionSteps(second.steps)).to.deep.equal([
      ["same", "ExchangeRestoreSession"],
      ["same", "SharePointRestoreSession"],
    ]);
    const writes = emulator.requestLog
      .entries({ kind: "graph" })
      .filter((entry) => entry.method !== "GET" && !entry.path.endsWith("/restorePoints/search"));
    expect(writes.map((entry) => `${entry.method} ${entry.path}`)).to.deep.equal([]);
  });
});

/** The restore-session steps as [op, resource type], sorted (steps complete in any order). */
function sessionSteps(steps: StepReport[]): [string, string][] {
  return steps
    .filter((step) => step.custom)
    .map((step): [string, string] => [step.op, step.type.split(":").pop() ?? step.type])
    .sort((a, b) => a[1].localeCompare(b[1]));
}

async function sessionRestorePointIds(
  emulator: Emulator,
  sessions: [string, string, string][],
): Promise<string[]> {
  const ids: string[] = [];
  for (const [entitySet, id, collection] of sessions) {
    let next: string | undefined = `/solutions/backupRestore/${entitySet}/${id}/${collection}`;
    while (next !== undefined) {
      const page = await graphCall(emulator, { method: "GET", path: next });
      expect(page.status, JSON.stringify(page.body)).to.equal(200);
      for (const artifact of page.body.value as { restorePoint: { id: string } }[]) {
        ids.push(artifact.restorePoint.id);
      }
      next = page.body["@odata.nextLink"] as string | undefined;
    }
  }
  return ids;
}
