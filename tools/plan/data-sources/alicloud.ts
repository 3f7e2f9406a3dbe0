import type { DataSourceAnswer } from "./index";

/**
 * The offline region's zones. Calls carry no region (it is the provider's), so
 * the answers are those of the kit's default region, eu-central-1 (Frankfurt).
 */
const region = "eu-central-1";
const zoneIds = ["a", "b", "c"].map((letter) => `${region}${letter}`);

export const alicloud: Record<string, DataSourceAnswer> = {
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
