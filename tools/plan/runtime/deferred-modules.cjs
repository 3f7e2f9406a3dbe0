"use strict";
/**
 * Preloaded (`node --require`) into the program's runner and each policy pack: defers
 * a module that @pulumi/pulumi loads when it is itself loaded but uses only on a rare
 * path, until that path first touches it.
 *
 * `@npmcli/arborist` (with pacote, sigstore and some 600 modules beneath it) and
 * `normalize-package-data` are required by the SDK's closure serializer
 * (`runtime/closure/codePaths.js`), which only a function serialized into a resource
 * (a Lambda callback, a dynamic provider) calls; `execa` by the automation API, which
 * only drives the Pulumi CLI; `js-yaml` by the readers of plugin manifests and
 * workspace files. Together they are about half of the SDK's own load. The SDK
 * receives a stand-in that loads the real module at its first property read, so a
 * program that does take one of those paths gets the same module, a little later.
 *
 * Each is reached as TypeScript's `__importStar` or `__importDefault` leaves it (a
 * namespace read at the time of use); the stand-in answers `__esModule`, so both hand
 * it through, and `default` as they would have (the module itself, for CommonJS).
 */
const Module = require("node:module");
const path = require("node:path");

const deferred = new Set(["@npmcli/arborist", "normalize-package-data", "execa", "js-yaml"]);
const pulumiSdk = `${path.sep}@pulumi${path.sep}pulumi${path.sep}`;

const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
    if (!deferred.has(request) || !parent?.filename?.includes(pulumiSdk)) return originalLoad.apply(this, arguments);
    let real;
    const load = () => (real ??= originalLoad.call(this, request, parent, isMain));
    // `__esModule` lets TypeScript's `__importStar` hand the stand-in through as it is.
    return new Proxy(
        {},
        {
            get: (_target, key) => {
                if (key === "__esModule") return true;
                const module = load();
                return key === "default" && !module.__esModule ? module : module[key];
            },
            has: (_target, key) => key in load(),
            ownKeys: () => Reflect.ownKeys(load()),
            getOwnPropertyDescriptor: (_target, key) => {
                const descriptor = Object.getOwnPropertyDescriptor(load(), key);
                return descriptor && { ...descriptor, configurable: true };
            },
        },
    );
};
