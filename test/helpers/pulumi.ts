/**
 * Shared set-up for component tests: Pulumi's mock runtime with the plan's own
 * mocks, and a record of every resource registered, as the engine would see it.
 *
 *   const run = useMockRuntime();                 // once per test file
 *   new SharedStorage("files", {...});
 *   const fs = await run.one("aws:efs/fileSystem:FileSystem", "files");
 *   expect(fs.inputs.encrypted).toBe(true);
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installCapture, unwrapSecrets, containsSecret, type CapturedResource } from "pulumi-offline-plan/runtime";
import { planMocks } from "pulumi-offline-plan/runtime";
import { providerConfigs } from "pulumi-offline-plan/runtime";

export interface TestResource extends CapturedResource {
    /** Inputs with secrets unwrapped (unknowns stay the protocol's unknown marker). */
    plain: Record<string, any>;
    /** True when any input holds a secret. */
    hasSecretInput: boolean;
}

export interface MockRuntimeOptions {
    preview?: boolean;
    project?: string;
    stack?: string;
    /** Stack configuration, full keys (`multicloud:workload`). */
    config?: Record<string, string>;
    secretKeys?: string[];
}

/**
 * The SDK keeps a stack trace on every promise it makes, for its leak report at
 * process exit (which a test worker never prints). Under Jest each trace is
 * mapped through source maps as it is taken, which was most of a component
 * test's time. The promises are made as before, with an empty trace; errors a
 * test or a program throws keep theirs, and so do resources' source positions
 * (the SDK raises the limit itself when it takes one).
 */
function withoutPromiseTraces(): void {
    // oxlint-disable-next-line typescript/no-require-imports -- the SDK marks debuggablePromise internal and leaves it out of its declarations
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
        debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
        withoutTraces?: true;
    };
    if (debuggable.withoutTraces) return;
    const traced = debuggable.debuggablePromise;
    debuggable.debuggablePromise = <T>(p: Promise<T>, ctx: unknown): Promise<T> => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return traced(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    debuggable.withoutTraces = true;
}

/**
 * Every resource records where it was declared: the SDK takes a whole stack trace
 * and reads the positions from its text. Jest formats each trace through the test
 * files' source maps, frame by frame, which was an eighth of a component test's
 * time. The trace is taken with V8's own formatting instead: the same frames,
 * positions in the transpiled files. The mock monitor receives them and keeps none,
 * and no test reads them.
 */
function withUnmappedResourcePositions(): void {
    const resource = pulumi.Resource as unknown as { callsites: () => unknown[]; unmappedPositions?: true };
    if (resource.unmappedPositions) return;
    const mapped = resource.callsites.bind(resource);
    // V8's own format, frame by frame (left undefined, Node would fall back to the worker's mapping formatter).
    const unmapped = (error: Error, frames: { toString(): string }[]) => [String(error), ...frames.map((frame) => `    at ${frame.toString()}`)].join("\n");
    resource.callsites = () => {
        // The worker's formatter is put back exactly as it was, descriptor and all.
        const format = Object.getOwnPropertyDescriptor(Error, "prepareStackTrace");
        Error.prepareStackTrace = unmapped;
        try {
            return mapped();
        } finally {
            if (format) Object.defineProperty(Error, "prepareStackTrace", format);
            else Reflect.deleteProperty(Error, "prepareStackTrace");
        }
    };
    resource.unmappedPositions = true;
}

export function useMockRuntime(options: MockRuntimeOptions = {}) {
    withoutPromiseTraces();
    withUnmappedResourcePositions();
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    // Provider functions answer from the provider they are called with, as in the plan.
    const providers = providerConfigs(options.config ?? {});
    const capture = installCapture(pulumiDir, { onResource: (resource) => providers.record(resource) });
    if (options.config) {
        pulumi.runtime.setAllConfig(options.config, options.secretKeys ?? []);
    }
    // setMocks does all its work before its promise is returned: there is nothing to wait for.
    void pulumi.runtime.setMocks(
        planMocks({
            preview: options.preview ?? false,
            registerTransform: (transform) => capture.registerTransform(transform),
            providerConfig: (pkg, reference) => providers.lookup(pkg, reference),
        }),
        options.project ?? "multicloud",
        options.stack ?? "test",
        options.preview ?? false,
    );

    const settle = async () => {
        // oxlint-disable-next-line typescript/no-require-imports -- waitForRPCs is exported by the SDK's settings module but left out of its declarations
        await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
    };
    // Read on first use: most callers of all() look at a few of the resources it returns.
    const toTest = (r: CapturedResource): TestResource => {
        let plain: TestResource["plain"] | undefined;
        let hasSecretInput: boolean | undefined;
        return Object.defineProperties({ ...r } as TestResource, {
            plain: { enumerable: true, get: () => (plain ??= unwrapSecrets(r.inputs) as TestResource["plain"]) },
            hasSecretInput: { enumerable: true, get: () => (hasSecretInput ??= containsSecret(r.inputs)) },
        });
    };

    return {
        settle,
        /** Every resource registered so far, after pending registrations finish. */
        async all(): Promise<TestResource[]> {
            await settle();
            return capture.resources.map(toTest);
        },
        /** Resources of a type whose name starts with the prefix (children are named from their component). */
        async ofType(type: string, namePrefix = ""): Promise<TestResource[]> {
            await settle();
            return capture.resources.filter((r) => r.type === type && r.name.startsWith(namePrefix)).map(toTest);
        },
        /** The single resource of a type under a name prefix; fails the test when there are none or several. */
        async one(type: string, namePrefix = ""): Promise<TestResource> {
            const found = await this.ofType(type, namePrefix);
            if (found.length !== 1) {
                throw new Error(`expected one ${type} named ${namePrefix}*, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
            }
            return found[0];
        },
        /** Forgets what was recorded, so a test sees only its own resources. */
        reset() {
            capture.resources.length = 0;
        },
    };
}

/** Resolves an Output's value in tests (undefined when unknown). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}
