// Emulator vs. native CPU: the "chains" family of reference/cases.js
// (reference/chains.json; regenerate with node test/core/reference/gen.js chains).
import { referenceSuite } from './refcheck.js';

referenceSuite('chains').run();
