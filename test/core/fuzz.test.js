// Emulator vs. native CPU: the "fuzz" family of reference/cases.js
// (reference/fuzz.json; regenerate with node test/core/reference/gen.js fuzz).
import { referenceSuite } from './refcheck.js';

referenceSuite('fuzz').run();
