import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  buildDrillReport,
  renderDrillReportHtml,
  renderDrillReportJson,
  renderDrillReportMarkdown,
  writeDrillReport,
} from "../../tools/drill/report";
import { formatAge, formatDuration, formatInstant } from "../../tools/drill/report/format";
import { tickStepInSeconds } from "../../tools/drill/report/timeline";
import { drillFacts, exchangeSession, passingDrillFacts } from "./fixtures";

/** Every attribute or CSS construct through which a page could fetch something. */
const FETCHING_CONSTRUCTS = [
  /\b(src|href|srcset|action|poster|data|xlink:href)\s*=/i,
  /url\(\s*['"]?(?!#)/i,
  /@import/i,
  /<script/i,
  /<link/i,
  /<iframe/i,
  /<object/i,
  /<embed/i,
];

describe("drill report: formatting", () => {
  it("formats durations in seconds, minutes or hours depending on size", () => {
    expect(formatDuration(0.42)).to.equal("0.4 s");
    expect(formatDuration(245)).to.equal("4 min 05 s");
    expect(formatDuration(7380)).to.equal("2 h 03 min");
    expect(formatDuration(null)).to.equal("—");
  });

  it("formats ages and instants the same way on every machine", () => {
    expect(formatAge(35)).to.equal("35 min");
    expect(formatAge(310)).to.equal("5 h 10 min");
    expect(formatAge(4560)).to.equal("3 d 4 h");
    expect(formatInstant("2026-11-20T09:00:00.123+01:00")).to.equal("2026-11-20 08:00:00 UTC");
  });

  it("chooses axis steps that keep the timeline to at most eight intervals", () => {
    expect(tickStepInSeconds(3)).to.equal(0.5);
    expect(tickStepInSeconds(45)).to.equal(10);
    expect(tickStepInSeconds(3 * 3600)).to.equal(1800);
  });
});

describe("drill report: JSON", () => {
  it("round-trips to the same report object", () => {
    const report = buildDrillReport(drillFacts());
    expect(JSON.parse(renderDrillReportJson(report))).to.deep.equal(report);
  });
});

describe("drill report: Markdown", () => {
  it("states the outcome, the reasons and one table row per workload and per item", () => {
    const markdown = renderDrillReportMarkdown(buildDrillReport(drillFacts()));
    expect(markdown).to.match(/^# Microsoft 365 Backup restore drill\n\n\*\*Outcome: FAILED\*\*/);
    expect(markdown).to.contain("- Exchange Online (mailboxes): 1 of 3 artifacts failed.");
    expect(markdown).to.contain(
      "| Exchange Online (mailboxes) | 3 | 2 | 1 | 15.0 s | 20.0 s | 20.0 s | Not recovered |",
    );
    expect(markdown).to.contain("| OneDrive for Business | 2 | 2 | 0 | 11.0 s | 12.0 s | 12.0 s | Met |");
    expect(markdown).to.contain("| lee@contoso.com | Failed |");
    expect(markdown).to.contain("ArtifactCannotBeRestored: The mailbox is on hold.");
    expect(markdown).to.contain("| ArtifactCannotBeRestored | 1 |");
    expect(markdown).to.contain("40 requests (6 writes): GET 34, POST 6.");
  });

  it("escapes pipes so a hostile label cannot break a table row", () => {
    const hostile = { ...exchangeSession, artifacts: [{ ...exchangeSession.artifacts[0], label: "a|b\nc" }] };
    const markdown = renderDrillReportMarkdown(buildDrillReport(drillFacts({ sessions: [hostile] })));
    expect(markdown).to.contain("| a\\|b c | Restored |");
  });
});

describe("drill report: HTML", () => {
  it("is one self-contained page: no script, stylesheet link, image, font or URL it could fetch", () => {
    const html = renderDrillReportHtml(buildDrillReport(drillFacts()));
    for (const construct of FETCHING_CONSTRUCTS) {
      expect(html, String(construct)).not.to.match(construct);
    }
    expect(html).to.match(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).to.contain("<style>");
  });

  it("draws one timeline bar per artifact, grouped by session and coloured by outcome", () => {
    const report = buildDrillReport(drillFacts());
    const html = renderDrillReportHtml(report);
    const bars = [...html.matchAll(/<g class="artifact" data-artifact-id="([^"]+)" data-outcome="(\w+)">/g)];
    expect(bars.map((match) => [match[1], match[2]])).to.deep.equal([
      ["m1", "succeeded"],
      ["m2", "succeeded"],
      ["m3", "failed"],
      ["s1", "succeeded"],
      ["d1", "succeeded"],
      ["d2", "succeeded"],
    ]);
    expect(html.match(/<g class="session" data-session-id=/g)).to.have.length(3);
    expect(html).to.contain('class="bar bar-failed"');
    expect(html).to.contain('fill="url(#hatch-failed)"');
    expect(html).to.contain('fill="#1a7f37"');
  });

  it("has an accessible legend and labelled charts", () => {
    const html = renderDrillReportHtml(buildDrillReport(drillFacts()));
    expect(html).to.contain('<ul class="legend" aria-label="Timeline legend">');
    for (const word of ["Restored", "Failed", "Not finished", "Waiting"]) {
      expect(html).to.match(new RegExp(`<li><span class="swatch[^>]*aria-hidden="true"></span>${word}`));
    }
    expect(html).to.contain('role="img" aria-labelledby="timeline-title timeline-desc"');
    expect(html).to.contain('role="img" aria-labelledby="rto-title rto-desc"');
  });

  it("shows the outcome banner, the target and the RTO figures per workload", () => {
    const passed = renderDrillReportHtml(buildDrillReport(passingDrillFacts()));
    expect(passed).to.contain('<section class="banner passed"');
    expect(passed).to.contain("All 6 items in 3 sessions were restored within the target RTO of 1 min.");
    expect(passed).to.contain("Local Graph emulator");
    expect(passed.match(/<g class="rto-workload"/g)).to.have.length(3);
    expect(passed).to.contain("target RTO 1 min");
    const failed = renderDrillReportHtml(buildDrillReport(drillFacts()));
    expect(failed).to.contain('<section class="banner failed"');
    expect(failed).to.contain('<span class="tag notRecovered">Not recovered</span>');
  });

  it("escapes every text it shows", () => {
    const hostile = {
      ...exchangeSession,
      artifacts: [{ ...exchangeSession.artifacts[0], label: '<img src=x onerror="alert(1)">' }],
    };
    const html = renderDrillReportHtml(buildDrillReport(drillFacts({ sessions: [hostile] })));
    expect(html).not.to.contain("<img");
    expect(html).to.contain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });
});

describe("drill report: files", () => {
  it("writes report.json, report.md and report.html into the directory", () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "drill-report-"));
    try {
      const report = buildDrillReport(drillFacts());
      const paths = writeDrillReport(report, path.join(directory, "nested"));
      expect(JSON.parse(fs.readFileSync(paths.json, "utf8"))).to.deep.equal(report);
      expect(fs.readFileSync(paths.markdown, "utf8")).to.equal(renderDrillReportMarkdown(report));
      expect(fs.readFileSync(paths.html, "utf8")).to.equal(renderDrillReportHtml(report));
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
