// The guest root (--root) and mounts (--mount): ".." and symlinks cannot leave
// the root, writes outside a writable mount stay in the in-memory overlay, and
// a :rw mount writes through to the host.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { FIXTURES, forkbox } from "./helpers.js";

const base = mkdtempSync(`${tmpdir()}/forkbox-sandbox-`);
const root = `${base}/root`;
const outside = `${base}/outside`;
const rw = `${base}/rw`;
for (const d of [root, `${root}/bin`, outside, rw]) mkdirSync(d);
copyFileSync(`${FIXTURES}bin/i386/fsprobe`, `${root}/bin/fsprobe`);
writeFileSync(`${root}/marker.txt`, "inside");
writeFileSync(`${outside}/secret`, "host secret");
symlinkSync("../../../../../..", `${root}/up`); // climbs far above root on the host
symlinkSync("../outside/secret", `${root}/rel`); // base/outside/secret on the host
symlinkSync(`${outside}/secret`, `${root}/abs`); // an absolute host path
symlinkSync("/marker.txt", `${root}/bin/back`);
symlinkSync("made-by-link", `${root}/dangling`);

const probe = (args, options = []) => forkbox(["/bin/fsprobe", ...args], { options: ["--root", root, ...options] });
const lines = (r) => r.stdout.split("\n").filter(Boolean);

test("'..' stops at the guest root", () => {
  const r = probe(["cat", "/../../../marker.txt", "cat", "../../../../../../marker.txt", "cd", "/bin/../..",
    "pwd", "cat", `/../..${outside}/secret`, "ls", "/.."]);
  assert.equal(lines(r), [
    "cat /../../../marker.txt: inside",
    "cat ../../../../../../marker.txt: inside",
    "cd /bin/../..: ok",
    "pwd: /",
    `cat /../..${outside}/secret: ENOENT`,
    "ls /..: . .. abs bin dangling marker.txt rel up",
  ]);
  assert.is(r.status, 0);
});

test("symlinks resolve inside the guest root", () => {
  const r = probe(["cat", "/up/marker.txt", "cat", "/rel", "cat", "/abs", "readlink", "/abs", "cat", "/bin/back",
    "ls", "/up/up/up"]);
  assert.equal(lines(r), [
    "cat /up/marker.txt: inside",
    "cat /rel: ENOENT",
    "cat /abs: ENOENT",
    `readlink /abs: ${outside}/secret`,
    "cat /bin/back: inside",
    "ls /up/up/up: . .. abs bin dangling marker.txt rel up",
  ]);
});

test("writes outside a writable mount stay in the overlay", () => {
  const r = probe(["write", "/marker.txt", "changed", "cat", "/marker.txt", "write", "/new.txt", "fresh",
    "mkdir", "/newdir", "write", "/newdir/f", "deep", "cat", "/newdir/f", "rm", "/abs", "cat", "/rel",
    "write", "/rel", "nowhere", "write", "/dangling", "through a link", "cat", "/made-by-link", "ls", "/"]);
  assert.equal(lines(r), [
    "write /marker.txt: ok",
    "cat /marker.txt: changed",
    "write /new.txt: ok",
    "mkdir /newdir: ok",
    "write /newdir/f: ok",
    "cat /newdir/f: deep",
    "rm /abs: ok",
    "cat /rel: ENOENT",
    "write /rel: ENOENT",
    "write /dangling: ok",
    "cat /made-by-link: through a link",
    "ls /: . .. bin dangling made-by-link marker.txt new.txt newdir rel up",
  ]);
  assert.is(readFileSync(`${root}/marker.txt`, "utf8"), "inside");
  assert.is(readFileSync(`${outside}/secret`, "utf8"), "host secret");
  for (const p of ["new.txt", "newdir", "made-by-link"]) assert.not.ok(existsSync(`${root}/${p}`), p);
  assert.ok(existsSync(`${root}/abs`));
});

test("a :rw mount writes to the host, a plain mount does not", () => {
  const ro = mkdtempSync(`${base}/ro-`);
  const r = probe(["write", "/rw/out.txt", "hello host", "cat", "/rw/out.txt", "write", "/ro/x", "kept in memory",
    "cat", "/ro/x", "write", "/rw/../escape.txt", "nope", "mkdir", "/rw/sub", "rm", "/rw/missing"],
  ["--mount", `${rw}:/rw:rw`, "--mount", `${ro}:/ro`]);
  assert.equal(lines(r), [
    "write /rw/out.txt: ok",
    "cat /rw/out.txt: hello host",
    "write /ro/x: ok",
    "cat /ro/x: kept in memory",
    "write /rw/../escape.txt: ok",
    "mkdir /rw/sub: ok",
    "rm /rw/missing: ENOENT",
  ]);
  assert.is(readFileSync(`${rw}/out.txt`, "utf8"), "hello host");
  assert.ok(existsSync(`${rw}/sub`));
  assert.not.ok(existsSync(`${ro}/x`));
  assert.not.ok(existsSync(`${base}/escape.txt`));
  assert.not.ok(existsSync(`${root}/escape.txt`));
});

test("a bad --root or --mount: one line, status 127", () => {
  const r = forkbox(["/bin/fsprobe"], { options: ["--root", `${base}/none`] });
  assert.is(r.status, 127);
  assert.is(r.stderr.trim().split("\n").length, 1);
  const m = forkbox(["/bin/fsprobe"], { options: ["--root", root, "--mount", "relative"] });
  assert.is(m.status, 127);
});

test.run();
