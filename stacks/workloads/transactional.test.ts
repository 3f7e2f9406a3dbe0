import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { createKit } from "../../components/aws/kit";
import type { Environment } from "../../components/contracts";
import { workloadNetwork } from "../address-plan";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { commonSchema, ConfigError, parseConfig } from "../config";
import { transactional } from "./transactional";
import { fixtureKeys, fixtureSecrets } from "../../test/fixtures/workloads";

const run = useMockRuntime({ preview: true, stack: "transactional-prod" });
const schema = z.object({ ...commonSchema, ...transactional.settings }).strict();
type Config = z.output<typeof schema>;

/** The fixture's `multicloud:` keys, with the test's placeholder secrets. */
function stackConfig(environment: Environment): Record<string, any> {
    return { ...fixtureKeys(`transactional-${environment}`), secrets: { ...fixtureSecrets.transactional } };
}

const stackFileOf = (environment: Environment) => `stacks/Pulumi.transactional-${environment}.yaml`;

function load(environment: Environment, edit: (raw: Record<string, any>) => void = () => {}): Config {
    const raw = stackConfig(environment);
    edit(raw);
    const config = parseConfig(schema, raw, new Set(["secrets"]));
    transactional.validate!(config, { environment, stackFile: stackFileOf(environment), clouds: config.clouds });
    return config;
}

function build(environment: Environment, config: Config, prefix = `tx-${environment}`) {
    const kit = createKit({ environment, name: `${prefix}-aws`, region: config.regions.aws });
    return transactional.build({
        workload: "transactional",
        environment,
        cloud: "aws",
        network: workloadNetwork("transactional", environment, "aws", config.network.zoneCount),
        references: {},
        kit,
        settings: config,
        secrets: Object.fromEntries(Object.entries(config.secrets).map(([k, v]) => [k, pulumi.secret(v)])),
        prefix,
        stackFile: stackFileOf(environment),
    });
}

describe.each(["dev", "prod"] as const)("the %s fixture on the AWS kit", (environment) => {
    const prefix = `tx-${environment}`;
    const prod = environment === "prod";
    beforeAll(() => build(environment, load(environment), prefix));

    test("the fixture's campaigns raise every service's minimum with at() actions in the campaign's time zone", async () => {
        const actions = (await run.ofType("aws:appautoscaling/scheduledAction:ScheduledAction", prefix)).map((a) => a.plain);
        // Dev runs no campaign; prod raises both services' minimum at its start and lowers it at its end.
        expect(actions).toHaveLength(prod ? 4 : 0);
        const starts = actions.filter((a) => a.schedule === "at(2026-11-27T00:00:00)");
        expect(starts).toHaveLength(prod ? 2 : 0);
        for (const a of starts) expect(a).toMatchObject({ timezone: "Europe/Amsterdam", scalableTargetAction: { minCapacity: 9 } });
        expect(actions.filter((a) => a.schedule === "at(2026-11-30T23:59:00)").map((a) => a.scalableTargetAction.minCapacity)).toEqual(prod ? [3, 3] : []);
    });

    test("every AWS resource goes through the kit's explicit provider", async () => {
        const all = (await run.all()).filter((r) => r.name.startsWith(prefix) && r.custom && r.type.startsWith("aws:"));
        expect(all.length).toBeGreaterThan(50);
        for (const r of all) expect(r.provider).toContain(`pulumi:providers:aws::${prefix}-aws-provider`);
    });

    test("the network spans the configured zones, with NAT per zone only in prod", async () => {
        const subnets = await run.ofType("aws:ec2/subnet:Subnet", `${prefix}-net-private-`);
        expect(subnets).toHaveLength(prod ? 3 : 2);
        expect(await run.ofType("aws:ec2/natGateway:NatGateway", prefix)).toHaveLength(prod ? 3 : 1);
    });

    test("the ALB speaks TLS 1.2+, drops invalid headers, and is protected and logged in prod", async () => {
        const alb = await run.one("aws:lb/loadBalancer:LoadBalancer", prefix);
        expect(alb.plain.dropInvalidHeaderFields).toBe(true);
        expect(alb.plain.enableDeletionProtection).toBe(prod);
        expect(alb.plain.accessLogs?.enabled === true).toBe(prod);
        const https = (await run.ofType("aws:lb/listener:Listener", prefix)).find((l) => l.plain.protocol === "HTTPS")!;
        expect(https.plain.sslPolicy).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
        expect(https.plain.certificateArn).toMatch(/^arn:aws:acm:eu-west-1:/);
        const rule = await run.one("aws:lb/listenerRule:ListenerRule", prefix);
        expect(rule.plain.conditions[0].pathPattern.values).toEqual(["/api/*"]);
    });

    test("the cluster runs on EC2 capacity from the ECS-optimized AMI, with Container Insights", async () => {
        const cluster = await run.one("aws:ecs/cluster:Cluster", prefix);
        expect(cluster.plain.settings).toContainEqual({ name: "containerInsights", value: "enabled" });
        expect(cluster.options.protect).toBe(prod);
        const lt = await run.one("aws:ec2/launchTemplate:LaunchTemplate", prefix);
        expect(lt.plain.imageId).toBe("ami-0ecs0ff1ine0000a1");
        expect(lt.plain.instanceType).toBe(prod ? "m6i.xlarge" : "m6i.large");
        expect(lt.plain.metadataOptions.httpTokens).toBe("required");
        const asg = await run.one("aws:autoscaling/group:Group", prefix);
        expect([asg.plain.minSize, asg.plain.maxSize]).toEqual(prod ? [3, 12] : [1, 3]);
        expect(asg.plain.instanceRefresh.preferences.minHealthyPercentage).toBe(100);
        const provider = await run.one("aws:ecs/capacityProvider:CapacityProvider", prefix);
        expect(provider.plain.autoScalingGroupProvider.managedScaling.status).toBe("ENABLED");
        expect(provider.plain.autoScalingGroupProvider.managedTerminationProtection).toBe("ENABLED");
    });

    test("each configured service rolls out safely, mounts the file system and reads its secrets from SSM", async () => {
        const services = await run.ofType("aws:ecs/service:Service", prefix);
        expect(services.map((s) => s.name).sort()).toEqual([`${prefix}-checkout-service`, `${prefix}-storefront-service`]);
        for (const s of services) {
            expect(s.plain.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
            expect(s.plain.deploymentMinimumHealthyPercent).toBe(100);
            expect(s.plain.deploymentMaximumPercent).toBe(200);
            expect(s.plain.loadBalancers).toHaveLength(1);
        }
        const checkout = await run.one("aws:ecs/taskDefinition:TaskDefinition", `${prefix}-checkout`);
        expect(checkout.plain.cpu).toBe(prod ? "1024" : "512");
        expect(checkout.plain.volumes[0].efsVolumeConfiguration.transitEncryption).toBe("ENABLED");
        const scaling = await run.one("aws:appautoscaling/target:Target", `${prefix}-checkout`);
        expect([scaling.plain.minCapacity, scaling.plain.maxCapacity]).toEqual(prod ? [3, 12] : [1, 3]);
    });

    test("secrets become SecureString parameters under their own rotated keys; the values stay secret", async () => {
        const params = await run.ofType("aws:ssm/parameter:Parameter", prefix);
        expect(params.map((p) => p.plain.name).sort((a, b) => a.localeCompare(b))).toEqual([
            `/multicloud/${prefix}-dbPassword`,
            `/multicloud/${prefix}-serviceToken`,
        ]);
        for (const p of params) {
            expect(p.plain.type).toBe("SecureString");
            expect(p.hasSecretInput).toBe(true);
            expect(p.options.protect).toBe(prod);
        }
        for (const key of await run.ofType("aws:kms/key:Key", prefix)) expect(key.plain.enableKeyRotation).toBe(true);
    });

    test("the file system is encrypted, and backed up and protected in prod", async () => {
        const efs = await run.one("aws:efs/fileSystem:FileSystem", prefix);
        expect(efs.plain.encrypted).toBe(true);
        expect(efs.options.protect).toBe(prod);
        const backup = await run.one("aws:efs/backupPolicy:BackupPolicy", prefix);
        expect(backup.plain.backupPolicy.status).toBe(prod ? "ENABLED" : "DISABLED");
        expect(await run.ofType("aws:efs/mountTarget:MountTarget", prefix)).toHaveLength(prod ? 3 : 2);
    });
});

describe("wrong values in the stack file are configuration errors naming the file and key", () => {
    const buildProd = (edit: (raw: Record<string, any>) => void) => build("prod", load("prod", edit), "tx-bad");

    test("a negative count", () => {
        expect(() => load("prod", (raw) => (raw.services[0].desiredCount = -1))).toThrow(ConfigError);
        expect(() => load("prod", (raw) => (raw.services[0].desiredCount = -1))).toThrow(
            /stacks\/Pulumi\.transactional-prod\.yaml[\s\S]*multicloud:services\[0\]\.desiredCount = -1: must be at least 0/,
        );
    });

    test("min above max", () => {
        expect(() => load("prod", (raw) => (raw.services[1].minCount = 10))).toThrow(
            "Invalid configuration in stacks/Pulumi.transactional-prod.yaml:\n  multicloud:services[1].minCount = 10: must not be above multicloud:services[1].maxCount (9)",
        );
        expect(() => load("dev", (raw) => (raw.cluster.minNodes = 5))).toThrow(
            "Invalid configuration in stacks/Pulumi.transactional-dev.yaml:\n  multicloud:cluster.minNodes = 5: must not be above multicloud:cluster.maxNodes (3)",
        );
    });

    test("a desired count outside min and max", () => {
        expect(() => load("prod", (raw) => (raw.services[0].desiredCount = 20))).toThrow(
            /multicloud:services\[0\]\.desiredCount = 20: must lie between multicloud:services\[0\]\.minCount \(3\) and multicloud:services\[0\]\.maxCount \(12\)/,
        );
    });

    test("a missing certificate on the placed cloud", () => {
        expect(() => load("prod", (raw) => delete raw.loadBalancer.certificates.aws)).toThrow(
            "Invalid configuration in stacks/Pulumi.transactional-prod.yaml:\n  multicloud:loadBalancer.certificates.aws = (missing): the workload runs on aws; " +
                "set an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>).",
        );
    });

    test("a certificate in another cloud's format", () => {
        expect(() => load("prod", (raw) => (raw.loadBalancer.certificates.gcp = "14023518-eu-central-1"))).toThrow(
            'multicloud:loadBalancer.certificates.gcp = "14023518-eu-central-1": a Compute SSL certificate (projects/<project>/global/sslCertificates/<name>)',
        );
    });

    test("a CPU request larger than one instance offers", () => {
        expect(() => buildProd((raw) => (raw.services[0].cpu = 8192))).toThrow(
            /stacks\/Pulumi\.transactional-prod\.yaml:\n {2}multicloud:services\[0\]\.cpu = 8192: must be at most 4000, what one medium host on aws \(m6i\.xlarge\) offers; lower it or choose a larger multicloud:cluster\.size/,
        );
    });

    test("a memory request larger than one instance offers", () => {
        expect(() => buildProd((raw) => (raw.services[1].memory = 16384))).toThrow(
            /multicloud:services\[1\]\.memory = 16384: must be at most 15872 MiB, what one medium host on aws \(m6i\.xlarge\) offers to tasks/,
        );
    });

    test("an unknown size, and a cloud's own instance type in its place", () => {
        expect(() => buildProd((raw) => (raw.cluster.size = "huge"))).toThrow(
            'multicloud:cluster.size = "huge": valid values: "small", "medium", "large", "xlarge"',
        );
        expect(() => buildProd((raw) => (raw.cluster.instanceType = "m6i.xlarge"))).toThrow("unknown key(s) instanceType: check the spelling");
    });

    test("two services without paths", () => {
        expect(() => load("prod", (raw) => delete raw.services[0].paths)).toThrow(
            /multicloud:services\[1\]\.paths = undefined: only one service may take all other traffic \(services\[0\] does\)/,
        );
    });

    test("a secret that the stack does not set", () => {
        expect(() => buildProd((raw) => (raw.services[0].secrets.API_KEY = "apiKey"))).toThrow(
            /multicloud:services\[0\]\.secrets\.API_KEY = "apiKey": no such secret; set it with `pulumi config set --secret --path 'multicloud:secrets\.apiKey'`/,
        );
    });
});

describe("protocol settings", () => {
    const withProtocol = (raw: Record<string, any>) =>
        (raw.protocol = { settings: { "order-event": { accept: ["json-v1", "json-v2"], use: "json-v1" }, "session-cookie": { accept: ["v3"], use: "v3" } } });

    test("reach every service's container as PROTOCOL_<NAME>_ACCEPT and _USE", async () => {
        build("prod", load("prod", withProtocol), "tx-proto");
        for (const name of ["checkout", "storefront"]) {
            const task = await run.one("aws:ecs/taskDefinition:TaskDefinition", `tx-proto-${name}`);
            const [container] = JSON.parse(task.plain.containerDefinitions);
            expect(container.environment).toEqual(
                expect.arrayContaining([
                    { name: "PROTOCOL_ORDER_EVENT_ACCEPT", value: "json-v1,json-v2" },
                    { name: "PROTOCOL_ORDER_EVENT_USE", value: "json-v1" },
                    { name: "PROTOCOL_SESSION_COOKIE_ACCEPT", value: "v3" },
                    { name: "PROTOCOL_SESSION_COOKIE_USE", value: "v3" },
                ]),
            );
        }
    });

    test("a writer's value that readers do not accept is a configuration error naming the key", () => {
        expect(() => load("prod", (raw) => (raw.protocol = { settings: { "order-event": { accept: ["json-v1"], use: "json-v2" } } }))).toThrow(
            'multicloud:protocol.settings.order-event.use = "json-v2": must be one of accept: a writer may only use what every reader accepts',
        );
    });
});
