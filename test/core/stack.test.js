// Emulator vs. native CPU: the "stack" family of reference/cases.js
// (reference/stack.json; regenerate with node test/core/reference/gen.js stack).
import { referenceSuite } from './refcheck.js';

referenceSuite('stack').run();
