/**
 * `npm audit`: the runtime dependency trees have no high or critical advisory, or docs/reliability.md
 * says why one cannot be reached. There are two runtime trees since the emulator became its own
 * workspace package: the provider as a user installs it (the packed tarball next to `@pulumi/pulumi`
 * in a fresh project, so exactly what a program loads, on the SDK the run installs), and the emulator
 * package's (`npm ls --omit=dev --workspace m365-backup-emulator`), which the drill and CI run. The audit needs the registry's advisory
 * endpoint; where that is unreachable (a mirror that only serves GET, no network) the test is skipped
 * with the registry's answer as the reason, never passed silently.
 *
 * A second test does not need the endpoint: it checks every installed runtime version against the
 * hand-reviewed advisory snapshot in ./advisories.ts (dated; see its header for what it covers), and a
 * third shows that check is not vacuous.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import * as path from "node:path";
import * as semver from "semver";
import { installPackage } from "../../tools/runner";
import { ADVISORY_SNAPSHOT, type ReviewedAdvisory } from "./advisories";
import { tally } from "./summary";

const ROOT = path.join(__dirname, "..", "..");

/** Where a runtime tree is read or audited: a directory and the npm arguments that pick the tree. */
interface RuntimeTree {
  readonly name: string;
  readonly cwd: string;
  readonly args: readonly string[];
  /** Packages that must be in the tree (its direct runtime dependencies): proof it was really read. */
  readonly expected: readonly string[];
  /** Packages that must not be in it. */
  readonly absent: readonly string[];
}

const EMULATOR_PACKAGE = "m365-backup-emulator";

/** The two runtime trees: the installed provider package (an install per test process) and the emulator's. */
async function runtimeTrees(): Promise<RuntimeTree[]> {
  const installed = await installPackage();
  return [
    {
      name: `${installed.packageName} installed with @pulumi/pulumi ${installed.pulumiVersion}`,
      cwd: installed.projectDir,
      args: [],
      expected: ["@azure/identity", "@pulumi/pulumi", "axios"],
      // The emulator's dependencies stay out of users' programs.
      absent: ["jose", "node-forge", EMULATOR_PACKAGE],
    },
    {
      name: `the ${EMULATOR_PACKAGE} workspace package`,
      cwd: ROOT,
      args: ["--omit=dev", "--workspace", EMULATOR_PACKAGE],
      expected: ["jose", "node-forge"],
      absent: [],
    },
  ];
}

/**
 * Advisories analysed in docs/reliability.md as not reachable from this package, by advisory URL,
 * each with the analysis in short. An entry here only excuses that advisory; a new one still fails.
 */
const NOT_REACHABLE: readonly { readonly url: string; readonly analysis: string }[] = [
  {
    url: "https://github.com/advisories/GHSA-45rx-2jwx-cxfr",
    analysis:
      "@opentelemetry/propagator-jaeger@1.30.1 comes only through @pulumi/pulumi (sdk-trace-node 1.30.1 " +
      "pins it). Its decoder throws on a malformed uber-trace-id/uberctx-* value, but a JaegerPropagator " +
      "is only built when OTEL_PROPAGATORS names jaeger (the default is tracecontext,baggage) and Pulumi " +
      "tracing is on in the program process; the only inbound gRPC there comes from the local Pulumi " +
      "engine on 127.0.0.1. The dynamic-provider host and this package's code set up no tracing, and the " +
      "emulator and Graph client never extract trace headers.",
  },
];

/** Advisories analysed in docs/reliability.md as not reachable from this package, by advisory id or URL. */
const ANALYSED_NOT_REACHABLE: readonly string[] = NOT_REACHABLE.map((entry) => entry.url);

interface AuditReport {
  vulnerabilities?: Record<
    string,
    { severity: string; via: (string | { url?: string; source?: number; title?: string })[] }
  >;
  error?: { summary?: string };
  message?: string;
}

function audit(
  tree: RuntimeTree,
): Promise<{ code: number; report: AuditReport | undefined; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "npm",
      ["audit", ...tree.args, "--json"],
      {
        cwd: tree.cwd,
        timeout: 30_000,
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, npm_config_update_notifier: "false" },
      },
      (error, stdout, stderr) => {
        let report: AuditReport | undefined;
        try {
          report = JSON.parse(stdout) as AuditReport;
        } catch {
          report = undefined;
        }
        resolve({ code: typeof error?.code === "number" ? error.code : error ? 1 : 0, report, stderr });
      },
    );
  });
}

describe("reliability: npm audit of the runtime dependencies", function () {
  // The first test may pack and install the provider (shared with the other suites in one process).
  this.timeout(600_000);
  let trees: RuntimeTree[];

  before(async () => {
    trees = await runtimeTrees();
  });

  it("reports no high or critical advisory that docs/reliability.md does not analyse", async function () {
    const reports: AuditReport[] = [];
    for (const tree of trees) {
      const { report, stderr } = await audit(tree);
      if (report === undefined || report.vulnerabilities === undefined) {
        const reason = (
          report?.message ??
          stderr.split("\n").find((line) => /error|audit/i.test(line)) ??
          "no JSON answer"
        ).slice(0, 200);
        console.log(`      npm audit could not run for ${tree.name}: ${reason}`);
        this.skip();
      }
      reports.push(report);
    }
    const serious = reports
      .flatMap((report) => Object.entries(report.vulnerabilities ?? {}))
      .filter(([, entry]) => entry.severity === "high" || entry.severity === "critical")
      .filter(
        ([, entry]) =>
          !entry.via.some(
            (via) =>
              typeof via === "object" &&
              ANALYSED_NOT_REACHABLE.some((known) => via.url === known || String(via.source) === known),
          ),
      );
    tally("audit", serious.length === 0);
    expect(serious.map(([name, entry]) => `${name}: ${entry.severity}`)).to.deep.equal([]);
  });

  it("no installed runtime package is in a reviewed high or critical advisory's vulnerable range", async function () {
    const installed = new Map<string, Set<string>>();
    const missing: string[] = [];
    const present: string[] = [];
    for (const tree of trees) {
      const versions = await runtimeTree(tree);
      missing.push(
        ...tree.expected.filter((name) => !versions.has(name)).map((name) => `${name} (${tree.name})`),
      );
      present.push(
        ...tree.absent.filter((name) => versions.has(name)).map((name) => `${name} (${tree.name})`),
      );
      for (const [name, found] of versions) {
        installed.set(name, new Set([...(installed.get(name) ?? []), ...found]));
      }
    }
    const serious = ADVISORY_SNAPSHOT.advisories.filter(isSerious);
    const findings = inVulnerableRange(installed, serious);
    const analysed = findings.filter((finding) => isAnalysedNotReachable(finding.advisory));
    const unanalysed = findings.filter((finding) => !isAnalysedNotReachable(finding.advisory));
    const pairs = [...installed.values()].reduce((sum, versions) => sum + versions.size, 0);
    const checked = [...new Set(serious.map((advisory) => advisory.package))].reduce(
      (sum, name) => sum + (installed.get(name)?.size ?? 0),
      0,
    );
    const packages = new Set(ADVISORY_SNAPSHOT.advisories.map((advisory) => advisory.package)).size;
    console.log(
      `      reviewed advisory snapshot (${ADVISORY_SNAPSHOT.reviewedOn}): ` +
        `${ADVISORY_SNAPSHOT.advisories.length} advisories for ${packages} runtime packages, ` +
        `${checked} installed versions checked, ${findings.length} in a vulnerable range` +
        (analysed.length > 0
          ? ` (${analysed.map(describeFinding).join("; ")}: analysed in docs/reliability.md as not reachable)`
          : ""),
    );
    // The trees must really have been read: a failed `npm ls` must not pass as "nothing vulnerable".
    tally("audit", unanalysed.length === 0 && missing.length === 0 && present.length === 0 && pairs > 100);
    expect(missing, "direct runtime dependencies missing from `npm ls`").to.deep.equal([]);
    expect(present, "emulator packages in the provider's runtime tree").to.deep.equal([]);
    expect(pairs, "package@version pairs in the runtime tree").to.be.greaterThan(100);
    expect(unanalysed.map(describeFinding)).to.deep.equal([]);
  });

  it("the reviewed snapshot is well formed, and its check reports a version inside a recorded range", function () {
    const malformed = ADVISORY_SNAPSHOT.advisories.flatMap((advisory) => {
      const problems: string[] = [];
      const name = `${advisory.package} ${advisory.ids.join(",")}`;
      if (advisory.ids.length === 0) problems.push(`${name}: no id`);
      if (semver.validRange(advisory.vulnerable) === null) problems.push(`${name}: bad range`);
      for (const version of advisory.patched) {
        if (semver.valid(version) === null) problems.push(`${name}: bad patched version ${version}`);
        else if (semver.satisfies(version, advisory.vulnerable))
          problems.push(`${name}: ${version} in range`);
      }
      return problems;
    });
    expect(malformed).to.deep.equal([]);
    for (const { url } of NOT_REACHABLE) {
      expect(
        ADVISORY_SNAPSHOT.advisories.some((advisory) => advisoryNames(advisory).includes(url)),
        `${url} names an advisory in the snapshot`,
      ).to.equal(true);
    }

    // Fake installed versions: one inside recorded ranges, the patched neighbour, and the real axios.
    const fake = new Map([
      ["node-forge", new Set(["1.2.0", "1.4.3"])],
      ["ansi-regex", new Set(["5.0.0", "5.0.1"])],
      ["axios", new Set(["1.21.1"])],
    ]);
    const found = inVulnerableRange(fake, ADVISORY_SNAPSHOT.advisories.filter(isSerious)).map(
      describeFinding,
    );
    expect(found).to.include("node-forge@1.2.0 GHSA-cfm4-qjh2-4765");
    expect(found).to.include("ansi-regex@5.0.0 GHSA-93q8-gq69-wqmw");
    expect(
      found.filter((entry) => /^(node-forge@1\.4\.3|ansi-regex@5\.0\.1|axios@)/.test(entry)),
    ).to.deep.equal([]);
  });
});

interface NpmLsNode {
  version?: string;
  missing?: boolean;
  dependencies?: Record<string, NpmLsNode>;
}

/** One installed runtime tree (`npm ls --all` with the tree's arguments), as package name -> installed versions. */
function runtimeTree(tree: RuntimeTree): Promise<Map<string, Set<string>>> {
  return new Promise((resolve, reject) => {
    execFile(
      "npm",
      ["ls", ...tree.args, "--all", "--json"],
      {
        cwd: tree.cwd,
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, npm_config_update_notifier: "false" },
      },
      (error, stdout) => {
        // `npm ls` exits non-zero for problems such as extraneous packages but still prints the tree.
        let root: NpmLsNode;
        try {
          root = JSON.parse(stdout) as NpmLsNode;
        } catch {
          reject(error ?? new Error(`\`npm ls ${tree.args.join(" ")} --all --json\` printed no JSON`));
          return;
        }
        const installed = new Map<string, Set<string>>();
        const seen = new Set<string>();
        const walk = (node: NpmLsNode): void => {
          for (const [name, child] of Object.entries(node.dependencies ?? {})) {
            if (child.missing || child.version === undefined) continue;
            const versions = installed.get(name) ?? new Set<string>();
            versions.add(child.version);
            installed.set(name, versions);
            const key = `${name}@${child.version}`;
            if (!seen.has(key)) {
              seen.add(key);
              walk(child);
            }
          }
        };
        walk(root);
        resolve(installed);
      },
    );
  });
}

function isSerious(advisory: ReviewedAdvisory): boolean {
  return advisory.severity === "high" || advisory.severity === "critical";
}

/** The names an advisory can be listed under in ANALYSED_NOT_REACHABLE: its ids, their URLs, its source. */
function advisoryNames(advisory: ReviewedAdvisory): string[] {
  return [
    advisory.source,
    ...advisory.ids,
    ...advisory.ids.map((id) => `https://github.com/advisories/${id}`),
  ];
}

function isAnalysedNotReachable(advisory: ReviewedAdvisory): boolean {
  return advisoryNames(advisory).some((name) => ANALYSED_NOT_REACHABLE.includes(name));
}

interface Finding {
  readonly advisory: ReviewedAdvisory;
  readonly version: string;
}

/** Every installed version that lies in one of the advisories' vulnerable ranges. */
function inVulnerableRange(
  installed: ReadonlyMap<string, ReadonlySet<string>>,
  advisories: readonly ReviewedAdvisory[],
): Finding[] {
  return advisories.flatMap((advisory) =>
    [...(installed.get(advisory.package) ?? [])]
      .filter((version) => semver.satisfies(version, advisory.vulnerable, { includePrerelease: true }))
      .map((version) => ({ advisory, version })),
  );
}

function describeFinding({ advisory, version }: Finding): string {
  return `${advisory.package}@${version} ${advisory.ids[0] ?? advisory.source}`;
}
