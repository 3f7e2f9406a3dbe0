import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { ContainerServiceSpec, Environment, Rolled, RolloutTarget } from "../contracts";
import { containerServiceWorkload, Deployment, type DeploymentArgs } from "../kubernetes/deployment";
import { HpaSchedule } from "../kubernetes/hpa-schedule";
import { isolatedNamespace, serviceAllowPolicy } from "../kubernetes/isolated-namespace";
import { nodePortRange } from "./service-route";
import { nfsSharedVolume, secretValuesEnv } from "../kubernetes/service-mounts";
import { validateCounts } from "../core/validate";

export interface ContainerServiceArgs extends ContainerServiceSpec {
    /** prod makes the workload module insist on images pinned by digest, and protects the shared files' volume and claim. */
    environment?: Environment;
    /** The Log Service project of the cluster's logtail agent. */
    logProject: pulumi.Input<string>;
    /** Days the container logs are kept. */
    logRetentionDays: number;
    /** Ranges that may reach the service port (the VPC's private vSwitches). */
    ingressCidrs: string[];
    /**
     * Exposes the pods on this port of every node (a NodePort Service), for an ALB
     * server group over the nodes; the load balancer's ranges and health path come with it.
     */
    exposure?: { nodePort: number; loadBalancerCidrs: string[]; healthCheckPath: string };
    /** A NAS file system mounted into every pod. */
    sharedFiles?: { nfsServer: pulumi.Input<string>; mountPath?: string };
    /** Environment variable name -> secret value (a Pulumi secret), injected through a Kubernetes Secret. */
    secretValues?: Record<string, pulumi.Output<string>>;
}

const dnsLabel = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * A service on an ACK cluster, in a namespace of its own: the Kubernetes workload
 * module (a Deployment that rolls out with no pod unavailable and fails the update
 * when the rollout makes no progress, a CPU HorizontalPodAutoscaler, a
 * PodDisruptionBudget, probes, the restricted security context, campaigns), a default-deny
 * NetworkPolicy for the namespace plus one that admits the service port from the
 * given ranges and egress to DNS and the allowed ranges, and an AliyunLogConfig that
 * ships the containers' stdout and stderr to a Log Service store with a retention.
 *
 * Secret values reach the container from a Kubernetes Secret in the namespace. A
 * NAS file system is mounted through a PersistentVolume (Retain: the files outlive
 * the claim) bound to one claim. Exposed, the pods sit behind a NodePort Service:
 * an ALB server group of type Instance reaches the nodes on that port, and the
 * load balancer's vSwitch ranges are admitted to the pods.
 *
 * The Kubernetes provider comes from the component's `providers` option (the
 * cluster's `kubernetesProvider`). CPU is given in millicores, as on every kit.
 */
export class ContainerService extends pulumi.ComponentResource implements Rolled {
    readonly namespace: k8s.core.v1.Namespace;
    readonly defaultDeny: k8s.networking.v1.NetworkPolicy;
    readonly allow: k8s.networking.v1.NetworkPolicy;
    readonly deployment: k8s.apps.v1.Deployment;
    readonly autoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    /** CronJobs that raise the HPA's minimum for campaigns (the same as on the private cloud). */
    readonly campaigns?: HpaSchedule;
    readonly logConfig: k8s.apiextensions.CustomResource;
    /** The Kubernetes workload module that holds the Deployment, HPA, PDB and campaigns. */
    readonly workload: Deployment;
    /** The workload's Deployment: awaited, surging one pod with none unavailable, reverted by the deploy. */
    readonly rollout: pulumi.Output<RolloutTarget>;
    /** The NodePort Service the load balancer's server group reaches, when exposed. */
    readonly service?: k8s.core.v1.Service;
    readonly secret?: k8s.core.v1.Secret;
    readonly volume?: k8s.core.v1.PersistentVolume;
    readonly claim?: k8s.core.v1.PersistentVolumeClaim;

    constructor(name: string, args: ContainerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:alicloud:ContainerService", name, {}, opts);

        if (!dnsLabel.test(name)) {
            throw new Error(
                `ContainerService: the name ${JSON.stringify(name)} must be a DNS label (lowercase letters, digits and -, at most 63): it names the namespace.`,
            );
        }
        const { minCount, desiredCount, maxCount } = args;
        // A HorizontalPodAutoscaler cannot scale to zero.
        validateCounts("ContainerService", { min: ["minCount", minCount], desired: ["desiredCount", desiredCount], max: ["maxCount", maxCount] }, { min: 1 });
        if (!(args.cpu > 0 && args.memory > 0)) {
            throw new Error(`ContainerService: \`cpu\` and \`memory\` must be above 0, got ${args.cpu} and ${args.memory}.`);
        }
        if (args.exposure) {
            const { nodePort } = args.exposure;
            if (!Number.isInteger(nodePort) || nodePort < nodePortRange.min || nodePort > nodePortRange.max) {
                throw new Error(
                    `ContainerService: \`exposure.nodePort\` must be a port from ${nodePortRange.min} to ${nodePortRange.max} (the cluster's NodePort range), got ${nodePort}.`,
                );
            }
        }
        const prod = args.environment === "prod";
        const labels = { app: name };
        const namespace = name;

        ({ namespace: this.namespace, defaultDeny: this.defaultDeny } = isolatedNamespace(name, this));
        const inNamespace = { parent: this, dependsOn: [this.namespace] };
        this.allow = serviceAllowPolicy(
            name,
            { policyName: `${name}-allow`, namespace, labels, ingressCidrs: args.ingressCidrs, port: args.port, egressAllowCidrs: args.egressAllowCidrs },
            inNamespace,
        );

        const placement = { objectName: name, namespace, labels, opts: inNamespace };
        const secrets = secretValuesEnv(name, args.secretValues, placement);
        this.secret = secrets.secret;
        const secretEnv = secrets.secretEnv;
        let sharedVolume: DeploymentArgs["sharedVolume"];
        if (args.sharedFiles) {
            // NAS is elastic: the size only pairs the claim with its volume.
            const share = {
                server: args.sharedFiles.nfsServer,
                path: "/",
                capacity: "1Ti",
                mountOptions: ["vers=3", "nolock", "proto=tcp", "noresvport", "hard"],
            };
            const mounted = nfsSharedVolume(name, { ...share, mountPath: args.sharedFiles.mountPath }, placement, prod);
            ({ volume: this.volume, claim: this.claim, sharedVolume } = mounted);
        }

        const exposure = args.exposure;
        // The one Kubernetes workload module: Deployment, HPA, PDB, probes, hardening and campaigns, as on the private cloud and GKE.
        this.workload = new Deployment(
            name,
            {
                ...containerServiceWorkload(args, {
                    namespace,
                    podLabels: labels,
                    env: args.variables,
                }),
                // The load balancer's health path is the readiness probe too: a pod joins when the ALB would count it healthy.
                healthCheckPath: exposure?.healthCheckPath,
                secretEnv,
                sharedVolume,
                ingressFromCidrs: exposure?.loadBalancerCidrs,
            },
            inNamespace,
        );
        this.deployment = this.workload.deployment;
        this.rollout = this.workload.rollout;
        this.autoscaler = this.workload.autoscaler;
        this.campaigns = this.workload.campaigns;

        if (exposure) {
            this.service = new k8s.core.v1.Service(
                `${name}-service`,
                {
                    metadata: { name, namespace, labels },
                    spec: {
                        type: "NodePort",
                        selector: labels,
                        // Cluster: every node answers on the port, so the ALB's health check passes on nodes without a pod too.
                        externalTrafficPolicy: "Cluster",
                        ports: [{ name: "http", protocol: "TCP", port: args.port, targetPort: args.port, nodePort: exposure.nodePort }],
                    },
                },
                inNamespace,
            );
        }

        this.logConfig = new k8s.apiextensions.CustomResource(
            `${name}-logs`,
            {
                apiVersion: "log.alibabacloud.com/v1alpha1",
                kind: "AliyunLogConfig",
                metadata: { name: `${name}-stdout`, namespace },
                spec: {
                    project: args.logProject,
                    logstore: `${name}-stdout`,
                    shardCount: 2,
                    lifeCycle: args.logRetentionDays,
                    logtailConfig: {
                        inputType: "plugin",
                        configName: `${name}-stdout`,
                        inputDetail: {
                            plugin: {
                                inputs: [
                                    {
                                        type: "service_docker_stdout",
                                        detail: { Stdout: true, Stderr: true, IncludeLabel: { "io.kubernetes.pod.namespace": namespace } },
                                    },
                                ],
                            },
                        },
                    },
                },
            },
            inNamespace,
        );

        this.registerOutputs({ namespace });
    }
}
