/**
 * The offline runtime for a project's own unit tests (`pulumi-offline-plan/runtime`):
 * the plan's mocks (provider functions answered, ids assigned as the clouds
 * assign them) and the record of every resource as the engine would see it, with
 * the protocol's markers for secrets and unknowns. The plan runs programs on the
 * same pieces, so a component test sees what the plan sees.
 */
export {
    installCapture,
    maskForDisplay,
    unwrapSecrets,
    containsSecret,
    secretSig,
    secretSigKey,
    unknownValue,
    type CapturedResource,
    type CaptureOptions,
    type ResourceOptionsSeen,
} from "./capture";
export { planMocks, offlineId, type PlanMocksOptions } from "./mocks";
export { providerConfigs } from "./provider-configs";
export { aliasUrns, resolveAliases } from "./aliases";
