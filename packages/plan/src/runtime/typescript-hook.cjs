"use strict";
/* oxlint-disable typescript/no-require-imports -- CommonJS, preloaded with --require before any loader exists: require is its only import */
/* oxlint-disable no-underscore-dangle -- Module._extensions, _compile and _resolveFilename are how Node's CommonJS loader is taught a new file type; it has no public hook for it */
/**
 * Loads CommonJS TypeScript the way tsx does, without paying for it at every start.
 *
 * Preloaded (`node --require`) by the plan's own processes and by the runner of a
 * CommonJS program. Each `.ts` module is transpiled by esbuild once and its JavaScript
 * kept on disk under the hash of its source and compiler options; Node's compile cache
 * keeps the V8 code of every module loaded, the SDKs' included. A changed file has a
 * new hash and is transpiled again; nothing is type-checked here (`npm test` does it).
 *
 * This file is JavaScript because it is what makes TypeScript loadable. An ES module
 * program is still run under tsx (see run-program.ts).
 *
 * OFFLINE_PLAN_CACHE=off transpiles every module anew and keeps nothing;
 * OFFLINE_PLAN_SOURCE_MAPS=1 maps stack traces to the TypeScript lines.
 */
const Module = require("node:module");
const fs = require("node:fs");
const path = require("node:path");
const crypto = require("node:crypto");

const cacheOn = process.env.OFFLINE_PLAN_CACHE !== "off";
const cacheRoot = require("./cache-dir.cjs").cacheDir();
const transpiledDir = path.join(cacheRoot, "transpiled");

if (cacheOn && typeof Module.enableCompileCache === "function") Module.enableCompileCache(path.join(cacheRoot, "v8"));
if (process.env.OFFLINE_PLAN_SOURCE_MAPS === "1") process.setSourceMapsEnabled(true);

let esbuild;
const esbuildVersion = () => require("esbuild/package.json").version;

/** The compiler options of the tsconfig.json nearest to a directory, as esbuild reads them. */
const tsconfigOf = new Map();
function nearestTsconfig(dir) {
    if (tsconfigOf.has(dir)) return tsconfigOf.get(dir);
    const file = path.join(dir, "tsconfig.json");
    let found;
    if (fs.existsSync(file)) {
        found = fs.readFileSync(file, "utf8");
        // esbuild does not follow `extends`: hand it the options merged as TypeScript merges them.
        if (found.includes('"extends"')) found = JSON.stringify(require("get-tsconfig").parseTsconfig(file));
    } else {
        const parent = path.dirname(dir);
        found = parent === dir ? "{}" : nearestTsconfig(parent);
    }
    tsconfigOf.set(dir, found);
    return found;
}

function transpile(source, filename) {
    const tsconfigRaw = nearestTsconfig(path.dirname(filename));
    const key = crypto.createHash("sha256").update([process.versions.node, esbuildVersion(), filename, tsconfigRaw, source].join("\0")).digest("hex");
    const cached = path.join(transpiledDir, key.slice(0, 2), `${key}.js`);
    if (cacheOn) {
        try {
            return fs.readFileSync(cached, "utf8");
        } catch {
            // Not transpiled yet.
        }
    }
    esbuild ??= require("esbuild");
    const { code } = esbuild.transformSync(source, {
        loader: filename.endsWith(".tsx") ? "tsx" : "ts",
        format: "cjs",
        platform: "node",
        target: `node${process.versions.node.split(".")[0]}`,
        sourcemap: "inline",
        sourcefile: filename,
        tsconfigRaw,
    });
    if (cacheOn) {
        // Written whole under a name of its own, then renamed: a concurrent reader sees all or nothing.
        const partial = `${cached}.${process.pid}`;
        try {
            fs.mkdirSync(path.dirname(cached), { recursive: true });
            fs.writeFileSync(partial, code);
            fs.renameSync(partial, cached);
        } catch {
            // A read-only checkout runs without the cache.
        }
    }
    return code;
}

for (const extension of [".ts", ".cts", ".tsx"]) {
    Module._extensions[extension] = function loadTypeScript(module, filename) {
        module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
    };
}

// `import "./x.js"` written for NodeNext names the module's output: load its TypeScript source.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
    try {
        return resolveFilename.call(this, request, parent, ...rest);
    } catch (err) {
        const typescript = /^\.{1,2}\/.*\.c?js$/.test(request) && request.replace(/\.(c?)js$/, ".$1ts");
        if (!typescript || err.code !== "MODULE_NOT_FOUND") throw err;
        try {
            return resolveFilename.call(this, typescript, parent, ...rest);
        } catch {
            // Neither exists: name the module as the program wrote it.
            throw err;
        }
    }
};

/** Writes the V8 code of what this process compiled, for a process that ends by a signal. */
exports.flush = () => {
    if (cacheOn && typeof Module.flushCompileCache === "function") Module.flushCompileCache();
};
