/**
 * The shape (vCPUs, GiB of memory) of a machine type whose name states it: GCP's
 * predefined types (`n2-standard-4`) and Alibaba Cloud's ECS families
 * (`ecs.g7.xlarge`). AWS states each type's shape in its price list.
 */
export interface Shape {
    vcpu: number;
    memoryGib: number;
}

/** GiB per vCPU of GCP's predefined shapes; N1 keeps its older ratios. */
const gcpRatios: Record<string, Record<string, number>> = {
    default: { standard: 4, highmem: 8, highcpu: 1 },
    n1: { standard: 3.75, highmem: 6.5, highcpu: 0.9 },
};

export function gcpShape(machineType: string): Shape | undefined {
    const m = /^([a-z0-9]+)-(standard|highmem|highcpu)-(\d+)$/.exec(machineType);
    if (!m) return undefined;
    const vcpu = Number(m[3]);
    const ratio = (gcpRatios[m[1]] ?? gcpRatios.default)[m[2]];
    return { vcpu, memoryGib: vcpu * ratio };
}

/** The series whose core and memory SKUs price a GCP machine type (`N2` for `n2-standard-4`). */
export function gcpSeries(machineType: string): string {
    return machineType.split("-")[0].toUpperCase();
}

/** GiB per vCPU of Alibaba Cloud's general (g), compute (c) and memory (r) families. */
const alicloudRatios: Record<string, number> = { g: 4, c: 2, r: 8 };

export function alicloudShape(instanceType: string): Shape | undefined {
    const m = /^ecs\.([a-z]+)\d+[a-z]*\.(\d*)(x?large)$/.exec(instanceType);
    if (!m) return undefined;
    const ratio = alicloudRatios[m[1]];
    if (!ratio) return undefined;
    const vcpu = m[3] === "large" ? 2 : 4 * (m[2] ? Number(m[2]) : 1);
    return { vcpu, memoryGib: vcpu * ratio };
}
