import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { type ContainerServiceSpec } from "../contracts";
import { validateSchedules } from "../core/validate";
import { HpaSchedule } from "../kubernetes/hpa-schedule";
import { dnsEgress, isolatedNamespace, kubernetesName, restrictedContainerSecurity } from "./isolated-namespace";

export interface ContainerServiceArgs extends ContainerServiceSpec {
    /** Ranges allowed to reach the service's port (the network's private ranges). */
    ingressCidrs: string[];
    /** Environment variable name -> Secret Manager resource name, read by the app through Workload Identity. */
    secretReferences?: Record<string, pulumi.Input<string>>;
    overrides?: {
        deployment?: Partial<k8s.apps.v1.DeploymentArgs>;
    };
}

/** CPU units per vCPU in ContainerServiceSpec.cpu on GCP: 1024, as on AWS, so specs move between clouds unchanged. */
export const cpuUnitsPerVcpu = 1024;

/**
 * A service on GKE: a Deployment whose rollout keeps every replica serving
 * (maxUnavailable 0) and stops on a failed rollout (progress deadline, with
 * revisions kept for `kubectl rollout undo`), a ClusterIP Service, a CPU
 * HorizontalPodAutoscaler and a namespace that denies all traffic except the
 * service port from the given ranges, DNS and the egress allow-lists.
 * Create it with the cluster's Kubernetes provider in the component's options.
 */
export class ContainerService extends pulumi.ComponentResource {
    readonly namespace: k8s.core.v1.Namespace;
    readonly defaultDeny: k8s.networking.v1.NetworkPolicy;
    readonly allowPolicy: k8s.networking.v1.NetworkPolicy;
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service: k8s.core.v1.Service;
    readonly autoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    /** CronJobs that raise the HPA's minimum for campaigns (the same as on the private cloud). */
    readonly campaigns?: HpaSchedule;

    constructor(name: string, args: ContainerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:gcp:ContainerService", name, {}, opts);
        const { minCount, desiredCount, maxCount } = args;
        if (!(Number.isInteger(minCount) && minCount >= 1 && minCount <= desiredCount && desiredCount <= maxCount)) {
            throw new Error(
                `ContainerService: \`minCount\` <= \`desiredCount\` <= \`maxCount\` with minCount >= 1 is required, got ${minCount}, ${desiredCount}, ${maxCount}.`,
            );
        }
        validateSchedules("ContainerService", args.schedules ?? [], maxCount);
        if (!(args.cpu > 0 && args.memory > 0)) {
            throw new Error(`ContainerService: \`cpu\` (units, ${cpuUnitsPerVcpu} = 1 vCPU) and \`memory\` (MiB) must be above 0, got ${args.cpu} and ${args.memory}.`);
        }
        const appName = kubernetesName(name);
        const labels = { "app.kubernetes.io/name": appName };
        ({ namespace: this.namespace, defaultDeny: this.defaultDeny } = isolatedNamespace(name, this));
        const ns = this.namespace.metadata.name;

        const egressRules: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [dnsEgress];
        if (args.egressAllowCidrs) {
            const cidrs = Object.values(args.egressAllowCidrs).flat();
            if (cidrs.length > 0) egressRules.push({ to: cidrs.map((cidr) => ({ ipBlock: { cidr } })) });
        } else {
            egressRules.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] });
        }
        this.allowPolicy = new k8s.networking.v1.NetworkPolicy(
            `${name}-allow`,
            {
                metadata: { name: `${appName}-allow`.slice(0, 63), namespace: ns },
                spec: {
                    podSelector: { matchLabels: labels },
                    policyTypes: ["Ingress", "Egress"],
                    ingress: [{ from: args.ingressCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: args.port }] }],
                    egress: egressRules,
                },
            },
            { parent: this },
        );

        const env = [
            ...Object.entries(args.variables ?? {}).map(([k, value]) => ({ name: k, value })),
            ...Object.entries(args.secretReferences ?? {}).map(([k, value]) => ({ name: `${k}_SECRET_NAME`, value })),
        ];
        const millicores = Math.ceil((args.cpu * 1000) / cpuUnitsPerVcpu);
        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: { name: appName, namespace: ns, labels },
                spec: {
                    replicas: desiredCount,
                    selector: { matchLabels: labels },
                    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
                    progressDeadlineSeconds: 600,
                    revisionHistoryLimit: 10,
                    minReadySeconds: 10,
                    template: {
                        metadata: { labels },
                        spec: {
                            automountServiceAccountToken: false,
                            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                            containers: [
                                {
                                    name: "app",
                                    image: args.image,
                                    env,
                                    ports: [{ name: "http", containerPort: args.port }],
                                    readinessProbe: { tcpSocket: { port: "http" }, periodSeconds: 10 },
                                    resources: {
                                        requests: { cpu: `${millicores}m`, memory: `${args.memory}Mi` },
                                        limits: { memory: `${args.memory}Mi` },
                                    },
                                    securityContext: restrictedContainerSecurity,
                                },
                            ],
                        },
                    },
                },
                ...args.overrides?.deployment,
            },
            // The autoscaler owns the replica count.
            { parent: this, ignoreChanges: ["spec.replicas"] },
        );
        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            { metadata: { name: appName, namespace: ns, labels }, spec: { selector: labels, ports: [{ name: "http", port: args.port, targetPort: "http" }] } },
            { parent: this },
        );
        this.autoscaler = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${name}-hpa`,
            {
                metadata: { name: appName, namespace: ns },
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: this.deployment.metadata.name },
                    minReplicas: minCount,
                    maxReplicas: maxCount,
                    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
                },
            },
            { parent: this },
        );
        if (args.schedules && args.schedules.length > 0) {
            // The control plane's private endpoint lies in the cluster's master range, inside the default private ranges.
            this.campaigns = new HpaSchedule(
                `${name}-campaigns`,
                { namespace: ns, hpaName: this.autoscaler.metadata.name, minReplicas: minCount, maxReplicas: maxCount, schedules: args.schedules },
                { parent: this },
            );
        }
        this.registerOutputs({ namespace: ns, service: this.service.metadata.name });
    }
}
