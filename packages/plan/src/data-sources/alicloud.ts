import type { DataSourceAnswer } from "./index";
import { offlineAccountId } from "./aws";
import type { ProviderSettings } from "./provider-settings";
import { shapedStandIn } from "./stand-in";

/**
 * Calls carry no region: it is the provider's (`alicloud:region`, an explicit
 * provider's `region`, or ALIBABA_CLOUD_REGION as the provider reads it).
 */
const regionOf = (provider: ProviderSettings): string => provider.setting("region", ["ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"], "the region", "eu-central-1");

/** Regions by id with the names the console gives them (the Regions API's LocalName). */
const regionNames: Record<string, string> = {
    "cn-hangzhou": "China (Hangzhou)",
    "cn-shanghai": "China (Shanghai)",
    "cn-beijing": "China (Beijing)",
    "cn-shenzhen": "China (Shenzhen)",
    "cn-hongkong": "China (Hong Kong)",
    "ap-southeast-1": "Singapore",
    "ap-northeast-1": "Japan (Tokyo)",
    "us-west-1": "US (Silicon Valley)",
    "us-east-1": "US (Virginia)",
    "eu-central-1": "Germany (Frankfurt)",
    "eu-west-1": "UK (London)",
};

/** Zone ids as Alibaba Cloud forms them: `eu-central-1a` abroad, `cn-beijing-a` in mainland China. */
const zoneIdsOf = (region: string) =>
    ["a", "b", "c"].map((letter) => (region.startsWith("cn-") && region !== "cn-hongkong" ? `${region}-${letter}` : `${region}${letter}`));
/** A zone's console name: the region's place and the zone's letter (`Frankfurt Zone A`). */
const zoneName = (region: string, zone: string) => `${(regionNames[region] ?? region).replace(/^.*\(|\)$/g, "")} Zone ${zone.slice(-1).toUpperCase()}`;

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

function images(inputs: Record<string, unknown>): Record<string, unknown> {
    const token = "alicloud:ecs/getImages:getImages";
    const base = shapedStandIn(token, inputs);
    const pattern = typeof inputs.nameRegex === "string" && inputs.nameRegex ? new RegExp(inputs.nameRegex) : undefined;
    const matching = publicImages.filter((image) => !pattern || pattern.test(image.imageId));
    const chosen = inputs.mostRecent ? matching.slice(0, 1) : matching;
    // The declared shape's list holds one image of the element's shape.
    const shaped = (base.images as ({ diskDeviceMappings: Record<string, unknown>[] } & Record<string, unknown>)[])[0];
    const list = chosen.map((image) => ({
        ...shaped,
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
        diskDeviceMappings: [{ ...shaped.diskDeviceMappings[0], device: "/dev/xvda", size: "20", snapshotId: "" }],
        tags: {},
    }));
    return { ...base, ids: list.map((image) => image.id), images: list };
}

function instanceTypesAnswer(inputs: Record<string, unknown>, provider: ProviderSettings): Record<string, unknown> {
    const base = shapedStandIn("alicloud:ecs/getInstanceTypes:getInstanceTypes", inputs);
    const matching = instanceTypes.filter(
        (type) =>
            (inputs.cpuCoreCount === undefined || type.cpuCoreCount === inputs.cpuCoreCount) &&
            (inputs.memorySize === undefined || type.memorySize === inputs.memorySize) &&
            (inputs.instanceTypeFamily === undefined || type.family === inputs.instanceTypeFamily) &&
            (inputs.instanceType === undefined || type.id === inputs.instanceType),
    );
    const list = matching.map((type) => ({
        ...(base.instanceTypes as Record<string, unknown>[])[0],
        ...type,
        availabilityZones: inputs.availabilityZone ? [inputs.availabilityZone] : zoneIdsOf(regionOf(provider)),
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
    "alicloud:index/getZones:getZones": (inputs, provider) => {
        const region = regionOf(provider);
        return {
            id: `${region}-zones`,
            ids: zoneIdsOf(region),
            zones: zoneIdsOf(region).map((id) => ({
                id,
                localName: zoneName(region, id),
                availableDiskCategories: ["cloud_essd", "cloud_efficiency", "cloud_ssd"],
                availableInstanceTypes: ["ecs.c7.large", "ecs.g7.large", "ecs.g7.xlarge", "ecs.r7.large"],
                availableResourceCreations: ["VSwitch", "Instance", "Disk", "Slb"],
                multiZoneIds: [],
                slbSlaveZoneIds: [],
            })),
            ...inputs,
        };
    },
    "alicloud:index/getRegions:getRegions": (inputs, provider) => {
        const current = regionOf(provider);
        const named = typeof inputs.name === "string" && inputs.name ? [inputs.name] : undefined;
        const ids = named ?? (inputs.current ? [current] : Object.keys(regionNames));
        return {
            id: ids.join(","),
            ids,
            current: inputs.current ?? false,
            name: inputs.name ?? (inputs.current ? current : ""),
            outputFile: inputs.outputFile,
            regions: ids.map((id) => ({ id, regionId: id, localName: regionNames[id] ?? id })),
        };
    },
    "alicloud:index/getCallerIdentity:getCallerIdentity": (_, provider) => {
        const role = provider.value("assumeRole") as { roleArn?: string } | undefined;
        const account = role?.roleArn?.split(":")[3];
        if (!account) provider.standIn("the account id (the credentials decide)");
        provider.standIn("the caller's ARN and identity type (the credentials decide)");
        const id = account ?? offlineAccountId;
        return { id, accountId: id, arn: `acs:ram::${id}:root`, identityType: "Account" };
    },
    "alicloud:cs/getClusterCredential:getClusterCredential": (inputs, provider) => {
        const clusterId = String(inputs.clusterId);
        const server = `https://${clusterId}.vpc.${regionOf(provider)}.cs.aliyuncs.com:6443`;
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
