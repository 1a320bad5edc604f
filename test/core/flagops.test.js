// Emulator vs. native CPU: the "flagops" family of reference/cases.js
// (reference/flagops.json; regenerate with node test/core/reference/gen.js flagops).
import { referenceSuite } from './refcheck.js';

referenceSuite('flagops').run();
