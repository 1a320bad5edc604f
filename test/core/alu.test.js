// Emulator vs. native CPU: the "alu" family of reference/cases.js
// (reference/alu.json; regenerate with node test/core/reference/gen.js alu).
import { referenceSuite } from './refcheck.js';

referenceSuite('alu').run();
