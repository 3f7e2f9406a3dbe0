import { z } from "zod";
import type { CloudKit, SecretHandle } from "../../components/contracts";
import { campaignsSchema, checkCampaigns } from "../campaigns";
import { ConfigError, protocolSchema, protocolVariables } from "../config";
import { certificateFormats, certificatesSchema, requirePerCloud, sizeSchema } from "../per-cloud";
import type { Workload } from "./workload";
import { countOrderFault, type Counts } from "../../components/core/validate";
import { stackKey } from "../config";

const count = (what: string) => z.number().int().min(0).describe(what);

const service = z
    .object({
        name: z
            .string()
            .regex(/^[a-z][a-z0-9-]{0,19}$/, "lowercase letters, digits and dashes, starting with a letter, at most 20 characters")
            .describe("The service's name, part of its resource names."),
        image: z.string().min(1).describe("Container image, pinned by digest (registry/repo@sha256:...)."),
        cpu: z.number().int().min(125).default(250).describe("CPU per task in millicores (1000 = 1 vCPU), on every cloud."),
        memory: z.number().int().min(128).default(512).describe("Memory per task in MiB."),
        port: z.number().int().min(1).max(65535).default(8080).describe("Port the container listens on."),
        desiredCount: count("Tasks started on deployment.").default(2),
        minCount: count("Fewest tasks autoscaling keeps.").default(2),
        maxCount: count("Most tasks autoscaling starts.").default(4),
        paths: z
            .array(z.string().startsWith("/"))
            .max(5)
            .optional()
            .describe("Path patterns routed to this service; a service without paths gets all other traffic."),
        secrets: z
            .record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string())
            .default({})
            .describe("Environment variable -> secret name in multicloud:secrets, injected at start."),
        mountSharedStorage: z.boolean().default(true).describe("Mount the shared file system into the tasks."),
    })
    .strict();

const settings = {
    cluster: z
        .object({
            size: sizeSchema.default("small"),
            minNodes: count("Fewest container hosts.").default(2),
            maxNodes: count("Most container hosts.").default(4),
        })
        .strict()
        .default({ size: "small", minNodes: 2, maxNodes: 4 })
        .describe("The container cluster's hosts."),
    loadBalancer: z
        .object({
            certificates: certificatesSchema,
            healthCheckPath: z.string().startsWith("/").default("/healthz").describe("Health-check path of the services."),
        })
        .strict()
        .default({ certificates: {}, healthCheckPath: "/healthz" })
        .describe("The public load balancer."),
    services: z.array(service).min(1).describe("The services behind the load balancer."),
    campaigns: campaignsSchema,
    protocol: protocolSchema,
};

type Settings = z.output<z.ZodObject<typeof settings>>;

/** The transactional workload: services on a container cluster behind a load balancer, with shared storage and secrets. */
export const transactional: Workload<typeof settings> = {
    settings,

    validate(settings, { stackFile, clouds }) {
        const fail = (key: string, value: unknown, fix: string): never => {
            throw new ConfigError(`Invalid configuration in ${stackFile}:\n  multicloud:${key} = ${JSON.stringify(value)}: ${fix}`);
        };
        const { minNodes, maxNodes } = settings.cluster;
        const counts: Counts[] = [
            { min: ["cluster.minNodes", minNodes], max: ["cluster.maxNodes", maxNodes] },
            ...settings.services.map((s, i): Counts => {
                const key = `services[${i}]`;
                return { min: [`${key}.minCount`, s.minCount], desired: [`${key}.desiredCount`, s.desiredCount], max: [`${key}.maxCount`, s.maxCount] };
            }),
        ];
        for (const fault of counts.map((c) => countOrderFault(c, stackKey))) if (fault) fail(fault.key, fault.value, fault.fix);
        const names = settings.services.map((s) => s.name);
        names.forEach((name, i) => {
            if (names.indexOf(name) !== i) fail(`services[${i}].name`, name, "is used by another service; names must be unique");
        });
        const catchAll = settings.services.map((s, i) => ({ s, i })).filter(({ s }) => !s.paths || s.paths.length === 0);
        if (catchAll.length > 1) {
            fail(
                `services[${catchAll[1].i}].paths`,
                catchAll[1].s.paths,
                `only one service may take all other traffic (services[${catchAll[0].i}] does); give this one paths, e.g. ["/${catchAll[1].s.name}/*"]`,
            );
        }
        // Every service keeps the campaign's minimum, so it must fit each service's maximum.
        settings.services.forEach((s, i) =>
            checkCampaigns(settings.campaigns, { stackFile, maxCapacity: s.maxCount, maxCapacityKey: `multicloud:services[${i}].maxCount` }),
        );
        requirePerCloud(settings.loadBalancer.certificates, "loadBalancer.certificates", clouds, certificateFormats, stackFile);
    },

    build({ kit, environment, settings, secrets, prefix, stackFile, network: ctxNetwork }) {
        checkAgainstKit(settings, kit, Object.keys(secrets), stackFile);

        const network = kit.network(`${prefix}-net`, { environment, ...ctxNetwork });
        const loadBalancer = kit.loadBalancer(`${prefix}-lb`, {
            environment,
            network,
            certificateId: settings.loadBalancer.certificates[kit.cloud],
            targetPort: (settings.services.find((s) => !s.paths?.length) ?? settings.services[0]).port,
            healthCheckPath: settings.loadBalancer.healthCheckPath,
        });
        const storage = kit.sharedStorage(`${prefix}-files`, { environment, network });
        const secretHandles: Record<string, SecretHandle> = Object.fromEntries(
            Object.entries(secrets).map(([secretName, value]) => [secretName, kit.secretParameter(`${prefix}-${secretName}`, { environment, value })]),
        );
        const cluster = kit.containerCluster(`${prefix}-ecs`, {
            environment,
            network,
            size: settings.cluster.size,
            minNodes: settings.cluster.minNodes,
            maxNodes: settings.cluster.maxNodes,
        });
        // Every service reads and writes what the protocol settings describe.
        const protocol = protocolVariables(settings.protocol.settings);
        const services = settings.services.map((s) =>
            kit.containerService(`${prefix}-${s.name}`, {
                // contracts.ts gives containerService two `environment` keys (variables and dev/prod); the kit reads dev/prod.
                environment,
                cluster,
                network,
                loadBalancer,
                paths: s.paths,
                storage: s.mountSharedStorage ? storage : undefined,
                secretRefs: Object.fromEntries(Object.entries(s.secrets).map(([variable, secretName]) => [variable, secretHandles[secretName]])),
                variables: protocol,
                image: s.image,
                cpu: s.cpu,
                memory: s.memory,
                port: s.port,
                desiredCount: s.desiredCount,
                minCount: s.minCount,
                maxCount: s.maxCount,
                schedules: settings.campaigns,
            }),
        );

        return {
            endpoint: loadBalancer.endpoint,
            networkId: network.networkId,
            fileSystemId: storage.fileSystemId,
            secrets: Object.fromEntries(Object.entries(secretHandles).map(([n, h]) => [n, h.reference])),
            services: services.map((s) => s.urn),
        };
    },
};

/** Checks that need the kit: what one container host of the size holds on its cloud, and the secrets that exist. */
function checkAgainstKit(settings: Settings, kit: CloudKit, secretNames: string[], stackFile: string): void {
    const fail = (key: string, value: unknown, fix: string): never => {
        throw new ConfigError(`Invalid configuration in ${stackFile}:\n  multicloud:${key} = ${JSON.stringify(value)}: ${fix}`);
    };
    const size = settings.cluster.size;
    const capacity = kit.sizeCapacity(size);
    const host = `${size} host on ${kit.cloud} (${kit.instanceTypeOf(size)})`;
    settings.services.forEach((s, i) => {
        if (s.cpu > capacity.cpu)
            fail(`services[${i}].cpu`, s.cpu, `must be at most ${capacity.cpu}, what one ${host} offers; lower it or choose a larger multicloud:cluster.size`);
        if (s.memory > capacity.memoryMiB) {
            fail(
                `services[${i}].memory`,
                s.memory,
                `must be at most ${capacity.memoryMiB} MiB, what one ${host} offers to tasks; lower it or choose a larger multicloud:cluster.size`,
            );
        }
        for (const [variable, secretName] of Object.entries(s.secrets)) {
            if (!secretNames.includes(secretName)) {
                fail(
                    `services[${i}].secrets.${variable}`,
                    secretName,
                    `no such secret; set it with \`pulumi config set --secret --path 'multicloud:secrets.${secretName}'\` or use one of: ${secretNames.join(", ") || "(none)"}`,
                );
            }
        }
    });
}
