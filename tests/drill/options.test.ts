import { expect } from "chai";
import { DEFAULT_DRILL_OPTIONS, parseDrillOptions } from "../../tools/drill/options";
import { readProgramOutputs } from "../../tools/drill/outputs";
import { chooseMode } from "../../tools/drill/run-program";
import { renderDrillSummary } from "../../tools/drill/summary";
import { buildDrillReport } from "../../tools/drill/report";
import { drillFacts } from "./fixtures";

describe("drill: command line", () => {
  it("runs against the emulator by default, never a real tenant", () => {
    expect(parseDrillOptions([])).to.deep.equal(DEFAULT_DRILL_OPTIONS);
    expect(DEFAULT_DRILL_OPTIONS.tenant).to.equal("emulator");
  });

  it("reads every flag", () => {
    const options = parseDrillOptions([
      "--tenant", "real", "--mode", "runner", "--out", "out", "--target-rto-minutes", "30",
      "--restore-point-time", "2026-11-20T09:00:00Z", "--completion-timeout-minutes", "90",
      "--restore-ms", "10", "--seed", "s", "--plain", "--emulator-evidence", "e.json",
    ]); // prettier-ignore
    expect(options).to.deep.include({
      tenant: "real",
      mode: "runner",
      outputDir: "out",
      targetRtoMinutes: 30,
      restorePointTime: "2026-11-20T09:00:00Z",
      completionTimeoutMinutes: 90,
      restoreMs: 10,
      seed: "s",
      plain: true,
      emulatorEvidence: "e.json",
    });
  });

  it("names the flag and the fix when a value is wrong or missing", () => {
    expect(() => parseDrillOptions(["--tenant", "prod"])).to.throw(
      '--tenant takes one of emulator, real; got "prod".',
    );
    expect(() => parseDrillOptions(["--out"])).to.throw("--out needs a value");
    expect(() => parseDrillOptions(["--target-rto-minutes", "-5"])).to.throw(
      "--target-rto-minutes takes a positive number",
    );
    expect(() => parseDrillOptions(["--restore-point-time", "2026-11-20T09:00:00"])).to.throw("with a zone");
    expect(() => parseDrillOptions(["--colour"])).to.throw('Unknown option "--colour"');
  });
});

describe("drill: choosing how to run the program", () => {
  it("uses the Automation API when a pulumi CLI is on PATH and the lifecycle runner otherwise, and says why", () => {
    expect(chooseMode("auto", "/usr/local/bin/pulumi")).to.deep.equal({
      mode: "automationApi",
      reason: "pulumi CLI found at /usr/local/bin/pulumi",
    });
    expect(chooseMode("auto", undefined)).to.deep.equal({
      mode: "lifecycleRunner",
      reason: "no pulumi CLI on PATH",
    });
    expect(chooseMode("runner", "/usr/local/bin/pulumi").mode).to.equal("lifecycleRunner");
    expect(() => chooseMode("automation", undefined)).to.throw("needs the pulumi CLI on PATH");
  });
});

describe("drill: the program's outputs", () => {
  it("reads the sessions, their targets, the restore point time and the target RTO", () => {
    const outputs = readProgramOutputs({
      restorePointTime: "2026-11-20T00:00:00.000Z",
      targetRtoMinutes: 120,
      sessions: [
        { name: "drill-mailboxes", kind: "exchange", id: "ex-1", targets: ["a@contoso.com", 7] },
        {
          name: "drill-sites",
          kind: "sharePoint",
          id: "sp-1",
          targets: ["https://contoso.sharepoint.com/sites/x"],
        },
        { name: "broken", kind: "teams", id: "t-1", targets: [] },
        { name: "unknown id", kind: "exchange", id: "", targets: [] },
      ],
    });
    expect(outputs.sessions.map((session) => session.id)).to.deep.equal(["ex-1", "sp-1"]);
    expect(outputs.targetsOf("exchange")).to.deep.equal(["a@contoso.com"]);
    expect(outputs.targetsOf("oneDriveForBusiness")).to.deep.equal([]);
    expect(outputs.restorePointTime).to.equal("2026-11-20T00:00:00.000Z");
    expect(outputs.targetRtoMinutes).to.equal(120);
  });

  it("tolerates a failed run that produced no outputs", () => {
    const outputs = readProgramOutputs({});
    expect(outputs.sessions).to.deep.equal([]);
    expect(outputs.restorePointTime).to.equal(undefined);
  });
});

describe("drill: final summary", () => {
  it("states the outcome, the reasons, the RTO per workload against the target and the report paths", () => {
    const lines = renderDrillSummary(
      buildDrillReport(drillFacts()),
      {
        json: "/w/drill-report/report.json",
        markdown: "/w/drill-report/report.md",
        html: "/w/drill-report/report.html",
      },
      "/w",
    );
    expect(lines[0]).to.match(
      /^Drill FAILED in 50\.0 s against the local emulator, run with the lifecycle runner/,
    );
    expect(lines).to.include("  ! Exchange Online (mailboxes): 1 of 3 artifacts failed.");
    expect(lines).to.include("Recovery time per workload (target RTO 1 min):");
    expect(lines).to.include(
      "  OneDrive for Business          2/2 restored  median 11.0 s, p95 12.0 s, max 12.0 s  → Met",
    );
    expect(lines.slice(-3)).to.deep.equal([
      "  drill-report/report.html",
      "  drill-report/report.md",
      "  drill-report/report.json",
    ]);
  });
});
