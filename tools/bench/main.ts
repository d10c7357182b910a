/**
 * `npm run bench`: Graph requests, time and state size of the provider against the local emulator,
 * side by side with the plain script a user would write, printed as one table and written to
 * `bench/results.json`. Not part of `npm test`: nothing here is asserted. See docs/benchmarks.md.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator, type EmulatorOptions } from "../emulator";
import { rerunTrustingEmulatorCa, trustsEmulatorCa } from "../trustEmulatorCa";
import { DEFAULT_PARALLEL } from "../runner";
import { installPackedPackage } from "../drill/install";
import { runAlternative } from "./alternativeRun";
import { measureBulk } from "./bulk";
import { planDrill, runProviderDrill, type DrillContext } from "./drill";
import { measureDurations } from "./durations";
import { machineInfo, peakMemoryInBytes } from "./machine";
import type { BenchResults, DrillFigures } from "./model";
import { measureOperations, LARGE_SESSION, SMALL_SESSION } from "./operations";
import { BENCH_USAGE, parseBenchOptions, type BenchOptions, type Section } from "./options";
import { measureOverhead } from "./overhead";
import type { BenchStack } from "./stack";
import { renderResults, seconds } from "./table";
import { unitsFor } from "./tenant";
import { repositoryDir } from "../repository";

async function withEmulator<T>(
  options: EmulatorOptions,
  work: (emulator: Emulator) => Promise<T>,
): Promise<T> {
  const emulator = await startEmulator(options);
  try {
    return await work(emulator);
  } finally {
    await emulator.close();
  }
}

function readPeak(stack: BenchStack): number | undefined {
  return peakMemoryInBytes(stack.runner.providerHostPid);
}

function progress(message: string, startedAtInMs: number): void {
  process.stderr.write(`[bench ${seconds(Date.now() - startedAtInMs).padStart(7)}] ${message}\n`);
}

/** The drill's label with the length of its longest restore, which tells the drills of one table apart. */
function withRestoreLength(figures: DrillFigures): DrillFigures {
  return { ...figures, label: `${figures.label}, ${seconds(figures.longestRestoreInMs)} restores` };
}

/** Runs the chosen sections in order, filling `results`. */
async function runSections(
  options: BenchOptions,
  nodeModulesDir: string,
  results: BenchResults,
  startedAtInMs: number,
): Promise<void> {
  const base: EmulatorOptions = {
    latencyInMs: options.latencyInMs,
    restoreMs: options.restoreMs,
    pageSize: options.pageSize,
  };
  // The 25-session drills run once per restore length (about 7.6 s, then about 2 min): see
  // docs/benchmarks.md, "What runs".
  const drillBases: EmulatorOptions[] = options.drillRestoreMs.map((restoreMs) => ({ ...base, restoreMs }));
  const retryAfterInMs = options.retryAfterSeconds * 1000;
  const drillUnits = unitsFor(Math.ceil(options.sessions / 3) * options.artifactsPerSession);
  const drillContext = (emulator: Emulator, label: string): DrillContext => ({
    emulator,
    nodeModulesDir,
    label,
    latencyInMs: options.latencyInMs,
    pageSize: options.pageSize,
    retryAfterInMs,
    artifactsPerSession: options.artifactsPerSession,
    readPeak,
  });
  const throttle = { fraction: options.throttleFraction, retryAfterSeconds: options.retryAfterSeconds };
  const percent = `${Math.round(options.throttleFraction * 100)}% throttled`;
  const providerBytes: Record<string, number> = {};
  const run: Record<Section, () => Promise<void>> = {
    operations: () =>
      withEmulator(
        { ...base, unitsPerWorkload: unitsFor(2 * SMALL_SESSION + LARGE_SESSION) },
        async (emulator) => {
          const outcome = await measureOperations({
            emulator,
            nodeModulesDir,
            pageSize: options.pageSize,
            readPeak,
          });
          results.operations = outcome.rows;
          Object.assign(providerBytes, outcome.providerBytes);
          if (outcome.hostPeakInBytes !== undefined)
            results.hostPeakMemoryInBytes.operations = outcome.hostPeakInBytes;
        },
      ),
    drill: async () => {
      results.drill = [];
      // The runner's default first (the engine's), then enough parallelism for every session at once.
      for (const drillBase of drillBases) {
        for (const parallel of [undefined, options.sessions]) {
          const label = `provider, --parallel ${parallel ?? DEFAULT_PARALLEL}${parallel === undefined ? " (default)" : ""}`;
          await withEmulator({ ...drillBase, unitsPerWorkload: drillUnits }, async (emulator) => {
            const plan = planDrill(emulator, options.sessions, options.artifactsPerSession);
            const context = {
              ...drillContext(emulator, label),
              ...(parallel === undefined ? {} : { parallel }),
            };
            const drill = await runProviderDrill(context, plan);
            const figures = withRestoreLength(drill.figures);
            results.drill?.push(figures);
            Object.assign(providerBytes, drill.providerSizes);
            if (drill.peakInBytes !== undefined)
              results.hostPeakMemoryInBytes[`drill, ${figures.label}`] = drill.peakInBytes;
          });
        }
      }
    },
    bulk: () =>
      withEmulator(
        { ...base, unitsPerWorkload: unitsFor(options.bulkMailboxes + options.largeSessionArtifacts) },
        async (emulator) => {
          const bulk = await measureBulk({
            emulator,
            nodeModulesDir,
            pageSize: options.pageSize,
            bulkMailboxes: options.bulkMailboxes,
            largeSessionArtifacts: options.largeSessionArtifacts,
            readPeak,
          });
          results.bulk = bulk.rows;
          Object.assign(results.hostPeakMemoryInBytes, bulk.peaks);
        },
      ),
    throttled: async () => {
      results.throttled = [];
      for (const drillBase of drillBases) {
        await withEmulator({ ...drillBase, unitsPerWorkload: drillUnits, throttle }, async (emulator) => {
          const plan = planDrill(emulator, options.sessions, options.artifactsPerSession);
          const drill = await runProviderDrill(drillContext(emulator, `provider, ${percent}`), plan);
          const figures = withRestoreLength(drill.figures);
          results.throttled?.push(figures);
          if (drill.peakInBytes !== undefined)
            results.hostPeakMemoryInBytes[`throttled drill, ${figures.label}`] = drill.peakInBytes;
        });
      }
    },
    overhead: () =>
      withEmulator({ ...base, unitsPerWorkload: 100 }, async (emulator) => {
        const { providerSizes, peakInBytes, ...times } = await measureOverhead(
          emulator,
          nodeModulesDir,
          readPeak,
        );
        Object.assign(providerBytes, providerSizes);
        if (peakInBytes !== undefined) results.hostPeakMemoryInBytes.overhead = peakInBytes;
        results.overhead = { ...times, providerBytes };
      }),
    alternative: async () => {
      results.alternative = [];
      for (const drillBase of drillBases) {
        for (const throttled of [false, true]) {
          const label = `plain script, ${options.alternativePollInMs / 1000} s poll${throttled ? `, ${percent}` : ""}`;
          const figures = await withEmulator(
            { ...drillBase, unitsPerWorkload: drillUnits, ...(throttled ? { throttle } : {}) },
            (emulator) =>
              runAlternative(
                { ...drillContext(emulator, label), pollInMs: options.alternativePollInMs },
                planDrill(emulator, options.sessions, options.artifactsPerSession),
              ),
          );
          results.alternative.push(withRestoreLength(figures));
        }
      }
    },
    durations: async () => {
      results.durations = await measureDurations({
        nodeModulesDir,
        latencyInMs: options.latencyInMs,
        pageSize: options.pageSize,
        readPeak,
        progress: (message) => progress(message, startedAtInMs),
      });
    },
  };
  for (const section of options.sections) {
    progress(`${section}…`, startedAtInMs);
    await run[section]();
  }
}

async function runBench(options: BenchOptions): Promise<number> {
  const startedAtInMs = Date.now();
  const repoDir = repositoryDir();
  progress("packing the package and laying it out in a temporary node_modules…", startedAtInMs);
  const installed = await installPackedPackage(repoDir);
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    machine: machineInfo(),
    settings: { ...options, help: undefined, runnerParallel: DEFAULT_PARALLEL },
    hostPeakMemoryInBytes: {},
    totalInMs: 0,
  };
  try {
    await runSections(options, installed.nodeModulesDir, results, startedAtInMs);
  } finally {
    installed.remove();
  }
  results.totalInMs = Date.now() - startedAtInMs;
  const output = path.resolve(options.output);
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(output, `${JSON.stringify(results, null, 2)}\n`);
  console.log(renderResults(results));
  console.log(`\nWritten to ${path.relative(process.cwd(), output) || output}.`);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseBenchOptions(argv);
  if (options.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  if (!trustsEmulatorCa()) {
    return rerunTrustingEmulatorCa(__filename, argv, "m365-backup-bench-ca-");
  }
  return runBench(options);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`Bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
