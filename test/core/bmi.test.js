// Emulator vs. native CPU: the "bmi" family of reference/cases.js
// (reference/bmi.json; regenerate with node test/core/reference/gen.js bmi).
import { referenceSuite } from './refcheck.js';

referenceSuite('bmi').run();
