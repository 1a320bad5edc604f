// Emulator vs. native CPU: the "bits" family of reference/cases.js
// (reference/bits.json; regenerate with node test/core/reference/gen.js bits).
import { referenceSuite } from './refcheck.js';

referenceSuite('bits').run();
