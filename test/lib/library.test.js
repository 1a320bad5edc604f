// The portable library tests (test/portable/cases.js) under Node, through the
// package's Node entry.
import { test } from "uvu";
import { readFile } from "node:fs/promises";
import * as lib from "../../dist/node.js";
import { libraryCases } from "../portable/cases.js";

const root = new URL("../../", import.meta.url);
for (const [name, fn] of await libraryCases(lib, root, async (url) => new Uint8Array(await readFile(url)))) test(name, fn);

test.run();
