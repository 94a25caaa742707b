#!/usr/bin/env node
/**
 * The `firelens-preflight` bin (dist/cli/main.js): turns on Node's compile cache, then runs the bundled CLI
 * (`run.js` beside it).
 *
 * A pre-commit hook starts the CLI on every commit, and compiling the bundle is a good part of its start-up.
 * Node ≥ 22.1 keeps V8's code cache for every module loaded after `module.enableCompileCache()`, in a directory
 * of its own choosing (`NODE_COMPILE_CACHE`, else under the OS temp directory), checks it against the source
 * and its own version, and honours `NODE_DISABLE_COMPILE_CACHE=1`. Older Node has no such call and compiles
 * on every run: the bin starts plainly there. This file stays tiny, so the cache is on before the bundle loads.
 */
import nodeModule, { createRequire } from "node:module";

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { start } = createRequire(import.meta.url)("./run.js") as { start: () => void };
start();
