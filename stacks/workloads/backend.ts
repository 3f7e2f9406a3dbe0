import { z } from "zod";
import { campaignsSchema, checkCampaigns } from "../campaigns";
import { ConfigError } from "../config";
import { certificateFormats, certificatesSchema, imageFormats, imagesSchema, requirePerCloud, sizeSchema } from "../per-cloud";
import { callerRanges, readWorkloadStacks } from "../peers";
import type { Workload } from "./workload";
import { countOrderFault } from "../../components/core/validate";
import { stackKey } from "../config";

const settings = {
    servers: z
        .object({
            images: imagesSchema,
            size: sizeSchema.default("small"),
            minSize: z.number().int().min(0).default(2).describe("Fewest backend servers."),
            desiredSize: z.number().int().min(0).default(2).describe("Backend servers to start with."),
            maxSize: z.number().int().min(1).default(4).describe("Most backend servers."),
            cpuTargetPercent: z.number().gt(0).max(100).default(60).describe("Average CPU (percent) the group scales to hold."),
            port: z.number().int().min(1).max(65535).default(8080).describe("Port the servers serve HTTP on."),
            healthCheckPath: z.string().startsWith("/").default("/healthz").describe("HTTP path of the load balancer's health check."),
        })
        .strict()
        .describe("The autoscaling group of backend servers."),
    loadBalancer: z.object({ certificates: certificatesSchema }).strict().describe("The public HTTPS entry point."),
    campaigns: campaignsSchema,
};

/**
 * The backend workload: autoscaling servers behind an HTTPS load balancer,
 * sharing a NAS, with their secrets. Where a stack that references it runs on
 * another cloud (the partner gateway on the private cloud), a private listener
 * in front of the load balancer admits those callers' planned ranges, and its
 * address is the `privateEndpoint` they call over the link.
 */
export const backend: Workload<typeof settings> = {
    settings,
    validate({ servers, loadBalancer, campaigns }, { environment, stackFile, clouds }) {
        requirePerCloud(servers.images, "servers.images", clouds, imageFormats, stackFile);
        requirePerCloud(loadBalancer.certificates, "loadBalancer.certificates", clouds, certificateFormats, stackFile);
        const { minSize, desiredSize, maxSize } = servers;
        const fault = countOrderFault(
            { min: ["servers.minSize", minSize], desired: ["servers.desiredSize", desiredSize], max: ["servers.maxSize", maxSize] },
            stackKey,
        );
        if (fault) throw new ConfigError(`Invalid configuration in ${stackFile}: ${stackKey(fault.key)} = ${fault.value}: ${fault.fix}.`);
        checkCampaigns(campaigns, { stackFile, maxCapacity: maxSize, maxCapacityKey: "multicloud:servers.maxSize" });
        if (environment === "prod" && minSize < 2) {
            throw new ConfigError(
                `Invalid configuration in ${stackFile}: multicloud:servers.minSize = ${minSize}: prod needs at least 2 servers, so one zone or one instance can fail.`,
            );
        }
    },
    build({ kit, environment, settings, secrets, prefix, stackFile, network: ctxNetwork }) {
        const { servers } = settings;
        const network = kit.network(`${prefix}-net`, { environment, ...ctxNetwork });
        const loadBalancer = kit.loadBalancer(`${prefix}-lb`, {
            environment,
            network,
            certificateId: settings.loadBalancer.certificates[kit.cloud],
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
            imageId: servers.images[kit.cloud as keyof typeof servers.images]!,
            size: servers.size,
            minSize: servers.minSize,
            desiredSize: servers.desiredSize,
            maxSize: servers.maxSize,
            cpuTargetPercent: servers.cpuTargetPercent,
            port: servers.port,
            healthCheckPath: servers.healthCheckPath,
            schedules: settings.campaigns,
        });
        const stackName = /Pulumi\.(.+)\.yaml$/.exec(stackFile)?.[1] ?? "";
        const callers = callerRanges(readWorkloadStacks(), stackName, kit.cloud);
        const privateListener = callers.length > 0 ? kit.privateListener(`${prefix}-private`, { environment, network, loadBalancer, callers }) : undefined;
        return {
            endpoint: loadBalancer.endpoint,
            ...(privateListener ? { privateEndpoint: privateListener.endpoint } : {}),
            networkId: network.networkId,
            fileSystemId: storage.fileSystemId,
            secrets: Object.fromEntries(secretHandles.map((s, i) => [Object.keys(secrets)[i], s.reference])),
        };
    },
};
