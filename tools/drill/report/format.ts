/** Formatting shared by the Markdown, HTML and console renderers. Pure and locale-independent. */
import type { ArtifactOutcome, DrillOutcome, RtoVerdict } from "./model";

/** `0.4 s`, `12.3 s`, `4 min 05 s`, `2 h 03 min`; `—` for a missing value. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return "—";
  }
  if (seconds < 60) {
    return `${seconds.toFixed(1)} s`;
  }
  const wholeSeconds = Math.round(seconds);
  const hours = Math.floor(wholeSeconds / 3600);
  const minutes = Math.floor((wholeSeconds % 3600) / 60);
  const rest = wholeSeconds % 60;
  return hours > 0
    ? `${hours} h ${String(minutes).padStart(2, "0")} min`
    : `${minutes} min ${String(rest).padStart(2, "0")} s`;
}

/** An age in minutes as `35 min`, `5 h 10 min` or `3 d 4 h`. */
export function formatAge(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) {
    return "—";
  }
  const whole = Math.max(0, Math.round(minutes));
  const days = Math.floor(whole / 1440);
  const hours = Math.floor((whole % 1440) / 60);
  const rest = whole % 60;
  if (days > 0) {
    return `${days} d ${hours} h`;
  }
  return hours > 0 ? `${hours} h ${rest} min` : `${rest} min`;
}

/** `2026-11-22 09:14:03 UTC`: unambiguous, sortable, and the same on every machine. */
export function formatInstant(value: string | null | undefined): string {
  if (!value) {
    return "—";
  }
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) {
    return value;
  }
  return `${new Date(parsed).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/**
 * `09:14:03 UTC` when `value` falls on the same UTC day as `reference`, else the full instant: short
 * enough for a table column, never ambiguous.
 */
export function formatTimeOfDay(
  value: string | null | undefined,
  reference: string | null | undefined,
): string {
  const full = formatInstant(value);
  const day = formatInstant(reference).slice(0, 10);
  return full.length > 10 && full.slice(0, 10) === day ? full.slice(11) : full;
}

export const OUTCOME_WORDS: Readonly<Record<DrillOutcome, string>> = {
  passed: "PASSED",
  failed: "FAILED",
  incomplete: "INCOMPLETE",
};

export const ARTIFACT_OUTCOME_WORDS: Readonly<Record<ArtifactOutcome, string>> = {
  succeeded: "Restored",
  failed: "Failed",
  notFinished: "Not finished",
};

export const VERDICT_WORDS: Readonly<Record<RtoVerdict, string>> = {
  met: "Met",
  missed: "Missed",
  notRecovered: "Not recovered",
};
