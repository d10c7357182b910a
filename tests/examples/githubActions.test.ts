import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator } from "../../tools/emulator";
import { LifecycleRunner } from "../../tools/runner";
import { useEmulator } from "../helpers/emulator";
import { exampleDir, exampleProject, graphList, graphWrites, loadYaml, sessionSteps } from "./fixtures";

const BASE = "/solutions/backupRestore";
const WORKFLOW = path.join(exampleDir("github-actions"), ".github", "workflows", "restore-drill.yml");

interface SessionEvidence {
  id: string;
  status: string;
  artifacts: { total: number; completed: number; failed: number };
  recoverySeconds: number | null;
  createdByApplicationId: string | null;
}

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

interface Workflow {
  on: { schedule?: { cron: string }[]; workflow_dispatch?: unknown };
  permissions: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; steps: Step[]; environment?: unknown }>;
}

/** What the workflow's job gives the program: the GitHub run id and the Azure identity variables. */
async function workflowEnvironment(emulator: Emulator, runId: string): Promise<Record<string, string>> {
  return {
    GITHUB_RUN_ID: runId,
    AZURE_TENANT_ID: emulator.tenantId,
    AZURE_CLIENT_ID: emulator.federatedClient.clientId,
    // As the workflow does with GitHub's token: an OIDC token for api://AzureADTokenExchange in a file.
    AZURE_FEDERATED_TOKEN_FILE: await emulator.federatedClient.writeTokenFile(),
    AZURE_AUTHORITY_HOST: emulator.authorityHost,
    M365_BACKUP_GRAPH_ENDPOINT: emulator.graphEndpoint,
  };
}

describe("examples/github-actions", function () {
  this.timeout(300_000);

  describe("the program, with the federated credential only, through the lifecycle runner", () => {
    const suite = useEmulator({ unitsPerWorkload: 20 });
    const runners: LifecycleRunner[] = [];

    after(async () => {
      await Promise.all(runners.map((runner) => runner.close()));
    });

    it("restores with a token exchanged from an OIDC token file, and each workflow run starts a new drill", async () => {
      const emulator = suite.emulator;
      const federatedId = emulator.federatedClient.clientId;
      const mailboxes = [0, 1].map(
        (index) => emulator.service.tenant.unitAt("exchange", index)?.email as string,
      );
      const site = emulator.service.tenant.unitAt("sharePoint", 0)?.siteWebUrl as string;
      const projectDir = await exampleProject("github-actions");
      // No m365-backup:* config at all: only the environment the workflow sets.
      const config = {
        "restore-drill-ci:mailboxes": JSON.stringify(mailboxes),
        "restore-drill-ci:siteWebUrls": JSON.stringify([site]),
      };
      const first = new LifecycleRunner({
        projectDir,
        config,
        env: await workflowEnvironment(emulator, "1001"),
      });
      runners.push(first);

      const result = await first.up();
      expect(sessionSteps(result.steps)).to.deep.equal([
        ["create", "ExchangeRestoreSession"],
        ["create", "SharePointRestoreSession"],
      ]);
      expect(result.outputs.runId).to.equal("1001");
      const mailboxEvidence = result.outputs.mailboxes as SessionEvidence;
      const siteEvidence = result.outputs.sites as SessionEvidence;
      for (const [name, evidence, total] of [
        ["mailboxes", mailboxEvidence, 2],
        ["sites", siteEvidence, 1],
      ] as const) {
        expect(evidence.status, name).to.equal("completed");
        expect(evidence.artifacts, name).to.deep.include({ total, completed: total, failed: 0 });
        expect(evidence.recoverySeconds, name).to.be.a("number").and.to.be.at.least(0);
        // Graph records the federated app as the creator.
        expect(evidence.createdByApplicationId, name).to.equal(federatedId);
      }

      // Every token came from a client assertion exchange and every Graph call carried its token.
      const tokens = emulator.requestLog.entries({ kind: "token" });
      expect(tokens.length).to.be.greaterThan(0);
      expect(tokens.map((entry) => [entry.appId, entry.status])).to.deep.equal(
        tokens.map(() => [federatedId, 200]),
      );
      const graph = emulator.requestLog.entries({ kind: "graph" });
      expect(new Set(graph.map((entry) => entry.appId))).to.deep.equal(new Set([federatedId]));
      const artifacts = await graphList(
        emulator,
        `${BASE}/exchangeRestoreSessions/${mailboxEvidence.id}/mailboxRestoreArtifacts`,
      );
      expect(artifacts.map((artifact) => [artifact.status, artifact.destinationType])).to.deep.equal([
        ["succeeded", "new"],
        ["succeeded", "new"],
      ]);

      // The next scheduled run (a new GITHUB_RUN_ID, a fresh token file): new sessions; the activated
      // ones of the last run are dropped from the stack, never deleted in Graph.
      await first.close();
      emulator.requestLog.clear();
      const next = new LifecycleRunner({
        projectDir,
        config,
        env: await workflowEnvironment(emulator, "1002"),
      });
      runners.push(next);
      const rerun = await next.up();
      const ops = rerun.steps.filter((step) => step.custom).map((step) => step.op);
      expect(ops, ops.join(", ")).to.include.members(["create-replacement", "delete-replaced"]);
      expect(ops, ops.join(", ")).to.not.include("same");
      const newMailboxes = rerun.outputs.mailboxes as SessionEvidence;
      expect(newMailboxes.id).to.not.equal(mailboxEvidence.id);
      expect(newMailboxes.status).to.equal("completed");
      const writes = graphWrites(emulator);
      expect(writes.filter((write) => write.startsWith("DELETE"))).to.deep.equal([]);
      expect(writes.filter((write) => write.endsWith("/activate"))).to.have.length(2);
    });
  });

  describe("the workflow file", () => {
    const workflow = loadYaml(fs.readFileSync(WORKFLOW, "utf8")) as Workflow;
    const [jobName, job] = Object.entries(workflow.jobs)[0];
    const runs = job.steps.map((step) => step.run ?? "").join("\n");

    it("runs on a schedule (and by hand) with permission to request an OIDC token", () => {
      const crons = (workflow.on.schedule ?? []).map((entry) => entry.cron);
      expect(crons).to.have.length.greaterThan(0);
      for (const cron of crons) {
        expect(cron.trim().split(/\s+/), cron).to.have.length(5);
      }
      expect(workflow.on).to.have.property("workflow_dispatch");
      expect(workflow.permissions).to.deep.include({ "id-token": "write", contents: "read" });
    });

    it("sets the Azure identity from repository variables and a token file, with no azure/login and no secret for Entra", () => {
      expect(job.env?.AZURE_TENANT_ID, jobName).to.equal("${{ vars.AZURE_TENANT_ID }}");
      expect(job.env?.AZURE_CLIENT_ID, jobName).to.equal("${{ vars.AZURE_CLIENT_ID }}");
      expect(job.env?.AZURE_FEDERATED_TOKEN_FILE, jobName).to.match(/^\$\{\{ runner\.temp \}\}\/.+/);
      expect(job.env).to.not.have.property("AZURE_CLIENT_SECRET");
      expect(
        job.steps.map((step) => step.uses ?? "").filter((uses) => uses.startsWith("azure/login")),
      ).to.deep.equal([]);
      // An `environment:` would change the token's subject away from the one README.md registers.
      expect(job).to.not.have.property("environment");
    });

    it("writes GitHub's OIDC token for the Entra audience to the token file, then runs pulumi up --yes", () => {
      expect(runs).to.include("$ACTIONS_ID_TOKEN_REQUEST_TOKEN");
      expect(runs).to.include("$ACTIONS_ID_TOKEN_REQUEST_URL&audience=api://AzureADTokenExchange");
      expect(runs).to.match(/> "\$AZURE_FEDERATED_TOKEN_FILE(\.tmp)?"/);
      const fetchAt = runs.indexOf("fetch_oidc_token\n");
      const upAt = runs.search(/pulumi up --yes/);
      expect(fetchAt, "the token is fetched").to.be.greaterThan(-1);
      expect(upAt, "pulumi up --yes runs after it").to.be.greaterThan(fetchAt);
    });

    it("keeps the create journal between attempts: restored before pulumi up, saved even when the job failed", () => {
      const dir = job.env?.M365_BACKUP_JOURNAL_DIR;
      expect(dir, "the journal lives in the workspace the cache can reach").to.match(
        /^\$\{\{ github\.workspace \}\}\//,
      );
      const at = (predicate: (step: Step) => boolean): number => job.steps.findIndex(predicate);
      const restore = at((step) => (step.uses ?? "").startsWith("actions/cache/restore@"));
      const save = at((step) => (step.uses ?? "").startsWith("actions/cache/save@"));
      const up = at((step) => /pulumi up --yes/.test(step.run ?? ""));
      expect(restore, "restored").to.be.greaterThan(-1);
      expect(restore, "before pulumi up").to.be.lessThan(up);
      expect(save, "saved after pulumi up").to.be.greaterThan(up);
      const saveStep = job.steps[save] as Step & { if?: string };
      expect(saveStep.if, "also after a failed or cancelled attempt").to.equal("always()");
      for (const step of [job.steps[restore], saveStep]) {
        expect(step.with?.path).to.equal("${{ env.M365_BACKUP_JOURNAL_DIR }}");
        expect(String(step.with?.key), "keyed per stack, new per attempt").to.include(
          "${{ env.PULUMI_STACK }}",
        );
        expect(String(step.with?.key)).to.include("${{ github.run_attempt }}");
      }
      expect(String(job.steps[restore].with?.["restore-keys"])).to.include(
        "m365-backup-journal-${{ env.PULUMI_STACK }}-",
      );
    });

    it("is documented: README.md names the federated credential's issuer, subject and audience", () => {
      const readme = fs.readFileSync(path.join(exampleDir("github-actions"), "README.md"), "utf8");
      expect(readme).to.include("https://token.actions.githubusercontent.com");
      expect(readme).to.include("repo:ORG/REPO:ref:refs/heads/main");
      expect(readme).to.include("api://AzureADTokenExchange");
    });
  });
});
