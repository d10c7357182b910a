import { expect } from "chai";
import { createScrubber, REDACTED, safeExcerpt } from "../../provider/redact";

const JWT =
  "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20iLCJyb2xlcyI6W119.c2lnbmF0dXJlLXBhcnQ";

describe("scrubber", () => {
  const scrub = createScrubber(["canary-Secret/7f3a+9c1e"]);

  it("removes configured secrets, also when URL-encoded", () => {
    expect(scrub("secret canary-Secret/7f3a+9c1e here")).to.equal(`secret ${REDACTED} here`);
    expect(scrub("client_x=canary-Secret%2F7f3a%2B9c1e")).not.to.contain("canary");
  });

  it("removes JWTs wherever they appear", () => {
    expect(scrub(`token ${JWT} end`)).to.equal(`token ${REDACTED} end`);
    expect(scrub(`{"assertion":"${JWT}"}`)).not.to.contain("eyJ");
  });

  it("removes Authorization header values of any scheme", () => {
    expect(scrub("Authorization: Bearer abc.def-ghi")).not.to.contain("abc.def");
    expect(scrub("authorization: Basic dXNlcjpwYXNz")).not.to.contain("dXNlcjpwYXNz");
  });

  it("removes credential form fields and JSON properties", () => {
    const form = "grant_type=client_credentials&client_secret=hunter2xyz&client_assertion=abc123&scope=x";
    const scrubbed = scrub(form);
    expect(scrubbed).not.to.contain("hunter2xyz").and.not.to.contain("abc123");
    expect(scrubbed).to.contain("grant_type=client_credentials");
    expect(scrub('{"access_token":"opaque-value","token_type":"Bearer"}')).not.to.contain("opaque-value");
  });

  it("removes PEM blocks, private keys included", () => {
    const pem =
      "key: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY----- done";
    expect(scrub(pem)).to.equal(`key: ${REDACTED} done`);
  });

  it("leaves ordinary text alone and ignores secrets too short to scrub safely", () => {
    const scrubShort = createScrubber(["abc"]);
    expect(scrubShort("abc restore session not found")).to.equal("abc restore session not found");
  });
});

describe("safe excerpt", () => {
  const scrub = createScrubber();

  it("turns an HTML page into a short single line without markup or scripts", () => {
    const html =
      "<html><head><style>p{}</style><script>var t='x'</script></head>\n<body><h1>502 Bad Gateway</h1>\r\n<p>nginx</p></body></html>";
    expect(safeExcerpt(html, scrub)).to.equal("502 Bad Gateway nginx");
  });

  it("truncates long bodies", () => {
    const excerpt = safeExcerpt("x".repeat(1000), scrub, 20);
    expect(excerpt).to.equal(`${"x".repeat(20)}…`);
  });

  it("scrubs what it keeps", () => {
    expect(safeExcerpt(`<p>${JWT}</p>`, scrub)).to.equal(REDACTED);
  });
});
