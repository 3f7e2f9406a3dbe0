import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Environment, PrivateListenerHandle } from "../contracts";
import { ipv4Block } from "../core/cidr";
import { AccessLogBucket } from "./access-log-bucket";

export interface PrivateListenerArgs {
    environment: Environment;
    vpcId: pulumi.Input<string>;
    /** The VPC's block: where the listener reaches the load balancer. */
    vpcCidr: string;
    /** The private subnets, one per zone. */
    subnetIds: pulumi.Input<string>[];
    /** The application load balancer in front of the workload, and its HTTPS listener (443). */
    loadBalancerArn: pulumi.Input<string>;
    httpsListener: aws.lb.Listener;
    /** Ranges of the callers' networks: the only sources admitted. */
    callers: string[];
}

/**
 * An internal network load balancer in the private subnets that passes TCP 443
 * to the workload's application load balancer (a target group of type `alb`):
 * the same listener, certificate and routes as the public entry point, reached
 * from the callers' ranges over the links. Its name is `internal-...`, which
 * resolves to private addresses only.
 */
export class PrivateListener extends pulumi.ComponentResource implements PrivateListenerHandle {
    readonly cloud = "aws" as const;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly loadBalancer: aws.lb.LoadBalancer;
    readonly targetGroup: aws.lb.TargetGroup;
    readonly listener: aws.lb.Listener;
    readonly accessLogBucket?: AccessLogBucket;
    readonly endpoint: pulumi.Output<string>;

    constructor(name: string, args: PrivateListenerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:aws:PrivateListener", name, {}, opts);
        if (args.callers.length === 0) throw new Error(`PrivateListener ${name}: \`callers\` lists no range; a listener nobody may call has no use.`);
        args.callers.forEach((cidr) => ipv4Block(cidr, 8, 32, `PrivateListener ${name}: \`callers\``));
        const prod = args.environment === "prod";

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `Private listener ${name}: HTTPS from linked networks`,
                ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: args.callers, description: "HTTPS from the callers' networks" }],
                egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [args.vpcCidr], description: "To the application load balancer" }],
            },
            { parent: this },
        );
        if (prod) this.accessLogBucket = new AccessLogBucket(`${name}-access-logs`, { environment: args.environment, prefix: name }, { parent: this });
        this.loadBalancer = new aws.lb.LoadBalancer(
            `${name}-nlb`,
            {
                loadBalancerType: "network",
                internal: true,
                subnets: args.subnetIds,
                securityGroups: [this.securityGroup.id],
                enableCrossZoneLoadBalancing: true,
                enableDeletionProtection: prod,
                accessLogs: this.accessLogBucket ? { bucket: this.accessLogBucket.bucketName, prefix: name, enabled: true } : undefined,
            },
            { parent: this, dependsOn: this.accessLogBucket ? [this.accessLogBucket.policy] : [] },
        );
        this.targetGroup = new aws.lb.TargetGroup(
            `${name}-alb`,
            { targetType: "alb", protocol: "TCP", port: 443, vpcId: args.vpcId, healthCheck: { protocol: "HTTPS", path: "/", matcher: "200-499" } },
            { parent: this },
        );
        // An ALB joins the target group only once it has a listener on the target group's port.
        new aws.lb.TargetGroupAttachment(
            `${name}-alb`,
            { targetGroupArn: this.targetGroup.arn, targetId: args.loadBalancerArn, port: 443 },
            { parent: this, dependsOn: [args.httpsListener] },
        );
        this.listener = new aws.lb.Listener(
            `${name}-tcp`,
            { loadBalancerArn: this.loadBalancer.arn, port: 443, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: this.targetGroup.arn }] },
            { parent: this },
        );
        this.endpoint = pulumi.interpolate`https://${this.loadBalancer.dnsName}`;
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
