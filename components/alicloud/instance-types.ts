/** The ECS instance types the kit offers: CPU in millicores, memory in MiB. */
export const ecsInstanceTypes: Readonly<Record<string, { cpu: number; memoryMiB: number }>> = {
    "ecs.c7.large": { cpu: 2 * 1000, memoryMiB: 4 * 1024 },
    "ecs.c7.xlarge": { cpu: 4 * 1000, memoryMiB: 8 * 1024 },
    "ecs.c7.2xlarge": { cpu: 8 * 1000, memoryMiB: 16 * 1024 },
    "ecs.g7.large": { cpu: 2 * 1000, memoryMiB: 8 * 1024 },
    "ecs.g7.xlarge": { cpu: 4 * 1000, memoryMiB: 16 * 1024 },
    "ecs.g7.2xlarge": { cpu: 8 * 1000, memoryMiB: 32 * 1024 },
    "ecs.g7.4xlarge": { cpu: 16 * 1000, memoryMiB: 64 * 1024 },
    "ecs.r7.large": { cpu: 2 * 1000, memoryMiB: 16 * 1024 },
    "ecs.r7.xlarge": { cpu: 4 * 1000, memoryMiB: 32 * 1024 },
    "ecs.r7.2xlarge": { cpu: 8 * 1000, memoryMiB: 64 * 1024 },
};
