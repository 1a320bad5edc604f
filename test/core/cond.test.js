// Emulator vs. native CPU: the "cond" family of reference/cases.js
// (reference/cond.json; regenerate with node test/core/reference/gen.js cond).
import { referenceSuite } from './refcheck.js';

referenceSuite('cond').run();
