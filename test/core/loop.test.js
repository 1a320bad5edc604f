// Emulator vs. native CPU: the "loop" family of reference/cases.js
// (reference/loop.json; regenerate with node test/core/reference/gen.js loop).
import { referenceSuite } from './refcheck.js';

referenceSuite('loop').run();
