"use strict";
/* oxlint-disable typescript/no-require-imports -- CommonJS, read by the preloads before any loader exists: require is its only import */
/**
 * Where the plan keeps what it caches (transpiled modules, V8 code):
 * OFFLINE_PLAN_CACHE_DIR, else `.cache/offline-plan` in the nearest node_modules
 * at or above the package, where tools keep their caches; a package outside any
 * node_modules caches in the system's temporary directory.
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

function cacheDir() {
    if (process.env.OFFLINE_PLAN_CACHE_DIR) return process.env.OFFLINE_PLAN_CACHE_DIR;
    for (let dir = path.resolve(__dirname, "..", ".."); ; dir = path.dirname(dir)) {
        if (path.basename(dir) === "node_modules") return path.join(dir, ".cache", "offline-plan");
        if (fs.existsSync(path.join(dir, "node_modules"))) return path.join(dir, "node_modules", ".cache", "offline-plan");
        if (path.dirname(dir) === dir) return path.join(os.tmpdir(), "offline-plan");
    }
}

module.exports = { cacheDir };
