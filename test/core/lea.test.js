// Emulator vs. native CPU: the "lea" family of reference/cases.js
// (reference/lea.json; regenerate with node test/core/reference/gen.js lea).
import { referenceSuite } from './refcheck.js';

referenceSuite('lea').run();
