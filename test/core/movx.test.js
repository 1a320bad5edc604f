// Emulator vs. native CPU: the "movx" family of reference/cases.js
// (reference/movx.json; regenerate with node test/core/reference/gen.js movx).
import { referenceSuite } from './refcheck.js';

referenceSuite('movx').run();
