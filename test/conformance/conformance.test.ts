/**
 * Each contract's expectations, stated once and run against every cloud kit that
 * registers itself as test/conformance/<cloud>.kit.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Address4 } from "ip-address";
import { environments } from "../../components/contracts";
import { useMockRuntime } from "../helpers/pulumi";
import { maskForDisplay } from "pulumi-offline-plan/runtime";
import type { ConformanceKit, RolloutFacts } from "./kit";
import { registeredOptions } from "./registered-options";
import { probeRollout } from "./rollout-probe";
import { contractFields } from "./contract-fields";
import { linkCases } from "./link.case";
import { kitOptionsCases } from "./kit-options.case";
import { ConfigError } from "../../components/core/errors";
import { cloudsWith, type Capability } from "../../components/core/capabilities";
import type { CapacitySchedule, CloudKit, Environment, KitOptions, Rolled, RolloutTarget, SecretHandle } from "../../components/contracts";

const run = useMockRuntime();

/**
 * Where `pulumi up` waits for a rollout's result. An ESS instance refresh only
 * starts when its resource is created, so there the deploy waits, through the
 * rollout target. An Auto Scaling group's wait is for its capacity; its instance
 * refresh, too, is the deploy's to verify.
 */
const awaitedByPulumi: Record<RolloutTarget["kind"], boolean> = {
    "aws-autoscaling-group": true,
    "aws-ecs-service": true,
    "gcp-region-instance-group-manager": true,
    "alicloud-scaling-group": false,
    "kubernetes-deployment": true,
    "kubernetes-statefulset": true,
};

/**
 * Where the cloud undoes a failed rollout by itself (instance refresh auto
 * rollback, the ECS circuit breaker). Everywhere else it is reverted by the
 * deploy, which applies the last good commit again.
 */
const revertedByCloud: Record<RolloutTarget["kind"], boolean> = {
    "aws-autoscaling-group": true,
    "aws-ecs-service": true,
    "gcp-region-instance-group-manager": false,
    "alicloud-scaling-group": false,
    "kubernetes-deployment": false,
    "kubernetes-statefulset": false,
};

const kits: ConformanceKit[] = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith(".kit.ts"))
    .sort()
    // oxlint-disable-next-line typescript/no-require-imports -- a kit registers itself by its file's name, and describe.each needs the list while the file is collected, before any await
    .map((f) => require(path.join(__dirname, f)).default as ConformanceKit);

const vmSpec = (environment: "dev" | "prod") => ({
    environment,
    imageId: "image-pinned-0001",
    size: "small" as const,
    minSize: 2,
    maxSize: 6,
    desiredSize: 3,
    cpuTargetPercent: 60,
    port: 8080,
    healthCheckPath: "/healthz",
});

/** `<contract>.<field>` of every field a case below asserts on every kit. */
const covered = new Set<string>();
const covers = (contract: string, ...fields: string[]) => fields.forEach((field) => covered.add(`${contract}.${field}`));

covers("network", "environment", "cidr", "zoneCount");
covers("vmGroup", "environment", "imageId", "minSize", "maxSize", "desiredSize", "cpuTargetPercent");
covers("loadBalancer", "environment");
covers("sharedStorage", "environment");
covers("secretParameter", "value");

test("at least one kit registers itself", () => {
    expect(kits.length).toBeGreaterThan(0);
});

describe.each(kits.map((k) => [k.cloud, k] as const))("%s kit", (cloud, kit) => {
    let counter = 0;
    const unique = (base: string) => `${cloud}-${base}${++counter}`;
    const facts = async <F>(contract: { facts(r: any, n: string): F | Promise<F> }, name: string) =>
        contract.facts(
            (await run.all()).filter((r) => r.name.startsWith(name)),
            name,
        );

    describe.each(environments)("in %s", (environment) => {
        test("Network: private subnets inside the CIDR, in the zones asked for, NAT egress, traffic logged or denied", async () => {
            const name = unique("net");
            const zoneCount = environment === "prod" ? 3 : 2;
            kit.network.build(name, { environment, cidr: "10.40.0.0/16", zoneCount });
            const f = await facts(kit.network, name);
            expect(f.zoneCount).toBe(zoneCount);
            expect(f.privateSubnetCidrs.length).toBeGreaterThan(0);
            const block = new Address4("10.40.0.0/16");
            for (const cidr of f.privateSubnetCidrs) expect(new Address4(cidr).isInSubnet(block)).toBe(true);
            expect(f.natEgress).toBe(true);
            expect(f.trafficLogsOrDefaultDeny).toBe(true);
        });

        test("VmGroup: immutable image, sizes, CPU target, no public address, the autoscaler owns the count", async () => {
            const name = unique("vms");
            const spec = vmSpec(environment);
            kit.vmGroup.build(name, spec);
            const f = await facts(kit.vmGroup, name);
            expect([f.minSize, f.desiredSize, f.maxSize]).toEqual([2, 3, 6]);
            expect(f.cpuTargetPercent).toBe(60);
            expect(JSON.stringify(f.image)).toContain("image-pinned-0001");
            expect(f.publicAddress).toBe(false);
            expect(f.countOwnedByAutoscaler).toBe(true);
        });

        test("VmGroup: rejects min above max with a message naming both", () => {
            expect(() => kit.vmGroup.build(unique("bad"), { ...vmSpec(environment), minSize: 7 })).toThrow(/minSize.*maxSize/);
        });

        test("ContainerCluster: private nodes, the autoscaler owns its service's count, logs kept", async () => {
            const name = unique("ctr");
            kit.containerCluster.build(name, {
                cluster: { environment, size: "small" as const, minNodes: 2, maxNodes: 4 },
                service: {
                    image: "registry.example.com/app@sha256:" + "a".repeat(64),
                    cpu: 256,
                    memory: 512,
                    port: 8080,
                    desiredCount: 2,
                    minCount: 2,
                    maxCount: 4,
                },
            });
            const f = await facts(kit.containerCluster, name);
            expect(f.nodesHavePublicAddresses).toBe(false);
            expect(f.serviceCountOwnedByAutoscaler).toBe(true);
            expect(f.logsRetained).toBe(true);
        });

        test("LoadBalancer: TLS 1.2+, HTTP only redirects, health checks; protection and access logs in prod", async () => {
            const name = unique("lb");
            kit.loadBalancer.build(name, { environment, certificateId: "cert-offline-0001", targetPort: 8080, healthCheckPath: "/healthz" });
            const f = await facts(kit.loadBalancer, name);
            expect(["1.2", "1.3"]).toContain(f.minTlsVersion);
            expect(f.httpOnlyRedirects).toBe(true);
            expect(f.healthCheck).toBe(true);
            expect(f).toMatchObject(environment === "prod" ? { deletionProtection: true, accessLogs: true } : {});
        });

        test("SharedStorage: encrypted, reachable only from the private network, backed up in prod", async () => {
            const name = unique("fs");
            kit.sharedStorage.build(name, { environment, sizeGib: 1024 });
            const f = await facts(kit.sharedStorage, name);
            expect(f.encryptedAtRest).toBe(true);
            expect(f.reachableFrom.length).toBeGreaterThan(0);
            for (const source of f.reachableFrom) {
                expect(["0.0.0.0/0", "::/0"]).not.toContain(source);
            }
            expect(f).toMatchObject(environment === "prod" ? { backedUp: true } : {});
        });
    });

    describe.each(environments)("wiring in %s", (environment) => {
        const k = () => kit.cloudKit(environment);
        const own = async (name: string) => (await run.all()).filter((r) => r.name === name || r.name.startsWith(`${name}-`));
        const campaign: CapacitySchedule = { name: "sale", start: "2027-11-26T06:00", end: "2027-11-27T06:00", timeZone: "Europe/Amsterdam", minCapacity: 4 };
        const campaignStartUtc = "2027-11-26T05:00";
        const certificate = {
            aws: "arn:aws:acm:eu-west-1:123456789012:certificate/0b1d7f2e-5c1a-4d7e-9a3b-2f6c8e1d4a70",
            gcp: "projects/conformance/global/sslCertificates/conformance",
            alicloud: "14023515-eu-central-1",
            onprem: "conformance-tls",
        }[cloud];
        const base = (name: string) => {
            const network = k().network(`${name}-net`, { environment, cidr: "10.44.0.0/16", zoneCount: environment === "prod" ? 3 : 2 });
            const loadBalancer = k().loadBalancer(`${name}-lb`, {
                environment,
                network,
                certificateId: certificate,
                targetPort: 8080,
                healthCheckPath: "/ready",
            });
            const storage = k().sharedStorage(`${name}-fs`, { environment, network, sizeGib: 1024 });
            const secret = k().secretParameter(`${name}-token`, {
                environment,
                network,
                value: pulumi.secret("wiring-secret-value"),
                description: "conformance token",
            });
            return { network, loadBalancer, storage, secret };
        };
        /** A field the kit cannot honour must be refused with the clouds that can, never dropped. */
        const refusedUnlessCapable = (capability: Capability, build: () => unknown): boolean => {
            if (k().capabilities.includes(capability)) return true;
            expect(build).toThrow(ConfigError);
            expect(build).toThrow(`the kits that can: ${cloudsWith(capability).join(", ")}`);
            return false;
        };

        covers("loadBalancer", "certificateId", "targetPort", "healthCheckPath", "network");
        covers("sharedStorage", "sizeGib", "network");
        covers("secretParameter", "description", "environment", "network");
        test("SharedStorage, SecretParameter: capacity and description as given", async () => {
            const name = unique("base");
            base(name);
            const resources = await own(name);
            const capacity = kit.wiring.storageCapacityGib(resources, `${name}-fs`);
            // A kit whose storage has no capacity to set reads none.
            expect([undefined, 1024]).toContain(capacity);
            expect(kit.wiring.secretDescription(resources, `${name}-token`)).toContain("conformance token");
            for (const r of resources) expect(JSON.stringify(maskForDisplay(r.inputs))).not.toContain("wiring-secret-value");
        });

        covers("network", "secondaryRanges");
        test("Network: the address plan's ranges for pods and services, where the cloud needs them", async () => {
            const name = unique("ranges");
            const secondaryRanges = { pods: "10.45.0.0/17", services: "10.45.128.0/20" };
            k().network(name, { environment, cidr: "10.44.0.0/16", zoneCount: 2, secondaryRanges });
            const ranges = kit.wiring.secondaryRanges(await own(name), name);
            // None where the cloud needs none; otherwise exactly the two asked for.
            expect([[], [secondaryRanges.pods, secondaryRanges.services].sort()]).toContainEqual(ranges.toSorted());
        });

        covers("vmGroup", "size", "port", "healthCheckPath", "schedules", "network", "loadBalancer", "storage", "secrets");
        test("VmGroup: the size's type, health check, campaign minimum, and the load balancer, storage and secrets it names", async () => {
            const name = unique("vmw");
            const { network, loadBalancer, storage, secret } = base(name);
            const spec = {
                environment,
                imageId: "image-pinned-0001",
                size: "medium" as const,
                minSize: 2,
                maxSize: 6,
                desiredSize: 2,
                cpuTargetPercent: 60,
                port: 8080,
                healthCheckPath: "/ready",
                schedules: [campaign],
                network,
            };
            const wired = {
                loadBalancer: refusedUnlessCapable("vmGroup.loadBalancer", () => k().vmGroup(`${name}-lbonly`, { ...spec, loadBalancer })),
                storage: refusedUnlessCapable("vmGroup.storage", () => k().vmGroup(`${name}-fsonly`, { ...spec, storage })),
                secrets: refusedUnlessCapable("vmGroup.secrets", () => k().vmGroup(`${name}-seconly`, { ...spec, secrets: [secret] })),
            };
            k().vmGroup(`${name}-vms`, {
                ...spec,
                imageId: kit.cloud === "onprem" ? "registry.example.internal/conformance/vm@sha256:" + "e".repeat(64) : spec.imageId,
                loadBalancer: wired.loadBalancer ? loadBalancer : undefined,
                storage: wired.storage ? storage : undefined,
                secrets: wired.secrets ? [secret] : undefined,
            });
            const f = await kit.wiring.vmGroup(await own(name), `${name}-vms`);
            // A group with no instance type runs pods, and its kit's size table says so.
            expect(f.instanceType ?? "pod").toBe(k().instanceTypeOf("medium"));
            expect(f.healthCheck.path).toBe("/ready");
            expect([undefined, 8080]).toContain(f.healthCheck.port);
            expect(f.scheduledMinimums).toContainEqual({ minCapacity: 4, startsAtUtc: campaignStartUtc });
            expect(f.behindLoadBalancer).toBe(wired.loadBalancer);
            expect(f.mountsSharedStorage).toBe(wired.storage);
            expect(f.readsSecrets).toBe(wired.secrets);
        });

        covers("containerCluster", "environment", "size", "minNodes", "maxNodes", "network");
        covers(
            "containerService",
            "environment",
            "cluster",
            "network",
            "image",
            "cpu",
            "memory",
            "port",
            "desiredCount",
            "minCount",
            "maxCount",
            "variables",
            "secretRefs",
            "storage",
            "loadBalancer",
            "paths",
            "egressAllowCidrs",
            "schedules",
        );
        test("ContainerService: sizes in neutral units, variables, secret values, storage, path routes, egress and campaigns, each honoured or refused", async () => {
            const name = unique("svcw");
            const { network, loadBalancer, storage, secret } = base(name);
            const cluster = k().containerCluster(`${name}-cluster`, { environment, network, size: "medium", minNodes: 1, maxNodes: 3 });
            const service = {
                environment,
                cluster,
                network,
                image: "registry.example.com/app@sha256:" + "b".repeat(64),
                cpu: 500,
                memory: 1024,
                port: 8080,
                desiredCount: 2,
                minCount: 2,
                maxCount: 5,
            };
            const optional = {
                variables: { GREETING: "hello" },
                secretRefs: { TOKEN: secret } as Record<string, SecretHandle>,
                storage,
                loadBalancer,
                egressAllowCidrs: { bank: ["192.0.2.0/24"] },
                schedules: [campaign],
            } as const;
            const honoured = Object.fromEntries(
                (Object.keys(optional) as (keyof typeof optional)[]).map((field) => [
                    field,
                    refusedUnlessCapable(`containerService.${field}`, () =>
                        k().containerService(`${name}-only-${field}`, { ...service, [field]: optional[field] }),
                    ),
                ]),
            ) as Record<keyof typeof optional, boolean>;
            const routes =
                honoured.loadBalancer &&
                refusedUnlessCapable("containerService.paths", () =>
                    k().containerService(`${name}-only-paths`, { ...service, loadBalancer, paths: ["/only/*"] }),
                );
            const set = Object.fromEntries(Object.entries(optional).filter(([field]) => honoured[field as keyof typeof optional]));
            k().containerService(`${name}-api`, { ...service, ...set, paths: routes ? ["/api/*"] : undefined });
            if (routes) k().containerService(`${name}-web`, { ...service, loadBalancer, image: "registry.example.com/web@sha256:" + "c".repeat(64) });

            const resources = await own(name);
            const c = await kit.wiring.cluster(resources, `${name}-cluster`);
            expect([undefined, k().instanceTypeOf("medium")]).toContain(c.instanceType);
            expect([undefined, 1]).toContain(c.minNodes);
            expect(c.maxNodes).toBe(3);
            const lb = honoured.loadBalancer ? kit.wiring.loadBalancer(resources, `${name}-lb`) : undefined;
            expect(
                lb && {
                    certified: lb.certificates.some((c) => c.includes(certificate)),
                    healthCheckPath: lb.healthCheckPath,
                    targetPort: lb.targetPort ?? 8080,
                },
            ).toEqual(honoured.loadBalancer ? { certified: true, healthCheckPath: "/ready", targetPort: 8080 } : undefined);

            const api = await kit.wiring.containerService(resources, `${name}-api`);
            expect(api.image).toBe(service.image);
            expect([api.cpuMillicores, api.memoryMiB, api.port]).toEqual([500, 1024, 8080]);
            expect(api.counts).toEqual({ desired: 2, min: 2, max: 5 });
            expect(api.countOwnedByAutoscaler).toBe(true);
            expect(api.variables.GREETING).toBe(honoured.variables ? "hello" : undefined);
            expect(api.secretValues).toEqual(honoured.secretRefs ? { TOKEN: "wiring-secret-value" } : {});
            expect(api.storageMounted).toBe(honoured.storage);
            const egress = expect.arrayContaining(["192.0.2.0/24"]);
            const campaignMinimum = expect.arrayContaining([{ minCapacity: 4, startsAtUtc: campaignStartUtc }]);
            expect(honoured.egressAllowCidrs ? api.egressRanges : undefined).toEqual(honoured.egressAllowCidrs ? egress : undefined);
            expect(honoured.schedules ? api.scheduledMinimums : undefined).toEqual(honoured.schedules ? campaignMinimum : undefined);
            const web = routes ? await kit.wiring.containerService(resources, `${name}-web`) : undefined;
            expect({ api: honoured.loadBalancer ? api.routedPaths : undefined, web: web?.routedPaths }).toEqual(
                routes ? { api: ["/api/*"], web: ["*"] } : { api: honoured.loadBalancer ? ["*"] : undefined, web: undefined },
            );
            for (const r of resources) expect(JSON.stringify(maskForDisplay(r.inputs))).not.toContain("wiring-secret-value");
        });

        covers(
            "converterGroup",
            "environment",
            "cluster",
            "replicas",
            "image",
            "consumerGroup",
            "sourceEndpoint",
            "targetEndpoint",
            "credentials",
            "metricsPort",
            "limits",
            "lagAlerts",
            "alertRuleLabels",
            "zoneCount",
            "variables",
        );
        test("ConverterGroup: one member per replica, the two endpoints only, credentials from a secret; refused where the kit has none", async () => {
            const name = unique("cdc");
            const network = k().network(`${name}-net`, { environment, cidr: "10.46.0.0/16", zoneCount: 2 });
            const cluster = k().containerCluster(`${name}-cluster`, { environment, network, size: "medium", minNodes: 1, maxNodes: 3 });
            const spec = {
                environment,
                cluster,
                replicas: 3,
                image: "registry.example.com/cdc@sha256:" + "d".repeat(64),
                consumerGroup: "conformance-cdc",
                sourceEndpoint: "orders.internal:5432",
                targetEndpoint: "events.internal:9092",
                credentials: pulumi.secret("converter-credentials-value"),
                metricsPort: 9404,
                limits: { bytes: "5mb", concurrency: 4 },
                lagAlerts: { metrics: { endToEnd: "cdc_e2e_seconds" }, thresholdSeconds: { endToEnd: 120 }, forMinutes: 5 },
                alertRuleLabels: { release: "prometheus" },
                zoneCount: 3,
                variables: { PROTOCOL_FORMAT: "avro-v2" },
            };
            if (!refusedUnlessCapable("kit.converterGroup", () => k().converterGroup!(`${name}-members`, spec))) return;
            k().converterGroup!(`${name}-members`, spec);
            const resources = await own(name);
            const f = await kit.wiring.converterGroup!(resources, `${name}-members`);
            expect(f).toMatchObject({
                replicas: 3,
                image: spec.image,
                consumerGroup: "conformance-cdc",
                egressPorts: [5432, 9092],
                credentialsFromSecret: true,
                metricsPort: 9404,
            });
            // Each member's file in the converter's shape: the limits given, the safe defaults for the rest.
            expect(f.memberFile).toEqual({
                group: {
                    name: "conformance-cdc",
                    membership: { memberNumber: 1, totalMembers: 3 },
                    limit: { bytes: "5mb", actions: 1000, timeout: "1m", concurrency: 4 },
                },
                dcp: { sourceConfig: { flowControlBuffer: "16mb" } },
            });
            expect(f.lagAlerts).toHaveLength(3);
            expect(f.lagAlerts).toContainEqual({ expr: expect.stringMatching(/^max\(cdc_e2e_seconds\{namespace=".+"\}\) > 120$/), for: "5m" });
            expect(f.alertRuleLabels).toMatchObject({ release: "prometheus" });
            expect(f.zoneSpread).toBe(3);
            expect(f.variables).toEqual({ PROTOCOL_FORMAT: "avro-v2" });
            for (const r of resources) expect(JSON.stringify(maskForDisplay(r.inputs))).not.toContain("converter-credentials-value");
        });
    });

    describe("rollout", () => {
        const own = async (name: string) => (await run.all()).filter((r) => r.name === name || r.name.startsWith(`${name}-`));
        /** Everything but the environment is the same in dev and prod, so any difference in a rollout comes from the environment. */
        const groups: {
            group: string;
            contract: string;
            promises: string;
            promisesCapacity: boolean;
            build: (k: CloudKit, environment: Environment, name: string, opts: KitOptions) => Rolled | undefined;
        }[] = [
            {
                group: "vmGroup",
                contract: "VmGroup",
                promises: "waited for, keeps capacity, reverted by the cloud or the deploy",
                promisesCapacity: true,
                build: (k, environment, name, opts) => {
                    const network = k.network(`${name}-net`, { environment, cidr: "10.47.0.0/16", zoneCount: 3 });
                    const imageId = cloud === "onprem" ? "registry.example.internal/conformance/vm@sha256:" + "f".repeat(64) : "image-pinned-0001";
                    return k.vmGroup(`${name}-group`, { ...vmSpec(environment), imageId, network }, opts);
                },
            },
            {
                group: "containerService",
                contract: "ContainerService",
                promises: "waited for, keeps capacity, reverted by the cloud or the deploy",
                promisesCapacity: true,
                build: (k, environment, name, opts) => {
                    const network = k.network(`${name}-net`, { environment, cidr: "10.47.0.0/16", zoneCount: 3 });
                    const cluster = k.containerCluster(`${name}-cluster`, { environment, network, size: "small", minNodes: 2, maxNodes: 4 });
                    const service = {
                        image: "registry.example.com/app@sha256:" + "a".repeat(64),
                        cpu: 256,
                        memory: 512,
                        port: 8080,
                        desiredCount: 2,
                        minCount: 2,
                        maxCount: 4,
                    };
                    return k.containerService(`${name}-group`, { ...service, environment, cluster, network }, opts);
                },
            },
            {
                group: "converterGroup",
                contract: "ConverterGroup",
                // Its contract promises no capacity during a rollout: a StatefulSet replaces a member before starting the next.
                promises: "waited for, reverted by the deploy",
                promisesCapacity: false,
                build: (k, environment, name, opts) => {
                    if (!k.capabilities.includes("kit.converterGroup")) return undefined;
                    const network = k.network(`${name}-net`, { environment, cidr: "10.47.0.0/16", zoneCount: 3 });
                    const cluster = k.containerCluster(`${name}-cluster`, { environment, network, size: "small", minNodes: 2, maxNodes: 4 });
                    const spec = {
                        replicas: 3,
                        image: "registry.example.com/cdc@sha256:" + "d".repeat(64),
                        consumerGroup: "conformance-cdc",
                        sourceEndpoint: "orders.internal:5432",
                        targetEndpoint: "events.internal:9092",
                        credentials: pulumi.secret("converter-credentials-value"),
                        metricsPort: 9404,
                    };
                    return k.converterGroup!(`${name}-group`, { ...spec, environment, cluster }, opts);
                },
            },
        ];

        test.each(groups)(
            "$contract rollout: $promises, the same in dev and prod; `rollout` names its raw resource",
            async ({ group, promisesCapacity, build }) => {
                const reader = group as keyof typeof kit.rollout;
                const seen: Partial<Record<Environment, RolloutFacts>> = {};
                for (const environment of environments) {
                    const name = unique(`roll-${group.toLowerCase()}-${environment}-`);
                    const options = registeredOptions();
                    const parent = new pulumi.ComponentResource("conformance:rollout:Case", name, {}, { transformations: options.transformations });
                    const handle = build(kit.cloudKit(environment), environment, name, { parent });
                    // A kit that builds no such group has no reader for it either.
                    expect(typeof kit.rollout[reader]).toBe(handle ? "function" : "undefined");
                    if (!handle) return;
                    const resources = await own(name);
                    const facts = kit.rollout[reader]!(resources, `${name}-group`, options);
                    const { target, sources } = await probeRollout(run, name, handle.rollout);

                    expect(target).toMatchObject(facts.target);
                    // Taken from the raw resource's own outputs: it depends on that resource, and on no resource outside the group.
                    expect(sources).toContain(facts.resource.urn);
                    for (const source of sources) expect(resources.map((r) => r.urn)).toContain(source);

                    expect(facts.pulumiWaits).toBe(awaitedByPulumi[target.kind]);
                    expect(facts.cloudReverts).toBe(revertedByCloud[target.kind]);
                    expect(facts).toMatchObject(promisesCapacity ? { keepsCapacity: true } : {});
                    seen[environment] = facts;
                }
                const [dev, prod] = [seen.dev!.settings, seen.prod!.settings];
                expect(Object.keys(dev).sort()).toEqual(Object.keys(prod).sort());
                expect(Object.keys(dev).length).toBeGreaterThan(0);
                for (const field of Object.keys(dev)) expect({ field, value: dev[field] }).toEqual({ field, value: prod[field] });
            },
        );
    });

    test("SecretParameter: the value only ever travels as a secret", async () => {
        const name = unique("sec");
        const plaintext = "conformance-plaintext-value";
        kit.secretParameter.build(name, { value: pulumi.secret(plaintext) });
        const created = (await run.all()).filter((r) => r.name.startsWith(name));
        const carriers = created.filter((r) => JSON.stringify(r.plain).includes(plaintext));
        expect(carriers.length).toBeGreaterThan(0);
        for (const r of created) expect(JSON.stringify(maskForDisplay(r.inputs))).not.toContain(plaintext);
    });
});

linkCases(kits, run, covers);
kitOptionsCases(kits, run);

test("every field of every contract has a conformance case", () => {
    const fields = Object.entries(contractFields()).flatMap(([contract, names]) => names.map((field) => `${contract}.${field}`));
    expect(fields.filter((field) => !covered.has(field))).toEqual([]);
    expect([...covered].filter((field) => !fields.includes(field))).toEqual([]);
});
