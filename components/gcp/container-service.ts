import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import type { ContainerServiceSpec, Environment, Rolled, RolloutTarget } from "../contracts";
import { containerServiceWorkload, Deployment, type DeploymentArgs } from "../kubernetes/deployment";
import { HpaSchedule } from "../kubernetes/hpa-schedule";
import { nfsSharedVolume, secretValuesEnv } from "../kubernetes/service-mounts";
import { isolatedNamespace, kubernetesName, serviceAllowPolicy } from "../kubernetes/isolated-namespace";
import type { LoadBalancer } from "./load-balancer";
import { googleHealthCheckRanges } from "./vm-group";
import { validateCounts } from "../core/validate";

/** Where the load balancer reaches the service: standalone zonal NEGs in the cluster's zones. */
export interface ContainerServiceRoute {
    loadBalancer: LoadBalancer;
    /** Path patterns routed to the service; none: all traffic no other service claims. */
    paths?: string[];
    /** The project and the zones of the cluster's nodes, where GKE makes the NEGs. */
    project: string;
    zones: pulumi.Input<string[]>;
    /** The cluster's network and its nodes' service account, for the firewall rule that admits Google's ranges. */
    networkId: pulumi.Input<string>;
    nodeServiceAccountEmail: pulumi.Input<string>;
    /** What the firewall rule's target must wait for: the nodes' service account. */
    dependsOn?: pulumi.Resource[];
    /** Requests per second each pod takes before the load balancer prefers others. */
    maxRatePerEndpoint?: number;
}

/** A Filestore share mounted into every pod. */
export interface ContainerServiceFiles {
    /** The Filestore address and share: `<host>:/<share>`. */
    host: pulumi.Input<string>;
    share: string;
    capacityGib: number;
    mountPath?: string;
}

export interface ContainerServiceArgs extends ContainerServiceSpec {
    /** prod makes the workload module insist on images pinned by digest, and protects the shared files' volume and claim. */
    environment?: Environment;
    /** Ranges allowed to reach the service's port (the network's private ranges). */
    ingressCidrs: string[];
    /** Environment variable name -> secret value (a Pulumi secret), injected through a Kubernetes Secret. */
    secretValues?: Record<string, pulumi.Output<string>>;
    sharedFiles?: ContainerServiceFiles;
    route?: ContainerServiceRoute;
}

/**
 * A service on GKE: the Kubernetes workload module (a Deployment whose rollout
 * keeps every replica serving and stops on a failed rollout, a CPU
 * HorizontalPodAutoscaler, a PodDisruptionBudget, probes, the restricted
 * security context, campaigns), a ClusterIP Service, and a namespace that denies all traffic except the
 * service port from the given ranges, DNS and the egress allow-lists.
 *
 * Secret values reach the container from a Kubernetes Secret in the namespace;
 * a Filestore share is mounted through a PersistentVolume bound to one claim
 * (Retain: the files outlive the claim). A route puts the pods behind the
 * load balancer: GKE makes a standalone NEG per zone from the Service's
 * annotation, the route's backend service lists them, and Google's health-check
 * and proxy ranges are admitted by a firewall rule and a NetworkPolicy, to the
 * service port only.
 * Create it with the cluster's Kubernetes provider and the GCP provider in the component's `providers`.
 */
export class ContainerService extends pulumi.ComponentResource implements Rolled {
    readonly namespace: k8s.core.v1.Namespace;
    readonly defaultDeny: k8s.networking.v1.NetworkPolicy;
    readonly allowPolicy: k8s.networking.v1.NetworkPolicy;
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service: k8s.core.v1.Service;
    readonly autoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    /** CronJobs that raise the HPA's minimum for campaigns (the same as on the private cloud). */
    readonly campaigns?: HpaSchedule;
    /** The Kubernetes workload module that holds the Deployment, HPA, PDB and campaigns. */
    readonly workload: Deployment;
    /** The workload's Deployment: awaited, surging one pod with none unavailable, reverted by the deploy. */
    readonly rollout: pulumi.Output<RolloutTarget>;
    readonly secret?: k8s.core.v1.Secret;
    readonly volume?: k8s.core.v1.PersistentVolume;
    readonly claim?: k8s.core.v1.PersistentVolumeClaim;
    /** Name of the NEG in each zone, when routed. */
    readonly negName?: string;
    readonly backendService?: gcp.compute.BackendService;
    readonly lbFirewall?: gcp.compute.Firewall;

    constructor(name: string, args: ContainerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:gcp:ContainerService", name, {}, opts);
        const { minCount, desiredCount, maxCount } = args;
        // A HorizontalPodAutoscaler cannot scale to zero.
        validateCounts("ContainerService", { min: ["minCount", minCount], desired: ["desiredCount", desiredCount], max: ["maxCount", maxCount] }, { min: 1 });
        if (!(args.cpu > 0 && args.memory > 0)) {
            throw new Error(`ContainerService: \`cpu\` (millicores) and \`memory\` (MiB) must be above 0, got ${args.cpu} and ${args.memory}.`);
        }
        const prod = args.environment === "prod";
        const appName = kubernetesName(name);
        const labels = { app: appName };
        ({ namespace: this.namespace, defaultDeny: this.defaultDeny } = isolatedNamespace(name, this));
        const ns = this.namespace.metadata.name;

        this.allowPolicy = serviceAllowPolicy(
            name,
            {
                policyName: `${appName}-allow`.slice(0, 63),
                namespace: ns,
                labels,
                ingressCidrs: args.ingressCidrs,
                port: args.port,
                egressAllowCidrs: args.egressAllowCidrs,
            },
            { parent: this },
        );

        const placement = { objectName: appName, namespace: ns, labels, opts: { parent: this } };
        const secrets = secretValuesEnv(name, args.secretValues, placement);
        this.secret = secrets.secret;
        const secretEnv = secrets.secretEnv;
        let sharedVolume: DeploymentArgs["sharedVolume"];
        if (args.sharedFiles) {
            const files = args.sharedFiles;
            const mounted = nfsSharedVolume(
                name,
                {
                    server: files.host,
                    path: `/${files.share}`,
                    capacity: `${files.capacityGib}Gi`,
                    mountOptions: ["hard", "nfsvers=3"],
                    mountPath: files.mountPath,
                },
                placement,
                prod,
            );
            ({ volume: this.volume, claim: this.claim, sharedVolume } = mounted);
        }

        // The one Kubernetes workload module: Deployment, HPA, PDB, probes, hardening and campaigns, as on the private cloud and ACK.
        this.workload = new Deployment(
            name,
            {
                ...containerServiceWorkload(args, {
                    namespace: ns,
                    podLabels: labels,
                    env: args.variables,
                }),
                secretEnv,
                sharedVolume,
                ingressFromCidrs: args.route ? googleHealthCheckRanges : undefined,
            },
            { parent: this },
        );
        this.deployment = this.workload.deployment;
        this.rollout = this.workload.rollout;
        this.autoscaler = this.workload.autoscaler;
        this.campaigns = this.workload.campaigns;

        const route = args.route;
        if (route) {
            const negName = kubernetesName(`${name}-neg`).replace(/^[^a-z]+/, "");
            this.negName = negName;
            this.service = new k8s.core.v1.Service(
                `${name}-service`,
                {
                    metadata: {
                        name: appName,
                        namespace: ns,
                        labels,
                        annotations: { "cloud.google.com/neg": JSON.stringify({ exposed_ports: { [String(args.port)]: { name: negName } } }) },
                    },
                    spec: { selector: labels, ports: [{ name: "http", port: args.port, targetPort: args.port }] },
                },
                { parent: this },
            );
            this.lbFirewall = new gcp.compute.Firewall(
                `${name}-allow-lb`,
                {
                    network: route.networkId,
                    direction: "INGRESS",
                    sourceRanges: googleHealthCheckRanges,
                    allows: [{ protocol: "tcp", ports: [String(args.port)] }],
                    targetServiceAccounts: [route.nodeServiceAccountEmail],
                    logConfig: { metadata: "INCLUDE_ALL_METADATA" },
                },
                // The email is built, not read from the account, so the order is stated.
                { parent: this, dependsOn: route.dependsOn },
            );
            const maxRatePerEndpoint = route.maxRatePerEndpoint ?? 100;
            this.backendService = route.loadBalancer.attach({
                name: appName,
                paths: route.paths,
                backends: pulumi.output(route.zones).apply((zones) =>
                    zones.map((zone) => ({
                        group: `https://www.googleapis.com/compute/v1/projects/${route.project}/zones/${zone}/networkEndpointGroups/${negName}`,
                        balancingMode: "RATE",
                        maxRatePerEndpoint,
                    })),
                ),
                healthCheck: { path: route.loadBalancer.healthCheckPath },
                // GKE makes the NEGs only once the annotated Service exists.
                dependsOn: [this.service],
            });
        } else {
            this.service = new k8s.core.v1.Service(
                `${name}-service`,
                {
                    metadata: { name: appName, namespace: ns, labels },
                    spec: { selector: labels, ports: [{ name: "http", port: args.port, targetPort: args.port }] },
                },
                { parent: this },
            );
        }
        this.registerOutputs({ namespace: ns, service: this.service.metadata.name });
    }
}
