import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { ContainerServiceSpec, Environment, Rolled, RolloutTarget, VmGroupSpec } from "../contracts";
import { formerly } from "../core/moved";
import { scheduledMinimumIgnored } from "../core/campaign-window";
import { validateSchedules, validateVmGroupSpec } from "../core/validate";
import { HpaSchedule } from "./hpa-schedule";
import { dnsLabel, restrictedContainerSecurity } from "./isolated-namespace";
import { isIpv4Block } from "../core/cidr";

/** A container image pinned by digest: the only immutable reference. */
export const digestPinned = /@sha256:[0-9a-f]{64}$/;

export interface DeploymentArgs extends Omit<VmGroupSpec, "size"> {
    namespace: pulumi.Input<string>;
    /** Port the container serves on; required, since the probes need it. */
    port?: number;
    /** Requests (and equal limits) of the container. */
    cpuMillicores?: number;
    memoryMiB?: number;
    /**
     * Zones to spread over; above 1 the spread is enforced with `minDomains`. Two
     * unless told: every network of the platform spans two zones at least, and a
     * group held to one zone loses everything with it.
     */
    zoneCount?: number;
    /** Extra pod labels, e.g. the selector of a load balancer's Service. */
    podLabels?: Record<string, string>;
    serviceAccountName?: pulumi.Input<string>;
    /** Plain environment variables. */
    env?: Record<string, pulumi.Input<string>>;
    /** Environment variables from Secrets: variable name -> Secret name and key. */
    secretEnv?: Record<string, { secretName: pulumi.Input<string>; key: string }>;
    /** A ReadWriteMany claim mounted into every pod. */
    sharedVolume?: { claimName: pulumi.Input<string>; mountPath: string };
    /** Namespace of the ingress controller, a source of ingress traffic; none when unset. */
    ingressFromNamespace?: string;
    /** Address ranges that may reach the port (a cloud load balancer's or the network's); none when unset. */
    ingressFromCidrs?: string[];
    /** Named CIDR lists the pods may reach (one NetworkPolicy each); DNS comes from the namespace. */
    egressAllowCidrs?: Record<string, string[]>;
    /** Ranges of the API server that the campaign jobs call; private ranges when unset. */
    apiServerCidrs?: string[];
    /** When the program runs: inside a campaign the CronJob owns the HPA's minimum; a campaign that ended gets suspended jobs. */
    now?: Date;
}

/**
 * A container service's spec as the workload module's arguments: the private
 * cloud's, GKE's and ACK's container services run on this module, each adding
 * where it runs and what it wires (namespace, labels, secrets, storage, ingress).
 */
export function containerServiceWorkload(
    spec: ContainerServiceSpec & { environment?: Environment },
    placement: Pick<DeploymentArgs, "namespace"> & Partial<DeploymentArgs>,
): DeploymentArgs {
    return {
        environment: spec.environment ?? "dev",
        imageId: spec.image,
        minSize: spec.minCount,
        maxSize: spec.maxCount,
        desiredSize: spec.desiredCount,
        cpuTargetPercent: 70,
        port: spec.port,
        cpuMillicores: spec.cpu,
        memoryMiB: spec.memory,
        schedules: spec.schedules,
        ...placement,
    };
}

const internet = new Set(["0.0.0.0/0", "::/0"]);

/**
 * How long `pulumi up` waits for a Deployment to roll out. Above the progress
 * deadline, which fails a rollout that stops progressing first and with the
 * clearer message; this bounds one that progresses too slowly to finish.
 */
const deploymentRolloutTimeout = "20m";

function validateImage(subject: string, image: string, prod: boolean): void {
    if (digestPinned.test(image)) return;
    if (prod) {
        throw new Error(`${subject}: \`imageId\` must be pinned by digest (name@sha256:<64 hex>) in prod, got ${image}.`);
    }
    const lastSegment = image.split("/").pop() ?? "";
    const tag = lastSegment.includes(":") ? lastSegment.split(":").pop() : undefined;
    if (!tag || tag === "latest") {
        throw new Error(`${subject}: \`imageId\` must carry a version tag other than latest, or a digest, got ${image}.`);
    }
}

/** The component's type token, the name its errors give it, and the token it had before. */
export interface DeploymentKind {
    type: string;
    subject: string;
    formerly: string;
}

const sharedKind: DeploymentKind = { type: "multicloud:kubernetes:Deployment", subject: "Deployment", formerly: "multicloud:kubernetes:VmGroup" };

/**
 * The one Kubernetes workload module, behind the private cloud's VM groups and
 * container services and the GKE and ACK container services: a Deployment whose rolling update keeps capacity, an
 * autoscaling/v2 HorizontalPodAutoscaler on CPU, a PodDisruptionBudget, and the
 * NetworkPolicies that open the pods to the ingress controller and the allowed ranges.
 * Containers run non-root, read-only, without capabilities, with the default seccomp profile.
 *
 * The rollout is the same in every environment: one pod more at a time and none
 * unavailable, and `pulumi up` waits for it (the pack's k8s-rollout-awaited
 * refuses a skipAwait annotation), so one that stops progressing
 * (the progress deadline) or runs past its timeout fails the update with the old
 * ReplicaSet still serving. Kubernetes does not roll back by itself: the deploy
 * reverts a failed rollout by applying the last good commit again.
 */
export class Deployment extends pulumi.ComponentResource implements Rolled {
    readonly deployment: k8s.apps.v1.Deployment;
    readonly autoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    readonly disruptionBudget: k8s.policy.v1.PodDisruptionBudget;
    readonly ingressPolicy?: k8s.networking.v1.NetworkPolicy;
    readonly egressPolicies: k8s.networking.v1.NetworkPolicy[];
    /** CronJobs that raise the HPA's minimum for campaigns; present when `schedules` are given. */
    readonly campaigns?: HpaSchedule;
    readonly rollout: pulumi.Output<RolloutTarget>;

    constructor(name: string, args: DeploymentArgs, opts?: pulumi.ComponentResourceOptions, kind: DeploymentKind = sharedKind) {
        super(kind.type, name, {}, formerly(opts, kind.formerly));
        const subject = kind.subject;
        validateVmGroupSpec(subject, args);
        validateSchedules(subject, args.schedules ?? [], args.maxSize);
        if (args.minSize < 1) {
            throw new Error(`${subject}: \`minSize\` must be at least 1 on Kubernetes (a HorizontalPodAutoscaler cannot scale to zero), got ${args.minSize}.`);
        }
        if (args.port === undefined || !Number.isInteger(args.port) || args.port < 1 || args.port > 65535) {
            throw new Error(`${subject}: \`port\` must be a port number 1-65535 on Kubernetes (the probes need it), got ${args.port}.`);
        }
        const prod = args.environment === "prod";
        const now = args.now ?? new Date();
        if (typeof args.imageId === "string") validateImage(subject, args.imageId, prod);
        for (const [list, cidrs] of Object.entries(args.egressAllowCidrs ?? {})) {
            if (!dnsLabel.test(list)) {
                throw new Error(`${subject}: \`egressAllowCidrs\` list names must be DNS labels (lowercase letters, digits, dashes), got ${list}.`);
            }
            for (const cidr of cidrs) {
                if (internet.has(cidr) || !isIpv4Block(cidr)) {
                    throw new Error(
                        `${subject}: \`egressAllowCidrs.${list}\` must hold IPv4 CIDR blocks narrower than the internet (e.g. 192.0.2.0/24), got ${cidr}.`,
                    );
                }
            }
        }

        const selector = { "app.kubernetes.io/name": name };
        const port = args.port;
        const resources = { cpu: `${args.cpuMillicores ?? 250}m`, memory: `${args.memoryMiB ?? 256}Mi` };
        const probe = args.healthCheckPath ? { httpGet: { path: args.healthCheckPath, port } } : { tcpSocket: { port } };
        const zoneCount = args.zoneCount ?? 2;
        const volumes: k8s.types.input.core.v1.Volume[] = [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }];
        const volumeMounts: k8s.types.input.core.v1.VolumeMount[] = [{ name: "tmp", mountPath: "/tmp" }];
        if (args.sharedVolume) {
            volumes.push({ name: "shared", persistentVolumeClaim: { claimName: args.sharedVolume.claimName } });
            volumeMounts.push({ name: "shared", mountPath: args.sharedVolume.mountPath });
        }

        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: { namespace: args.namespace, labels: selector },
                spec: {
                    replicas: args.desiredSize,
                    selector: { matchLabels: selector },
                    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                    minReadySeconds: 10,
                    // A rollout that does not become ready fails the update; the old ReplicaSet keeps serving.
                    progressDeadlineSeconds: 600,
                    revisionHistoryLimit: 10,
                    template: {
                        metadata: { labels: { ...args.podLabels, ...selector } },
                        spec: {
                            serviceAccountName: args.serviceAccountName,
                            automountServiceAccountToken: false,
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: 10001,
                                runAsGroup: 10001,
                                fsGroup: 10001,
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            topologySpreadConstraints: [
                                {
                                    topologyKey: "topology.kubernetes.io/zone",
                                    maxSkew: 1,
                                    labelSelector: { matchLabels: selector },
                                    ...(zoneCount > 1
                                        ? { whenUnsatisfiable: "DoNotSchedule", minDomains: zoneCount }
                                        : { whenUnsatisfiable: "ScheduleAnyway" }),
                                },
                            ],
                            volumes,
                            containers: [
                                {
                                    name: "app",
                                    image: args.imageId,
                                    ports: [{ name: "app", containerPort: port }],
                                    env: [
                                        ...Object.entries(args.env ?? {}).map(([name, value]) => ({ name, value })),
                                        ...Object.entries(args.secretEnv ?? {}).map(([envName, ref]) => ({
                                            name: envName,
                                            valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } },
                                        })),
                                    ],
                                    resources: { requests: resources, limits: resources },
                                    readinessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3 },
                                    livenessProbe: { ...probe, initialDelaySeconds: 15, periodSeconds: 20, failureThreshold: 3 },
                                    securityContext: { privileged: false, ...restrictedContainerSecurity },
                                    volumeMounts,
                                },
                            ],
                        },
                    },
                },
            },
            // The autoscaler owns the replica count after the first rollout.
            {
                parent: this,
                ignoreChanges: ["spec.replicas"],
                customTimeouts: { create: deploymentRolloutTimeout, update: deploymentRolloutTimeout },
            },
        );

        const deploymentName = this.deployment.metadata.name;
        this.rollout = pulumi
            .all([this.deployment.metadata.namespace, deploymentName])
            .apply(([namespace, deployment]): RolloutTarget => ({ kind: "kubernetes-deployment", namespace, name: deployment }));
        this.autoscaler = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${name}-hpa`,
            {
                metadata: { namespace: args.namespace },
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
                    minReplicas: args.minSize,
                    maxReplicas: args.maxSize,
                    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: args.cpuTargetPercent } } }],
                },
            },
            // During a campaign its CronJob has raised minReplicas: a deploy (or the Operator's re-apply) leaves it
            // out of the apply, and a refresh does not call it drift.
            { parent: this, ignoreChanges: scheduledMinimumIgnored("spec.minReplicas", args.schedules, now) },
        );

        this.disruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
            `${name}-pdb`,
            {
                metadata: { namespace: args.namespace },
                // One pod at a time: node drains still progress when minSize is 1.
                spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
            },
            { parent: this },
        );

        const sources: k8s.types.input.networking.v1.NetworkPolicyPeer[] = [
            ...(args.ingressFromNamespace ? [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.ingressFromNamespace } } }] : []),
            ...(args.ingressFromCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })),
        ];
        if (sources.length > 0) {
            this.ingressPolicy = new k8s.networking.v1.NetworkPolicy(
                `${name}-ingress`,
                {
                    metadata: { namespace: args.namespace },
                    spec: {
                        podSelector: { matchLabels: selector },
                        policyTypes: ["Ingress"],
                        ingress: [{ from: sources, ports: [{ protocol: "TCP", port }] }],
                    },
                },
                { parent: this },
            );
        }

        this.egressPolicies = Object.entries(args.egressAllowCidrs ?? {}).map(
            ([list, cidrs]) =>
                new k8s.networking.v1.NetworkPolicy(
                    `${name}-egress-${list}`,
                    {
                        metadata: { namespace: args.namespace },
                        spec: {
                            podSelector: { matchLabels: selector },
                            policyTypes: ["Egress"],
                            egress: [{ to: cidrs.map((cidr) => ({ ipBlock: { cidr } })) }],
                        },
                    },
                    { parent: this },
                ),
        );

        if (args.schedules && args.schedules.length > 0) {
            this.campaigns = new HpaSchedule(
                `${name}-campaigns`,
                {
                    namespace: args.namespace,
                    hpaName: this.autoscaler.metadata.name,
                    minReplicas: args.minSize,
                    maxReplicas: args.maxSize,
                    schedules: args.schedules,
                    apiServerCidrs: args.apiServerCidrs,
                    now,
                },
                { parent: this },
            );
        }

        this.registerOutputs({ deploymentName, rollout: this.rollout });
    }
}
