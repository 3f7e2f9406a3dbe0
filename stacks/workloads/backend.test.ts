import { z } from "zod";
import { createKit } from "../../components/alicloud/kit";
import type { Cloud, CreateKit, Environment } from "../../components/contracts";
import { plannedRanges, workloadNetwork } from "../address-plan";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { ConfigError } from "../config";
import { backend } from "./backend";
import { fixtureKeys, fixtureSecrets, secretOutputs } from "../../test/fixtures/workloads";

const run = useMockRuntime({ preview: true });

const schema = z.object(backend.settings);
type Settings = z.output<typeof schema>;

/** The workload's own keys from the test's fixture, parsed with its schema. */
function stackSettings(environment: Environment): Settings {
    return schema.parse(fixtureKeys(`backend-${environment}`));
}

/* oxlint-disable typescript/no-require-imports -- a kit's module, and its provider SDK with it, loads only when a case builds on its cloud */
const kits: Record<Exclude<Cloud, "onprem">, () => CreateKit> = {
    alicloud: () => createKit,
    aws: () => require("../../components/aws/kit").createKit,
    gcp: () => require("../../components/gcp/kit").createKit,
};
/* oxlint-enable typescript/no-require-imports */
const regions = { alicloud: "eu-central-1", aws: "eu-west-1", gcp: "europe-west1" };

function build(environment: Environment, settings = stackSettings(environment), cloud: Exclude<Cloud, "onprem"> = "alicloud") {
    const prefix = cloud === "alicloud" ? `backend-${environment}` : `backend-${environment}-${cloud}`;
    const outputs = backend.build({
        workload: "backend",
        environment,
        cloud,
        network: workloadNetwork("backend", environment, cloud, undefined),
        references: {},
        kit: kits[cloud]()({ environment, name: `${cloud}-${environment}`, region: regions[cloud], project: "marketplace-backend" }),
        settings,
        secrets: secretOutputs(fixtureSecrets.backend),
        prefix,
        stackFile: `stacks/Pulumi.backend-${environment}.yaml`,
    });
    return { prefix, outputs };
}

const context = (environment: Environment) => ({ environment, stackFile: `stacks/Pulumi.backend-${environment}.yaml`, clouds: ["alicloud" as const] });

describe("backend workload on Alibaba Cloud", () => {
    describe.each(["dev", "prod"] as const)("%s stack", (environment) => {
        const prod = environment === "prod";
        let prefix: string;
        beforeAll(() => {
            prefix = build(environment).prefix;
        });

        test("the fixture's campaigns become ESS scheduled tasks at UTC launch times", async () => {
            const tasks = (await run.ofType("alicloud:ess/scheduledTask:ScheduledTask", prefix)).map((t) => t.plain);
            // Dev runs no campaign. Amsterdam is UTC+1 in November.
            expect(tasks.map((t) => [t.launchTime, t.minValue]).sort(([a], [b]) => a.localeCompare(b))).toEqual(
                environment === "dev"
                    ? []
                    : [
                          ["2026-11-26T23:00Z", 8],
                          ["2026-11-30T22:59Z", 3],
                      ],
            );
        });

        test("the fixture's settings pass validation", () => {
            expect(() => backend.validate!(stackSettings(environment), context(environment))).not.toThrow();
        });

        test("a network over the configured zones, NAT egress", async () => {
            const switches = await run.ofType("alicloud:vpc/switch:Switch", `${prefix}-net-private-`);
            expect(switches).toHaveLength(prod ? 3 : 2);
            expect(await run.ofType("alicloud:vpc/snatEntry:SnatEntry", prefix)).toHaveLength(prod ? 3 : 2);
        });

        test("autoscaling servers of the configured size and type, behind the load balancer", async () => {
            const group = await run.one("alicloud:ess/scalingGroup:ScalingGroup", `${prefix}-servers`);
            expect([group.plain.minSize, group.plain.desiredCapacity, group.plain.maxSize]).toEqual(prod ? [3, 3, 12] : [1, 1, 3]);
            expect(group.plain.healthCheckTypes).toEqual(["ECS", "LOAD_BALANCER"]);
            const config = await run.one("alicloud:ess/scalingConfiguration:ScalingConfiguration", `${prefix}-servers`);
            expect(config.plain).toMatchObject({
                instanceType: prod ? "ecs.g7.xlarge" : "ecs.g7.large",
                imageId: "m-gw8backend20261101a",
                systemDiskEncrypted: true,
                internetMaxBandwidthOut: 0,
            });
        });

        test("HTTPS with TLS 1.2+; deletion protection and access logs in prod", async () => {
            const lb = await run.one("alicloud:alb/loadBalancer:LoadBalancer", `${prefix}-lb`);
            expect(lb.plain.deletionProtectionEnabled).toBe(prod);
            expect(lb.plain.accessLogConfig !== undefined).toBe(prod);
            const https = (await run.ofType("alicloud:alb/listener:Listener", `${prefix}-lb`)).find((l) => l.plain.listenerProtocol === "HTTPS")!;
            expect(https.plain.securityPolicyId).toBe("tls_cipher_policy_1_2_strict_with_1_3");
        });

        test("an encrypted NAS, protected and backed up in prod", async () => {
            const nas = await run.one("alicloud:nas/fileSystem:FileSystem", `${prefix}-files`);
            expect(nas.plain.encryptType).toBe(1);
            expect(nas.options.protect).toBe(prod);
            expect(await run.ofType("alicloud:hbr/policyBinding:PolicyBinding", `${prefix}-files`)).toHaveLength(prod ? 1 : 0);
        });

        test("one KMS secret per configured secret, the servers may read exactly those", async () => {
            const secrets = await run.ofType("alicloud:kms/secret:Secret", prefix);
            expect(secrets.map((s) => s.plain.secretName).sort((a, b) => a.localeCompare(b))).toEqual([`${prefix}-databasePassword`, `${prefix}-serviceToken`]);
            for (const s of secrets) {
                expect(s.hasSecretInput).toBe(true);
                expect(s.plain).toMatchObject({ forceDeleteWithoutRecovery: false, recoveryWindowInDays: prod ? 30 : 7 });
                expect(s.options.protect).toBe(prod);
            }
            const policy = await run.one("alicloud:ram/policy:Policy", `${prefix}-servers`);
            expect(JSON.parse(policy.plain.policyDocument).Statement[0].Resource.sort()).toEqual([
                `acs:kms:*:*:secret/${prefix}-databasePassword`,
                `acs:kms:*:*:secret/${prefix}-serviceToken`,
            ]);
        });
    });

    describe("callers on other clouds: the partner gateway on the private cloud references this stack", () => {
        test.each(["dev", "prod"] as const)(
            "%s on Alibaba Cloud: an internal ALB admitting exactly the partner's planned range, its address the stack's privateEndpoint",
            async (environment) => {
                const prefix = `backend-${environment}`;
                const alb = await run.one("alicloud:alb/loadBalancer:LoadBalancer", `${prefix}-private`);
                expect(alb.plain.addressType).toBe("Intranet");
                const acl = await run.one("alicloud:alb/acl:Acl", `${prefix}-private`);
                expect(acl.plain.aclEntries.map((e: { entry: string }) => e.entry)).toEqual(plannedRanges("partner", environment, "onprem"));
            },
        );

        test("moved to aws: the private listener moves with it, with the same callers", async () => {
            const { prefix, outputs } = build("prod", stackSettings("prod"), "aws");
            expect(outputs.privateEndpoint).toBeDefined();
            const nlb = await run.one("aws:lb/loadBalancer:LoadBalancer", `${prefix}-private`);
            expect(nlb.plain).toMatchObject({ loadBalancerType: "network", internal: true });
            const sg = await run.one("aws:ec2/securityGroup:SecurityGroup", `${prefix}-private`);
            expect(sg.plain.ingress[0].cidrBlocks).toEqual(plannedRanges("partner", "prod", "onprem"));
        });

        test("moved to gcp: the private listener moves with it, with the same callers", async () => {
            const { prefix, outputs } = build("prod", stackSettings("prod"), "gcp");
            expect(outputs.privateEndpoint).toBeDefined();
            const rule = await run.one("gcp:compute/forwardingRule:ForwardingRule", `${prefix}-private`);
            expect(rule.plain.loadBalancingScheme).toBe("INTERNAL");
            const firewall = await run.one("gcp:compute/firewall:Firewall", `${prefix}-private`);
            expect(firewall.plain.sourceRanges).toEqual(plannedRanges("partner", "prod", "onprem"));
        });
    });

    test("validate: min above max names the file, key, value and rule", () => {
        const settings = stackSettings("dev");
        expect(() => backend.validate!({ ...settings, servers: { ...settings.servers, minSize: 5, maxSize: 3 } }, context("dev"))).toThrow(
            new ConfigError(
                "Invalid configuration in stacks/Pulumi.backend-dev.yaml: multicloud:servers.minSize = 5: must not be above multicloud:servers.maxSize (3).",
            ),
        );
    });

    test("validate: desired outside min..max", () => {
        const settings = stackSettings("dev");
        expect(() => backend.validate!({ ...settings, servers: { ...settings.servers, desiredSize: 4 } }, context("dev"))).toThrow(
            "Invalid configuration in stacks/Pulumi.backend-dev.yaml: multicloud:servers.desiredSize = 4: must lie between multicloud:servers.minSize (1) and multicloud:servers.maxSize (3).",
        );
    });

    test("validate: prod needs at least two servers", () => {
        const settings = stackSettings("prod");
        expect(() => backend.validate!({ ...settings, servers: { ...settings.servers, minSize: 1, desiredSize: 1 } }, context("prod"))).toThrow(
            "Invalid configuration in stacks/Pulumi.backend-prod.yaml: multicloud:servers.minSize = 1: prod needs at least 2 servers, so one zone or one instance can fail.",
        );
    });

    test("validate: a placed cloud without a certificate names the key, the cloud and the format", () => {
        const settings = stackSettings("dev");
        const certificates = { alicloud: settings.loadBalancer.certificates.alicloud };
        expect(() => backend.validate!({ ...settings, loadBalancer: { certificates } }, { ...context("dev"), clouds: ["alicloud", "aws"] })).toThrow(
            "Invalid configuration in stacks/Pulumi.backend-dev.yaml:\n  multicloud:loadBalancer.certificates.aws = (missing): the workload runs on aws; " +
                "set an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>).",
        );
    });

    test("validate: an image of another cloud's format is refused by the schema", () => {
        const settings = stackSettings("dev");
        expect(() =>
            backend.validate!(
                { ...settings, servers: { ...settings.servers, images: { alicloud: "m-gw8backend20261101a" } } },
                { ...context("dev"), clouds: ["gcp"] },
            ),
        ).toThrow("multicloud:servers.images.gcp = (missing): the workload runs on gcp; set an image, not a family (projects/<project>/global/images/<name>).");
    });
});
