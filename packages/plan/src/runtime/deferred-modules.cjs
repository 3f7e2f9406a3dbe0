"use strict";
/* oxlint-disable typescript/no-require-imports -- CommonJS, preloaded with --require before any loader exists: require is its only import */
/* oxlint-disable no-underscore-dangle -- Module._load is Node's loader itself, the one place a preload can answer a require; __esModule is TypeScript's interop marker */
/**
 * Preloaded (`node --require`) into the program's runner and each policy pack: defers
 * the modules that @pulumi/pulumi loads when it is itself loaded but uses only on a
 * rare path, until that path first touches them.
 *
 * - `@npmcli/arborist` (with pacote, sigstore and some 600 modules beneath it),
 *   `normalize-package-data` and `typescript` are required by the SDK's closure
 *   serializer, which only a function serialized into a resource (a Lambda
 *   callback, a dynamic provider) calls; `execa` by the automation API, which only
 *   drives the Pulumi CLI; `js-yaml` by the readers of plugin manifests and
 *   workspace files. Each is read as a namespace at the time of use
 *   (`ts.createSourceFile(...)`), or through TypeScript's `__importStar` and
 *   `__importDefault`.
 * - The OpenTelemetry SDK (exporter, tracer provider, instrumentations) is required
 *   by the language host's tracing (`cmd/run/tracing.js`), which takes its classes
 *   and functions apart when it loads but calls them only when tracing is turned on
 *   (`--tracing`). `@opentelemetry/api`, which every span goes through, loads as ever.
 *
 * Together they are more than half of the time the SDK takes to load. The SDK
 * receives stand-ins that load the real module at their first use, so a program
 * that does take one of those paths gets the same modules, a little later.
 */
const Module = require("node:module");

const sdk = /[\\/]@pulumi[\\/]pulumi[\\/]/;
/** Modules read as a namespace: the stand-in loads the module at the first property read. */
const namespaces = new Set(["@npmcli/arborist", "normalize-package-data", "execa", "js-yaml", "typescript"]);
/** Modules whose members are taken apart at load: each member's stand-in loads the module when called or constructed. */
const tracingModule = /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]run[\\/]tracing\.js$/;
const takenApart = new Set([
    "@opentelemetry/resources",
    "@opentelemetry/sdk-trace-base",
    "@opentelemetry/exporter-zipkin",
    "@opentelemetry/instrumentation-grpc",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/instrumentation",
]);

/**
 * A namespace that loads its module at the first read. `__esModule` lets TypeScript's
 * `__importStar` hand it through as it is, and `default` answers as `__importDefault`
 * would have (the module itself, for CommonJS).
 */
function namespaceStandIn(load) {
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
}

/** A module whose every member is a function or class that loads the module when called, constructed or read. */
function membersStandIn(load) {
    const member = (key) => {
        const real = () => load()[key];
        const standIn = new Proxy(function () {}, {
            apply: (_target, self, args) => Reflect.apply(real(), self, args),
            construct: (_target, args, newTarget) => Reflect.construct(real(), args, newTarget === standIn ? real() : newTarget),
            get: (_target, name) => real()[name],
        });
        return standIn;
    };
    const members = new Map();
    return new Proxy({}, { get: (_target, key) => (members.has(key) ? members.get(key) : members.set(key, member(key)).get(key)) });
}

const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
    const from = parent?.filename ?? "";
    const standIn =
        namespaces.has(request) && sdk.test(from) ? namespaceStandIn : takenApart.has(request) && tracingModule.test(from) ? membersStandIn : undefined;
    if (!standIn) return originalLoad.apply(this, arguments);
    let real;
    return standIn(() => (real ??= originalLoad.call(this, request, parent, isMain)));
};
