"use strict";
/* oxlint-disable typescript/no-require-imports -- CommonJS, preloaded with --require before any loader exists: require is its only import */
/**
 * Preloaded into a policy pack's process (`NODE_OPTIONS=--require`): keeps the V8
 * code of every module the pack loads in Node's compile cache, so the next start
 * compiles nothing it compiled before. The pack itself runs unchanged.
 *
 * Node writes the cache when a process exits; a pack is stopped by a signal, so the
 * cache is written first and the signal then ends the process as it would have.
 */
const Module = require("node:module");
const path = require("node:path");

if (process.env.OFFLINE_PLAN_CACHE !== "off" && typeof Module.enableCompileCache === "function") {
    const cacheRoot = require("./cache-dir.cjs").cacheDir();
    Module.enableCompileCache(path.join(cacheRoot, "v8"));
    for (const signal of ["SIGTERM", "SIGINT"]) {
        process.once(signal, () => {
            Module.flushCompileCache();
            process.kill(process.pid, signal);
        });
    }
}
