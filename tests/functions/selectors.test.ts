import { expect } from "chai";
import {
  isSelector,
  normalizeSelector,
  normalizeSiteWebUrl,
  validateSelector,
} from "../../provider/functions/selectors";

describe("restore point selectors: validateSelector", () => {
  const path = "mailboxRestoreArtifacts[0]";

  it("accepts a mailbox selector for Exchange with every optional field", () => {
    const problems = validateSelector(
      path,
      {
        mailbox: "ann@contoso.com",
        restorePointTime: "2026-11-20T09:00:00Z",
        restorePointPreference: "oldest",
        tags: "fastRestore",
        destinationType: "inPlace",
      },
      "exchange",
    );
    expect(problems).to.deep.equal([]);
  });

  it("accepts a site URL for SharePoint, an owner id for OneDrive and a unit id for any kind", () => {
    expect(
      validateSelector(
        "s",
        {
          siteWebUrl: "https://contoso.sharepoint.com/sites/Finance/",
          restorePointTime: "2026-11-20T10:00:00+01:00",
        },
        "sharePoint",
      ),
    ).to.deep.equal([]);
    expect(
      validateSelector(
        "d",
        { oneDriveOwner: "0b4c6a3e-1f7d-4e55-9a1e-3f3c2b1a0d9e", restorePointTime: "2026-11-20T09:00Z" },
        "oneDriveForBusiness",
      ),
    ).to.deep.equal([]);
    expect(
      validateSelector(
        "p",
        { protectionUnitId: "abc-123", restorePointTime: "2026-11-20T09:00:00.123Z" },
        "sharePoint",
      ),
    ).to.deep.equal([]);
  });

  it("names the property path and the valid alternative when the unit key does not suit the kind", () => {
    const problems = validateSelector(
      path,
      { siteWebUrl: "https://x.sharepoint.com", restorePointTime: "2026-11-20T09:00:00Z" },
      "exchange",
    );
    expect(problems).to.have.length(1);
    expect(problems[0].property).to.equal(`${path}.siteWebUrl`);
    expect(problems[0].reason).to.contain("mailbox or protectionUnitId");
  });

  it("requires exactly one unit key", () => {
    const none = validateSelector(path, { restorePointTime: "2026-11-20T09:00:00Z" }, "exchange");
    expect(none).to.deep.equal([
      { property: path, reason: "set exactly one of mailbox or protectionUnitId (none is set)." },
    ]);
    const two = validateSelector(
      path,
      { mailbox: "ann@contoso.com", protectionUnitId: "pu1", restorePointTime: "2026-11-20T09:00:00Z" },
      "exchange",
    );
    expect(two[0].reason).to.contain("mailbox and protectionUnitId are both set");
  });

  it("rejects times that are not ISO instants with a zone, and says how to write one", () => {
    for (const restorePointTime of [
      "yesterday",
      "2026-11-20",
      "2026-11-20T09:00:00",
      "2026-13-40T09:00:00Z",
    ]) {
      const problems = validateSelector(path, { mailbox: "ann@contoso.com", restorePointTime }, "exchange");
      expect(problems, restorePointTime).to.have.length(1);
      expect(problems[0].property).to.equal(`${path}.restorePointTime`);
      expect(problems[0].reason).to.contain("ISO 8601");
    }
    const missing = validateSelector(path, { mailbox: "ann@contoso.com" }, "exchange");
    expect(missing[0]).to.include({ property: `${path}.restorePointTime` });
    expect(missing[0].reason).to.match(/^required; /);
  });

  it("rejects malformed emails, non-https site URLs and owners that are neither email nor GUID", () => {
    expect(
      validateSelector(path, { mailbox: "ann", restorePointTime: "2026-11-20T09:00:00Z" }, "exchange")[0]
        .reason,
    ).to.contain("email address");
    expect(
      validateSelector(
        "s",
        { siteWebUrl: "http://contoso.sharepoint.com/sites/a", restorePointTime: "2026-11-20T09:00:00Z" },
        "sharePoint",
      )[0].reason,
    ).to.contain("https://");
    expect(
      validateSelector(
        "s",
        { siteWebUrl: "sites/a", restorePointTime: "2026-11-20T09:00:00Z" },
        "sharePoint",
      )[0].reason,
    ).to.contain("absolute site URL");
    expect(
      validateSelector(
        "d",
        { oneDriveOwner: "ann", restorePointTime: "2026-11-20T09:00:00Z" },
        "oneDriveForBusiness",
      )[0].reason,
    ).to.contain("email address or Entra user id");
  });

  it("names unknown properties and bad enum values", () => {
    const problems = validateSelector(
      path,
      {
        mailbox: "ann@contoso.com",
        restorePointTime: "2026-11-20T09:00:00Z",
        restorePointPrefernce: "latest",
        tags: "slow",
        destinationType: "elsewhere",
      },
      "exchange",
    );
    expect(problems).to.have.length(3);
    expect(problems[0].property).to.equal(`${path}.restorePointPrefernce`);
    expect(problems[0].reason).to.contain("unknown selector property");
    expect(problems[1].property).to.equal(`${path}.tags`);
    expect(problems[1].reason).to.contain('"fastRestore"');
    expect(problems[2].property).to.equal(`${path}.destinationType`);
    expect(problems[2].reason).to.contain('"inPlace"');
  });

  it("rejects values that are not objects", () => {
    for (const value of [null, "ann@contoso.com", [], 3]) {
      expect(validateSelector(path, value, "exchange")[0]).to.deep.include({ property: path });
      expect(validateSelector(path, value, "exchange")[0].reason).to.contain("must be an object");
    }
  });
});

describe("restore point selectors: normalization", () => {
  it("treats site URLs that differ only in case and trailing slash as one site", () => {
    expect(normalizeSiteWebUrl("https://Contoso.SharePoint.com/sites/Finance/")).to.equal(
      normalizeSiteWebUrl("https://contoso.sharepoint.com/sites/finance"),
    );
    expect(normalizeSiteWebUrl("https://contoso.sharepoint.com/")).to.equal("https://contoso.sharepoint.com");
  });

  it("gives one canonical form for equal intents written differently", () => {
    const a = normalizeSelector({
      mailbox: " Ann@Contoso.com ",
      restorePointTime: "2026-11-20T10:00:00+01:00",
    });
    const b = normalizeSelector({
      mailbox: "ann@contoso.com",
      restorePointTime: "2026-11-20T09:00:00.000Z",
      restorePointPreference: "latest",
    });
    expect(a).to.deep.equal(b);
    expect(a).to.deep.equal({
      mailbox: "ann@contoso.com",
      restorePointTime: "2026-11-20T09:00:00.000Z",
      restorePointPreference: "latest",
    });
  });

  it("recognises a selector by its keys and a restore point reference as not one", () => {
    expect(isSelector({ mailbox: "a@b.c", restorePointTime: "2026-11-20T09:00:00Z" })).to.equal(true);
    expect(isSelector({ restorePointTime: "2026-11-20T09:00:00Z" })).to.equal(true);
    expect(isSelector({ restorePoint: { id: "rp1" }, destinationType: "new" })).to.equal(false);
    expect(isSelector(null)).to.equal(false);
  });
});
