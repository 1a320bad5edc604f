// Emulator vs. native CPU: the "misc" family of reference/cases.js
// (reference/misc.json; regenerate with node test/core/reference/gen.js misc).
import { referenceSuite } from './refcheck.js';

referenceSuite('misc').run();
