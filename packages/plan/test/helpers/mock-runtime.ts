/**
 * Pulumi's mock runtime with the plan's own mocks and capture, in the test's own
 * process: what a test registers is recorded as the plan records it.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installCapture, pulumiInternals, unwrapSecrets, type CapturedResource } from "../../src/runtime/capture";
import { planMocks } from "../../src/runtime/mocks";
import { providerConfigs } from "../../src/runtime/provider-configs";

/** A recorded resource with its inputs' secrets unwrapped (unknowns stay the protocol's marker). */
export type TestResource = CapturedResource & { plain: Record<string, any> };

const toTest = (r: CapturedResource): TestResource => ({ ...r, plain: unwrapSecrets(r.inputs) as TestResource["plain"] });

export function useMockRuntime(options: { preview?: boolean; project?: string; stack?: string } = {}) {
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const providers = providerConfigs({});
    const capture = installCapture(pulumiDir, { onResource: (resource) => providers.record(resource) });
    // setMocks does all its work before its promise is returned: there is nothing to wait for.
    void pulumi.runtime.setMocks(
        planMocks({
            preview: options.preview ?? false,
            registerTransform: (transform) => capture.registerTransform(transform),
            providerConfig: (pkg, reference) => providers.lookup(pkg, reference),
        }),
        options.project ?? "project",
        options.stack ?? "test",
        options.preview ?? false,
    );
    const { settings } = pulumiInternals(pulumiDir);
    const settle = () => settings.waitForRPCs();
    const ofType = async (type: string, namePrefix = ""): Promise<TestResource[]> => {
        await settle();
        return capture.resources.filter((r) => r.type === type && r.name.startsWith(namePrefix)).map(toTest);
    };
    return {
        /** Every resource registered so far, after pending registrations finish. */
        async all(): Promise<TestResource[]> {
            await settle();
            return capture.resources.map(toTest);
        },
        ofType,
        /** The single resource of a type under a name prefix; fails the test when there are none or several. */
        async one(type: string, namePrefix = ""): Promise<TestResource> {
            const found = await ofType(type, namePrefix);
            if (found.length !== 1) throw new Error(`expected one ${type} named ${namePrefix}*, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
            return found[0];
        },
        /** Forgets what was recorded, so a test sees only its own resources. */
        reset() {
            capture.resources.length = 0;
        },
    };
}
