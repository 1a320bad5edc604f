// End-to-end test of the demo page in headless Chromium (Debian's chromium,
// driven by playwright-core): the built dist/web served from 127.0.0.1, the
// fork-exec-wait and spawn-1,000 examples and a program reading typed stdin,
// checked against the native runs recorded in test/fixtures/expected/i386.
// Run by `npm run test:browser` (which builds the page first); not part of `npm test`.
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WEB = join(ROOT, "dist/web");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".tar": "application/x-tar", ".map": "application/json" };
// The page runs the i386 builds.
const expected = (name) => JSON.parse(readFileSync(join(ROOT, `test/fixtures/expected/i386/${name}.json`), "utf8"));

let passed = 0, failed = 0;
function check(name, cond, detail = "") {
  if (cond) { passed++; console.log(`ok   ${name}`); } else { failed++; console.log(`FAIL ${name}${detail ? `: ${detail}` : ""}`); }
}

// What the terminal shows for one run: the "$ argv" line, the output, the status line.
function transcript(argv, stdout, status) {
  return [`$ ${argv}`, ...stdout.replace(/\n$/, "").split("\n"), `[exit status ${status}]`].join("\n");
}

function serve() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(WEB, path === "/" ? "index.html" : path);
    if (!file.startsWith(WEB) || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

if (!existsSync(join(WEB, "index.html"))) throw new Error("dist/web is missing: run `npm run build:web`");
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium`);

const server = await serve();
const profile = mkdtempSync(join(tmpdir(), "forkbox-chromium-"));
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", `--disk-cache-dir=${profile}`],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector("body[data-state=idle]", { timeout: 30_000 });
  const text = () => page.evaluate(() => globalThis.forkbox.terminalText());

  async function runExample(argv) {
    const before = await text();
    await page.click(`button[data-example="${argv}"]`);
    await page.waitForSelector("body[data-state=running]", { timeout: 10_000 }).catch(() => {});
    await page.waitForSelector("body[data-state=idle]", { timeout: 120_000 });
    return (await text()).slice(before.length).replace(/^\n/, "");
  }

  // fork, exec ./sleepy, wait: terminal text and the tree of two processes.
  const few = expected("fork_exec_wait");
  const t1 = await runExample("./fork_exec_wait");
  check("fork_exec_wait: terminal shows the native output", t1 === transcript("./fork_exec_wait", few.stdout, few.status), JSON.stringify(t1));
  const tree1 = await page.$$eval("#tree li", (lis) => lis.map((li) => [li.dataset.pid, li.dataset.state, li.dataset.status, li.firstChild.textContent]));
  check("fork_exec_wait: the tree is pid 1 and its child 2, which exec'd ./sleepy, exited 3 and was reaped",
    JSON.stringify(tree1) === JSON.stringify([
      ["1", "reaped", "0", "1 ./fork_exec_wait — reaped (exit 0)"],
      ["2", "reaped", "3", "2 ./sleepy — reaped (exit 3)"],
    ]), JSON.stringify(tree1));

  // spawn 1,000: output, and a tree of 1,001 processes all reaped.
  const many = expected("fork_loop");
  const t2 = await runExample("./fork_loop");
  check("fork_loop: terminal shows the native output", t2 === transcript("./fork_loop", many.stdout, many.status), JSON.stringify(t2));
  const counts = await page.evaluate(() => globalThis.forkbox.tree.counts());
  check("fork_loop: 1,001 processes, all reaped", JSON.stringify(counts) === JSON.stringify({ running: 0, zombie: 0, reaped: 1001 }), JSON.stringify(counts));
  const shown = await page.$$eval("#tree > ul > li > ul > li", (lis) => lis.map((li) => li.firstChild.textContent));
  check("fork_loop: the tree lists the first children and sums up the rest",
    shown.length === 13 && shown[0] === "2 ./fork_loop — reaped (exit 0)" && shown[12] === "… 988 more: 0 running, 0 zombie, 988 reaped",
    JSON.stringify(shown));

  // A program reading stdin from the terminal: type two lines, then Ctrl-D.
  await page.click(`button[data-example="./upcase"]`);
  await page.waitForSelector("body[data-state=running]");
  await page.click("#terminal");
  await page.keyboard.type("Hello, forkbox!");
  await page.keyboard.press("Enter");
  await page.keyboard.type("A second line, longer than sixty-four bytes, so that it takes two reads.");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Control+D");
  await page.waitForSelector("body[data-state=idle]", { timeout: 30_000 });
  const up = expected("upcase");
  const t3 = (await text()).split("$ ./upcase\n")[1];
  const typed = up.stdout.split("\n").slice(0, 2);
  const want = ["Hello, forkbox!", typed[0], "A second line, longer than sixty-four bytes, so that it takes two reads.", typed[1], up.stderr.trim(), "[exit status 0]"].join("\n");
  check("upcase: typed lines echo, come back upper-cased, and Ctrl-D ends input", t3 === want, JSON.stringify(t3));

  check("no errors on the page", errors.length === 0, errors.join("; "));
  await page.screenshot({ path: join(ROOT, "dist/web-test.png") });
} finally {
  await browser.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
