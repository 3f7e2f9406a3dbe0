/**
 * One validator per contract. Every kit runs them on every call (see
 * `checkedKit`), so a spec means the same and fails the same on every cloud;
 * components that are used on their own call the ones they need.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    isTimeZone,
    scheduleInstant,
    scheduleNamePattern,
    type CapacitySchedule,
    type ContainerClusterSpec,
    type ContainerServiceSpec,
    type LoadBalancerSpec,
    type NetworkSpec,
    type SecretParameterSpec,
    type SharedStorageSpec,
    type VmGroupSpec,
} from "../contracts";
import { ipv4Block } from "./cidr";
import { ConfigError } from "./errors";

const wholeAtLeast = (component: string, key: string, value: unknown, min: number): void => {
    if (!Number.isInteger(value) || (value as number) < min)
        throw new ConfigError(`${component}: \`${key}\` must be a whole number >= ${min}, got ${String(value)}.`);
};

const validPort = (component: string, key: string, value: unknown): void => {
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 65535) {
        throw new ConfigError(`${component}: \`${key}\` must be a port from 1 to 65535, got ${String(value)}.`);
    }
};

const validPath = (component: string, key: string, value: unknown): void => {
    if (typeof value !== "string" || !value.startsWith("/"))
        throw new ConfigError(`${component}: \`${key}\` must be an HTTP path starting with "/", got ${JSON.stringify(value)}.`);
};

/** Counts of a group as [key, value]: its minimum, the count it starts at (where it has one), its maximum. */
export interface Counts {
    min: [string, number];
    desired?: [string, number];
    max: [string, number];
}

/**
 * The rule `min <= desired <= max`, written once for the components and the
 * stack files: the first count that breaks it, with what it must do (naming the
 * other keys through `name`), or undefined when the counts hold.
 */
export function countOrderFault(
    { min, desired, max }: Counts,
    name: (key: string) => string = (key) => `\`${key}\``,
): { key: string; value: number; fix: string } | undefined {
    const [minKey, minValue] = min;
    const [maxKey, maxValue] = max;
    if (minValue > maxValue) return { key: minKey, value: minValue, fix: `must not be above ${name(maxKey)} (${maxValue})` };
    if (desired && (desired[1] < minValue || desired[1] > maxValue)) {
        return { key: desired[0], value: desired[1], fix: `must lie between ${name(minKey)} (${minValue}) and ${name(maxKey)} (${maxValue})` };
    }
    return undefined;
}

/** Whole numbers, each at least `least` (0 unless told), in the order `min <= desired <= max`. */
export function validateCounts(component: string, counts: Counts, least: Partial<Record<"min" | "desired" | "max", number>> = {}): void {
    for (const part of ["min", "desired", "max"] as const) {
        const count = counts[part];
        if (count) wholeAtLeast(component, count[0], count[1], least[part] ?? 0);
    }
    const fault = countOrderFault(counts);
    if (fault) throw new ConfigError(`${component}: \`${fault.key}\` (${fault.value}) ${fault.fix}.`);
}

export function validateNetworkSpec(component: string, spec: NetworkSpec): void {
    ipv4Block(spec.cidr, 8, 24, `${component}: \`cidr\``);
    wholeAtLeast(component, "zoneCount", spec.zoneCount, 1);
}

/**
 * Validates campaign scale-ups against the group's sizes; every kit calls it with
 * the group's `maxSize` (`maxCount`).
 */
export function validateSchedules(component: string, schedules: CapacitySchedule[], maxCapacity: number): void {
    const names = new Set<string>();
    schedules.forEach((s, i) => {
        const key = `schedules[${i}]`;
        if (!scheduleNamePattern.test(s.name)) {
            throw new ConfigError(
                `${component}: \`${key}.name\` must be lowercase letters, digits and dashes (1-40, starting with a letter), got ${JSON.stringify(s.name)}.`,
            );
        }
        if (names.has(s.name)) throw new ConfigError(`${component}: \`${key}.name\` ${JSON.stringify(s.name)} is used twice; schedule names must be unique.`);
        names.add(s.name);
        if (!isTimeZone(s.timeZone))
            throw new ConfigError(`${component}: \`${key}.timeZone\` must be an IANA time zone such as "Europe/Amsterdam", got ${JSON.stringify(s.timeZone)}.`);
        const start = scheduleInstant(s.start, s.timeZone);
        const end = scheduleInstant(s.end, s.timeZone);
        for (const [field, value, instant] of [
            ["start", s.start, start],
            ["end", s.end, end],
        ] as const) {
            if (!instant)
                throw new ConfigError(
                    `${component}: \`${key}.${field}\` must be a local date-time YYYY-MM-DDThh:mm (no offset), got ${JSON.stringify(value)}.`,
                );
        }
        if (end!.getTime() - start!.getTime() < 5 * 60_000) {
            throw new ConfigError(`${component}: \`${key}.end\` (${s.end}) must be at least 5 minutes after \`${key}.start\` (${s.start}).`);
        }
        if (!Number.isInteger(s.minCapacity) || s.minCapacity < 1 || s.minCapacity > maxCapacity) {
            throw new ConfigError(
                `${component}: \`${key}.minCapacity\` must be a whole number from 1 to the group's maximum (${maxCapacity}), got ${s.minCapacity}.`,
            );
        }
    });
}

/** Validates the sizes of a VmGroup; every kit calls it first. */
export function validateVmGroupSpec(component: string, spec: Omit<VmGroupSpec, "size">): void {
    validateCounts(component, { min: ["minSize", spec.minSize], desired: ["desiredSize", spec.desiredSize], max: ["maxSize", spec.maxSize] });
    if (!(spec.cpuTargetPercent > 0 && spec.cpuTargetPercent <= 100)) {
        throw new ConfigError(`${component}: \`cpuTargetPercent\` must be in (0, 100], got ${spec.cpuTargetPercent}.`);
    }
    if (spec.port !== undefined) validPort(component, "port", spec.port);
    if (spec.healthCheckPath !== undefined) validPath(component, "healthCheckPath", spec.healthCheckPath);
    validateSchedules(component, spec.schedules ?? [], spec.maxSize);
}

export function validateContainerClusterSpec(component: string, spec: ContainerClusterSpec): void {
    validateCounts(component, { min: ["minNodes", spec.minNodes], max: ["maxNodes", spec.maxNodes] }, { max: 1 });
}

export function validateContainerServiceSpec(component: string, spec: ContainerServiceSpec): void {
    validateCounts(component, { min: ["minCount", spec.minCount], desired: ["desiredCount", spec.desiredCount], max: ["maxCount", spec.maxCount] });
    wholeAtLeast(component, "cpu", spec.cpu, 1);
    wholeAtLeast(component, "memory", spec.memory, 1);
    validPort(component, "port", spec.port);
    validateSchedules(component, spec.schedules ?? [], spec.maxCount);
}

export function validateLoadBalancerSpec(component: string, spec: LoadBalancerSpec): void {
    validPort(component, "targetPort", spec.targetPort);
    validPath(component, "healthCheckPath", spec.healthCheckPath);
}

export function validateSharedStorageSpec(component: string, spec: SharedStorageSpec): void {
    if (spec.sizeGib !== undefined) wholeAtLeast(component, "sizeGib", spec.sizeGib, 1);
}

/** The value must already be a Pulumi secret, so no kit can store or show it in plain text. */
export function validateSecretParameterSpec(component: string, spec: SecretParameterSpec): void {
    if (!pulumi.Output.isInstance(spec.value)) {
        throw new ConfigError(`${component}: \`value\` must be a Pulumi secret (pulumi.secret(...) or a --secret config value), got a plain value.`);
    }
}
