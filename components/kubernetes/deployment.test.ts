import type * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { usePolicyPack } from "../../test/helpers/policy";
import { registeredOptions } from "../../test/conformance/registered-options";
import { probeRollout } from "../../test/conformance/rollout-probe";
import { changesAfterRefresh } from "../../test/helpers/refresh";
import { Deployment, type DeploymentArgs } from "./deployment";

const run = useMockRuntime();
const pack = usePolicyPack();
const digest = "registry.example.internal/app@sha256:" + "b".repeat(64);
const args = (changes: Partial<DeploymentArgs> = {}): DeploymentArgs => ({
    environment: "dev",
    namespace: "team-dev",
    imageId: "registry.example.internal/app:1.2.3",
    minSize: 2,
    maxSize: 6,
    desiredSize: 3,
    cpuTargetPercent: 60,
    port: 8080,
    healthCheckPath: "/healthz",
    ...changes,
});

test("the container runs non-root, read-only, without capabilities, with RuntimeDefault seccomp", async () => {
    new Deployment("secure", args());
    const d = await run.one("kubernetes:apps/v1:Deployment", "secure");
    const pod = d.plain.spec.template.spec;
    const c = pod.containers[0].securityContext;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.seccompProfile.type).toBe("RuntimeDefault");
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(c).toMatchObject({ privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(c.capabilities.drop).toEqual(["ALL"]);
    expect(c.seccompProfile.type).toBe("RuntimeDefault");
    expect(pod.hostNetwork).toBeUndefined();
});

test("requests equal limits, and both probes check the health path", async () => {
    new Deployment("probes", args({ cpuMillicores: 500, memoryMiB: 1024 }));
    const c = (await run.one("kubernetes:apps/v1:Deployment", "probes")).plain.spec.template.spec.containers[0];
    expect(c.resources.requests).toEqual({ cpu: "500m", memory: "1024Mi" });
    expect(c.resources.limits).toEqual(c.resources.requests);
    expect(c.readinessProbe.httpGet).toEqual({ path: "/healthz", port: 8080 });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: 8080 });
});

describe.each(["dev", "prod"] as const)("rollout in %s", (environment) => {
    const spec = () => args({ environment, imageId: digest });

    test("one pod more at a time and none unavailable; a rollout that stops progressing fails after the deadline", async () => {
        new Deployment(`surge-${environment}`, spec());
        const d = await run.one("kubernetes:apps/v1:Deployment", `surge-${environment}`);
        expect(d.plain.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
        expect(d.plain.spec).toMatchObject({ progressDeadlineSeconds: 600, minReadySeconds: 10, revisionHistoryLimit: 10 });
    });

    test("`pulumi up` waits for the rollout, for at most 20 minutes", async () => {
        const options = registeredOptions();
        new Deployment(`awaited-${environment}`, spec(), { transformations: options.transformations });
        const d = await run.one("kubernetes:apps/v1:Deployment", `awaited-${environment}`);
        expect(d.plain.metadata.annotations?.["pulumi.com/skipAwait"]).toBeUndefined();
        expect(options.of("kubernetes:apps/v1:Deployment", `awaited-${environment}-deployment`).customTimeouts).toEqual({ create: "20m", update: "20m" });
    });

    test("the rollout target is the Deployment's namespace and name", async () => {
        const group = new Deployment(`target-${environment}`, spec());
        const d = await run.one("kubernetes:apps/v1:Deployment", `target-${environment}`);
        const { target, sources } = await probeRollout(run, `target-${environment}`, group.rollout);
        expect(target).toEqual({ kind: "kubernetes-deployment", namespace: "team-dev", name: `target-${environment}-deployment` });
        expect(sources).toEqual([d.urn]);
    });
});

test("a transformation that would let `pulumi up` return before the rollout is refused by the pack at preview", async () => {
    const skipAwait: pulumi.ResourceTransformation = ({ type, props, opts }) =>
        type === "kubernetes:apps/v1:Deployment"
            ? { props: { ...props, metadata: { ...props.metadata, annotations: { ...props.metadata?.annotations, "pulumi.com/skipAwait": "true" } } }, opts }
            : undefined;
    new Deployment("skip", args(), { transformations: [skipAwait] });
    const d = await run.one("kubernetes:apps/v1:Deployment", "skip");
    const violations = await pack.judge([{ type: d.type, name: d.name, inputs: d.inputs }]);
    expect(violations.filter((v) => v.policy === "k8s-rollout-awaited").map((v) => v.message.split("\n").pop())).toEqual([
        'The Deployment sets pulumi.com/skipAwait: "true": the update ends before its rollout does.',
    ]);
});

test("the HPA owns the replica count and holds the CPU target", async () => {
    new Deployment("roll", args());
    const d = await run.one("kubernetes:apps/v1:Deployment", "roll");
    expect(d.plain.spec.replicas).toBe(3);
    expect(d.options.ignoreChanges).toContain("spec.replicas");
    const hpa = await run.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "roll");
    expect(hpa.plain.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(hpa.plain.spec.metrics[0].resource.target).toEqual({ type: "Utilization", averageUtilization: 60 });
    const pdb = await run.one("kubernetes:policy/v1:PodDisruptionBudget", "roll");
    expect(pdb.plain.spec.maxUnavailable).toBe(1);
});

test("pods spread over the zones, enforced when there is more than one", async () => {
    new Deployment("zones", args({ zoneCount: 3 }));
    const spread = (await run.one("kubernetes:apps/v1:Deployment", "zones")).plain.spec.template.spec.topologySpreadConstraints[0];
    expect(spread).toMatchObject({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", minDomains: 3 });
});

test("without a zone count (GKE's and ACK's container services) the pods are still held to two zones", async () => {
    new Deployment("twozones", args());
    const spread = (await run.one("kubernetes:apps/v1:Deployment", "twozones")).plain.spec.template.spec.topologySpreadConstraints[0];
    expect(spread).toMatchObject({ whenUnsatisfiable: "DoNotSchedule", minDomains: 2 });
});

test("ingress only from the ingress controller's namespace, egress one policy per named list", async () => {
    new Deployment("net", args({ ingressFromNamespace: "ingress-nginx", egressAllowCidrs: { "bank-a": ["192.0.2.0/24"], "bank-b": ["198.51.100.0/25"] } }));
    const ingress = await run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "net-ingress");
    expect(ingress.plain.spec.ingress).toEqual([
        { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ protocol: "TCP", port: 8080 }] },
    ]);
    const bankA = await run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "net-egress-bank-a");
    expect(bankA.plain.spec.policyTypes).toEqual(["Egress"]);
    expect(bankA.plain.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: "192.0.2.0/24" } }] }]);
    await run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "net-egress-bank-b");
});

test("secrets arrive as secretKeyRef environment variables and the shared claim is mounted", async () => {
    new Deployment(
        "env",
        args({ secretEnv: { TOKEN: { secretName: "token-abc", key: "value" } }, sharedVolume: { claimName: "files", mountPath: "/mnt/shared" } }),
    );
    const pod = (await run.one("kubernetes:apps/v1:Deployment", "env")).plain.spec.template.spec;
    expect(pod.containers[0].env).toEqual([{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "token-abc", key: "value" } } }]);
    expect(pod.volumes).toContainEqual({ name: "shared", persistentVolumeClaim: { claimName: "files" } });
});

test("accepts a digest in prod", async () => {
    new Deployment("digest", args({ environment: "prod", imageId: digest }));
    expect((await run.one("kubernetes:apps/v1:Deployment", "digest")).plain.spec.template.spec.containers[0].image).toBe(digest);
});

test("rejects a tag in prod", () => {
    expect(() => new Deployment("tagprod", args({ environment: "prod" }))).toThrow(
        "Deployment: `imageId` must be pinned by digest (name@sha256:<64 hex>) in prod, got registry.example.internal/app:1.2.3.",
    );
});

test("rejects latest and untagged images", () => {
    expect(() => new Deployment("latest", args({ imageId: "app:latest" }))).toThrow(
        "Deployment: `imageId` must carry a version tag other than latest, or a digest, got app:latest.",
    );
    expect(() => new Deployment("untagged", args({ imageId: "registry:5000/app" }))).toThrow(/version tag other than latest/);
});

test("rejects min above max (the contract's validation)", () => {
    expect(() => new Deployment("minmax", args({ minSize: 7 }))).toThrow("Deployment: `minSize` (7) must not be above `maxSize` (6).");
});

test("rejects minSize 0", () => {
    expect(() => new Deployment("zero", args({ minSize: 0, desiredSize: 0 }))).toThrow(
        "Deployment: `minSize` must be at least 1 on Kubernetes (a HorizontalPodAutoscaler cannot scale to zero), got 0.",
    );
});

test("rejects a missing port", () => {
    expect(() => new Deployment("noport", args({ port: undefined }))).toThrow(
        "Deployment: `port` must be a port number 1-65535 on Kubernetes (the probes need it), got undefined.",
    );
});

test("rejects an egress list open to the internet", () => {
    expect(() => new Deployment("open", args({ egressAllowCidrs: { any: ["0.0.0.0/0"] } }))).toThrow(
        "Deployment: `egressAllowCidrs.any` must hold IPv4 CIDR blocks narrower than the internet (e.g. 192.0.2.0/24), got 0.0.0.0/0.",
    );
});

test("rejects an egress list name that is not a DNS label", () => {
    expect(() => new Deployment("badlist", args({ egressAllowCidrs: { Bank_A: ["192.0.2.0/24"] } }))).toThrow(
        "Deployment: `egressAllowCidrs` list names must be DNS labels (lowercase letters, digits, dashes), got Bank_A.",
    );
});

test("a campaign raises the HPA's minimum through a CronJob pair of the group", async () => {
    const sale = { name: "sale", start: "2026-11-27T00:00", end: "2026-11-30T23:59", timeZone: "Europe/Amsterdam", minCapacity: 5 };
    const group = new Deployment("camp", args({ schedules: [sale] }));
    const jobs = await run.ofType("kubernetes:batch/v1:CronJob", "camp");
    expect(jobs.map((j) => j.plain.spec.schedule).sort((a, b) => a.localeCompare(b))).toEqual(["0 0 27 11 *", "59 23 30 11 *"]);
    const role = await run.one("kubernetes:rbac.authorization.k8s.io/v1:Role", "camp");
    // The HPA is auto-named, so its name is known only once it exists; the role names exactly one object.
    expect(role.plain.rules).toHaveLength(1);
    expect(role.plain.rules[0]).toMatchObject({ resources: ["horizontalpodautoscalers"], verbs: ["patch"] });
    expect(role.plain.rules[0].resourceNames).toHaveLength(1);
    expect(group.campaigns).toBeDefined();
});

describe("a campaign's raised minimum belongs to its CronJob", () => {
    const sale = { name: "sale", start: "2026-11-27T00:00", end: "2026-11-30T23:59", timeZone: "Europe/Amsterdam", minCapacity: 5 };
    const hpa = async (name: string, now: string) => {
        new Deployment(name, args({ schedules: [sale], now: new Date(now) }));
        return run.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", name);
    };

    test("inside the window a refresh that reads the raised minReplicas reports no change, so neither a deploy nor the Operator resets it", async () => {
        const autoscaler = await hpa("hcamp-in", "2026-11-28T12:00:00Z");
        expect(autoscaler.plain.spec.minReplicas).toBe(2);
        expect(changesAfterRefresh(autoscaler, { ...autoscaler.plain, spec: { ...autoscaler.plain.spec, minReplicas: 5 } })).toEqual([]);
        const jobs = await run.ofType("kubernetes:batch/v1:CronJob", "hcamp-in");
        expect(jobs.map((j) => j.plain.spec.suspend)).toEqual([false, false]);
    });

    test("outside every window a minReplicas other than the configured one is drift, and the ended campaign's jobs are suspended", async () => {
        const autoscaler = await hpa("hcamp-out", "2026-12-07T12:00:00Z");
        expect(autoscaler.options.ignoreChanges).toEqual([]);
        expect(changesAfterRefresh(autoscaler, { ...autoscaler.plain, spec: { ...autoscaler.plain.spec, minReplicas: 5 } })).toEqual(["spec.minReplicas"]);
        const jobs = await run.ofType("kubernetes:batch/v1:CronJob", "hcamp-out");
        expect(jobs.map((j) => j.plain.spec.suspend)).toEqual([true, true]);
    });
});
