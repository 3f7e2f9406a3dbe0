/**
 * What every kit shares, applied once: each call's spec is validated by its
 * contract's validator, and a field the kit cannot honour is refused with the
 * clouds that can, before the kit builds anything.
 */
import type { CloudKit } from "../contracts";
import { capabilitiesOf, requireCapabilities, requireCapability } from "./capabilities";
import { ConfigError } from "./errors";
import { isSize, sizeList } from "./sizes";
import {
    validateContainerClusterSpec,
    validateContainerServiceSpec,
    validateLoadBalancerSpec,
    validateNetworkSpec,
    validateSecretParameterSpec,
    validateSharedStorageSpec,
    validateVmGroupSpec,
} from "./validate";

function validateSize(subject: string, size: unknown): void {
    if (!isSize(size)) throw new ConfigError(`${subject}: \`size\` must be one of ${sizeList}; got ${JSON.stringify(size)}.`);
}

export function checkedKit<K extends CloudKit = CloudKit>(kit: Omit<K, "capabilities">): K {
    const cloud = kit.cloud;
    const capabilities = capabilitiesOf(cloud);
    const base = kit as K;
    const subject = (contract: string, name: string) => `${contract}("${name}")`;
    if ((base.converterGroup !== undefined) !== capabilities.includes("kit.converterGroup")) {
        throw new Error(`${cloud} kit: its converterGroup and its declared capabilities disagree.`);
    }
    return {
        ...kit,
        capabilities,
        network: (name, spec, opts) => {
            validateNetworkSpec(subject("network", name), spec);
            return base.network(name, spec, opts);
        },
        loadBalancer: (name, spec, opts) => {
            validateLoadBalancerSpec(subject("loadBalancer", name), spec);
            return base.loadBalancer(name, spec, opts);
        },
        sharedStorage: (name, spec, opts) => {
            validateSharedStorageSpec(subject("sharedStorage", name), spec);
            return base.sharedStorage(name, spec, opts);
        },
        secretParameter: (name, spec, opts) => {
            validateSecretParameterSpec(subject("secretParameter", name), spec);
            return base.secretParameter(name, spec, opts);
        },
        vmGroup: (name, spec, opts) => {
            validateVmGroupSpec(subject("vmGroup", name), spec);
            validateSize(subject("vmGroup", name), spec.size);
            requireCapabilities(cloud, "vmGroup", subject("vmGroup", name), spec);
            return base.vmGroup(name, spec, opts);
        },
        containerCluster: (name, spec, opts) => {
            validateContainerClusterSpec(subject("containerCluster", name), spec);
            validateSize(subject("containerCluster", name), spec.size);
            return base.containerCluster(name, spec, opts);
        },
        containerService: (name, spec, opts) => {
            validateContainerServiceSpec(subject("containerService", name), spec);
            requireCapabilities(cloud, "containerService", subject("containerService", name), spec);
            return base.containerService(name, spec, opts);
        },
        converterGroup: (name, spec, opts) => {
            requireCapability(cloud, "kit.converterGroup", subject("converterGroup", name));
            return base.converterGroup!(name, spec, opts);
        },
    } as K;
}
