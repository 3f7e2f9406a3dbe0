import { z } from "zod";
import { isIpv4Block } from "../../components/core/cidr";
import { campaignsSchema, checkCampaigns } from "../campaigns";
import { ConfigError } from "../config";
import { certificateFormats, certificatesSchema, requirePerCloud } from "../per-cloud";
import type { Cloud } from "../../components/contracts";
import { plannedRanges } from "../address-plan";
import { readWorkloadStacks } from "../peers";
import type { Workload } from "./workload";
import { countOrderFault } from "../../components/core/validate";
import { stackKey } from "../config";

const cidr = z.string().refine(isIpv4Block, "an IPv4 network block with its host bits zero, such as 192.0.2.0/24");
const digestPinned = /@sha256:[0-9a-f]{64}$/;
/** Secrets the gateway reads, by name in `multicloud:secrets`, and the variable it reads each from. */
const gatewaySecrets = { serviceToken: "SERVICE_TOKEN", bankClientKey: "BANK_CLIENT_KEY" } as const;

const settings = {
    gateway: z
        .object({
            image: z.string().min(1).describe("Gateway image: a version tag in dev, pinned by digest (@sha256:...) in prod."),
            cpuMillicores: z.number().int().positive().default(250).describe("CPU request (and limit) of one gateway pod, in millicores."),
            memoryMiB: z.number().int().positive().default(512).describe("Memory request (and limit) of one gateway pod, in MiB."),
            port: z.number().int().min(1024).max(65535).default(8080).describe("Port the gateway serves on (unprivileged)."),
            minCount: z.number().int().min(1).default(2).describe("Fewest gateway pods."),
            desiredCount: z.number().int().min(1).default(2).describe("Gateway pods at first rollout; the autoscaler takes over."),
            maxCount: z.number().int().min(1).default(4).describe("Most gateway pods."),
        })
        .strict()
        .describe("The partner gateway service."),
    partners: z
        .record(z.string().regex(/^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/, "a lowercase name with dashes"), z.array(cidr).min(1))
        .default({})
        .describe("Partner banks by name, each with the CIDR ranges the gateway may reach; a new partner is a new entry."),
    cluster: z
        .object({
            minNodes: z.number().int().min(1).default(1).describe("Smallest tenancy, in full-size pods."),
            maxNodes: z.number().int().min(1).default(4).describe("Compute quota of the tenancy, in full-size pods."),
        })
        .strict()
        .default({ minNodes: 1, maxNodes: 4 })
        .describe("The tenancy on the private cloud's cluster."),
    storage: z
        .object({ sizeGib: z.number().int().min(1).default(50).describe("Shared volume size in GiB.") })
        .strict()
        .default({ sizeGib: 50 })
        .describe("The gateway's shared volume (settlement files)."),
    loadBalancer: z
        .object({
            certificates: certificatesSchema.describe(
                "TLS certificate of the entry point per cloud: on onprem a kubernetes.io/tls Secret; required in prod (dev: issued by cert-manager).",
            ),
            healthCheckPath: z.string().startsWith("/").default("/healthz").describe("Readiness path of the gateway."),
        })
        .strict()
        .default({ certificates: {}, healthCheckPath: "/healthz" })
        .describe("The gateway's entry point."),
    campaigns: campaignsSchema,
};

type Settings = z.output<z.ZodObject<typeof settings>>;

/** A stack the gateway calls, as its own file places it: the clouds it runs on beside ours, and their planned ranges. */
function calleeOn(cloud: Cloud, name: string, stack: string, stackFile: string): { name: string; stack: string; clouds: Cloud[]; ranges: string[] } {
    const target = stack.split("/").pop()!;
    const callee = readWorkloadStacks().find((w) => w.name === target);
    if (!callee)
        throw new ConfigError(
            `Invalid configuration in ${stackFile}:\n  multicloud:references.${name} = ${JSON.stringify(stack)}: no stack file stacks/Pulumi.${target}.yaml to read its placement from`,
        );
    const clouds = callee.clouds.filter((c) => c !== cloud);
    if (clouds.length === 0)
        throw new ConfigError(
            `Invalid configuration in ${stackFile}:\n  multicloud:references.${name} = ${JSON.stringify(stack)}: it runs on ${cloud} only, where no link reaches`,
        );
    return { name, stack: target, clouds, ranges: clouds.flatMap((c) => plannedRanges(callee.workload, callee.environment, c)) };
}

/** The partner workload: gateway services that connect to partner banks, only from the private cloud. */
export const partner: Workload<typeof settings> = {
    settings,
    validate(s: Settings, { environment, stackFile, clouds }) {
        const invalid = (key: string, value: unknown, fix: string) =>
            new ConfigError(`Invalid configuration in ${stackFile}:\n  multicloud:${key} = ${JSON.stringify(value)}: ${fix}`);
        if (clouds.length !== 1 || clouds[0] !== "onprem") {
            throw invalid("clouds", clouds, 'partner connections never leave the private cloud; valid: ["onprem"]');
        }
        const { minCount, desiredCount, maxCount } = s.gateway;
        const fault = countOrderFault(
            { min: ["gateway.minCount", minCount], desired: ["gateway.desiredCount", desiredCount], max: ["gateway.maxCount", maxCount] },
            stackKey,
        );
        if (fault) throw invalid(fault.key, fault.value, fault.fix);
        checkCampaigns(s.campaigns, { stackFile, maxCapacity: maxCount, maxCapacityKey: "multicloud:gateway.maxCount" });
        if (environment === "prod" && !digestPinned.test(s.gateway.image)) {
            throw invalid("gateway.image", s.gateway.image, "prod images must be pinned by digest, e.g. registry/partner/gateway@sha256:<64 hex>");
        }
        if (environment === "prod") requirePerCloud(s.loadBalancer.certificates, "loadBalancer.certificates", clouds, certificateFormats, stackFile);
        if (s.cluster.minNodes > s.cluster.maxNodes) {
            throw invalid("cluster", s.cluster, "needs minNodes <= maxNodes");
        }
        for (const [name, ranges] of Object.entries(s.partners)) {
            const open = ranges.find((r) => r.endsWith("/0"));
            if (open) throw invalid(`partners.${name}`, ranges, `${open} is the whole internet; list the bank's own ranges`);
        }
    },
    build({ kit, environment, settings: s, secrets, prefix, stackFile, network: ctxNetwork, references }) {
        // The private cloud's nodes are the cluster's own: every size holds the same largest pod.
        const size = "small";
        const capacity = kit.sizeCapacity(size);
        if (s.gateway.cpuMillicores > capacity.cpu || s.gateway.memoryMiB > capacity.memoryMiB) {
            throw new ConfigError(
                `Invalid configuration in ${stackFile}:\n  multicloud:gateway = ${JSON.stringify({ cpuMillicores: s.gateway.cpuMillicores, memoryMiB: s.gateway.memoryMiB })}: ` +
                    `a ${kit.instanceTypeOf(size)} on ${kit.cloud} holds at most ${capacity.cpu} millicores and ${capacity.memoryMiB} MiB`,
            );
        }
        for (const name of Object.keys(gatewaySecrets)) {
            if (!secrets[name]) {
                throw new ConfigError(
                    `Invalid configuration in ${stackFile}:\n  multicloud:secrets.${name} = (missing): set it with \`pulumi config set --secret --path 'multicloud:secrets.${name}'\``,
                );
            }
        }
        const network = kit.network(prefix, { environment, ...ctxNetwork });
        const cluster = kit.containerCluster(`${prefix}-tenancy`, { environment, size, ...s.cluster, network });
        const loadBalancer = kit.loadBalancer(`${prefix}-gateway`, {
            environment,
            certificateId: s.loadBalancer.certificates[kit.cloud],
            targetPort: s.gateway.port,
            healthCheckPath: s.loadBalancer.healthCheckPath,
            network,
        });
        const storage = kit.sharedStorage(`${prefix}-files`, { environment, sizeGib: s.storage.sizeGib, network });
        const secretRefs = Object.fromEntries(
            Object.entries(gatewaySecrets).map(([name, envName]) => [
                envName,
                kit.secretParameter(`${prefix}-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, { value: secrets[name], environment }),
            ]),
        );
        // Each stack the gateway calls is reached over the links: its private listener, and egress to exactly its planned ranges.
        // The program passes the common keys beside the workload's own: `multicloud:references` names the stacks.
        const referenced = (s as Settings & { references?: Record<string, string> }).references ?? {};
        const callees = Object.entries(referenced).map(([name, stack]) => calleeOn(kit.cloud, name, stack, stackFile));
        const overlap = callees.find((c) => c.name in s.partners);
        if (overlap) {
            throw new ConfigError(
                `Invalid configuration in ${stackFile}:\n  multicloud:partners.${overlap.name} = ${JSON.stringify(s.partners[overlap.name])}: "${overlap.name}" names a stack in multicloud:references too; rename the partner`,
            );
        }
        const backend = callees.find((c) => c.name === "backend");
        // The gateway forwards the banks' calls to the backend: its private listener on the first cloud it runs on.
        const backendEndpoint =
            backend &&
            references.backend?.getOutput(backend.clouds[0]).apply((outputs: { privateEndpoint?: string } | undefined) => {
                if (!outputs?.privateEndpoint) {
                    throw new ConfigError(
                        `The backend stack ${backend.stack} exports no ${backend.clouds[0]}.privateEndpoint: apply it after this stack file's change, then this stack.`,
                    );
                }
                return outputs.privateEndpoint;
            });
        kit.containerService(`${prefix}-gateway`, {
            environment,
            variables: backendEndpoint ? { BACKEND_ENDPOINT: backendEndpoint } : undefined,
            image: s.gateway.image,
            cpu: s.gateway.cpuMillicores,
            memory: s.gateway.memoryMiB,
            port: s.gateway.port,
            desiredCount: s.gateway.desiredCount,
            minCount: s.gateway.minCount,
            maxCount: s.gateway.maxCount,
            egressAllowCidrs: { ...s.partners, ...Object.fromEntries(callees.map((c) => [c.name, c.ranges])) },
            cluster,
            network,
            loadBalancer,
            storage,
            secretRefs,
            schedules: s.campaigns,
        });
        return { endpoint: loadBalancer.endpoint, namespace: network.networkId, fileSystemId: storage.fileSystemId };
    },
};
