// node scripts/warm-code-cache.mjs BUNDLE ARGS...: runs the CLI bundle with ARGS and saves, as it
// exits, the V8 code cache of what the run compiled (see bin/run-bundle.js).
import { runBundle } from '../bin/run-bundle.js';

const [bundle, ...args] = process.argv.slice(2);
process.argv.splice(2, Infinity, ...args);
runBundle(bundle, { refreshCache: 'always' });
