/**
 * Headless Chromium for checking and photographing the drill report. Debian's `chromium` package is
 * the reference browser; nothing is downloaded. Every run gets its own throwaway profile and the flags
 * that stop Chromium's own background traffic, so a page that loads nothing makes no connection.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The browser to use: `$CHROMIUM_PATH` if set, else the first installed candidate; undefined when none is. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.CHROMIUM_PATH;
  if (configured) {
    return fs.existsSync(configured) ? configured : undefined;
  }
  return CANDIDATES.find((candidate) => fs.existsSync(candidate));
}

/** The flags every headless run uses (the profile directory is added per run). */
export const HEADLESS_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
  "--hide-scrollbars",
  "--mute-audio",
];

export interface ChromiumRunOptions {
  readonly binary: string;
  /** Extra flags, e.g. `--dump-dom` or `--screenshot=...`. */
  readonly flags: readonly string[];
  /** The page; a local file path is turned into a `file://` URL. */
  readonly page: string;
  readonly timeoutInMs?: number;
}

export interface ChromiumRunResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs Chromium once with a fresh profile that is removed afterwards. */
export async function runChromium(options: ChromiumRunOptions): Promise<ChromiumRunResult> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "m365-backup-chromium-"));
  const url = /^[a-z]+:\/\//i.test(options.page)
    ? options.page
    : pathToFileURL(path.resolve(options.page)).href;
  try {
    return await new Promise<ChromiumRunResult>((resolve, reject) => {
      const child = spawn(
        options.binary,
        [...HEADLESS_FLAGS, `--user-data-dir=${profile}`, ...options.flags, url],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`Chromium did not finish within ${options.timeoutInMs ?? 60_000} ms`));
      }, options.timeoutInMs ?? 60_000);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on("close", (exitCode) => {
        clearTimeout(timer);
        resolve({
          exitCode,
          stdout: Buffer.concat(stdout).toString("utf8"),
          stderr: Buffer.concat(stderr).toString("utf8"),
        });
      });
    });
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** The DOM after the page has loaded and laid out, as Chromium serializes it. */
export async function dumpDom(
  binary: string,
  page: string,
  extraFlags: readonly string[] = [],
): Promise<string> {
  const result = await runChromium({ binary, page, flags: [...extraFlags, "--dump-dom"] });
  if (result.exitCode !== 0) {
    throw new Error(`Chromium --dump-dom exited with ${result.exitCode}: ${result.stderr.slice(-2000)}`);
  }
  return result.stdout;
}

export interface ScreenshotOptions {
  readonly widthInPx?: number;
  readonly heightInPx?: number;
  readonly extraFlags?: readonly string[];
}

/** Writes a PNG of the page at the given window size (default 1100×1600). */
export async function screenshot(
  binary: string,
  page: string,
  outputPath: string,
  options: ScreenshotOptions = {},
): Promise<void> {
  const absolute = path.resolve(outputPath);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  const size = `${options.widthInPx ?? 1100},${options.heightInPx ?? 1600}`;
  const result = await runChromium({
    binary,
    page,
    flags: [...(options.extraFlags ?? []), `--screenshot=${absolute}`, `--window-size=${size}`],
  });
  if (result.exitCode !== 0 || !fs.existsSync(absolute)) {
    throw new Error(`Chromium --screenshot exited with ${result.exitCode}: ${result.stderr.slice(-2000)}`);
  }
}
