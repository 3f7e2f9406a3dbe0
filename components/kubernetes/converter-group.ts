import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { ConverterGroupSpec, ConverterLimits, Environment, Rolled, RolloutTarget } from "../contracts";
import {
    contentHash,
    defaultConverterLimits,
    defaultLagAlerts,
    lagAlertRules,
    memberFiles,
    membershipId,
    validateConverterLimits,
    validateLagAlerts,
    type LagAlerts,
} from "./converter-config";
import { dnsEgress, isolatedNamespace, kubernetesName, restrictedContainerSecurity } from "./isolated-namespace";
import { formerly } from "../core/moved";

export interface ConverterGroupArgs extends ConverterGroupSpec {
    environment: Environment;
    /** CPU (millicores) and memory (MiB) each member requests. */
    resources?: { cpu: number; memoryMiB: number };
}

/**
 * How long `pulumi up` waits for the StatefulSet to roll out. A StatefulSet has
 * no progress deadline, so this alone turns a stuck rollout into a failed update.
 */
const statefulSetRolloutTimeout = "20m";

/** The label the StatefulSet controller sets to each pod's ordinal (Kubernetes 1.28+). */
const podIndexLabel = "apps.kubernetes.io/pod-index";

/** The pod label that names the membership (group name and size) a member belongs to. */
export const membershipLabel = "multicloud/membership";

/** Where each member finds its configuration file: the ConfigMap's files, one per ordinal. */
export const memberConfigDir = "/etc/converter";

/**
 * How Pulumi deletes the StatefulSet: foreground, so the delete returns only once
 * every member has stopped. The pack's k8s-statefulset-foreground-deletion refuses
 * another policy set by a transformation.
 */
const deletionPropagation = "pulumi.com/deletionPropagationPolicy";

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
 * its member (MEMBER_ID), and each member reads its configuration file (group
 * name, member number and group size, batch and flow-control limits) from an
 * immutable ConfigMap, so scaling is `replicas`. Members share a consumer group,
 * read their credentials from a Secret, spread over the zones, and expose lag
 * metrics on `metricsPort` with Prometheus scrape annotations; a PrometheusRule
 * beside them alerts on the three lag measures. The namespace denies all traffic
 * except metrics scrapes, DNS and the two endpoints.
 *
 * The members must agree on the membership: a member that believes in another
 * size reads some partitions twice and leaves others unread. So a change of the
 * size or of the group's name never rolls one pod at a time: the membership is
 * in the StatefulSet's selector, whose change replaces the StatefulSet, deleted
 * first (every member stopped, foreground deletion) and created again (every
 * member started together, in parallel). Anything else (the image, the limits)
 * rolls one member at a time, all on the same membership.
 *
 * The source keeps the group's position under its name: a new name starts from
 * nothing and replays the whole source. The ConfigMap's URN holds the name, so a
 * rename is a URN change the plan and the deploy treat as a one-way door, to be
 * accepted in deploy/accepted-doors.yaml.
 *
 * `pulumi up` waits for the StatefulSet's rollout and fails when it does not
 * finish in time (the pack's k8s-rollout-awaited refuses a skipAwait annotation); Kubernetes does not roll a StatefulSet back, so the deploy
 * reverts a failed rollout by applying the last good commit again.
 * Create it with the cluster's Kubernetes provider in the component's options.
 */
export class ConverterGroup extends pulumi.ComponentResource implements Rolled {
    readonly namespace: k8s.core.v1.Namespace;
    readonly defaultDeny: k8s.networking.v1.NetworkPolicy;
    readonly allowPolicy: k8s.networking.v1.NetworkPolicy;
    readonly credentials: k8s.core.v1.Secret;
    /** Each member's configuration file, one per ordinal; immutable, named by its content. */
    readonly memberConfig: k8s.core.v1.ConfigMap;
    readonly headlessService: k8s.core.v1.Service;
    readonly statefulSet: k8s.apps.v1.StatefulSet;
    readonly disruptionBudget: k8s.policy.v1.PodDisruptionBudget;
    /** The alert rules on the lag metrics (monitoring.coreos.com/v1 PrometheusRule). */
    readonly lagAlertRules: k8s.apiextensions.CustomResource;
    readonly rollout: pulumi.Output<RolloutTarget>;

    constructor(name: string, args: ConverterGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        // Kept under its first type name's alias: the group began on GKE, and its members must not be replaced by the move.
        super("multicloud:kubernetes:ConverterGroup", name, {}, formerly(opts, "multicloud:gcp:ConverterGroup"));
        if (!Number.isInteger(args.replicas) || args.replicas < 1) {
            throw new Error(`ConverterGroup: \`replicas\` must be a whole number >= 1, got ${args.replicas}.`);
        }
        if (!Number.isInteger(args.metricsPort) || args.metricsPort < 1024 || args.metricsPort > 65535) {
            throw new Error(`ConverterGroup: \`metricsPort\` must be a port from 1024 to 65535 (members run as non-root), got ${args.metricsPort}.`);
        }
        if (!/^[A-Za-z0-9._-]+$/.test(args.consumerGroup)) {
            throw new Error(`ConverterGroup: \`consumerGroup\` must be letters, digits, ".", "_" or "-", got "${args.consumerGroup}".`);
        }
        const limits: ConverterLimits = { ...defaultConverterLimits, ...args.limits };
        validateConverterLimits("ConverterGroup", limits);
        const alerts: LagAlerts = {
            metrics: { ...defaultLagAlerts.metrics, ...args.lagAlerts?.metrics },
            thresholdSeconds: { ...defaultLagAlerts.thresholdSeconds, ...args.lagAlerts?.thresholdSeconds },
            forMinutes: args.lagAlerts?.forMinutes ?? defaultLagAlerts.forMinutes,
        };
        validateLagAlerts("ConverterGroup", alerts);
        const zoneCount = args.zoneCount ?? 2;
        if (!Number.isInteger(zoneCount) || zoneCount < 1) throw new Error(`ConverterGroup: \`zoneCount\` must be a whole number >= 1, got ${zoneCount}.`);
        const endpointPorts = [...new Set([portOf("sourceEndpoint", args.sourceEndpoint), portOf("targetEndpoint", args.targetEndpoint)])];
        const prod = args.environment === "prod";
        const appName = kubernetesName(name);
        const labels = { "app.kubernetes.io/name": appName, "app.kubernetes.io/component": "cdc-converter" };
        const membership = { ...labels, [membershipLabel]: membershipId(args.consumerGroup, args.replicas) };

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

        // Immutable and named by its content: a member that restarts mid-change still reads the file it started with.
        const files = memberFiles(args.consumerGroup, args.replicas, limits);
        this.memberConfig = new k8s.core.v1.ConfigMap(
            // The group's name is in the URN: a rename replays the source, and the plan and the deploy see a one-way door.
            `${name}-group-${args.consumerGroup}`,
            {
                metadata: { name: `${appName.slice(0, 52)}-${contentHash(files)}`, namespace: ns, labels },
                immutable: true,
                data: files,
            },
            { parent: this },
        );

        const resources = args.resources ?? { cpu: 250, memoryMiB: 512 };
        this.statefulSet = new k8s.apps.v1.StatefulSet(
            `${name}-set`,
            {
                metadata: { name: appName, namespace: ns, labels, annotations: { [deletionPropagation]: "foreground" } },
                spec: {
                    serviceName: this.headlessService.metadata.name,
                    replicas: args.replicas,
                    // Members are independent: start them together, and stop them together when the group is replaced.
                    podManagementPolicy: "Parallel",
                    updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
                    minReadySeconds: 10,
                    revisionHistoryLimit: 10,
                    selector: { matchLabels: membership },
                    template: {
                        metadata: {
                            labels: membership,
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
                            topologySpreadConstraints: [
                                {
                                    topologyKey: "topology.kubernetes.io/zone",
                                    maxSkew: 1,
                                    labelSelector: { matchLabels: membership },
                                    ...(zoneCount > 1
                                        ? { whenUnsatisfiable: "DoNotSchedule", minDomains: zoneCount }
                                        : { whenUnsatisfiable: "ScheduleAnyway" }),
                                },
                            ],
                            volumes: [{ name: "member-config", configMap: { name: this.memberConfig.metadata.name } }],
                            containers: [
                                {
                                    name: "converter",
                                    image: args.image,
                                    env: [
                                        { name: "MEMBER_ID", valueFrom: { fieldRef: { fieldPath: `metadata.labels['${podIndexLabel}']` } } },
                                        // Kubernetes expands $(MEMBER_ID) from the variable above: each member reads its own file.
                                        { name: "CONVERTER_CONFIG", value: `${memberConfigDir}/member-$(MEMBER_ID).yaml` },
                                        { name: "GROUP_SIZE", value: String(args.replicas) },
                                        { name: "CONSUMER_GROUP", value: args.consumerGroup },
                                        { name: "SOURCE_ENDPOINT", value: args.sourceEndpoint },
                                        { name: "TARGET_ENDPOINT", value: args.targetEndpoint },
                                        { name: "METRICS_PORT", value: String(args.metricsPort) },
                                        ...Object.entries(args.variables ?? {}).map(([variable, value]) => ({ name: variable, value })),
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
                                    volumeMounts: [{ name: "member-config", mountPath: memberConfigDir, readOnly: true }],
                                },
                            ],
                        },
                    },
                },
            },
            {
                parent: this,
                customTimeouts: { create: statefulSetRolloutTimeout, update: statefulSetRolloutTimeout },
                // A new membership is a new group: every old member stops before any new one starts.
                replaceOnChanges: ["spec.selector", "spec.replicas"],
                deleteBeforeReplace: true,
            },
        );
        this.rollout = pulumi
            .all([this.statefulSet.metadata.namespace, this.statefulSet.metadata.name])
            .apply(([namespace, name]): RolloutTarget => ({ kind: "kubernetes-statefulset", namespace, name }));

        this.disruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
            `${name}-pdb`,
            { metadata: { name: appName, namespace: ns }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
            { parent: this },
        );

        // A custom resource gets no cost labels from the stack's transform: it takes the StatefulSet's, which carry them.
        this.lagAlertRules = new k8s.apiextensions.CustomResource(
            `${name}-lag-alerts`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                metadata: {
                    name: `${appName.slice(0, 52)}-lag`,
                    namespace: ns,
                    labels: pulumi.output(this.statefulSet.metadata.labels).apply((own) => ({ ...own, ...args.alertRuleLabels })),
                },
                spec: {
                    groups: [{ name: `${appName}-lag`, rules: pulumi.output(ns).apply((namespace) => lagAlertRules(alerts, namespace, args.consumerGroup)) }],
                },
            },
            { parent: this },
        );

        this.registerOutputs({ namespace: ns, statefulSet: this.statefulSet.metadata.name, rollout: this.rollout });
    }
}
