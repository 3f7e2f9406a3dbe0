import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { createKit } from "../../components/onprem/kit";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { commonSchema, type ConfigError } from "../config";
import { partner } from "./partner";
import { fixtureKeys, fixtureSecrets, secretOutputs } from "../../test/fixtures/workloads";

const run = useMockRuntime({ preview: true });
const schema = z.object({ ...commonSchema, ...partner.settings }).strict();
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
/** The program passes settings parsed with the full schema (common keys too); the workload's type names only its own. */
import { workloadNetwork } from "../address-plan";

const asContext = (context: unknown) => context as Parameters<typeof partner.build>[0];

/** The fixture's values, parsed as the program parses them; secrets are the test's placeholders. */
function stackSettings(stack: "partner-dev" | "partner-prod") {
    return schema.parse(fixtureKeys(stack));
}

function build(stack: "partner-dev" | "partner-prod") {
    const settings = stackSettings(stack);
    const secrets = secretOutputs(fixtureSecrets.partner);
    const context = { environment: settings.environment, stackFile: `stacks/Pulumi.${stack}.yaml`, clouds: settings.clouds };
    partner.validate!(settings, context);
    const kit = createKit({ environment: settings.environment, name: `onprem-${stack}`, region: "onprem" });
    const references = Object.fromEntries(
        Object.entries(settings.references).map(([name, other]) => [name, new pulumi.StackReference(`${stack}-${name}`, { name: other })]),
    );
    return partner.build(
        asContext({
            workload: "partner",
            cloud: "onprem",
            kit,
            settings,
            secrets,
            prefix: "partner",
            network: workloadNetwork("partner", settings.environment, "onprem", undefined),
            references,
            ...context,
        }),
    );
}

describe.each(["partner-dev", "partner-prod"] as const)("%s", (stack) => {
    beforeAll(() => {
        run.reset();
        build(stack);
    });

    test("the gateway reads the backend's endpoint from the backend stack named in multicloud:references", async () => {
        const reference = await run.one("pulumi:pulumi:StackReference", `${stack}-backend`);
        expect(reference.plain.name).toBe(stack.replace("partner", "backend"));
        const env = (await run.one("kubernetes:apps/v1:Deployment", "partner-gateway")).plain.spec.template.spec.containers[0].env;
        expect(env.map((e: { name: string }) => e.name)).toContain("BACKEND_ENDPOINT");
    });

    test("the fixture's campaigns become a CronJob pair that raises the gateway HPA's minimum", async () => {
        const jobs = (await run.ofType("kubernetes:batch/v1:CronJob")).map((j) => j.plain.spec);
        // Dev runs no campaign.
        expect(
            jobs.map((j) => [j.schedule, j.timeZone, j.jobTemplate.spec.template.spec.containers[0].args.at(-1)]).sort(([a], [b]) => a.localeCompare(b)),
        ).toEqual(
            stack === "partner-dev"
                ? []
                : [
                      ["0 0 27 11 *", "Europe/Amsterdam", '--patch={"spec":{"minReplicas":6}}'],
                      ["59 23 30 11 *", "Europe/Amsterdam", '--patch={"spec":{"minReplicas":3}}'],
                  ],
        );
    });
    const prod = stack === "partner-prod";

    test("a restricted namespace with default deny", async () => {
        const ns = await run.one("kubernetes:core/v1:Namespace", "partner");
        expect(ns.plain.metadata.name).toBe(prod ? "partner-prod" : "partner-dev");
        expect(ns.plain.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
        expect(ns.options.protect).toBe(prod);
        const deny = await run.one(NP, "partner-default-deny");
        expect(deny.plain.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    });

    test("one egress policy per partner from configuration, ingress only from the ingress controller", async () => {
        const settings = stackSettings(stack);
        for (const [bank, ranges] of Object.entries(settings.partners)) {
            const policy = await run.one(NP, `partner-gateway-egress-${bank}`);
            expect(policy.plain.spec.egress[0].to.map((t: any) => t.ipBlock.cidr)).toEqual(ranges);
        }
        expect(await run.ofType(NP, "partner-gateway-egress-")).toHaveLength(Object.keys(settings.partners).length + Object.keys(settings.references).length);
        const ingress = await run.one(NP, "partner-gateway-ingress");
        expect(ingress.plain.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }]);
    });

    test("the gateway Deployment and its autoscaler follow the configured sizes", async () => {
        const settings = stackSettings(stack);
        const d = await run.one("kubernetes:apps/v1:Deployment", "partner-gateway");
        const container = d.plain.spec.template.spec.containers[0];
        expect(container.image).toBe(settings.gateway.image);
        expect(container.resources.limits.cpu).toBe(`${settings.gateway.cpuMillicores}m`);
        expect(d.plain.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
        expect(container.env.map((e: any) => e.name).sort()).toEqual(["BACKEND_ENDPOINT", "BANK_CLIENT_KEY", "SERVICE_TOKEN"]);
        const hpa = await run.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "partner-gateway");
        expect([hpa.plain.spec.minReplicas, hpa.plain.spec.maxReplicas]).toEqual([settings.gateway.minCount, settings.gateway.maxCount]);
        // Prod pins its image by digest.
        const pinnedByDigest = expect.stringMatching(/@sha256:[0-9a-f]{64}$/);
        expect(prod ? container.image : undefined).toEqual(prod ? pinnedByDigest : undefined);
    });

    test("stateful resources are protected, and backed up, in prod only", async () => {
        const pvc = await run.one("kubernetes:core/v1:PersistentVolumeClaim", "partner-files");
        expect(pvc.plain.spec.accessModes).toEqual(["ReadWriteMany"]);
        expect(pvc.options.protect).toBe(prod);
        for (const secret of await run.ofType("kubernetes:core/v1:Secret", "partner")) expect(secret.options.protect).toBe(prod);
        expect(await run.ofType("kubernetes:velero.io/v1:Schedule", "partner-files")).toHaveLength(prod ? 1 : 0);
    });

    test("the entry point is TLS with the configured secret in prod", async () => {
        const ingress = await run.one("kubernetes:networking.k8s.io/v1:Ingress", "partner-gateway");
        expect(prod ? ingress.plain.spec.tls[0].secretName : undefined).toBe(prod ? "partner-gateway-tls" : undefined);
        expect(ingress.options.protect).toBe(prod);
    });

    test("nothing is a NodePort or LoadBalancer Service", async () => {
        for (const svc of await run.ofType("kubernetes:core/v1:Service")) expect(svc.plain.spec.type).toBe("ClusterIP");
    });
});

describe("validate", () => {
    const settings = stackSettings("partner-prod");
    const context = { environment: "prod" as const, stackFile: "stacks/Pulumi.partner-prod.yaml", clouds: ["onprem" as const] };
    const fails = (s: typeof settings, c = context) => {
        try {
            partner.validate!(s, c);
        } catch (e) {
            expect((e as ConfigError).name).toBe("ConfigError");
            return (e as Error).message;
        }
        throw new Error("validate did not throw");
    };

    test("the fixtures pass", () => {
        expect(() => partner.validate!(settings, context)).not.toThrow();
        expect(() => partner.validate!(stackSettings("partner-dev"), { ...context, environment: "dev" })).not.toThrow();
    });

    test("placement outside the private cloud", () => {
        expect(fails(settings, { ...context, clouds: ["aws"] as any })).toBe(
            'Invalid configuration in stacks/Pulumi.partner-prod.yaml:\n  multicloud:clouds = ["aws"]: partner connections never leave the private cloud; valid: ["onprem"]',
        );
    });

    test("sizes out of order", () => {
        expect(fails({ ...settings, gateway: { ...settings.gateway, desiredCount: 10 } })).toBe(
            "Invalid configuration in stacks/Pulumi.partner-prod.yaml:\n  multicloud:gateway.desiredCount = 10: must lie between multicloud:gateway.minCount (3) and multicloud:gateway.maxCount (9)",
        );
    });

    test("a tag in prod", () => {
        expect(fails({ ...settings, gateway: { ...settings.gateway, image: "registry/partner/gateway:2.14.1" } })).toBe(
            'Invalid configuration in stacks/Pulumi.partner-prod.yaml:\n  multicloud:gateway.image = "registry/partner/gateway:2.14.1": prod images must be pinned by digest, e.g. registry/partner/gateway@sha256:<64 hex>',
        );
    });

    test("no TLS secret in prod", () => {
        expect(fails({ ...settings, loadBalancer: { certificates: {}, healthCheckPath: "/healthz" } })).toBe(
            "Invalid configuration in stacks/Pulumi.partner-prod.yaml:\n  multicloud:loadBalancer.certificates.onprem = (missing): the workload runs on onprem; " +
                "set the name of a kubernetes.io/tls Secret in the workload's namespace.",
        );
    });

    test("tenancy sizes out of order", () => {
        expect(fails({ ...settings, cluster: { minNodes: 5, maxNodes: 2 } })).toBe(
            'Invalid configuration in stacks/Pulumi.partner-prod.yaml:\n  multicloud:cluster = {"minNodes":5,"maxNodes":2}: needs minNodes <= maxNodes',
        );
    });

    test("a partner range that is the whole internet", () => {
        expect(fails({ ...settings, partners: { "bank-open": ["0.0.0.0/0"] } })).toBe(
            'Invalid configuration in stacks/Pulumi.partner-prod.yaml:\n  multicloud:partners.bank-open = ["0.0.0.0/0"]: 0.0.0.0/0 is the whole internet; list the bank\'s own ranges',
        );
    });
});

describe("build-time checks", () => {
    const settings = stackSettings("partner-dev");
    const base = {
        workload: "partner" as const,
        environment: "dev" as const,
        cloud: "onprem" as const,
        prefix: "chk",
        stackFile: "stacks/Pulumi.partner-dev.yaml",
        network: workloadNetwork("partner", "dev", "onprem", undefined),
        references: {},
    };
    const secrets = secretOutputs(fixtureSecrets.partner);

    test("a pod larger than the namespace admits", () => {
        const kit = createKit({ environment: "dev", name: "chk-big", region: "onprem" });
        expect(() => partner.build(asContext({ ...base, kit, secrets, settings: { ...settings, gateway: { ...settings.gateway, memoryMiB: 8192 } } }))).toThrow(
            'Invalid configuration in stacks/Pulumi.partner-dev.yaml:\n  multicloud:gateway = {"cpuMillicores":250,"memoryMiB":8192}: a pod on onprem holds at most 2000 millicores and 4096 MiB',
        );
    });

    test("a missing secret", () => {
        const kit = createKit({ environment: "dev", name: "chk-secret", region: "onprem" });
        expect(() => partner.build(asContext({ ...base, kit, secrets: { serviceToken: secrets.serviceToken }, settings }))).toThrow(
            "Invalid configuration in stacks/Pulumi.partner-dev.yaml:\n  multicloud:secrets.bankClientKey = (missing): set it with `pulumi config set --secret --path 'multicloud:secrets.bankClientKey'`",
        );
    });
});
