// Emulator vs. native CPU: the "bcd" family of reference/cases.js
// (reference/bcd.json; regenerate with node test/core/reference/gen.js bcd).
import { referenceSuite } from './refcheck.js';

referenceSuite('bcd').run();
