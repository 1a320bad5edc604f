// Emulator vs. native CPU: the "xchg" family of reference/cases.js
// (reference/xchg.json; regenerate with node test/core/reference/gen.js xchg).
import { referenceSuite } from './refcheck.js';

referenceSuite('xchg').run();
