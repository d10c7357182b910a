/**
 * What `configure` hands to `check`: the package's config values, and the unknown `m365-backup:*`
 * keys by name, which `check` refuses. The stack config is built with the SDK's own `Config` class, the
 * one its dynamic-provider host passes to `configure`.
 */
import { expect } from "chai";
import { Config } from "@pulumi/pulumi/cmd/dynamic-provider/config";
import type * as pulumi from "@pulumi/pulumi";
import * as host from "../../provider/resources/host";

const RESTORE_POINT = "1f1fccc3-a642-4f61-bf49-f37b9a888279";
const MISPLACED_SECRET = "value-of-a-misspelt-key-0000";

function configureRequest(rawConfig: Record<string, string>): pulumi.dynamic.ConfigureRequest {
  return { config: new Config(rawConfig, "project") };
}

describe("host: the config snapshot from configure to check", () => {
  it("keeps the package's values by bare key and names unknown keys of its namespace only", () => {
    const snapshot = host.snapshotConfig(
      configureRequest({
        "m365-backup:tenantId": "contoso-tenant",
        "m365-backup:apiVersion": "beta",
        "m365-backup:clientSecrett": MISPLACED_SECRET,
        "m365-backup:graphEndpont": "https://graph.example",
        "aws:region": "eu-west-1",
        "project:name": "drill",
      }),
    );
    expect(snapshot.values).to.deep.equal({ tenantId: "contoso-tenant", apiVersion: "beta" });
    expect(snapshot.unknownKeys.map((problem) => problem.key)).to.deep.equal([
      "m365-backup:clientSecrett",
      "m365-backup:graphEndpont",
    ]);
    expect(JSON.stringify(snapshot)).not.to.contain(MISPLACED_SECRET);
  });

  it("fails check on each unknown key, naming it and the key it was probably meant to be", async () => {
    const config = host.snapshotConfig(
      configureRequest({ "m365-backup:TenantId": "contoso-tenant", "m365-backup:colour": "blue" }),
    );
    const result = await host.check(
      "exchange",
      config,
      {},
      {
        mailboxRestoreArtifacts: [{ restorePoint: { id: RESTORE_POINT } }],
      },
    );
    expect(result.failures).to.have.length(2);
    const [nearMiss, unrelated] = result.failures ?? [];
    expect(nearMiss.property).to.equal("m365-backup:TenantId");
    expect(nearMiss.reason).to.contain("did you mean m365-backup:tenantId?");
    expect(unrelated.property).to.equal("m365-backup:colour");
    expect(unrelated.reason).to.contain("known keys are m365-backup:tenantId");
  });

  it("passes check when every key of its namespace is known", async () => {
    const config = host.snapshotConfig(configureRequest({ "m365-backup:tenantId": "contoso-tenant" }));
    const result = await host.check(
      "exchange",
      config,
      {},
      {
        mailboxRestoreArtifacts: [{ restorePoint: { id: RESTORE_POINT } }],
      },
    );
    expect(result.failures).to.equal(undefined);
  });
});
