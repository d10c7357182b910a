import { expect } from "chai";
import { countRequests, isWrite } from "../../tools/drill/requests";

const ROOT = "/v1.0/solutions/backupRestore";

describe("drill: request counts", () => {
  it("counts POST, PATCH and DELETE as writes but not the POSTs that only read", () => {
    expect(isWrite({ method: "POST", path: `${ROOT}/exchangeRestoreSessions` })).to.equal(true);
    expect(isWrite({ method: "POST", path: `${ROOT}/restoreSessions/abc/activate` })).to.equal(true);
    expect(isWrite({ method: "PATCH", path: `${ROOT}/sharePointRestoreSessions/abc` })).to.equal(true);
    expect(isWrite({ method: "DELETE", path: `${ROOT}/restoreSessions/abc` })).to.equal(true);
    expect(isWrite({ method: "POST", path: `${ROOT}/restorePoints/search` })).to.equal(false);
    expect(isWrite({ method: "POST", path: `${ROOT}/sharePointBrowseSessions/abc/browse` })).to.equal(false);
    expect(isWrite({ method: "GET", path: `${ROOT}/restoreSessions` })).to.equal(false);
  });

  it("counts only the program's Graph requests, by method", () => {
    const entries = [
      { kind: "token", method: "POST", path: "/tenant/oauth2/v2.0/token", appId: "program" },
      { kind: "graph", method: "POST", path: `${ROOT}/exchangeRestoreSessions`, appId: "program" },
      { kind: "graph", method: "POST", path: `${ROOT}/restorePoints/search`, appId: "program" },
      { kind: "graph", method: "GET", path: `${ROOT}/restoreSessions/a`, appId: "program" },
      { kind: "graph", method: "GET", path: `${ROOT}/restoreSessions`, appId: "auditor" },
    ];
    expect(countRequests(entries, "program")).to.deep.equal({
      total: 3,
      writes: 1,
      byMethod: { POST: 2, GET: 1 },
    });
    expect(countRequests(entries, undefined).total).to.equal(4);
  });
});
