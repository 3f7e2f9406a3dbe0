import { z } from "zod";
import { campaignsSchema, checkCampaigns } from "../campaigns";
import { ConfigError } from "../config";
import type { Workload } from "./workload";

const settings = {
    servers: z
        .object({
            imageId: z.string().min(1).describe("The backend servers' pinned image id (an immutable custom image, e.g. m-gw8...)."),
            instanceType: z.string().default("ecs.g7.large").describe("Instance type of the backend servers."),
            minSize: z.number().int().min(0).default(2).describe("Fewest backend servers."),
            desiredSize: z.number().int().min(0).default(2).describe("Backend servers to start with."),
            maxSize: z.number().int().min(1).default(4).describe("Most backend servers."),
            cpuTargetPercent: z.number().gt(0).max(100).default(60).describe("Average CPU (percent) the group scales to hold."),
            port: z.number().int().min(1).max(65535).default(8080).describe("Port the servers serve HTTP on."),
            healthCheckPath: z.string().startsWith("/").default("/healthz").describe("HTTP path of the load balancer's health check."),
        })
        .strict()
        .describe("The autoscaling group of backend servers."),
    loadBalancer: z
        .object({ certificateId: z.string().min(1).describe("Certificate (Certificate Management Service id) of the HTTPS listener.") })
        .strict()
        .describe("The public HTTPS entry point."),
    campaigns: campaignsSchema,
};

/** The backend workload: autoscaling servers behind an HTTPS load balancer, sharing a NAS, with their secrets. */
export const backend: Workload<typeof settings> = {
    settings,
    validate({ servers, campaigns }, { environment, stackFile }) {
        const { minSize, desiredSize, maxSize } = servers;
        if (minSize > maxSize) {
            throw new ConfigError(
                `Invalid configuration in ${stackFile}: multicloud:servers.minSize = ${minSize} is above multicloud:servers.maxSize = ${maxSize}: minSize must not exceed maxSize.`,
            );
        }
        if (desiredSize < minSize || desiredSize > maxSize) {
            throw new ConfigError(
                `Invalid configuration in ${stackFile}: multicloud:servers.desiredSize = ${desiredSize}: must lie between minSize (${minSize}) and maxSize (${maxSize}).`,
            );
        }
        checkCampaigns(campaigns, { stackFile, maxCapacity: maxSize, maxCapacityKey: "multicloud:servers.maxSize" });
        if (environment === "prod" && minSize < 2) {
            throw new ConfigError(
                `Invalid configuration in ${stackFile}: multicloud:servers.minSize = ${minSize}: prod needs at least 2 servers, so one zone or one instance can fail.`,
            );
        }
    },
    build({ kit, environment, settings, secrets, prefix, stackFile, network: ctxNetwork }) {
        const { servers } = settings;
        if (!kit.instanceTypes.includes(servers.instanceType)) {
            throw new ConfigError(
                `Invalid configuration in ${stackFile}: multicloud:servers.instanceType = ${JSON.stringify(servers.instanceType)} is not offered on ${kit.cloud}: ` +
                    `valid values: ${kit.instanceTypes.join(", ")}.`,
            );
        }
        const network = kit.network(`${prefix}-net`, { environment, ...ctxNetwork });
        const loadBalancer = kit.loadBalancer(`${prefix}-lb`, {
            environment,
            network,
            certificateId: settings.loadBalancer.certificateId,
            targetPort: servers.port,
            healthCheckPath: servers.healthCheckPath,
        });
        const storage = kit.sharedStorage(`${prefix}-files`, { environment, network });
        const secretHandles = Object.entries(secrets).map(([name, value]) =>
            kit.secretParameter(`${prefix}-${name}`, { environment, value, description: `${prefix}: ${name}` }),
        );
        kit.vmGroup(`${prefix}-servers`, {
            environment,
            network,
            loadBalancer,
            storage,
            secrets: secretHandles,
            imageId: servers.imageId,
            instanceType: servers.instanceType,
            minSize: servers.minSize,
            desiredSize: servers.desiredSize,
            maxSize: servers.maxSize,
            cpuTargetPercent: servers.cpuTargetPercent,
            port: servers.port,
            healthCheckPath: servers.healthCheckPath,
            schedules: settings.campaigns,
        });
        return {
            endpoint: loadBalancer.endpoint,
            networkId: network.networkId,
            fileSystemId: storage.fileSystemId,
            secrets: Object.fromEntries(secretHandles.map((s, i) => [Object.keys(secrets)[i], s.reference])),
        };
    },
};
