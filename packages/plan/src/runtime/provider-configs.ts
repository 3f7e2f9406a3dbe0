/**
 * Which configuration a provider function is called with, as the engine routes a
 * call: to the explicit provider the call names (its own arguments), or to the
 * package's default provider (the stack's `<package>:*` keys).
 */
import type { ProviderConfig } from "../data-sources";
import { unwrapSecrets, type CapturedResource } from "./capture";

export function providerConfigs(stackConfig: Record<string, string>) {
    const explicit = new Map<string, CapturedResource>();
    return {
        /** A registered resource; providers among them answer later calls made with them. */
        record(resource: CapturedResource): void {
            if (resource.type.startsWith("pulumi:providers:")) explicit.set(resource.urn, resource);
        },
        /** A call names no provider when it goes to the default one, which the program never sees. */
        lookup(pkg: string, reference: string | undefined): ProviderConfig {
            const urn = reference?.slice(0, reference.lastIndexOf("::"));
            const provider = urn ? explicit.get(urn) : undefined;
            if (provider) {
                return { pkg, values: unwrapSecrets(provider.inputs) as Record<string, unknown>, explicit: provider.name };
            }
            const values: Record<string, unknown> = {};
            for (const [key, value] of Object.entries(stackConfig)) if (key.startsWith(`${pkg}:`)) values[key.slice(pkg.length + 1)] = value;
            return { pkg, values };
        },
    };
}
