import { z } from "zod";
import { cloudsWith } from "../../components/core/capabilities";
import { lagMeasures } from "../../components/contracts";
import { defaultConverterLimits, defaultLagAlerts } from "../../components/kubernetes/converter-config";
import { campaignsSchema, checkCampaigns } from "../campaigns";
import { ConfigError, protocolSchema, protocolVariables } from "../config";
import { imageFormats, imagesSchema, requirePerCloud, sizeSchema } from "../per-cloud";
import type { Workload } from "./workload";
import { countOrderFault, type Counts } from "../../components/core/validate";
import { stackKey } from "../config";

const endpoint = z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, "host:port, e.g. db.internal:5432");
const secretName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]*$/);
const size = z.string().regex(/^[1-9]\d*(b|kb|mb|gb)$/, 'a size such as "10mb" (b, kb, mb or gb)');
const byMeasure = <T extends z.ZodType>(value: (measure: (typeof lagMeasures)[number]) => T) =>
    z.object(Object.fromEntries(lagMeasures.map((m) => [m, value(m)])) as Record<(typeof lagMeasures)[number], T>).strict();
const measureNames = { queueWait: "time waiting in the queue", conversion: "conversion time", endToEnd: "end-to-end lag" };

const converterLimits = z
    .object({
        bytes: size.default(defaultConverterLimits.bytes).describe("Most bytes in one batch to the target (group.limit.bytes)."),
        actions: z.number().int().min(1).default(defaultConverterLimits.actions).describe("Most documents in one batch (group.limit.actions)."),
        timeout: z
            .string()
            .regex(/^[1-9]\d*(ms|s|m|h)$/, 'a duration such as "1m" (ms, s, m or h)')
            .default(defaultConverterLimits.timeout)
            .describe("Longest a batch waits to fill before it is sent (group.limit.timeout)."),
        concurrency: z
            .number()
            .int()
            .min(1)
            .default(defaultConverterLimits.concurrency)
            .describe("Batches in flight to the target at once (group.limit.concurrency)."),
        flowControlBuffer: size
            .default(defaultConverterLimits.flowControlBuffer)
            .describe("The source connection's flow-control buffer (dcp.sourceConfig.flowControlBuffer)."),
    })
    .strict()
    .default(defaultConverterLimits)
    .describe("Each member's batch and flow-control limits.");

const lagAlerts = z
    .object({
        metrics: byMeasure((m) =>
            z
                .string()
                .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "a Prometheus metric name")
                .default(defaultLagAlerts.metrics[m])
                .describe(`Metric of the ${measureNames[m]}, a gauge in seconds.`),
        )
            .default(defaultLagAlerts.metrics)
            .describe("The members' lag metrics."),
        thresholdSeconds: byMeasure((m) =>
            z.number().positive().default(defaultLagAlerts.thresholdSeconds[m]).describe(`Alert when the ${measureNames[m]} stays above this many seconds.`),
        )
            .default(defaultLagAlerts.thresholdSeconds)
            .describe("Alert thresholds."),
        forMinutes: z
            .number()
            .int()
            .min(1)
            .default(defaultLagAlerts.forMinutes)
            .describe("How long a measure stays above its threshold before the alert fires."),
        ruleLabels: z.record(z.string(), z.string()).default({}).describe("Labels the cluster's Prometheus selects rule objects by (its ruleSelector)."),
    })
    .strict()
    .default({ ...defaultLagAlerts, ruleLabels: {} })
    .describe("Alerts on the converter group's lag, as a PrometheusRule beside it.");

const settings = {
    workers: z
        .object({
            images: imagesSchema,
            size: sizeSchema.default("medium"),
            minSize: z.number().int().min(0).default(1).describe("Fewest workers."),
            desiredSize: z.number().int().min(0).default(2).describe("Workers at creation; the autoscaler owns the count after."),
            maxSize: z.number().int().min(1).default(4).describe("Most workers."),
            cpuTargetPercent: z.number().gt(0).max(100).default(70).describe("Average CPU the autoscaler holds."),
            healthPort: z.number().int().min(1).max(65535).default(8080).describe("Port of the workers' health endpoint (auto-healing)."),
            healthCheckPath: z.string().startsWith("/").default("/healthz").describe("HTTP path of the workers' health endpoint."),
        })
        .strict()
        .describe("The managed instance group of batch workers."),
    cluster: z
        .object({
            size: sizeSchema.default("medium"),
            minNodes: z.number().int().min(0).default(1).describe("Fewest nodes in the node pool."),
            maxNodes: z.number().int().min(1).default(3).describe("Most nodes in the node pool."),
        })
        .strict()
        .default({ size: "medium", minNodes: 1, maxNodes: 3 })
        .describe("The Kubernetes cluster that runs the converter group."),
    converters: z
        .object({
            image: z
                .string()
                .regex(/@sha256:[a-f0-9]{64}$/, "an image pinned by digest (...@sha256:<64 hex>)")
                .describe("Converter image, pinned by digest."),
            replicas: z.number().int().min(1).default(2).describe("Members of the converter group; the only number to change to scale it."),
            consumerGroup: z
                .string()
                .regex(/^[A-Za-z0-9._-]+$/)
                .describe("Consumer-group name all members share."),
            sourceEndpoint: endpoint.describe("Change stream the members read (host:port)."),
            targetEndpoint: endpoint.describe("Sink the members write to (host:port)."),
            metricsPort: z.number().int().min(1024).max(65535).default(9404).describe("Port of the lag metrics Prometheus scrapes."),
            credentialsSecret: secretName.default("converterCredentials").describe("Name under multicloud:secrets that holds the members' credentials."),
            sourceSizeGib: z
                .number()
                .positive()
                .optional()
                .describe("Size of the source in GiB: what renaming consumerGroup replays from the start (the review says so)."),
            limits: converterLimits,
            lagAlerts,
        })
        .strict()
        .describe("The change-data-capture converter group."),
    storage: z
        .object({ sizeGib: z.number().int().min(1024).default(1024).describe("Capacity of the shared file system in GiB (Filestore minimum 1024).") })
        .strict()
        .default({ sizeGib: 1024 })
        .describe("The file system shared by the workers."),
    campaigns: campaignsSchema,
    protocol: protocolSchema,
};

type Settings = z.output<z.ZodObject<typeof settings>>;

/**
 * The analytics workload: batch workers in an autoscaling VM group sharing a file
 * system, a container cluster running a change-data-capture converter group, and
 * the workload's secrets, readable by the workers.
 */
export const analytics: Workload<typeof settings> = {
    settings,
    validate(s: Settings, { environment, stackFile, clouds }) {
        const fail = (key: string, value: unknown, fix: string) => {
            throw new ConfigError(`Invalid configuration in ${stackFile}: multicloud:${key} = ${JSON.stringify(value)}: ${fix}`);
        };
        const w = s.workers;
        requirePerCloud(w.images, "workers.images", clouds, imageFormats, stackFile);
        for (const counts of [
            { min: ["workers.minSize", w.minSize], desired: ["workers.desiredSize", w.desiredSize], max: ["workers.maxSize", w.maxSize] },
            { min: ["cluster.minNodes", s.cluster.minNodes], max: ["cluster.maxNodes", s.cluster.maxNodes] },
        ] satisfies Counts[]) {
            const fault = countOrderFault(counts, stackKey);
            if (fault) fail(fault.key, fault.value, `${fault.fix}.`);
        }
        if (s.converters.metricsPort === w.healthPort) {
            // Not a clash on the wire, but dashboards and firewall reviews read them as one service.
            fail("converters.metricsPort", s.converters.metricsPort, `must differ from multicloud:workers.healthPort (${w.healthPort}).`);
        }
        // Campaigns scale the workers; the converter group is sized by its replica count alone.
        checkCampaigns(s.campaigns, { stackFile, maxCapacity: w.maxSize, maxCapacityKey: "multicloud:workers.maxSize" });
        if (environment === "prod") {
            if (w.minSize < 2) fail("workers.minSize", w.minSize, "must be at least 2 in prod, so one zone can fail without stopping the batch.");
            if (s.converters.replicas < 2)
                fail("converters.replicas", s.converters.replicas, "must be at least 2 in prod, so one member can restart while the others convert.");
        }
    },
    build({ kit, environment, settings: s, secrets, prefix, stackFile, network: ctxNetwork }) {
        if (!kit.converterGroup) {
            throw new ConfigError(
                `Invalid configuration in ${stackFile}: multicloud:clouds places analytics on ${kit.cloud}, whose kit runs no converter groups; ` +
                    `place it on a cloud whose clusters speak Kubernetes (${cloudsWith("kit.converterGroup").join(", ")}).`,
            );
        }
        const credentials = secrets[s.converters.credentialsSecret];
        if (!credentials) {
            throw new ConfigError(
                `Invalid configuration in ${stackFile}: multicloud:secrets.${s.converters.credentialsSecret} is missing (named by multicloud:converters.credentialsSecret); ` +
                    `set it with \`pulumi config set --secret --path 'multicloud:secrets.${s.converters.credentialsSecret}'\`.`,
            );
        }

        const network = kit.network(`${prefix}-net`, { environment, ...ctxNetwork });
        const storage = kit.sharedStorage(`${prefix}-files`, { environment, network, sizeGib: s.storage.sizeGib });
        const workerSecretNames = Object.keys(secrets).filter((name) => name !== s.converters.credentialsSecret);
        const workerSecrets = workerSecretNames.map((name) =>
            kit.secretParameter(`${prefix}-${name}`, { environment, value: secrets[name], description: `analytics ${name}` }),
        );
        const { healthPort, images, ...workerSizes } = s.workers;
        kit.vmGroup(`${prefix}-workers`, {
            environment,
            ...workerSizes,
            imageId: images[kit.cloud as keyof typeof images]!,
            port: healthPort,
            network,
            storage,
            secrets: workerSecrets,
            schedules: s.campaigns,
        });

        const cluster = kit.containerCluster(`${prefix}-gke`, { environment, ...s.cluster, network });
        const {
            credentialsSecret: _credentialsSecret,
            sourceSizeGib: _sourceSize,
            lagAlerts: { ruleLabels, ...alerts },
            ...group
        } = s.converters;
        // The members write and read what the protocol settings describe; the workers' images read their own.
        const converters = kit.converterGroup(`${prefix}-cdc`, {
            environment,
            cluster,
            ...group,
            lagAlerts: alerts,
            alertRuleLabels: ruleLabels,
            zoneCount: ctxNetwork.zoneCount,
            variables: protocolVariables(s.protocol.settings),
            credentials,
        });

        return {
            networkId: network.networkId,
            fileSystemId: storage.fileSystemId,
            secrets: Object.fromEntries(workerSecretNames.map((name, i) => [name, workerSecrets[i].reference])),
            converterGroup: converters.urn,
        };
    },
};
