import type { DataSourceAnswer } from "./index";
import { shapedStandIn } from "./stand-in";

/**
 * The offline region's zones. Calls carry no region (it is the provider's), so
 * the answers are those of the kit's default region, eu-central-1 (Frankfurt).
 */
const region = "eu-central-1";
const zoneIds = ["a", "b", "c"].map((letter) => `${region}${letter}`);

/** Current general-purpose families, as the ECS API describes them: cores, memory in GiB, ENIs. */
const instanceTypes = [
    { id: "ecs.c7.large", family: "ecs.c7", cpuCoreCount: 2, memorySize: 4, eniQuantity: 3 },
    { id: "ecs.c7.xlarge", family: "ecs.c7", cpuCoreCount: 4, memorySize: 8, eniQuantity: 4 },
    { id: "ecs.g7.large", family: "ecs.g7", cpuCoreCount: 2, memorySize: 8, eniQuantity: 3 },
    { id: "ecs.g7.xlarge", family: "ecs.g7", cpuCoreCount: 4, memorySize: 16, eniQuantity: 4 },
    { id: "ecs.g7.2xlarge", family: "ecs.g7", cpuCoreCount: 8, memorySize: 32, eniQuantity: 4 },
    { id: "ecs.r7.large", family: "ecs.r7", cpuCoreCount: 2, memorySize: 16, eniQuantity: 3 },
];

/** Public images by the name pattern programs filter on; the first is the default (Alibaba Cloud Linux 3). */
const publicImages = [
    { imageId: "aliyun_3_x64_20G_alibase_20261105.vhd", osName: "Alibaba Cloud Linux 3.2104 LTS 64 bit", platform: "Aliyun", osType: "linux" },
    { imageId: "ubuntu_24_04_x64_20G_alibase_20261021.vhd", osName: "Ubuntu 24.04 64 bit", platform: "Ubuntu", osType: "linux" },
    { imageId: "debian_12_9_x64_20G_alibase_20261015.vhd", osName: "Debian 12.9 64 bit", platform: "Debian", osType: "linux" },
];

function images(inputs: Record<string, any>): Record<string, unknown> {
    const token = "alicloud:ecs/getImages:getImages";
    const base = shapedStandIn(token, inputs);
    const pattern = inputs.nameRegex ? new RegExp(String(inputs.nameRegex)) : undefined;
    const matching = publicImages.filter((image) => !pattern || pattern.test(image.imageId));
    const chosen = inputs.mostRecent ? matching.slice(0, 1) : matching;
    const list = chosen.map((image) => ({
        ...base.images[0],
        ...image,
        id: image.imageId,
        name: image.imageId,
        architecture: "x86_64",
        creationTime: "2026-11-05T00:00:00Z",
        description: image.osName,
        osNameEn: image.osName,
        imageOwnerAlias: "system",
        imageVersion: "",
        isCopied: false,
        isSelfShared: "",
        isSubscribed: false,
        isSupportIoOptimized: true,
        productCode: "",
        progress: "100%",
        size: 20,
        state: "Available",
        status: "Available",
        usage: "instance",
        diskDeviceMappings: [{ ...base.images[0].diskDeviceMappings[0], device: "/dev/xvda", size: "20", snapshotId: "" }],
        tags: {},
    }));
    return { ...base, ids: list.map((image) => image.id), images: list };
}

function instanceTypesAnswer(inputs: Record<string, any>): Record<string, unknown> {
    const base = shapedStandIn("alicloud:ecs/getInstanceTypes:getInstanceTypes", inputs);
    const matching = instanceTypes.filter(
        (type) =>
            (inputs.cpuCoreCount === undefined || type.cpuCoreCount === inputs.cpuCoreCount) &&
            (inputs.memorySize === undefined || type.memorySize === inputs.memorySize) &&
            (inputs.instanceTypeFamily === undefined || type.family === inputs.instanceTypeFamily) &&
            (inputs.instanceType === undefined || type.id === inputs.instanceType),
    );
    const list = matching.map((type) => ({
        ...base.instanceTypes[0],
        ...type,
        availabilityZones: inputs.availabilityZone ? [inputs.availabilityZone] : zoneIds,
        eniAmount: type.eniQuantity,
        eniIpv6AddressQuantity: 6,
        eniPrivateIpAddressQuantity: 6,
        burstableInstance: { baselineCredit: "", initialCredit: "" },
        gpu: { amount: "0", category: "" },
        localStorage: { amount: "0", capacity: "0", category: "" },
        nvmeSupport: "unsupported",
        price: "",
    }));
    return { ...base, ids: list.map((type) => type.id), instanceTypes: list };
}

export const alicloud: Record<string, DataSourceAnswer> = {
    "alicloud:ecs/getImages:getImages": images,
    "alicloud:ecs/getInstanceTypes:getInstanceTypes": instanceTypesAnswer,
    "alicloud:index/getZones:getZones": (inputs) => ({
        id: `${region}-zones`,
        ids: zoneIds,
        zones: zoneIds.map((id) => ({
            id,
            localName: `Frankfurt Zone ${id.slice(-1).toUpperCase()}`,
            availableDiskCategories: ["cloud_essd", "cloud_efficiency", "cloud_ssd"],
            availableInstanceTypes: ["ecs.c7.large", "ecs.g7.large", "ecs.g7.xlarge", "ecs.r7.large"],
            availableResourceCreations: ["VSwitch", "Instance", "Disk", "Slb"],
            multiZoneIds: [],
            slbSlaveZoneIds: [],
        })),
        ...inputs,
    }),
    "alicloud:cs/getClusterCredential:getClusterCredential": (inputs) => {
        const clusterId = String(inputs.clusterId);
        const server = `https://${clusterId}.vpc.${region}.cs.aliyuncs.com:6443`;
        return {
            id: clusterId,
            clusterId,
            clusterName: clusterId,
            expiration: "2027-01-01T00:00:00Z",
            certificateAuthority: { clusterCert: "offline-cluster-ca", clientCert: "offline-client-cert", clientKey: "offline-client-key" },
            kubeConfig: [
                "apiVersion: v1",
                "kind: Config",
                `clusters: [{name: ${clusterId}, cluster: {server: "${server}", certificate-authority-data: b2ZmbGluZQ==}}]`,
                `users: [{name: offline-plan, user: {token: offline-plan-token}}]`,
                `contexts: [{name: ${clusterId}, context: {cluster: ${clusterId}, user: offline-plan}}]`,
                `current-context: ${clusterId}`,
                "",
            ].join("\n"),
            ...inputs,
        };
    },
};
