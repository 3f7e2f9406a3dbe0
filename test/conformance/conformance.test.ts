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
import { maskForDisplay } from "../../tools/plan/capture";
import type { ConformanceKit } from "./kit";

const run = useMockRuntime();

const kits: ConformanceKit[] = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith(".kit.ts"))
    .sort()
    .map((f) => require(path.join(__dirname, f)).default as ConformanceKit);

const vmSpec = (environment: "dev" | "prod") => ({
    environment,
    imageId: "image-pinned-0001",
    instanceType: "",
    minSize: 2,
    maxSize: 6,
    desiredSize: 3,
    cpuTargetPercent: 60,
    port: 8080,
    healthCheckPath: "/healthz",
});

test("at least one kit registers itself", () => {
    expect(kits.length).toBeGreaterThan(0);
});

describe.each(kits.map((k) => [k.cloud, k] as const))("%s kit", (cloud, kit) => {
    let counter = 0;
    const unique = (base: string) => `${cloud}-${base}${++counter}`;
    const facts = async <F>(contract: { facts(r: any, n: string): F | Promise<F> }, name: string) =>
        contract.facts((await run.all()).filter((r) => r.name.startsWith(name)), name);

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

        test("VmGroup: immutable image, sizes, CPU target, no public address, rollout keeps capacity and rolls back, the autoscaler owns the count", async () => {
            const name = unique("vms");
            const spec = vmSpec(environment);
            kit.vmGroup.build(name, spec);
            const f = await facts(kit.vmGroup, name);
            expect([f.minSize, f.desiredSize, f.maxSize]).toEqual([2, 3, 6]);
            expect(f.cpuTargetPercent).toBe(60);
            expect(JSON.stringify(f.image)).toContain("image-pinned-0001");
            expect(f.publicAddress).toBe(false);
            expect(f.rolloutKeepsCapacity).toBe(true);
            expect(f.rolloutRollsBack).toBe(true);
            expect(f.countOwnedByAutoscaler).toBe(true);
        });

        test("VmGroup: rejects min above max with a message naming both", () => {
            expect(() => kit.vmGroup.build(unique("bad"), { ...vmSpec(environment), minSize: 7 })).toThrow(/minSize.*maxSize/);
        });

        test("ContainerCluster: private nodes, service keeps capacity and rolls back, the autoscaler owns its count, logs kept", async () => {
            const name = unique("ctr");
            kit.containerCluster.build(name, {
                cluster: { environment, instanceType: "", minNodes: 2, maxNodes: 4 },
                service: { image: "registry.example.com/app@sha256:" + "a".repeat(64), cpu: 256, memory: 512, port: 8080, desiredCount: 2, minCount: 2, maxCount: 4 },
            });
            const f = await facts(kit.containerCluster, name);
            expect(f.nodesHavePublicAddresses).toBe(false);
            expect(f.serviceKeepsCapacity).toBe(true);
            expect(f.serviceRollsBack).toBe(true);
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
            if (environment === "prod") {
                expect(f.deletionProtection).toBe(true);
                expect(f.accessLogs).toBe(true);
            }
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
            if (environment === "prod") expect(f.backedUp).toBe(true);
        });
    });

    if (kit.serviceWiring) {
        const wiring = kit.serviceWiring;
        test.each(environments)(
            "ContainerService wiring in %s: paths routed to the service, the rest to the catch-all, health-checked; storage mounted; the secret's value injected, never in plain text",
            async (environment) => {
                const name = unique("wire");
                const plaintext = "conformance-wiring-plaintext";
                wiring.build(name, { environment, paths: ["/api/*"], port: 8080, secretVariable: "DB_PASSWORD", secretValue: pulumi.secret(plaintext) });
                const f = await facts(wiring, name);
                expect(f.routedPaths).toEqual(["/api/*"]);
                expect(f.catchAllReachesService).toBe(true);
                expect(f.routesHealthChecked).toBe(true);
                expect(f.storageMountPaths.length).toBeGreaterThan(0);
                expect(f.secretVariableValue).toBe(plaintext);
                const created = (await run.all()).filter((r) => r.name.startsWith(name));
                for (const r of created) expect(JSON.stringify(maskForDisplay(r.inputs))).not.toContain(plaintext);
            },
        );
    }

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
