// Emulator vs. native CPU: the "strings" family of reference/cases.js
// (reference/strings.json; regenerate with node test/core/reference/gen.js strings).
import { referenceSuite } from './refcheck.js';

referenceSuite('strings').run();
