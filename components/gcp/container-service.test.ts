import { useMockRuntime } from "../../test/helpers/pulumi";
import { ContainerService, type ContainerServiceArgs } from "./container-service";

const run = useMockRuntime();

const args = (overrides: Partial<ContainerServiceArgs> = {}): ContainerServiceArgs => ({
    image: "registry.example.com/app@sha256:" + "a".repeat(64),
    cpu: 512,
    memory: 1024,
    port: 8080,
    desiredCount: 2,
    minCount: 2,
    maxCount: 4,
    ingressCidrs: ["10.20.0.0/20"],
    ...overrides,
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

test("its namespace denies by default; egress only to DNS and the allow-lists", async () => {
    new ContainerService("s2", args({ egressAllowCidrs: { bank: ["192.0.2.0/24"] } }));
    const policies = await run.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy", "s2");
    expect(policies.find((p) => p.name === "s2-default-deny")?.plain.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const allow = policies.find((p) => p.name === "s2-allow")!;
    expect(allow.plain.spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: "192.0.2.0/24" } }] });
    expect(allow.plain.spec.ingress[0].from).toEqual([{ ipBlock: { cidr: "10.20.0.0/20" } }]);
});

test("plain variables and secret references reach the container", async () => {
    new ContainerService("s3", args({ variables: { MODE: "batch" }, secretReferences: { TOKEN: "projects/p/secrets/token" } }));
    const container = (await run.one("kubernetes:apps/v1:Deployment", "s3")).plain.spec.template.spec.containers[0];
    expect(container.env).toEqual([
        { name: "MODE", value: "batch" },
        { name: "TOKEN_SECRET_NAME", value: "projects/p/secrets/token" },
    ]);
});

test("rejects counts out of order", () => {
    expect(() => new ContainerService("bad", args({ minCount: 3 }))).toThrow(
        "ContainerService: `minCount` <= `desiredCount` <= `maxCount` with minCount >= 1 is required, got 3, 2, 4.",
    );
});

test("rejects zero CPU", () => {
    expect(() => new ContainerService("bad", args({ cpu: 0 }))).toThrow("ContainerService: `cpu` (millicores) and `memory` (MiB) must be above 0, got 0 and 1024.");
});

test("a campaign raises the HPA's minimum with the Kubernetes kit's CronJob pair, in the campaign's time zone", async () => {
    const sale = { name: "sale", start: "2026-11-27T00:00", end: "2026-11-30T23:59", timeZone: "Europe/Amsterdam", minCapacity: 4 };
    new ContainerService("scamp", args({ schedules: [sale] }));
    const jobs = (await run.ofType("kubernetes:batch/v1:CronJob", "scamp")).map((j) => j.plain.spec);
    expect(jobs.map((j) => [j.schedule, j.timeZone]).sort()).toEqual([
        ["0 0 27 11 *", "Europe/Amsterdam"],
        ["59 23 30 11 *", "Europe/Amsterdam"],
    ]);
    const patches = jobs.map((j) => j.jobTemplate.spec.template.spec.containers[0].args.at(-1)).sort();
    expect(patches).toEqual(['--patch={"spec":{"minReplicas":2}}', '--patch={"spec":{"minReplicas":4}}']);
});
