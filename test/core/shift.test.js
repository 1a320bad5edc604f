// Emulator vs. native CPU: the "shift" family of reference/cases.js
// (reference/shift.json; regenerate with node test/core/reference/gen.js shift).
import { referenceSuite } from './refcheck.js';

referenceSuite('shift').run();
