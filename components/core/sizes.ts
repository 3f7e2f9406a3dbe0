/**
 * Neutral sizes: the shape of one instance (VM, container host, node) asked for
 * the same way on every cloud. Each kit maps a size to its own general-purpose
 * type of exactly that shape, so moving a workload to another cloud keeps its
 * capacity and needs no cloud's type names in the stack file.
 */
export const sizes = ["small", "medium", "large", "xlarge"] as const;
export type Size = (typeof sizes)[number];

/** vCPUs and memory (MiB) of one instance of each size. */
export const sizeShapes: Readonly<Record<Size, { vcpu: number; memoryMiB: number }>> = {
    small: { vcpu: 2, memoryMiB: 8 * 1024 },
    medium: { vcpu: 4, memoryMiB: 16 * 1024 },
    large: { vcpu: 8, memoryMiB: 32 * 1024 },
    xlarge: { vcpu: 16, memoryMiB: 64 * 1024 },
};

export function isSize(value: unknown): value is Size {
    return typeof value === "string" && (sizes as readonly string[]).includes(value);
}

/** The sizes in one line, for error messages. */
export const sizeList = sizes.map((s) => `${s} (${sizeShapes[s].vcpu} vCPU, ${sizeShapes[s].memoryMiB / 1024} GiB)`).join(", ");
