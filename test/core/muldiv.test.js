// Emulator vs. native CPU: the "muldiv" family of reference/cases.js
// (reference/muldiv.json; regenerate with node test/core/reference/gen.js muldiv).
import { referenceSuite } from './refcheck.js';

referenceSuite('muldiv').run();
