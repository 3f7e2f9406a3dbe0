"use strict";
/* oxlint-disable typescript/no-require-imports -- CommonJS, preloaded with --require before any loader exists: require is its only import */
/* oxlint-disable no-underscore-dangle -- Module._load is Node's loader itself, the one place a preload can answer a require */
/**
 * Preloaded into a policy pack's process when it runs from its compiled copy
 * (compiled-pack.ts), which holds JavaScript and JSON only.
 *
 * `run-policy-pack` registers ts-node, with the TypeScript compiler, in every pack
 * it starts, whatever the pack is written in: about a third of a compiled pack's
 * start. ts-node compiles only `.ts` files outside node_modules, and the copy has
 * none (a pack that imports TypeScript from outside its directory is not copied: it
 * runs from its sources, with the real ts-node). So where the runner registers
 * ts-node, the registration does nothing here and the compiler is read for its
 * version only: both answer with their installed versions. Every other module,
 * the pack's own and the SDK's closure serializer among them, gets the real ones.
 */
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

/** The SDK modules that register ts-node for a pack: the pack runner and its TypeScript helpers. */
const registrars = /[\\/]@pulumi[\\/]pulumi[\\/](tsutils|cmd[\\/]run-policy-pack[\\/]run)\.js$/;
const load = Module._load;

/** The installed version of a package, as the SDK would log it, or undefined when it is not installed for the requiring module. */
function versionOf(name, parent) {
    try {
        const file = require.resolve(`${name}/package.json`, { paths: [path.dirname(parent.filename)] });
        return JSON.parse(fs.readFileSync(file, "utf8")).version;
    } catch {
        return undefined;
    }
}

/** What the runner reads of each, given the installed version. */
const standIns = {
    "ts-node": (version) => ({ VERSION: version, register: () => undefined }),
    typescript: (version) => ({ version }),
};

Module._load = function loadForJavaScriptPack(request, parent, ...rest) {
    if (Object.hasOwn(standIns, request) && parent && registrars.test(parent.filename ?? "")) {
        const version = versionOf(request, parent);
        // Not installed: the SDK's own fallback (its vendored copies) takes over, as without this preload.
        if (version !== undefined) return standIns[request](version);
    }
    return load.call(this, request, parent, ...rest);
};
