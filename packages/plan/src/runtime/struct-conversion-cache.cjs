"use strict";
/* oxlint-disable typescript/no-require-imports -- CommonJS, preloaded with --require before any loader exists: require is its only import */
/* oxlint-disable no-underscore-dangle -- Module._load is Node's loader itself, the one place a preload can see every module loaded */
/**
 * Preloaded (`NODE_OPTIONS=--require`) into each policy pack's process: a request's
 * properties are converted from protobuf to JavaScript once, not once per policy.
 *
 * For every policy that applies to a resource, the policy SDK calls
 * `deserializeProperties(request.getProperties())`, which converts the same protobuf
 * Struct with `Struct.toJavaScript` again (and the resource's provider's too): with
 * fifty policies, fifty conversions of one message, most of a pack's work on a
 * resource. The first conversion of each Struct is kept for that Struct and handed
 * out again. The SDK copies what it receives into fresh objects for each policy
 * (`deserializeProperty`), so no policy sees what another changed; the pack, its
 * policies and its answers are otherwise untouched.
 */
const Module = require("node:module");

const structModule = /(^|[\\/])google-protobuf[\\/]google[\\/]protobuf[\\/]struct_pb(\.js)?$/;
const patched = new WeakSet();

const originalLoad = Module._load;
Module._load = function (request) {
    const exported = originalLoad.apply(this, arguments);
    const prototype = structModule.test(request) ? exported?.Struct?.prototype : undefined;
    if (prototype && !patched.has(prototype)) {
        patched.add(prototype);
        const convert = prototype.toJavaScript;
        const converted = new WeakMap();
        prototype.toJavaScript = function () {
            if (!converted.has(this)) converted.set(this, convert.call(this));
            return converted.get(this);
        };
    }
    return exported;
};
