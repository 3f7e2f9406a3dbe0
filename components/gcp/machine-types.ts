/**
 * The Compute Engine machine types the GCP kit offers for VM groups and GKE
 * nodes, with what one node gives to pods. CPU is in millicores, as
 * ContainerServiceSpec.cpu on every kit.
 */

const nominal: Record<string, { vcpu: number; memoryMiB: number }> = {
    "e2-standard-2": { vcpu: 2, memoryMiB: 8192 },
    "e2-standard-4": { vcpu: 4, memoryMiB: 16384 },
    "e2-standard-8": { vcpu: 8, memoryMiB: 32768 },
    "e2-highmem-4": { vcpu: 4, memoryMiB: 32768 },
    "n2-standard-2": { vcpu: 2, memoryMiB: 8192 },
    "n2-standard-4": { vcpu: 4, memoryMiB: 16384 },
    "n2-standard-8": { vcpu: 8, memoryMiB: 32768 },
    "n2-standard-16": { vcpu: 16, memoryMiB: 65536 },
    "n2-highmem-4": { vcpu: 4, memoryMiB: 32768 },
    "c3-standard-4": { vcpu: 4, memoryMiB: 16384 },
};

/** vCPUs and nominal memory of an offered type, for the size table's test. */
export const nominalShape = (machineType: string) => nominal[machineType];

export const machineTypes: readonly string[] = Object.keys(nominal);

/** Tiered reservation: `tiers` are [size of the tier, fraction kept] from the bottom up. */
function reserved(total: number, tiers: [number, number][]): number {
    let left = total;
    let kept = 0;
    for (const [size, fraction] of tiers) {
        const inTier = Math.min(left, size);
        kept += inTier * fraction;
        left -= inTier;
    }
    return kept;
}

/**
 * What one node offers to pods: GKE keeps CPU (6 % of the first core, 1 % of the
 * second, 0.5 % of the next two, 0.25 % above) and memory (25 % of the first
 * 4 GiB, 20 % of the next 4, 10 % of the next 8, 6 % of the next 112, plus a
 * 100 MiB eviction threshold) for the system. Undefined for a type not offered.
 */
export function machineCapacity(machineType: string): { cpu: number; memoryMiB: number } | undefined {
    const spec = nominal[machineType];
    if (!spec) return undefined;
    const cpuKept = reserved(spec.vcpu, [
        [1, 0.06],
        [1, 0.01],
        [2, 0.005],
        [Infinity, 0.0025],
    ]);
    const memoryKept = reserved(spec.memoryMiB, [
        [4096, 0.25],
        [4096, 0.2],
        [8192, 0.1],
        [114688, 0.06],
        [Infinity, 0.02],
    ]);
    return { cpu: Math.floor((spec.vcpu - cpuKept) * 1000), memoryMiB: Math.floor(spec.memoryMiB - memoryKept - 100) };
}
