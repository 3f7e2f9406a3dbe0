import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { z } from "zod";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { unknownValue } from "pulumi-offline-plan/runtime";
import { createKit } from "../../components/gcp/kit";
import type { CloudKit, Environment } from "../../components/contracts";
import { commonSchema, ConfigError } from "../config";
import { analytics } from "./analytics";
import { workloadNetwork } from "../address-plan";
import { fixtureKeys, fixtureSecrets, secretOutputs } from "../../test/fixtures/workloads";

const run = useMockRuntime({ preview: true });

/** The fixture's `multicloud:` keys, as the program parses them (secrets are set by the test). */
function stackSettings(environment: Environment) {
    return z
        .object({ ...commonSchema, ...analytics.settings })
        .strict()
        .parse(fixtureKeys(`analytics-${environment}`));
}

const stackFile = (environment: Environment) => `stacks/Pulumi.analytics-${environment}.yaml`;
const secrets = () => secretOutputs(fixtureSecrets.analytics);

function build(
    environment: Environment,
    overrides: { kit?: CloudKit; secrets?: Record<string, pulumi.Output<string>>; settings?: ReturnType<typeof stackSettings>; prefix?: string } = {},
) {
    const settings = overrides.settings ?? stackSettings(environment);
    const prefix = overrides.prefix ?? `analytics-${environment}`;
    const kit = overrides.kit ?? createKit({ environment, name: `gcp-${environment}`, region: settings.regions.gcp, project: settings.gcpProject });
    analytics.validate!(settings, { environment, stackFile: stackFile(environment), clouds: settings.clouds });
    return analytics.build({
        workload: "analytics",
        environment,
        cloud: "gcp",
        network: workloadNetwork("analytics", environment, "gcp", settings.network.zoneCount),
        references: {},
        kit,
        settings,
        secrets: overrides.secrets ?? secrets(),
        prefix,
        stackFile: stackFile(environment),
    });
}

const mine = (environment: Environment, type: string) => run.ofType(type, `analytics-${environment}`);
const one = async (environment: Environment, type: string) => {
    const found = await mine(environment, type);
    expect(found).toHaveLength(1);
    return found[0];
};

describe.each(["dev", "prod"] as const)("analytics-%s on the GCP kit", (environment) => {
    const prod = environment === "prod";
    const settings = stackSettings(environment);
    beforeAll(() => build(environment));

    test("the fixture's campaigns become scaling schedules of the workers' autoscaler", async () => {
        const schedules = (await one(environment, "gcp:compute/regionAutoscaler:RegionAutoscaler")).plain.autoscalingPolicy.scalingSchedules;
        const blackFriday = expect.objectContaining({
            name: "black-friday-2026",
            schedule: "0 0 27 11 * 2026",
            timeZone: "Europe/Amsterdam",
            minRequiredReplicas: 8,
        });
        expect(schedules).toEqual(environment === "dev" ? [] : [blackFriday]);
    });

    test("batch workers: an autoscaling managed instance group sized from the fixture", async () => {
        const autoscaler = await one(environment, "gcp:compute/regionAutoscaler:RegionAutoscaler");
        expect(autoscaler.plain.autoscalingPolicy).toMatchObject({ minReplicas: settings.workers.minSize, maxReplicas: settings.workers.maxSize });
        const template = await one(environment, "gcp:compute/instanceTemplate:InstanceTemplate");
        expect(template.plain.machineType).toBe(environment === "prod" ? "n2-standard-4" : "n2-standard-2");
        expect(template.plain.sourceImage ?? template.plain.disks?.[0]?.sourceImage).toBe(settings.workers.images.gcp);
        expect(template.plain.networkInterfaces[0].accessConfigs).toBeUndefined();
        // The mount script holds the Filestore address, which a preview cannot know yet.
        expect(template.plain.metadataStartupScript).toBe(unknownValue);
    });

    test("workers may read the workload's secrets, not the converters' credentials", async () => {
        const secretsMade = await mine(environment, "gcp:secretmanager/secret:Secret");
        expect(secretsMade.map((s) => s.name)).toEqual([`analytics-${environment}-serviceToken-secret`]);
        expect(secretsMade[0].options.protect).toBe(prod);
        const grants = await mine(environment, "gcp:secretmanager/secretIamMember:SecretIamMember");
        expect(grants.map((g) => g.plain.role)).toEqual(["roles/secretmanager.secretAccessor"]);
    });

    test("Filestore: size from the fixture; protected and backed up in prod only", async () => {
        const filestore = await one(environment, "gcp:filestore/instance:Instance");
        expect(filestore.plain.fileShares.capacityGb).toBe(settings.storage.sizeGib);
        expect(filestore.plain.tier).toBe(prod ? "REGIONAL" : "BASIC_HDD");
        expect(filestore.options.protect).toBe(prod);
        const backups = await mine(environment, "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation");
        expect(backups).toHaveLength(prod ? 1 : 0);
    });

    test("GKE: private nodes, protected in prod, node pool sized from the fixture", async () => {
        const cluster = await one(environment, "gcp:container/cluster:Cluster");
        expect(cluster.plain.privateClusterConfig.enablePrivateNodes).toBe(true);
        expect(cluster.plain.deletionProtection).toBe(prod);
        expect(cluster.options.protect).toBe(prod);
        const pool = await one(environment, "gcp:container/nodePool:NodePool");
        expect(pool.plain.autoscaling).toMatchObject({ totalMinNodeCount: settings.cluster.minNodes, totalMaxNodeCount: settings.cluster.maxNodes });
    });

    test("converter group: one StatefulSet whose replicas come from the fixture, through the cluster's provider", async () => {
        const set = await one(environment, "kubernetes:apps/v1:StatefulSet");
        expect(set.plain.spec.replicas).toBe(settings.converters.replicas);
        expect(set.provider).toContain("pulumi:providers:kubernetes");
        const container = set.plain.spec.template.spec.containers[0];
        const env = Object.fromEntries(container.env.map((e: any) => [e.name, e]));
        expect(env.GROUP_SIZE.value).toBe(String(settings.converters.replicas));
        expect(env.CONSUMER_GROUP.value).toBe(settings.converters.consumerGroup);
        expect(env.MEMBER_ID.valueFrom.fieldRef.fieldPath).toBe("metadata.labels['apps.kubernetes.io/pod-index']");
        expect(set.plain.spec.template.metadata.annotations["prometheus.io/port"]).toBe(String(settings.converters.metricsPort));
        const credentials = await one(environment, "kubernetes:core/v1:Secret");
        expect(credentials.hasSecretInput).toBe(true);
        expect(credentials.plain.stringData.credentials).toBe(fixtureSecrets.analytics.converterCredentials);
        expect(credentials.options.protect).toBe(prod);
    });

    test("the converters' namespace denies all traffic by default", async () => {
        const policies = await mine(environment, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
        const deny = policies.find((p) => p.plain.metadata.name === "default-deny");
        expect(deny?.plain.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    });
});

describe("the converter group's own settings", () => {
    const settings = stackSettings("prod");
    const converters = {
        ...settings.converters,
        limits: { ...settings.converters.limits, bytes: "20mb", concurrency: 4 },
        lagAlerts: {
            ...settings.converters.lagAlerts,
            metrics: { ...settings.converters.lagAlerts.metrics, endToEnd: "orders_e2e_seconds" },
            ruleLabels: { release: "kube-prometheus" },
        },
        sourceSizeGib: 850,
    };
    const protocol = { bakeDays: 3, settings: { "event-format": { accept: ["avro-v1", "avro-v2"], use: "avro-v1" } } };
    beforeAll(() => build("prod", { settings: { ...settings, converters, protocol }, prefix: "cdcset" }));

    test("limits reach each member's file; the source's size stays in configuration, for the review", async () => {
        const config = await run.one("kubernetes:core/v1:ConfigMap", "cdcset");
        const member = parse(config.plain.data["member-0.yaml"]);
        expect(member.group).toMatchObject({
            name: "analytics-cdc",
            membership: { memberNumber: 1, totalMembers: 6 },
            limit: { bytes: "20mb", actions: 1000, timeout: "1m", concurrency: 4 },
        });
        expect(member.dcp.sourceConfig.flowControlBuffer).toBe("16mb");
        expect(JSON.stringify(config.plain)).not.toContain("850");
    });

    test("alert rules use the configured metric names and carry the rule labels; the members spread over the network's zones", async () => {
        const rule = await run.one("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "cdcset");
        expect(rule.plain.metadata.labels).toMatchObject({ release: "kube-prometheus" });
        expect(rule.plain.spec.groups[0].rules.map((r: any) => r.expr)).toContain('max(orders_e2e_seconds{namespace="cdcset-cdc"}) > 300');
        const set = await run.one("kubernetes:apps/v1:StatefulSet", "cdcset");
        expect(set.plain.spec.template.spec.topologySpreadConstraints[0]).toMatchObject({ whenUnsatisfiable: "DoNotSchedule", minDomains: 3 });
    });

    test("the protocol settings reach every member as PROTOCOL_<NAME>_ACCEPT and _USE", async () => {
        const set = await run.one("kubernetes:apps/v1:StatefulSet", "cdcset");
        const env = set.plain.spec.template.spec.containers[0].env;
        expect(env).toEqual(
            expect.arrayContaining([
                { name: "PROTOCOL_EVENT_FORMAT_ACCEPT", value: "avro-v1,avro-v2" },
                { name: "PROTOCOL_EVENT_FORMAT_USE", value: "avro-v1" },
            ]),
        );
    });

    test("the settings parse with safe defaults when a stack sets none", () => {
        expect(stackSettings("dev").converters).toMatchObject({
            limits: { bytes: "10mb", actions: 1000, timeout: "1m", concurrency: 2, flowControlBuffer: "16mb" },
            lagAlerts: { thresholdSeconds: { queueWait: 60, conversion: 10, endToEnd: 300 }, forMinutes: 10, ruleLabels: {} },
        });
        expect(stackSettings("dev").protocol).toEqual({ bakeDays: 3, settings: {} });
    });
});

describe("analytics validate()", () => {
    const context = { environment: "prod" as const, stackFile: stackFile("prod"), clouds: ["gcp" as const] };
    const withWorkers = (workers: Partial<ReturnType<typeof stackSettings>["workers"]>) => {
        const s = stackSettings("prod");
        return { ...s, workers: { ...s.workers, ...workers } };
    };

    test.each([
        [
            { minSize: 5, maxSize: 4, desiredSize: 4 },
            /stacks\/Pulumi\.analytics-prod\.yaml: multicloud:workers\.minSize = 5: must not be above multicloud:workers\.maxSize \(4\)/,
        ],
        [
            { desiredSize: 20 },
            /multicloud:workers\.desiredSize = 20: must lie between multicloud:workers\.minSize \(3\) and multicloud:workers\.maxSize \(12\)/,
        ],
        [{ minSize: 1, desiredSize: 1 }, /multicloud:workers\.minSize = 1: must be at least 2 in prod/],
        [{ healthPort: 9404 }, /multicloud:converters\.metricsPort = 9404: must differ from multicloud:workers\.healthPort \(9404\)/],
    ])("workers %j", (workers, message) => {
        expect(() => analytics.validate!(withWorkers(workers), context)).toThrow(ConfigError);
        expect(() => analytics.validate!(withWorkers(workers), context)).toThrow(message);
    });

    test("cluster minNodes above maxNodes", () => {
        const s = stackSettings("prod");
        expect(() => analytics.validate!({ ...s, cluster: { ...s.cluster, minNodes: 10 } }, context)).toThrow(
            /stacks\/Pulumi\.analytics-prod\.yaml: multicloud:cluster\.minNodes = 10: must not be above multicloud:cluster\.maxNodes \(9\)/,
        );
    });

    test("a single converter in prod", () => {
        const s = stackSettings("prod");
        expect(() => analytics.validate!({ ...s, converters: { ...s.converters, replicas: 1 } }, context)).toThrow(
            /multicloud:converters\.replicas = 1: must be at least 2 in prod/,
        );
    });

    test("the dev fixture passes: hosts and members per zone are the pack's rollout policy's to judge, in every environment", () => {
        expect(() => analytics.validate!(stackSettings("dev"), { ...context, environment: "dev", stackFile: stackFile("dev") })).not.toThrow();
    });
});

describe("analytics build() configuration errors", () => {
    const gcpKit = () => createKit({ environment: "dev", name: "gcp-errors", region: "europe-west1", project: "marketplace-analytics-dev" });

    test("a kit without converter groups names the stack file and multicloud:clouds", () => {
        const withoutConverters: CloudKit = { ...gcpKit(), cloud: "aws" };
        delete withoutConverters.converterGroup;
        expect(() => build("dev", { kit: withoutConverters })).toThrow(
            /stacks\/Pulumi\.analytics-dev\.yaml: multicloud:clouds places analytics on aws, whose kit runs no converter groups/,
        );
    });

    test("a placed cloud without a worker image names the key and the format it needs", () => {
        const s = stackSettings("dev");
        const withoutAlicloud = { ...s, workers: { ...s.workers, images: { gcp: s.workers.images.gcp } } };
        expect(() => analytics.validate!(withoutAlicloud, { environment: "dev", stackFile: stackFile("dev"), clouds: ["gcp", "alicloud"] })).toThrow(
            "Invalid configuration in stacks/Pulumi.analytics-dev.yaml:\n  multicloud:workers.images.alicloud = (missing): the workload runs on alicloud; set a custom image id (m-<id>).",
        );
    });

    test("missing converter credentials name the secret to set", () => {
        expect(() => build("dev", { kit: gcpKit(), secrets: { serviceToken: pulumi.secret("t") } })).toThrow(
            /multicloud:secrets\.converterCredentials is missing \(named by multicloud:converters\.credentialsSecret\)/,
        );
    });
});
