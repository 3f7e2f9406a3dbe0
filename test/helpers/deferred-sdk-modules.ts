/**
 * Jest loads a test file's modules anew for every file, and @pulumi/pulumi, when
 * it loads, requires its closure serializer's package readers: @npmcli/arborist
 * (with pacote, sigstore and some 600 modules beneath it) and
 * normalize-package-data. Only a function serialized into a resource (a Lambda
 * callback, a dynamic provider) uses them, yet they were half of the SDK's load in
 * every test file. Each is handed over as a namespace that loads the real module
 * at its first use, as the offline plan's runner defers them
 * (pulumi-offline-plan/src/runtime/deferred-modules.cjs): a test that does take
 * that path gets the same module, a little later.
 */
const deferred = ["@npmcli/arborist", "normalize-package-data"];

for (const name of deferred) {
    jest.doMock(name, () => {
        let real: Record<PropertyKey, unknown> | undefined;
        const load = () => (real ??= jest.requireActual<Record<PropertyKey, unknown>>(name));
        // `__esModule` lets TypeScript's __importStar hand the namespace through as it is; `default` answers as __importDefault would.
        const esModuleMarker = "__esModule";
        return new Proxy(
            {},
            {
                get: (_target, key) => (key === esModuleMarker ? true : key === "default" && !load()[esModuleMarker] ? load() : load()[key]),
                has: (_target, key) => key in load(),
                ownKeys: () => Reflect.ownKeys(load()),
                getOwnPropertyDescriptor: (_target, key) => {
                    const descriptor = Object.getOwnPropertyDescriptor(load(), key);
                    return descriptor && { ...descriptor, configurable: true };
                },
            },
        );
    });
}
