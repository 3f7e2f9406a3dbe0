/**
 * Facts read the same way wherever a kit runs its workloads on Kubernetes (the
 * private cloud, GKE, ACK): what a Deployment's pods get, its autoscaler, and its
 * campaign CronJobs.
 */
import { parse as parseYaml } from "yaml";
import { utcTimestamp } from "../../components/contracts";
import type { TestResource } from "../helpers/pulumi";
import type { RegisteredOptions, RolloutFacts, ScheduledMinimum } from "./kit";

export const ofType = (resources: TestResource[], type: string) => resources.filter((r) => r.type === type);
/** The resources of a component: its own name, or `<name>-<part>`. */
export const named = (resources: TestResource[], type: string, name: string) =>
    resources.filter((r) => r.type === type && (r.name === name || r.name.startsWith(`${name}-`)));
export const single = (resources: TestResource[], type: string, name: string) => {
    const found = named(resources, type, name);
    if (found.length !== 1) throw new Error(`expected one ${type} of ${name}, found ${found.length}`);
    return found[0];
};
export const millicores = (cpu: string) => (cpu.endsWith("m") ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000);
export const mebibytes = (memory: string) => (memory.endsWith("Gi") ? Number(memory.slice(0, -2)) * 1024 : Number(memory.replace(/Mi$/, "")));
/** The name an object has in the cluster: its metadata name, or the resource name the mocks give it. */
export const objectName = (r: TestResource): string => r.plain.metadata?.name ?? r.name;

/**
 * The raised minimums of a workload's campaign CronJobs: each patches the HPA's
 * minReplicas at a cron time in its zone. A cron has no year: the next occurrence counts.
 */
export function cronMinimums(resources: TestResource[], name: string, baseline: number): ScheduledMinimum[] {
    return named(resources, "kubernetes:batch/v1:CronJob", name).flatMap((job) => {
        const container = job.plain.spec.jobTemplate.spec.template.spec.containers[0];
        const patch = JSON.parse(String(container.args.find((a: string) => a.startsWith("--patch=")).slice("--patch=".length)));
        const minCapacity = patch.spec.minReplicas as number;
        if (minCapacity === baseline || job.plain.spec.suspend) return [];
        const [minute, hour, day, month] = String(job.plain.spec.schedule).split(" ").map(Number);
        const pad = (n: number) => String(n).padStart(2, "0");
        const at = (year: number) => utcTimestamp(`${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}`, job.plain.spec.timeZone);
        const year = new Date().getUTCFullYear();
        const next = Date.parse(at(year)) > Date.now() ? at(year) : at(year + 1);
        return [{ minCapacity, startsAtUtc: next.slice(0, 16) }];
    });
}

/**
 * What the pods of a component's Deployment get. Secret values are followed from
 * each `secretKeyRef` to the Secret's data, so a kit that hands the container a
 * reference to look up instead of the value fails. Storage counts when a mounted
 * claim is `claim` itself or is bound to a volume `volumeServes` accepts.
 */
export function podFacts(resources: TestResource[], name: string, storage: { claim?: (claim: TestResource) => boolean } = {}) {
    const deployment = single(resources, "kubernetes:apps/v1:Deployment", name);
    const namespace = deployment.plain.metadata?.namespace;
    const pod = deployment.plain.spec.template.spec;
    const container = pod.containers[0];
    const env = (container.env ?? []) as any[];
    const inNamespace = (r: TestResource) => r.plain.metadata?.namespace === namespace;
    const secrets = ofType(resources, "kubernetes:core/v1:Secret").filter(inNamespace);
    const secretValues = Object.fromEntries(
        env
            .filter((e) => e.valueFrom?.secretKeyRef)
            .map((e) => {
                const ref = e.valueFrom.secretKeyRef;
                const secret = secrets.find((s) => objectName(s) === ref.name);
                const encoded = secret?.plain.data?.[ref.key];
                return [e.name, secret?.plain.stringData?.[ref.key] ?? (encoded && Buffer.from(encoded, "base64").toString("utf8"))];
            }),
    );
    const claims = ofType(resources, "kubernetes:core/v1:PersistentVolumeClaim").filter(inNamespace);
    const mountedClaims = (container.volumeMounts ?? []).flatMap((mount: any) => {
        const claimName = (pod.volumes ?? []).find((v: any) => v.name === mount.name)?.persistentVolumeClaim?.claimName;
        return claims.filter((c) => objectName(c) === claimName);
    });
    const hpa = single(resources, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", name).plain.spec;
    return {
        deployment,
        container,
        hpa,
        variables: Object.fromEntries(env.filter((e) => "value" in e).map((e) => [e.name, e.value])),
        secretValues,
        storageMounted: mountedClaims.some((claim: TestResource) => storage.claim?.(claim) ?? true),
        egressRanges: ofType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy")
            .filter(inNamespace)
            .flatMap((p) => (p.plain.spec?.egress ?? []).flatMap((rule: any) => (rule.to ?? []).map((to: any) => to.ipBlock?.cidr).filter(Boolean))),
        scheduledMinimums: cronMinimums(resources, name, hpa.minReplicas),
    };
}

/** The container service facts every Kubernetes kit shares; the route is the kit's own. */
export function serviceFacts(facts: ReturnType<typeof podFacts>, routedPaths: string[]) {
    const { container, deployment, hpa } = facts;
    return {
        image: container.image,
        cpuMillicores: millicores(container.resources.requests.cpu),
        memoryMiB: mebibytes(container.resources.requests.memory),
        port: container.ports[0].containerPort,
        counts: { desired: deployment.plain.spec.replicas, min: hpa.minReplicas, max: hpa.maxReplicas },
        countOwnedByAutoscaler: deployment.options.ignoreChanges.includes("spec.replicas"),
        variables: facts.variables,
        secretValues: facts.secretValues,
        storageMounted: facts.storageMounted,
        routedPaths,
        egressRanges: facts.egressRanges,
        scheduledMinimums: facts.scheduledMinimums,
    };
}

/** A converter group as every Kubernetes kit builds it: one StatefulSet, its Secret and its NetworkPolicies. */
export function converterGroupFacts(resources: TestResource[], name: string) {
    const set = single(resources, "kubernetes:apps/v1:StatefulSet", name).plain;
    const container = set.spec.template.spec.containers[0];
    const env = (container.env ?? []) as any[];
    const credentials = env.find((e) => e.name === "CREDENTIALS");
    const egressPorts = named(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy", name)
        .flatMap((p) => (p.plain.spec?.egress ?? []).flatMap((rule: any) => (rule.ports ?? []).map((port: any) => port.port)))
        .filter((port: number) => port !== 53);
    const files = single(resources, "kubernetes:core/v1:ConfigMap", name).plain.data as Record<string, string>;
    const rule = single(resources, "kubernetes:monitoring.coreos.com/v1:PrometheusRule", name).plain;
    const zone = (set.spec.template.spec.topologySpreadConstraints ?? []).find((c: any) => c.topologyKey === "topology.kubernetes.io/zone");
    return {
        replicas: set.spec.replicas,
        image: container.image,
        consumerGroup: env.find((e) => e.name === "CONSUMER_GROUP")?.value,
        egressPorts: [...new Set(egressPorts)].sort((a, b) => a - b),
        credentialsFromSecret: credentials?.valueFrom?.secretKeyRef !== undefined && credentials.value === undefined,
        metricsPort: container.ports.find((p: any) => p.name === "metrics")?.containerPort,
        memberFile: parseYaml(files["member-0.yaml"]),
        lagAlerts: rule.spec.groups[0].rules.map((r: any) => ({ expr: r.expr, for: r.for })),
        alertRuleLabels: rule.metadata.labels,
        zoneSpread: zone?.minDomains,
        variables: Object.fromEntries(env.filter((e) => e.value !== undefined && e.name.startsWith("PROTOCOL_")).map((e) => [e.name, e.value])),
    };
}

const skipAwait = "pulumi.com/skipAwait";
/** A bound on how long `pulumi up` waits: create and update timeouts both set. */
const boundedWait = (timeouts: { create?: string; update?: string } | undefined) => Boolean(timeouts?.create && timeouts?.update);

/**
 * A Deployment's rollout, wherever a kit runs one. Pulumi awaits it unless
 * annotated not to: the progress deadline fails one that stops progressing and
 * the custom timeouts bound one that never ends. Kubernetes keeps the old
 * ReplicaSet serving but never rolls back by itself.
 */
export function deploymentRollout(resources: TestResource[], name: string, options: RegisteredOptions): RolloutFacts {
    const deployment = single(resources, "kubernetes:apps/v1:Deployment", name);
    const { spec, metadata } = deployment.plain;
    const customTimeouts = options.of(deployment.type, deployment.name).customTimeouts;
    const rolling = spec.strategy?.rollingUpdate ?? {};
    const surges = typeof rolling.maxSurge === "number" ? rolling.maxSurge > 0 : /^[1-9]\d*%$/.test(String(rolling.maxSurge));
    return {
        resource: deployment,
        target: { kind: "kubernetes-deployment", namespace: metadata?.namespace, name: objectName(deployment) },
        pulumiWaits: metadata?.annotations?.[skipAwait] === undefined && spec.progressDeadlineSeconds > 0 && boundedWait(customTimeouts),
        keepsCapacity: spec.strategy?.type === "RollingUpdate" && (rolling.maxUnavailable === 0 || rolling.maxUnavailable === "0%") && surges,
        cloudReverts: false,
        settings: {
            strategy: spec.strategy,
            minReadySeconds: spec.minReadySeconds,
            progressDeadlineSeconds: spec.progressDeadlineSeconds,
            revisionHistoryLimit: spec.revisionHistoryLimit,
            skipAwait: metadata?.annotations?.[skipAwait],
            customTimeouts,
        },
    };
}

/**
 * A converter group's StatefulSet rollout. A StatefulSet has no progress
 * deadline, so only the custom timeouts bound Pulumi's wait; it replaces a
 * member before starting its successor, so it cannot keep capacity, and
 * Kubernetes never rolls it back by itself.
 */
export function statefulSetRollout(resources: TestResource[], name: string, options: RegisteredOptions): RolloutFacts {
    const set = single(resources, "kubernetes:apps/v1:StatefulSet", name);
    const { spec, metadata } = set.plain;
    const customTimeouts = options.of(set.type, set.name).customTimeouts;
    return {
        resource: set,
        target: { kind: "kubernetes-statefulset", namespace: metadata?.namespace, name: objectName(set) },
        pulumiWaits: metadata?.annotations?.[skipAwait] === undefined && boundedWait(customTimeouts),
        keepsCapacity: false,
        cloudReverts: false,
        settings: {
            updateStrategy: spec.updateStrategy,
            podManagementPolicy: spec.podManagementPolicy,
            minReadySeconds: spec.minReadySeconds,
            skipAwait: metadata?.annotations?.[skipAwait],
            customTimeouts,
        },
    };
}
