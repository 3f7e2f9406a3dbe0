import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import { isIpv4Block } from "../core/cidr";
import type { LoadBalancer } from "./load-balancer";

/** The NodePort range of an ACK cluster (the Kubernetes default, which ACK keeps). */
export const nodePortRange = { min: 30000, max: 32767 } as const;

/**
 * The node port of a service, the same on every run: a hash of its name into the
 * NodePort range, so adding or removing another service never moves it (a move
 * would replace its server group attachment). A name whose port another service
 * holds takes the next free one.
 */
export function pickNodePort(service: string, taken: ReadonlyMap<number, string>): number {
    const size = nodePortRange.max - nodePortRange.min + 1;
    const start = createHash("sha256").update(service).digest().readUInt32BE(0) % size;
    for (let i = 0; i < size; i++) {
        const port = nodePortRange.min + ((start + i) % size);
        const owner = taken.get(port);
        if (owner === undefined || owner === service) return port;
    }
    throw new Error(`ServiceRoute: every node port from ${nodePortRange.min} to ${nodePortRange.max} is taken; ${service} gets none.`);
}

export interface ServiceRouteArgs {
    loadBalancer: LoadBalancer;
    /** The routed service's name, for error messages; the route's name when unset. */
    service?: string;
    /** Path patterns sent to the service; none: every request no path rule claims. */
    paths?: string[];
    /** The node port the service's NodePort Service listens on, on every node. */
    nodePort: number;
    /** The node pool's ESS scaling group: its instances join the server group as they come and go. */
    scalingGroupId: pulumi.Input<string>;
    /** The nodes' security group, opened on the node port to the load balancer's vSwitch ranges. */
    nodeSecurityGroupId: pulumi.Input<string>;
    /** The vSwitch ranges the ALB sends from (its zone mappings). */
    loadBalancerCidrs: string[];
}

const maxPathsPerCondition = 10;

/**
 * One container service behind the ALB: a server group (type Instance) over the
 * ACK node pool's instances on the service's node port, health-checked on the load
 * balancer's health path, with the pool's scaling group attached so nodes the
 * autoscaler adds or removes join or leave it; an HTTPS listener rule that forwards
 * the service's paths to it (or, for the service without paths, every path at the
 * lowest precedence); and one security group rule per ALB vSwitch range admitting
 * the node port on the nodes.
 */
export class ServiceRoute extends pulumi.ComponentResource {
    readonly serverGroup: alicloud.alb.ServerGroup;
    readonly attachment: alicloud.ess.AlbServerGroupAttachment;
    readonly rule: alicloud.alb.Rule;
    readonly nodePortRules: alicloud.ecs.SecurityGroupRule[];
    readonly priority: number;

    constructor(name: string, args: ServiceRouteArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:alicloud:ServiceRoute", name, {}, opts);

        const { min, max } = nodePortRange;
        if (!Number.isInteger(args.nodePort) || args.nodePort < min || args.nodePort > max) {
            throw new Error(`ServiceRoute: \`nodePort\` must be a port from ${min} to ${max} (the cluster's NodePort range), got ${args.nodePort}.`);
        }
        const paths = args.paths ?? [];
        if (paths.length > maxPathsPerCondition || paths.some((p) => !p.startsWith("/"))) {
            throw new Error(
                `ServiceRoute: \`paths\` must hold at most ${maxPathsPerCondition} patterns, each starting with "/", got ${JSON.stringify(paths)}.`,
            );
        }
        const open = args.loadBalancerCidrs.filter((c) => !isIpv4Block(c) || c === "0.0.0.0/0");
        if (args.loadBalancerCidrs.length === 0 || open.length > 0) {
            throw new Error(
                `ServiceRoute: \`loadBalancerCidrs\` must list the ALB's private vSwitch ranges (e.g. 10.40.0.0/20), got ${JSON.stringify(args.loadBalancerCidrs)}.`,
            );
        }
        const lb = args.loadBalancer;
        const catchAll = paths.length === 0;
        this.priority = catchAll ? lb.claimCatchAll(args.service ?? name) : lb.nextRulePriority();

        this.serverGroup = new alicloud.alb.ServerGroup(
            `${name}-targets`,
            {
                serverGroupName: `${name}-targets`,
                serverGroupType: "Instance",
                protocol: "HTTP",
                vpcId: lb.vpcId,
                scheduler: "Wrr",
                healthCheckConfig: lb.healthCheckConfig,
                connectionDrainConfig: { connectionDrainEnabled: true, connectionDrainTimeout: 30 },
            },
            { parent: this },
        );
        this.attachment = new alicloud.ess.AlbServerGroupAttachment(
            `${name}-nodes`,
            {
                albServerGroupId: this.serverGroup.id,
                scalingGroupId: args.scalingGroupId,
                port: args.nodePort,
                weight: 100,
                // The pool's running nodes join now, not only the ones it launches later.
                forceAttach: true,
            },
            { parent: this },
        );
        this.rule = new alicloud.alb.Rule(
            `${name}-rule`,
            {
                ruleName: `${name}-${catchAll ? "default" : "paths"}`,
                listenerId: lb.httpsListener.id,
                priority: this.priority,
                ruleConditions: [{ type: "Path", pathConfig: { values: catchAll ? ["/*"] : paths } }],
                ruleActions: [{ order: 1, type: "ForwardGroup", forwardGroupConfig: { serverGroupTuples: [{ serverGroupId: this.serverGroup.id }] } }],
            },
            { parent: this },
        );
        this.nodePortRules = args.loadBalancerCidrs.map(
            (cidrIp, i) =>
                new alicloud.ecs.SecurityGroupRule(
                    `${name}-node-port-${i}`,
                    {
                        securityGroupId: args.nodeSecurityGroupId,
                        type: "ingress",
                        ipProtocol: "tcp",
                        portRange: `${args.nodePort}/${args.nodePort}`,
                        cidrIp,
                        nicType: "intranet",
                        policy: "accept",
                        priority: 1,
                        description: `${name}: node port from the load balancer in ${cidrIp}`,
                    },
                    { parent: this },
                ),
        );

        this.registerOutputs({ serverGroupId: this.serverGroup.id, priority: this.priority });
    }
}
