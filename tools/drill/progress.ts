/**
 * The drill's live view: per session its status, artifacts done/total and elapsed time.
 *
 * On a terminal the view is one block redrawn in place; when stdout is not a TTY (CI logs, pipes) it
 * prints one plain line per change instead, so a log reads as a history. Rendering is pure
 * ({@link renderProgressFrame}, {@link describeProgressChanges}); {@link ProgressView} only decides how
 * to write.
 */
import type { RestoreSessionKind } from "../../provider/model";
import { formatDuration } from "./report/format";

/** What the view knows about one session at one moment. */
export interface SessionProgress {
  readonly id: string;
  readonly kind: RestoreSessionKind;
  readonly status: string;
  readonly total: number;
  /** Artifacts that reached a terminal status (succeeded or failed). */
  readonly done: number;
  readonly failed: number;
  /** Graph's `createdDateTime`, in ms since the epoch. */
  readonly createdAtInMs: number;
  /** Graph's `completedDateTime` once terminal, in ms since the epoch. */
  readonly completedAtInMs?: number;
}

/** One observation of the whole drill. */
export interface ProgressSnapshot {
  /** When the observation was made, in ms since the epoch. */
  readonly atInMs: number;
  /** What the drill is doing, e.g. `pulumi up (lifecycle runner)`. */
  readonly phase: string;
  readonly sessions: readonly SessionProgress[];
}

const SHORT_KIND: Readonly<Record<RestoreSessionKind, string>> = {
  exchange: "Exchange",
  sharePoint: "SharePoint",
  oneDriveForBusiness: "OneDrive",
};

const BAR_WIDTH = 20;

/** `████████░░░░` for `done` of `total` (an empty session shows an empty bar). */
export function progressBar(done: number, total: number, width = BAR_WIDTH): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  return "█".repeat(filled) + "░".repeat(width - filled);
}

function elapsedInSeconds(session: SessionProgress, atInMs: number): number {
  return Math.max(0, ((session.completedAtInMs ?? atInMs) - session.createdAtInMs) / 1000);
}

function shortId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

/**
 * The block a terminal shows: a heading with the phase and elapsed drill time, then one line per
 * session. `startedAtInMs` is when the drill started.
 */
export function renderProgressFrame(snapshot: ProgressSnapshot, startedAtInMs: number): string[] {
  const heading = `Restore drill · ${snapshot.phase} · ${formatDuration((snapshot.atInMs - startedAtInMs) / 1000)}`;
  if (snapshot.sessions.length === 0) {
    return [heading, "  (no restore session yet)"];
  }
  return [
    heading,
    ...snapshot.sessions.map((session) => {
      const failed = session.failed > 0 ? `  ${session.failed} failed` : "";
      return (
        `  ${SHORT_KIND[session.kind].padEnd(10)} ${shortId(session.id).padEnd(13)} ${session.status.padEnd(18)} ` +
        `${progressBar(session.done, session.total)} ${`${session.done}/${session.total}`.padStart(7)}  ` +
        `${formatDuration(elapsedInSeconds(session, snapshot.atInMs)).padStart(10)}${failed}`
      );
    }),
  ];
}

function describeSession(session: SessionProgress): string {
  return `${SHORT_KIND[session.kind]} session ${session.id}`;
}

/**
 * The plain-log lines for what changed between two snapshots: a new phase, a new session, a status
 * change, more artifacts done. Nothing changed, no lines.
 */
export function describeProgressChanges(
  previous: ProgressSnapshot | undefined,
  next: ProgressSnapshot,
  startedAtInMs: number,
): string[] {
  const stamp = `[${formatDuration((next.atInMs - startedAtInMs) / 1000).padStart(10)}]`;
  const lines: string[] = [];
  if (previous?.phase !== next.phase) {
    lines.push(`${stamp} ${next.phase}`);
  }
  for (const session of next.sessions) {
    const before = previous?.sessions.find((candidate) => candidate.id === session.id);
    const counts = `${session.done}/${session.total} done${session.failed > 0 ? `, ${session.failed} failed` : ""}`;
    if (before === undefined) {
      lines.push(`${stamp} ${describeSession(session)} ${session.status} (${counts})`);
    } else if (before.status !== session.status) {
      const elapsed = formatDuration(elapsedInSeconds(session, next.atInMs));
      lines.push(
        `${stamp} ${describeSession(session)} ${before.status} → ${session.status} (${counts}, ${elapsed})`,
      );
    } else if (
      before.done !== session.done ||
      before.failed !== session.failed ||
      before.total !== session.total
    ) {
      lines.push(`${stamp} ${describeSession(session)} ${counts}`);
    }
  }
  return lines;
}

/** Where the view writes: a stream, and whether it is a terminal. */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  /** Terminal width; lines are cut to fit so that a wrapped line cannot throw the redraw off. */
  readonly columns?: number;
  write(text: string): unknown;
}

/**
 * Writes snapshots as they come: redraws one block on a TTY (cursor up, clear line), or appends
 * change lines otherwise. Call {@link ProgressView.finish} to leave the last frame on screen.
 */
export class ProgressView {
  private previous: ProgressSnapshot | undefined;
  private linesOnScreen = 0;

  constructor(
    private readonly output: ProgressOutput,
    private readonly startedAtInMs: number,
    /** Force a mode; default: a redrawn block when `output.isTTY`. */
    private readonly interactive: boolean = output.isTTY === true,
  ) {}

  /** Shows a new snapshot. */
  update(snapshot: ProgressSnapshot): void {
    if (this.interactive) {
      this.redraw(renderProgressFrame(snapshot, this.startedAtInMs));
    } else {
      for (const line of describeProgressChanges(this.previous, snapshot, this.startedAtInMs)) {
        this.output.write(`${line}\n`);
      }
    }
    this.previous = snapshot;
  }

  /** Prints a line above the live block (or in the log), e.g. a step reported by the engine. */
  note(line: string): void {
    if (this.interactive) {
      this.clear();
      this.output.write(`${line}\n`);
      if (this.previous) {
        this.redraw(renderProgressFrame(this.previous, this.startedAtInMs));
      }
    } else {
      this.output.write(`${line}\n`);
    }
  }

  /** Stops redrawing; the last frame stays where it is. */
  finish(): void {
    this.linesOnScreen = 0;
  }

  private clear(): void {
    if (this.linesOnScreen > 0) {
      this.output.write(`\x1b[${this.linesOnScreen}A\x1b[0J`);
      this.linesOnScreen = 0;
    }
  }

  private redraw(lines: readonly string[]): void {
    this.clear();
    const width = this.output.columns;
    const fit = (line: string) =>
      width !== undefined && width > 1 && line.length >= width ? line.slice(0, width - 1) : line;
    this.output.write(lines.map((line) => `\x1b[2K${fit(line)}\n`).join(""));
    this.linesOnScreen = lines.length;
  }
}
