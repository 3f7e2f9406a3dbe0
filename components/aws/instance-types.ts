/**
 * The EC2 instance types the AWS kit offers for VM groups and ECS capacity, with
 * what one instance gives to ECS tasks: CPU in millicores (1000 per vCPU, as
 * every kit counts it) and memory in MiB.
 */

/** Memory the OS and the ECS agent keep for themselves; ECS never registers it for tasks. */
export const ecsReservedMemoryMiB = 512;

/** vCPUs and nominal memory (MiB) of each offered type: x86_64 only, matching the ECS-optimized AMI we read. */
const nominal: Record<string, { vcpu: number; memoryMiB: number }> = {
    "t3.medium": { vcpu: 2, memoryMiB: 4096 },
    "t3.large": { vcpu: 2, memoryMiB: 8192 },
    "m6i.large": { vcpu: 2, memoryMiB: 8192 },
    "m6i.xlarge": { vcpu: 4, memoryMiB: 16384 },
    "m6i.2xlarge": { vcpu: 8, memoryMiB: 32768 },
    "m6i.4xlarge": { vcpu: 16, memoryMiB: 65536 },
    "c6i.large": { vcpu: 2, memoryMiB: 4096 },
    "c6i.xlarge": { vcpu: 4, memoryMiB: 8192 },
    "c6i.2xlarge": { vcpu: 8, memoryMiB: 16384 },
    "r6i.large": { vcpu: 2, memoryMiB: 16384 },
    "r6i.xlarge": { vcpu: 4, memoryMiB: 32768 },
};

/** vCPUs and nominal memory of an offered type, for the size table's test. */
export const nominalShape = (instanceType: string) => nominal[instanceType];

export const instanceTypes: readonly string[] = Object.keys(nominal);

/** What one instance of the type offers to ECS tasks; undefined for a type the kit does not offer. */
export function instanceCapacity(instanceType: string): { cpu: number; memoryMiB: number } | undefined {
    const spec = nominal[instanceType];
    if (!spec) return undefined;
    return { cpu: spec.vcpu * 1000, memoryMiB: spec.memoryMiB - ecsReservedMemoryMiB };
}

/** Throws an error naming the argument and the offered types when the type is not offered. */
export function assertOfferedInstanceType(component: string, instanceType: string): void {
    if (!(instanceType in nominal)) {
        throw new Error(`${component}: \`instanceType\` must be one of ${instanceTypes.join(", ")}; got "${instanceType}".`);
    }
}
