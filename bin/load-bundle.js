// The CommonJS build of the program (scripts/bundle.mjs), compiled from V8's code cache beside it: Node 20 keeps
// no compiled code for ES modules, and compiling the bundle was a fifth of gredump's own start-up.
const { readFileSync, statSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const COMMON_JS_BUNDLE = join(__dirname, '../dist/src/bundle/main.cjs');
const CODE_CACHE = `${COMMON_JS_BUNDLE}.cache`;

/**
 * The bundle's exports (main, and each worker's start) and its Script (whose code cache scripts/bundle.mjs writes
 * after training runs). A cache V8 refuses (another Node, other flags) only costs the compile it would have saved;
 * V8 checks the source by its length alone, so a cache older than the bundle is not offered.
 */
function loadCommonJsBundle(useCache = true) {
  const mtime = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  let cachedData;
  try {
    if (useCache && mtime(CODE_CACHE) >= mtime(COMMON_JS_BUNDLE)) cachedData = readFileSync(CODE_CACHE);
  } catch {} // unreadable: compiled without
  const source = readFileSync(COMMON_JS_BUNDLE, 'latin1'); // esbuild writes ASCII only
  // The file is one function expression, the CommonJS wrapper included (scripts/bundle.mjs).
  const script = new Script(source, { filename: COMMON_JS_BUNDLE, cachedData });
  const module = { exports: {} };
  const require = createRequire(COMMON_JS_BUNDLE);
  script.runInThisContext()(module.exports, require, module, COMMON_JS_BUNDLE, dirname(COMMON_JS_BUNDLE));
  return { main: module.exports.main, workers: module.exports.workers, script };
}

module.exports = { CODE_CACHE, loadCommonJsBundle };
