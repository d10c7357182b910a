import { expect } from "chai";
import {
  ProgressView,
  describeProgressChanges,
  progressBar,
  renderProgressFrame,
  type ProgressSnapshot,
  type SessionProgress,
} from "../../tools/drill/progress";

const START = Date.parse("2026-11-20T09:00:00Z");

function session(overrides: Partial<SessionProgress> = {}): SessionProgress {
  return {
    id: "ex-1",
    kind: "exchange",
    status: "active",
    total: 4,
    done: 1,
    failed: 0,
    createdAtInMs: START + 1000,
    ...overrides,
  };
}

function snapshot(
  atSeconds: number,
  sessions: SessionProgress[],
  phase = "pulumi up (lifecycle runner)",
): ProgressSnapshot {
  return { atInMs: START + atSeconds * 1000, phase, sessions };
}

/** Collects what a view writes. */
function recorder(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (text: string) => chunks.push(text), text: () => chunks.join("") };
}

describe("drill progress: frame", () => {
  it("draws a proportional bar and never overflows it", () => {
    expect(progressBar(1, 4, 8)).to.equal("██░░░░░░");
    expect(progressBar(9, 4, 8)).to.equal("████████");
    expect(progressBar(0, 0, 4)).to.equal("░░░░");
  });

  it("shows the phase, elapsed drill time and one line per session with status, done/total and elapsed", () => {
    const frame = renderProgressFrame(
      snapshot(12, [
        session(),
        session({
          id: "sp-1",
          kind: "sharePoint",
          status: "completed",
          total: 1,
          done: 1,
          completedAtInMs: START + 9000,
        }),
        session({
          id: "od-1",
          kind: "oneDriveForBusiness",
          status: "completedWithError",
          total: 2,
          done: 2,
          failed: 1,
        }),
      ]),
      START,
    );
    expect(frame).to.deep.equal([
      "Restore drill · pulumi up (lifecycle runner) · 12.0 s",
      "  Exchange   ex-1          active             █████░░░░░░░░░░░░░░░     1/4      11.0 s",
      "  SharePoint sp-1          completed          ████████████████████     1/1       8.0 s",
      "  OneDrive   od-1          completedWithError ████████████████████     2/2      11.0 s  1 failed",
    ]);
  });

  it("says so when no session exists yet", () => {
    expect(renderProgressFrame(snapshot(0.5, []), START)).to.deep.equal([
      "Restore drill · pulumi up (lifecycle runner) · 0.5 s",
      "  (no restore session yet)",
    ]);
  });

  it("shortens long Graph ids so the columns stay aligned", () => {
    const [, line] = renderProgressFrame(
      snapshot(2, [session({ id: "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0" })]),
      START,
    );
    expect(line).to.contain(" 0b1c2d3e…     active");
  });
});

describe("drill progress: plain log", () => {
  it("writes one line per change and nothing when nothing changed", () => {
    const first = snapshot(1, [session({ status: "draft", done: 0 })]);
    const second = snapshot(2, [session({ status: "active", done: 0 })]);
    const third = snapshot(3, [session({ status: "active", done: 2, failed: 1 })]);
    expect(describeProgressChanges(undefined, first, START)).to.deep.equal([
      "[     1.0 s] pulumi up (lifecycle runner)",
      "[     1.0 s] Exchange session ex-1 draft (0/4 done)",
    ]);
    expect(describeProgressChanges(first, second, START)).to.deep.equal([
      "[     2.0 s] Exchange session ex-1 draft → active (0/4 done, 1.0 s)",
    ]);
    expect(describeProgressChanges(second, third, START)).to.deep.equal([
      "[     3.0 s] Exchange session ex-1 2/4 done, 1 failed",
    ]);
    expect(
      describeProgressChanges(third, snapshot(4, [session({ status: "active", done: 2, failed: 1 })]), START),
    ).to.deep.equal([]);
  });

  it("logs a phase change", () => {
    const before = snapshot(1, []);
    expect(describeProgressChanges(before, snapshot(2, [], "writing the report"), START)).to.deep.equal([
      "[     2.0 s] writing the report",
    ]);
  });

  it("never writes terminal control sequences when stdout is not a TTY", () => {
    const output = recorder(false);
    const view = new ProgressView(output, START);
    view.update(snapshot(1, [session({ status: "draft", done: 0 })]));
    view.update(snapshot(1.5, [session({ status: "draft", done: 0 })]));
    view.note("+ create m365-backup:ExchangeRestoreSession mailboxes");
    view.update(snapshot(2, [session({ status: "completed", done: 4 })]));
    view.finish();
    expect(output.text()).not.to.contain("\x1b");
    expect(output.text().split("\n").filter(Boolean)).to.deep.equal([
      "[     1.0 s] pulumi up (lifecycle runner)",
      "[     1.0 s] Exchange session ex-1 draft (0/4 done)",
      "+ create m365-backup:ExchangeRestoreSession mailboxes",
      "[     2.0 s] Exchange session ex-1 draft → completed (4/4 done, 1.0 s)",
    ]);
  });
});

describe("drill progress: terminal", () => {
  it("redraws the block in place: cursor up over the previous frame, then the new frame", () => {
    const output = recorder(true);
    const view = new ProgressView(output, START);
    view.update(snapshot(1, [session()]));
    view.update(snapshot(2, [session({ done: 2 })]));
    expect(output.chunks[0]).to.equal(
      "\x1b[2KRestore drill · pulumi up (lifecycle runner) · 1.0 s\n" +
        "\x1b[2K  Exchange   ex-1          active             █████░░░░░░░░░░░░░░░     1/4       0.0 s\n",
    );
    expect(output.chunks[1]).to.equal("\x1b[2A\x1b[0J");
    expect(output.chunks[2]).to.contain("2/4");
  });

  it("cuts lines to the terminal's width so a wrapped line cannot throw the redraw off", () => {
    const output = { ...recorder(true), columns: 40 };
    new ProgressView(output, START).update(snapshot(1, [session()]));
    const lines = output.text().split("\n").filter(Boolean);
    expect(lines.map((line) => line.replace("\x1b[2K", "").length)).to.deep.equal([39, 39]);
  });

  it("prints notes above the block and redraws it below", () => {
    const output = recorder(true);
    const view = new ProgressView(output, START);
    view.update(snapshot(1, [session()]));
    view.note("+ create sessions");
    expect(output.chunks.slice(1, 3)).to.deep.equal(["\x1b[2A\x1b[0J", "+ create sessions\n"]);
    expect(output.chunks[3]).to.contain("Restore drill");
  });
});
