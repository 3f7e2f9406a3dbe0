import * as pulumi from "@pulumi/pulumi";
import { maskForDisplay } from "pulumi-offline-plan/runtime";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { registeredOptions } from "../../test/conformance/registered-options";
import { probeRollout } from "../../test/conformance/rollout-probe";
import { ContainerService, type ContainerServiceArgs } from "./container-service";

const run = useMockRuntime();

const args: ContainerServiceArgs = {
    image: "registry.example.com/app@sha256:" + "a".repeat(64),
    cpu: 512,
    memory: 1024,
    port: 8080,
    desiredCount: 3,
    minCount: 2,
    maxCount: 6,
    logProject: "ack-logs",
    logRetentionDays: 30,
    ingressCidrs: ["10.30.0.0/20"],
};

describe.each(["dev", "prod"] as const)("rollout in %s", (environment) => {
    test("the workload module's rollout: one pod more, none unavailable, a progress deadline, awaited for at most 20 minutes", async () => {
        const options = registeredOptions();
        new ContainerService(`svc-roll-${environment}`, { ...args, environment }, { transformations: options.transformations });
        const deployment = await run.one("kubernetes:apps/v1:Deployment", `svc-roll-${environment}`);
        expect(deployment.plain.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
        expect(deployment.plain.spec.progressDeadlineSeconds).toBe(600);
        expect(deployment.plain.metadata.annotations?.["pulumi.com/skipAwait"]).toBeUndefined();
        expect(options.of("kubernetes:apps/v1:Deployment", `svc-roll-${environment}-deployment`).customTimeouts).toEqual({ create: "20m", update: "20m" });
    });

    test("the rollout target is the workload's Deployment", async () => {
        const service = new ContainerService(`svc-target-${environment}`, { ...args, environment });
        const deployment = await run.one("kubernetes:apps/v1:Deployment", `svc-target-${environment}`);
        const { target, sources } = await probeRollout(run, `svc-target-${environment}`, service.rollout);
        expect(target).toEqual({ kind: "kubernetes-deployment", namespace: `svc-target-${environment}`, name: `svc-target-${environment}-deployment` });
        expect(sources).toEqual([deployment.urn]);
    });
});

describe("ContainerService", () => {
    test("rolls out with no pod unavailable, fails on no progress, keeps revisions", async () => {
        new ContainerService("svc-rollout", args);
        const deployment = await run.one("kubernetes:apps/v1:Deployment", "svc-rollout");
        expect(deployment.plain.spec).toMatchObject({
            replicas: 3,
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0 } },
            progressDeadlineSeconds: 600,
            revisionHistoryLimit: 10,
        });
    });

    test("requests CPU in millicores, through the shared workload module's hardened pod", async () => {
        new ContainerService("svc-cpu", args);
        const deployment = await run.one("kubernetes:apps/v1:Deployment", "svc-cpu");
        expect(deployment.plain.spec.template.spec.containers[0].resources.requests).toEqual({ cpu: `${args.cpu}m`, memory: "1024Mi" });
        expect(deployment.plain.spec.template.spec.containers[0].securityContext).toMatchObject({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
        });
        expect((await run.one("kubernetes:policy/v1:PodDisruptionBudget", "svc-cpu")).plain.spec.maxUnavailable).toBe(1);
    });

    test("passes plain variables to the container", async () => {
        new ContainerService("svc-env", { ...args, variables: { LOG_LEVEL: "info" } });
        const deployment = await run.one("kubernetes:apps/v1:Deployment", "svc-env");
        expect(deployment.plain.spec.template.spec.containers[0].env).toEqual([{ name: "LOG_LEVEL", value: "info" }]);
    });

    test("a default-deny NetworkPolicy in its namespace, and egress only to DNS and the allow-list", async () => {
        new ContainerService("svc-net", { ...args, egressAllowCidrs: { bank: ["192.0.2.0/24"] } });
        const deny = await run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "svc-net-default-deny");
        expect(deny.plain.metadata.namespace).toBe("svc-net");
        expect(deny.plain.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        const allow = await run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "svc-net-allow");
        expect(allow.plain.spec.egress[1].to).toEqual([{ ipBlock: { cidr: "192.0.2.0/24" } }]);
        expect(allow.plain.spec.ingress[0].from).toEqual([{ ipBlock: { cidr: "10.30.0.0/20" } }]);
    });

    test("autoscales on CPU between the counts, and ships stdout to Log Service with a retention", async () => {
        new ContainerService("svc-hpa", args);
        const hpa = await run.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "svc-hpa");
        expect(hpa.plain.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
        const logs = await run.one("kubernetes:log.alibabacloud.com/v1alpha1:AliyunLogConfig", "svc-hpa");
        expect(logs.plain.spec).toMatchObject({ project: "ack-logs", logstore: "svc-hpa-stdout", lifeCycle: 30 });
    });

    test("rejects counts out of order and a name that is not a DNS label", () => {
        expect(() => new ContainerService("svc-counts", { ...args, minCount: 4 })).toThrow(
            "ContainerService: `desiredCount` (3) must lie between `minCount` (4) and `maxCount` (6).",
        );
        expect(() => new ContainerService("Svc_Bad", args)).toThrow(
            'ContainerService: the name "Svc_Bad" must be a DNS label (lowercase letters, digits and -, at most 63): it names the namespace.',
        );
        expect(() => new ContainerService("svc-cpu0", { ...args, cpu: 0 })).toThrow("ContainerService: `cpu` and `memory` must be above 0, got 0 and 1024.");
    });
});

test("a campaign raises the HPA's minimum with the Kubernetes kit's CronJob pair, patching only that HPA", async () => {
    const singlesDay = { name: "singles-day", start: "2026-11-11T00:00", end: "2026-11-12T00:00", timeZone: "Asia/Shanghai", minCapacity: 5 };
    new ContainerService("svc-camp", { ...args, schedules: [singlesDay] });
    const jobs = (await run.ofType("kubernetes:batch/v1:CronJob", "svc-camp")).map((j) => j.plain.spec);
    expect(jobs.map((j) => [j.schedule, j.timeZone]).sort(([a], [b]) => a.localeCompare(b))).toEqual([
        ["0 0 11 11 *", "Asia/Shanghai"],
        ["0 0 12 11 *", "Asia/Shanghai"],
    ]);
    const role = await run.one("kubernetes:rbac.authorization.k8s.io/v1:Role", "svc-camp");
    const hpa = await run.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "svc-camp");
    expect(role.plain.rules).toEqual([{ apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], resourceNames: [hpa.name], verbs: ["patch"] }]);
});

describe("ContainerService wiring", () => {
    const exposure = { nodePort: 31234, loadBalancerCidrs: ["10.40.0.0/20", "10.40.16.0/20"], healthCheckPath: "/healthz" };

    test("exposed: a NodePort Service on the fixed port selecting the pods, the load balancer's ranges admitted, probes on its health path", async () => {
        new ContainerService("svc-lb", { ...args, exposure });
        const service = await run.one("kubernetes:core/v1:Service", "svc-lb");
        expect(service.plain.metadata).toMatchObject({ name: "svc-lb", namespace: "svc-lb" });
        expect(service.plain.spec).toMatchObject({
            type: "NodePort",
            selector: { app: "svc-lb" },
            externalTrafficPolicy: "Cluster",
            ports: [{ name: "http", protocol: "TCP", port: 8080, targetPort: 8080, nodePort: 31234 }],
        });
        const deployment = await run.one("kubernetes:apps/v1:Deployment", "svc-lb");
        expect(deployment.plain.spec.template.metadata.labels).toMatchObject({ app: "svc-lb" });
        expect(deployment.plain.spec.template.spec.containers[0].readinessProbe.httpGet).toEqual({ path: "/healthz", port: 8080 });
        const ingress = await run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "svc-lb-ingress");
        expect(ingress.plain.spec.ingress).toEqual([
            { from: [{ ipBlock: { cidr: "10.40.0.0/20" } }, { ipBlock: { cidr: "10.40.16.0/20" } }], ports: [{ protocol: "TCP", port: 8080 }] },
        ]);
    });

    test("refuses a node port outside the cluster's NodePort range", () => {
        expect(() => new ContainerService("svc-badport", { ...args, exposure: { ...exposure, nodePort: 8080 } })).toThrow(
            "ContainerService: `exposure.nodePort` must be a port from 30000 to 32767 (the cluster's NodePort range), got 8080.",
        );
    });

    test("not exposed: no Service opens a node port", async () => {
        new ContainerService("svc-private", args);
        expect(await run.ofType("kubernetes:core/v1:Service", "svc-private")).toHaveLength(0);
    });

    test("mounts the NAS through a Retain ReadWriteMany volume at its root, bound to one claim; both protected in prod", async () => {
        new ContainerService("svc-nas", { ...args, sharedFiles: { nfsServer: "0a1b2c-xyz.eu-central-1.nas.aliyuncs.com" } });
        new ContainerService("svc-nas-prod", { ...args, environment: "prod", sharedFiles: { nfsServer: "0a1b2c-xyz.eu-central-1.nas.aliyuncs.com" } });
        const volume = await run.one("kubernetes:core/v1:PersistentVolume", "svc-nas-volume");
        expect(volume.plain.spec).toMatchObject({
            accessModes: ["ReadWriteMany"],
            persistentVolumeReclaimPolicy: "Retain",
            storageClassName: "",
            nfs: { server: "0a1b2c-xyz.eu-central-1.nas.aliyuncs.com", path: "/" },
        });
        const claim = await run.one("kubernetes:core/v1:PersistentVolumeClaim", "svc-nas-claim");
        expect(claim.plain.metadata.namespace).toBe("svc-nas");
        expect(claim.plain.spec).toMatchObject({ accessModes: ["ReadWriteMany"], storageClassName: "", volumeName: volume.plain.metadata.name });
        expect(claim.plain.spec.resources.requests.storage).toBe(volume.plain.spec.capacity.storage);
        const pod = (await run.one("kubernetes:apps/v1:Deployment", "svc-nas-deployment")).plain.spec.template.spec;
        expect(pod.volumes).toContainEqual({ name: "shared", persistentVolumeClaim: { claimName: claim.plain.metadata.name } });
        expect(pod.containers[0].volumeMounts).toContainEqual({ name: "shared", mountPath: "/mnt/shared" });
        expect([volume.options.protect, claim.options.protect]).toEqual([false, false]);
        const prod = [
            await run.one("kubernetes:core/v1:PersistentVolume", "svc-nas-prod"),
            await run.one("kubernetes:core/v1:PersistentVolumeClaim", "svc-nas-prod"),
        ];
        expect(prod.map((r) => r.options.protect)).toEqual([true, true]);
    });

    test("injects secret values from a Kubernetes Secret in its namespace, never in plain text", async () => {
        const plaintext = "ack-secret-plaintext-value";
        new ContainerService("svc-sec", { ...args, secretValues: { DB_PASSWORD: pulumi.secret(plaintext) } });
        const secret = await run.one("kubernetes:core/v1:Secret", "svc-sec");
        expect(secret.plain.metadata.namespace).toBe("svc-sec");
        expect(secret.plain.stringData).toEqual({ DB_PASSWORD: plaintext });
        const env = (await run.one("kubernetes:apps/v1:Deployment", "svc-sec")).plain.spec.template.spec.containers[0].env;
        expect(env).toContainEqual({ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: secret.plain.metadata.name, key: "DB_PASSWORD" } } });
        const created = (await run.all()).filter((r) => r.name.startsWith("svc-sec"));
        expect(created.filter((r) => JSON.stringify(r.plain).includes(plaintext)).map((r) => r.type)).toEqual(["kubernetes:core/v1:Secret"]);
        for (const r of created) expect(JSON.stringify(maskForDisplay(r.inputs))).not.toContain(plaintext);
    });
});
