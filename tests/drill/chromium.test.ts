/**
 * Opens report.html in Debian's headless Chromium: it renders, the charts survive layout, and the page
 * makes no network request (every request would have to go through a proxy this test runs and counts).
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { buildDrillReport, writeDrillReport, type DrillReportPaths } from "../../tools/drill/report";
import { dumpDom, findChromium, screenshot } from "../../tools/drill/chromium";
import { OUTCOME_COLOURS } from "../../tools/drill/report/timeline";
import { countColour, decodePng } from "./png";
import { drillFacts } from "./fixtures";

/**
 * Chromium's own background services (network time, component and extension updates, account
 * checks) call these even with `--disable-background-networking`. They are the browser's traffic, not
 * the page's; the report names none of them, so a request to one cannot come from the page.
 */
const BROWSER_SERVICE_HOSTS = /^([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)$/i;

/** The host a proxied request is for: `CONNECT host:443` or `GET http://host/...`. */
function requestHost(requestLine: string): string {
  const target = requestLine.split(" ")[1] ?? "";
  return target.includes("://") ? new URL(target).hostname : target.replace(/:\d+$/, "");
}

/** A TCP listener standing in for an HTTP proxy: it records the host of every request and serves none. */
async function countingProxy(): Promise<{
  port: number;
  pageHosts: () => string[];
  close: () => Promise<void>;
}> {
  const hosts: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.once("data", (chunk: Buffer) => {
      hosts.push(requestHost(chunk.toString("latin1").split("\r\n")[0]));
      socket.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    pageHosts: () => hosts.filter((host) => !BROWSER_SERVICE_HOSTS.test(host)),
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}

function proxyFlags(port: number): string[] {
  return [`--proxy-server=http://127.0.0.1:${port}`, "--proxy-bypass-list=<-loopback>"];
}

describe("drill report in headless Chromium", function () {
  this.timeout(120_000);
  const chromium = findChromium();
  let directory: string;
  let paths: DrillReportPaths;

  before(function () {
    if (chromium === undefined) {
      console.log(
        "    Chromium is not installed (looked for $CHROMIUM_PATH, /usr/bin/chromium): skipping the browser checks. " +
          "Install it with `apt-get install -y chromium`.",
      );
      this.skip();
    }
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "drill-chromium-"));
    paths = writeDrillReport(buildDrillReport(drillFacts()), directory);
  });

  after(() => {
    if (directory) {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it("renders the page with the title, the outcome banner and both charts", async () => {
    const dom = await dumpDom(chromium!, paths.html);
    expect(dom).to.contain("<h1>Microsoft 365 Backup restore drill</h1>");
    expect(dom).to.contain('class="banner failed"');
    expect(dom.match(/<g class="artifact" data-artifact-id="[^"]+" data-outcome="\w+">/g)).to.have.length(6);
    expect(dom.match(/<rect class="bar bar-failed"/g)).to.have.length(1);
    expect(dom.match(/<g class="rto-workload"/g)).to.have.length(3);
    expect(dom).to.contain('<ul class="legend" aria-label="Timeline legend">');
  });

  it("paints the bars in their outcome colours in a screenshot", async () => {
    const png = path.join(directory, "report.png");
    await screenshot(chromium!, paths.html, png, { widthInPx: 1100, heightInPx: 1600 });
    const image = decodePng(fs.readFileSync(png));
    expect([image.width, image.height]).to.deep.equal([1100, 1600]);
    // Five green bars at least 2 px wide and 14 px tall, the legend swatch and the "Met"/"Restored" tags.
    expect(countColour(image, OUTCOME_COLOURS.succeeded)).to.be.greaterThan(1000);
    expect(countColour(image, OUTCOME_COLOURS.failed)).to.be.greaterThan(200);
  });

  it("makes no network request: nothing from the page reaches a proxy that every request must use", async () => {
    const proxy = await countingProxy();
    try {
      await dumpDom(chromium!, paths.html, proxyFlags(proxy.port));
      expect(proxy.pageHosts()).to.deep.equal([]);
    } finally {
      await proxy.close();
    }
  });

  it("would notice a page that does fetch something (the proxy check can fail)", async () => {
    const proxy = await countingProxy();
    const leaky = path.join(directory, "leaky.html");
    fs.writeFileSync(
      leaky,
      '<!DOCTYPE html><html><body><img src="http://report-assets.example/logo.png"></body></html>',
    );
    try {
      await dumpDom(chromium!, leaky, proxyFlags(proxy.port));
      expect(proxy.pageHosts()).to.include("report-assets.example");
    } finally {
      await proxy.close();
    }
  });
});
