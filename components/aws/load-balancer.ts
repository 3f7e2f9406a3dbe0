import * as aws from "@pulumi/aws";
import { healthCheckedTargetGroup } from "./listener-route";
import * as pulumi from "@pulumi/pulumi";
import type { LoadBalancerHandle, LoadBalancerSpec } from "../contracts";
import { AccessLogBucket } from "./access-log-bucket";

/** TLS 1.3 and 1.2 only; the newest policy ELB offers for TLS 1.2 clients. */
export const defaultSslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface LoadBalancerArgs extends LoadBalancerSpec {
    vpcId: pulumi.Input<string>;
    /** Public subnets in at least 2 zones. */
    subnetIds: pulumi.Input<string>[];
    /** Where the targets live: the only place the load balancer sends traffic. */
    targetCidrs: string[];
    /** Target type of the default target group: `ip` for awsvpc tasks, `instance` for VM groups. */
    targetType?: "ip" | "instance";
    sslPolicy?: string;
    /** Access logs: on in prod. An existing bucket, or one the component creates. */
    accessLogs?: boolean;
    accessLogsBucket?: pulumi.Input<string>;
}

/**
 * A public ALB: its own security group (80 and 443 from anywhere, out only to the
 * targets), HTTPS with a TLS 1.2+ policy forwarding to a default target group with
 * health checks, HTTP answered only with a redirect to HTTPS, invalid header fields
 * dropped, and deletion protection and access logs in prod.
 */
export class LoadBalancer extends pulumi.ComponentResource implements LoadBalancerHandle {
    readonly cloud = "aws" as const;
    readonly endpoint: pulumi.Output<string>;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly loadBalancer: aws.lb.LoadBalancer;
    readonly defaultTargetGroup: aws.lb.TargetGroup;
    readonly httpsListener: aws.lb.Listener;
    readonly httpListener: aws.lb.Listener;
    readonly accessLogBucket?: AccessLogBucket;
    readonly vpcId: pulumi.Output<string>;
    /** The health check of every target group behind this load balancer, the routes' included. */
    readonly healthCheckPath: string;
    private rulePriority = 100;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:aws:LoadBalancer", name, {}, opts);
        if (args.certificateId === undefined || args.certificateId === "") {
            throw new Error(
                "LoadBalancer: `certificateId` must be the ARN of an ACM certificate for the HTTPS listener " +
                    "(arn:aws:acm:<region>:<account>:certificate/<id>); AWS issues no certificate without a domain.",
            );
        }
        if (!Number.isInteger(args.targetPort) || args.targetPort < 1 || args.targetPort > 65535) {
            throw new Error(`LoadBalancer: \`targetPort\` must be from 1 to 65535; got ${args.targetPort}.`);
        }
        if (!args.healthCheckPath.startsWith("/")) {
            throw new Error(`LoadBalancer: \`healthCheckPath\` must start with "/"; got "${args.healthCheckPath}".`);
        }
        if (args.subnetIds.length < 2) {
            throw new Error(`LoadBalancer: \`subnetIds\` must list public subnets in at least 2 zones; got ${args.subnetIds.length}.`);
        }
        const prod = args.environment === "prod";
        this.vpcId = pulumi.output(args.vpcId);
        this.healthCheckPath = args.healthCheckPath;

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `Load balancer ${name}: HTTPS and redirected HTTP from the internet`,
                ingress: [
                    { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"], description: "HTTPS" },
                    {
                        protocol: "tcp",
                        fromPort: 80,
                        toPort: 80,
                        cidrBlocks: ["0.0.0.0/0"],
                        ipv6CidrBlocks: ["::/0"],
                        description: "HTTP, redirected to HTTPS",
                    },
                ],
                egress: [{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: args.targetCidrs, description: "To the targets" }],
            },
            { parent: this },
        );

        const accessLogs = args.accessLogs ?? prod;
        const logPrefix = name;
        let logBucket: pulumi.Input<string> | undefined = args.accessLogsBucket;
        if (accessLogs && logBucket === undefined) {
            this.accessLogBucket = new AccessLogBucket(`${name}-access-logs`, { environment: args.environment, prefix: logPrefix }, { parent: this });
            logBucket = this.accessLogBucket.bucketName;
        }

        this.loadBalancer = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                loadBalancerType: "application",
                internal: false,
                subnets: args.subnetIds,
                securityGroups: [this.securityGroup.id],
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "defensive",
                enableDeletionProtection: prod,
                accessLogs: accessLogs && logBucket !== undefined ? { bucket: logBucket, prefix: logPrefix, enabled: true } : undefined,
            },
            { parent: this, dependsOn: this.accessLogBucket ? [this.accessLogBucket.policy] : [] },
        );

        this.defaultTargetGroup = new aws.lb.TargetGroup(
            `${name}-default`,
            healthCheckedTargetGroup(args.vpcId, args.targetPort, args.healthCheckPath, args.targetType),
            { parent: this },
        );

        this.httpsListener = new aws.lb.Listener(
            `${name}-https`,
            {
                loadBalancerArn: this.loadBalancer.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: args.sslPolicy ?? defaultSslPolicy,
                certificateArn: args.certificateId,
                defaultActions: [{ type: "forward", targetGroupArn: this.defaultTargetGroup.arn }],
            },
            { parent: this },
        );
        this.httpListener = new aws.lb.Listener(
            `${name}-http`,
            {
                loadBalancerArn: this.loadBalancer.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            },
            { parent: this },
        );

        this.endpoint = this.loadBalancer.dnsName;
        this.registerOutputs({ endpoint: this.endpoint });
    }

    /** The next free listener-rule priority, in the order routes are added, so a program's routes keep their priorities. */
    nextRulePriority(): number {
        this.rulePriority += 10;
        return this.rulePriority;
    }
}
