import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { registeredOptions } from "../../test/conformance/registered-options";
import { probeRollout } from "../../test/conformance/rollout-probe";
import { maskForDisplay } from "pulumi-offline-plan/runtime";
import { ContainerService, type ContainerServiceArgs } from "./container-service";
import { LoadBalancer } from "./load-balancer";

const run = useMockRuntime();

const args = (changes: Partial<ContainerServiceArgs> = {}): ContainerServiceArgs => ({
    image: "registry.example.com/app@sha256:" + "a".repeat(64),
    cpu: 512,
    memory: 1024,
    port: 8080,
    desiredCount: 2,
    minCount: 2,
    maxCount: 4,
    ingressCidrs: ["10.20.0.0/20"],
    ...changes,
});

test("the shared workload module: rollout keeps every replica and stops on failure, CPU in millicores, a disruption budget, hardened pods", async () => {
    new ContainerService("s1", args());
    const deployment = await run.one("kubernetes:apps/v1:Deployment", "s1");
    expect(deployment.plain.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(deployment.plain.spec.progressDeadlineSeconds).toBe(600);
    const container = deployment.plain.spec.template.spec.containers[0];
    expect(container.resources.requests).toEqual({ cpu: "512m", memory: "1024Mi" });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(container.livenessProbe).toBeDefined();
    expect((await run.one("kubernetes:policy/v1:PodDisruptionBudget", "s1")).plain.spec.maxUnavailable).toBe(1);
    expect(deployment.options.ignoreChanges).toEqual(["spec.replicas"]);
    const hpa = await run.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "s1");
    expect(hpa.plain.spec).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
});

describe.each(["dev", "prod"] as const)("rollout in %s", (environment) => {
    test("the workload module's rollout: one pod more, none unavailable, a progress deadline, awaited for at most 20 minutes", async () => {
        const options = registeredOptions();
        new ContainerService(`sroll-${environment}`, args({ environment }), { transformations: options.transformations });
        const deployment = await run.one("kubernetes:apps/v1:Deployment", `sroll-${environment}`);
        expect(deployment.plain.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
        expect(deployment.plain.spec.progressDeadlineSeconds).toBe(600);
        expect(deployment.plain.metadata.annotations?.["pulumi.com/skipAwait"]).toBeUndefined();
        expect(options.of("kubernetes:apps/v1:Deployment", `sroll-${environment}-deployment`).customTimeouts).toEqual({ create: "20m", update: "20m" });
    });

    test("the rollout target is the workload's Deployment", async () => {
        const service = new ContainerService(`starget-${environment}`, args({ environment }));
        const deployment = await run.one("kubernetes:apps/v1:Deployment", `starget-${environment}`);
        const { target, sources } = await probeRollout(run, `starget-${environment}`, service.rollout);
        expect(target).toEqual({ kind: "kubernetes-deployment", namespace: `starget-${environment}`, name: `starget-${environment}-deployment` });
        expect(sources).toEqual([deployment.urn]);
    });
});

test("its namespace denies by default; egress only to DNS and the allow-lists", async () => {
    new ContainerService("s2", args({ egressAllowCidrs: { bank: ["192.0.2.0/24"] } }));
    const policies = await run.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy", "s2");
    expect(policies.find((p) => p.name === "s2-default-deny")?.plain.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const allow = policies.find((p) => p.name === "s2-allow")!;
    expect(allow.plain.spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: "192.0.2.0/24" } }] });
    expect(allow.plain.spec.ingress[0].from).toEqual([{ ipBlock: { cidr: "10.20.0.0/20" } }]);
});

test("plain variables reach the container; secrets as values from a Kubernetes Secret, never as plain text", async () => {
    const plaintext = "s4-token-plaintext";
    new ContainerService("s3", args({ variables: { MODE: "batch" }, secretValues: { TOKEN: pulumi.secret(plaintext) } }));
    const container = (await run.one("kubernetes:apps/v1:Deployment", "s3")).plain.spec.template.spec.containers[0];
    expect(container.env).toEqual([
        { name: "MODE", value: "batch" },
        { name: "TOKEN", valueFrom: { secretKeyRef: { name: "s3-secrets", key: "TOKEN" } } },
    ]);
    const secret = await run.one("kubernetes:core/v1:Secret", "s3");
    expect(secret.plain.metadata).toMatchObject({ name: "s3-secrets", namespace: "s3" });
    expect(secret.plain.stringData).toEqual({ TOKEN: plaintext });
    expect(secret.hasSecretInput).toBe(true);
    const created = (await run.all()).filter((r) => r.name.startsWith("s3"));
    expect(created.length).toBeGreaterThan(5);
    for (const r of created) expect(JSON.stringify(maskForDisplay(r.inputs))).not.toContain(plaintext);
    expect(JSON.stringify(container)).not.toContain("SECRET_NAME");
});

test("a Filestore share is mounted through a Retain PersistentVolume bound to the pods' claim, both protected in prod", async () => {
    new ContainerService("s4", args({ sharedFiles: { host: "10.9.0.2", share: "shared", capacityGib: 1024 } }));
    new ContainerService("s4prod", args({ environment: "prod", sharedFiles: { host: "10.9.0.2", share: "shared", capacityGib: 1024 } }));
    const volume = await run.one("kubernetes:core/v1:PersistentVolume", "s4-");
    expect(volume.options.protect).toBe(false);
    expect((await run.one("kubernetes:core/v1:PersistentVolume", "s4prod")).options.protect).toBe(true);
    expect((await run.one("kubernetes:core/v1:PersistentVolumeClaim", "s4prod")).options.protect).toBe(true);
    expect(volume.plain.spec).toMatchObject({
        capacity: { storage: "1024Gi" },
        accessModes: ["ReadWriteMany"],
        persistentVolumeReclaimPolicy: "Retain",
        storageClassName: "",
        nfs: { server: "10.9.0.2", path: "/shared" },
    });
    const claim = await run.one("kubernetes:core/v1:PersistentVolumeClaim", "s4-");
    expect(claim.plain.metadata.namespace).toBe("s4");
    expect(claim.plain.spec).toMatchObject({
        accessModes: ["ReadWriteMany"],
        storageClassName: "",
        volumeName: "s4-files",
        resources: { requests: { storage: "1024Gi" } },
    });
    const pod = (await run.one("kubernetes:apps/v1:Deployment", "s4-")).plain.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: "shared", persistentVolumeClaim: { claimName: "shared-files" } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "shared", mountPath: "/mnt/shared" });
});

describe("routed through the load balancer", () => {
    const routed = (name: string, paths?: string[]) => {
        const loadBalancer = new LoadBalancer(`${name}-lb`, {
            environment: "dev",
            certificateId: "projects/p/global/sslCertificates/c",
            targetPort: 8080,
            healthCheckPath: "/ready",
        });
        new ContainerService(
            name,
            args({
                route: {
                    loadBalancer,
                    paths,
                    project: "shop",
                    zones: ["europe-west1-b", "europe-west1-c"],
                    networkId: "projects/shop/global/networks/vpc",
                    nodeServiceAccountEmail: "nodes@shop.iam.gserviceaccount.com",
                },
            }),
        );
    };

    test("the Service asks GKE for a standalone NEG on its port; the backend service lists it in every node zone", async () => {
        routed("s5", ["/api/*"]);
        const service = await run.one("kubernetes:core/v1:Service", "s5");
        expect(JSON.parse(service.plain.metadata.annotations["cloud.google.com/neg"])).toEqual({ exposed_ports: { "8080": { name: "s5-neg" } } });
        expect(service.plain.spec.ports).toEqual([{ name: "http", port: 8080, targetPort: 8080 }]);
        const backend = await run.one("gcp:compute/backendService:BackendService", "s5-lb-s5");
        expect(backend.plain.backends).toEqual(
            ["europe-west1-b", "europe-west1-c"].map((zone) => ({
                group: `https://www.googleapis.com/compute/v1/projects/shop/zones/${zone}/networkEndpointGroups/s5-neg`,
                balancingMode: "RATE",
                maxRatePerEndpoint: 100,
            })),
        );
        expect(backend.options.dependsOn).toContainEqual(expect.stringContaining("s5-service"));
        const health = await run.one("gcp:compute/healthCheck:HealthCheck", "s5-lb-s5");
        expect(health.plain.httpHealthCheck).toEqual({ portSpecification: "USE_SERVING_PORT", requestPath: "/ready" });
        const map = await run.one("gcp:compute/uRLMap:URLMap", "s5-lb-https");
        expect(map.plain.pathMatchers[0].pathRules).toEqual([{ paths: ["/api/*"], service: expect.stringContaining("s5-lb-s5") }]);
    });

    test("Google's health-check and proxy ranges reach the service port only: a firewall rule and a NetworkPolicy", async () => {
        routed("s6");
        const firewall = await run.one("gcp:compute/firewall:Firewall", "s6");
        expect(firewall.plain).toMatchObject({
            direction: "INGRESS",
            sourceRanges: ["35.191.0.0/16", "130.211.0.0/22"],
            allows: [{ protocol: "tcp", ports: ["8080"] }],
            targetServiceAccounts: ["nodes@shop.iam.gserviceaccount.com"],
        });
        const ingress = (await run.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy", "s6")).find((p) => p.name === "s6-ingress")!;
        expect(ingress.plain.spec.ingress).toEqual([
            { from: [{ ipBlock: { cidr: "35.191.0.0/16" } }, { ipBlock: { cidr: "130.211.0.0/22" } }], ports: [{ protocol: "TCP", port: 8080 }] },
        ]);
    });

    test("an unrouted service has no NEG annotation, no firewall rule and no Google ranges", async () => {
        new ContainerService("s7", args());
        expect((await run.one("kubernetes:core/v1:Service", "s7")).plain.metadata.annotations).toBeUndefined();
        expect(await run.ofType("gcp:compute/firewall:Firewall", "s7")).toEqual([]);
        expect((await run.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy", "s7")).map((p) => p.name)).not.toContain("s7-ingress");
    });
});

test("rejects counts out of order", () => {
    expect(() => new ContainerService("bad", args({ minCount: 3 }))).toThrow(
        "ContainerService: `desiredCount` (2) must lie between `minCount` (3) and `maxCount` (4).",
    );
});

test("rejects zero CPU", () => {
    expect(() => new ContainerService("bad", args({ cpu: 0 }))).toThrow(
        "ContainerService: `cpu` (millicores) and `memory` (MiB) must be above 0, got 0 and 1024.",
    );
});

test("a campaign raises the HPA's minimum with the Kubernetes kit's CronJob pair, in the campaign's time zone", async () => {
    const sale = { name: "sale", start: "2026-11-27T00:00", end: "2026-11-30T23:59", timeZone: "Europe/Amsterdam", minCapacity: 4 };
    new ContainerService("scamp", args({ schedules: [sale] }));
    const jobs = (await run.ofType("kubernetes:batch/v1:CronJob", "scamp")).map((j) => j.plain.spec);
    expect(jobs.map((j) => [j.schedule, j.timeZone]).sort(([a], [b]) => a.localeCompare(b))).toEqual([
        ["0 0 27 11 *", "Europe/Amsterdam"],
        ["59 23 30 11 *", "Europe/Amsterdam"],
    ]);
    const patches = jobs.map((j) => j.jobTemplate.spec.template.spec.containers[0].args.at(-1)).sort((a, b) => a.localeCompare(b));
    expect(patches).toEqual(['--patch={"spec":{"minReplicas":2}}', '--patch={"spec":{"minReplicas":4}}']);
});
