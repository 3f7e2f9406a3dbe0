import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { ConverterGroupSpec, Environment, Rolled, RolloutTarget } from "../contracts";
import { dnsEgress, isolatedNamespace, kubernetesName, restrictedContainerSecurity } from "./isolated-namespace";
import { refuseSkipAwait } from "./vm-group";

export interface ConverterGroupArgs extends ConverterGroupSpec {
    environment: Environment;
    /** CPU (millicores) and memory (MiB) each member requests. */
    resources?: { cpu: number; memoryMiB: number };
    overrides?: {
        statefulSet?: Partial<k8s.apps.v1.StatefulSetArgs>;
    };
}

/**
 * How long `pulumi up` waits for the StatefulSet to roll out. A StatefulSet has
 * no progress deadline, so this alone turns a stuck rollout into a failed update.
 */
const statefulSetRolloutTimeout = "20m";

/** The label the StatefulSet controller sets to each pod's ordinal (Kubernetes 1.28+). */
const podIndexLabel = "apps.kubernetes.io/pod-index";

function portOf(key: string, endpoint: string): number {
    const match = /^[A-Za-z0-9.-]+:(\d{1,5})$/.exec(endpoint);
    const port = match ? Number(match[1]) : NaN;
    if (!(port >= 1 && port <= 65535)) {
        throw new Error(`ConverterGroup: \`${key}\` must be host:port (e.g. "db.internal:5432"), got "${endpoint}".`);
    }
    return port;
}

/**
 * A change-data-capture converter group as one StatefulSet: a pod's ordinal is
 * its member number (MEMBER_ID) and the replica count is the group size
 * (GROUP_SIZE), so a member needs no file of its own and scaling is `replicas`.
 * Members share a consumer group, read their credentials from a Secret, and
 * expose lag metrics on `metricsPort` with Prometheus scrape annotations. The
 * namespace denies all traffic except metrics scrapes, DNS and the two endpoints.
 * `pulumi up` waits for the StatefulSet's rollout and fails when it does not
 * finish in time; Kubernetes does not roll a StatefulSet back, so the deploy
 * reverts a failed rollout by applying the last good commit again.
 * Create it with the cluster's Kubernetes provider in the component's options.
 */
export class ConverterGroup extends pulumi.ComponentResource implements Rolled {
    readonly namespace: k8s.core.v1.Namespace;
    readonly defaultDeny: k8s.networking.v1.NetworkPolicy;
    readonly allowPolicy: k8s.networking.v1.NetworkPolicy;
    readonly credentials: k8s.core.v1.Secret;
    readonly headlessService: k8s.core.v1.Service;
    readonly statefulSet: k8s.apps.v1.StatefulSet;
    readonly disruptionBudget: k8s.policy.v1.PodDisruptionBudget;
    readonly rollout: pulumi.Output<RolloutTarget>;

    constructor(name: string, args: ConverterGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        // Kept under its first type name's alias: the group began on GKE, and its members must not be replaced by the move.
        super("multicloud:kubernetes:ConverterGroup", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "multicloud:gcp:ConverterGroup" }] });
        if (!Number.isInteger(args.replicas) || args.replicas < 1) {
            throw new Error(`ConverterGroup: \`replicas\` must be a whole number >= 1, got ${args.replicas}.`);
        }
        if (!Number.isInteger(args.metricsPort) || args.metricsPort < 1024 || args.metricsPort > 65535) {
            throw new Error(`ConverterGroup: \`metricsPort\` must be a port from 1024 to 65535 (members run as non-root), got ${args.metricsPort}.`);
        }
        if (!/^[A-Za-z0-9._-]+$/.test(args.consumerGroup)) {
            throw new Error(`ConverterGroup: \`consumerGroup\` must be letters, digits, ".", "_" or "-", got "${args.consumerGroup}".`);
        }
        refuseSkipAwait("ConverterGroup", "overrides.statefulSet", args.overrides?.statefulSet?.metadata);
        const endpointPorts = [...new Set([portOf("sourceEndpoint", args.sourceEndpoint), portOf("targetEndpoint", args.targetEndpoint)])];
        const prod = args.environment === "prod";
        const appName = kubernetesName(name);
        const labels = { "app.kubernetes.io/name": appName, "app.kubernetes.io/component": "cdc-converter" };

        ({ namespace: this.namespace, defaultDeny: this.defaultDeny } = isolatedNamespace(name, this));
        const ns = this.namespace.metadata.name;

        this.allowPolicy = new k8s.networking.v1.NetworkPolicy(
            `${name}-allow`,
            {
                metadata: { name: `${appName}-allow`.slice(0, 63), namespace: ns },
                spec: {
                    podSelector: { matchLabels: labels },
                    policyTypes: ["Ingress", "Egress"],
                    // Prometheus may run in any namespace of the cluster; nothing else comes in.
                    ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: "TCP", port: args.metricsPort }] }],
                    egress: [dnsEgress, { ports: endpointPorts.map((port) => ({ protocol: "TCP", port })) }],
                },
            },
            { parent: this },
        );

        this.credentials = new k8s.core.v1.Secret(
            `${name}-credentials`,
            {
                metadata: { name: `${appName}-credentials`.slice(0, 63), namespace: ns, labels },
                type: "Opaque",
                stringData: { credentials: args.credentials },
            },
            { parent: this, protect: prod },
        );

        this.headlessService = new k8s.core.v1.Service(
            `${name}-members`,
            {
                metadata: { name: appName, namespace: ns, labels },
                spec: {
                    clusterIP: "None",
                    selector: labels,
                    ports: [{ name: "metrics", port: args.metricsPort, targetPort: "metrics" }],
                },
            },
            { parent: this },
        );

        const resources = args.resources ?? { cpu: 250, memoryMiB: 512 };
        this.statefulSet = new k8s.apps.v1.StatefulSet(
            `${name}-set`,
            {
                metadata: { name: appName, namespace: ns, labels },
                spec: {
                    serviceName: this.headlessService.metadata.name,
                    replicas: args.replicas,
                    // Members are independent: start and replace them together, not one by one.
                    podManagementPolicy: "Parallel",
                    updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
                    minReadySeconds: 10,
                    revisionHistoryLimit: 10,
                    selector: { matchLabels: labels },
                    template: {
                        metadata: {
                            labels,
                            annotations: {
                                "prometheus.io/scrape": "true",
                                "prometheus.io/port": String(args.metricsPort),
                                "prometheus.io/path": "/metrics",
                            },
                        },
                        spec: {
                            automountServiceAccountToken: false,
                            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                            terminationGracePeriodSeconds: 60,
                            containers: [
                                {
                                    name: "converter",
                                    image: args.image,
                                    env: [
                                        { name: "MEMBER_ID", valueFrom: { fieldRef: { fieldPath: `metadata.labels['${podIndexLabel}']` } } },
                                        { name: "GROUP_SIZE", value: String(args.replicas) },
                                        { name: "CONSUMER_GROUP", value: args.consumerGroup },
                                        { name: "SOURCE_ENDPOINT", value: args.sourceEndpoint },
                                        { name: "TARGET_ENDPOINT", value: args.targetEndpoint },
                                        { name: "METRICS_PORT", value: String(args.metricsPort) },
                                        {
                                            name: "CREDENTIALS",
                                            valueFrom: { secretKeyRef: { name: this.credentials.metadata.name, key: "credentials" } },
                                        },
                                    ],
                                    ports: [{ name: "metrics", containerPort: args.metricsPort, protocol: "TCP" }],
                                    readinessProbe: { httpGet: { path: "/metrics", port: "metrics" }, periodSeconds: 10 },
                                    livenessProbe: { tcpSocket: { port: "metrics" }, initialDelaySeconds: 30, periodSeconds: 20 },
                                    resources: {
                                        requests: { cpu: `${resources.cpu}m`, memory: `${resources.memoryMiB}Mi` },
                                        limits: { memory: `${resources.memoryMiB}Mi` },
                                    },
                                    securityContext: restrictedContainerSecurity,
                                },
                            ],
                        },
                    },
                },
                ...args.overrides?.statefulSet,
            },
            { parent: this, customTimeouts: { create: statefulSetRolloutTimeout, update: statefulSetRolloutTimeout } },
        );
        this.rollout = pulumi
            .all([this.statefulSet.metadata.namespace, this.statefulSet.metadata.name])
            .apply(([namespace, name]): RolloutTarget => ({ kind: "kubernetes-statefulset", namespace, name }));

        this.disruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
            `${name}-pdb`,
            { metadata: { name: appName, namespace: ns }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
            { parent: this },
        );

        this.registerOutputs({ namespace: ns, statefulSet: this.statefulSet.metadata.name, rollout: this.rollout });
    }
}
