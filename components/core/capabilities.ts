/**
 * What each kit honours beyond the core of every contract. A spec that sets a
 * field its kit cannot honour is a configuration error naming the field and the
 * clouds whose kits can, never a field silently dropped.
 *
 * Read from each cloud's descriptor, not off a loaded kit, so the stacks can
 * check a placement without loading every provider SDK.
 */
import { cloudDescriptors, descriptorOf, type Cloud } from "../clouds";
import { ConfigError } from "./errors";

/** Optional fields of each contract, and operations only some kits have. */
export const optionalFields = {
    vmGroup: ["loadBalancer", "storage", "secrets", "schedules"],
    containerService: ["loadBalancer", "paths", "storage", "secretRefs", "variables", "egressAllowCidrs", "schedules"],
    kit: ["converterGroup"],
} as const;

type Fields = typeof optionalFields;
export type Capability = { [C in keyof Fields]: `${C}.${Fields[C][number]}` }[keyof Fields];

export const allCapabilities: readonly Capability[] = Object.entries(optionalFields).flatMap(([contract, fields]) =>
    fields.map((field) => `${contract}.${field}` as Capability),
);

/** What a cloud's kit honours: everything but what its descriptor says it lacks. */
export function capabilitiesOf(cloud: Cloud): readonly Capability[] {
    const { lacks } = descriptorOf(cloud);
    return allCapabilities.filter((c) => !(c in lacks));
}

/** The clouds whose kits honour a capability. */
export function cloudsWith(capability: Capability): Cloud[] {
    return cloudDescriptors.map((d) => d.id).filter((cloud) => capabilitiesOf(cloud).includes(capability));
}

/** An empty list or map asks for nothing, so it needs no capability. */
function isSet(value: unknown): boolean {
    if (value === undefined || value === null) return false;
    if (Array.isArray(value)) return value.length > 0;
    if (typeof value === "object" && !("urn" in value)) return Object.keys(value).length > 0;
    return true;
}

/** Throws a ConfigError when the cloud's kit cannot honour a capability. */
export function requireCapability(cloud: Cloud, capability: Capability, subject: string): void {
    if (capabilitiesOf(cloud).includes(capability)) return;
    const [contract, field] = capability.split(".");
    const what = contract === "kit" ? `\`${field}\`` : `\`${field}\` of a ${contract}`;
    const can = cloudsWith(capability);
    throw new ConfigError(
        `${cloud} kit: ${subject} sets ${what}, which the ${cloud} kit cannot honour; ` +
            `${can.length > 0 ? `the kits that can: ${can.join(", ")}` : "no kit can yet"}.`,
    );
}

/** Checks every optional field a spec sets against what the cloud's kit honours. */
export function requireCapabilities(cloud: Cloud, contract: "vmGroup" | "containerService", subject: string, spec: object): void {
    for (const field of optionalFields[contract]) {
        if (isSet((spec as Record<string, unknown>)[field])) requireCapability(cloud, `${contract}.${field}` as Capability, subject);
    }
}
