import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ListenerRouteArgs {
    vpcId: pulumi.Input<string>;
    listenerArn: pulumi.Input<string>;
    /** Path patterns sent to the target group, at most 5 (an ALB condition's limit). */
    paths: string[];
    priority: number;
    port: number;
    healthCheckPath: string;
    targetType?: "ip" | "instance";
}

/** An HTTP target group whose targets are health-checked, as every route and the default route use it. */
export function healthCheckedTargetGroup(
    vpcId: pulumi.Input<string>,
    port: number,
    healthCheckPath: string,
    targetType: "ip" | "instance" = "ip",
): aws.lb.TargetGroupArgs {
    return {
        vpcId,
        port,
        protocol: "HTTP",
        targetType,
        deregistrationDelay: 30,
        healthCheck: { enabled: true, path: healthCheckPath, protocol: "HTTP", matcher: "200-399", interval: 15, healthyThreshold: 3, unhealthyThreshold: 3 },
    };
}

/** A target group with health checks and the HTTPS listener rule that sends the given paths to it. */
export class ListenerRoute extends pulumi.ComponentResource {
    readonly targetGroup: aws.lb.TargetGroup;
    readonly rule: aws.lb.ListenerRule;
    readonly targetGroupArn: pulumi.Output<string>;

    constructor(name: string, args: ListenerRouteArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:aws:ListenerRoute", name, {}, opts);
        if (args.paths.length < 1 || args.paths.length > 5 || args.paths.some((p) => !p.startsWith("/"))) {
            throw new Error(`ListenerRoute: \`paths\` must hold 1 to 5 patterns starting with "/"; got ${JSON.stringify(args.paths)}.`);
        }
        if (!Number.isInteger(args.priority) || args.priority < 1 || args.priority > 50000) {
            throw new Error(`ListenerRoute: \`priority\` must be a whole number from 1 to 50000; got ${args.priority}.`);
        }

        this.targetGroup = new aws.lb.TargetGroup(`${name}-tg`, healthCheckedTargetGroup(args.vpcId, args.port, args.healthCheckPath, args.targetType), {
            parent: this,
        });
        this.rule = new aws.lb.ListenerRule(
            `${name}-rule`,
            {
                listenerArn: args.listenerArn,
                priority: args.priority,
                conditions: [{ pathPattern: { values: args.paths } }],
                actions: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
            },
            { parent: this },
        );
        this.targetGroupArn = this.targetGroup.arn;
        this.registerOutputs({ targetGroupArn: this.targetGroupArn });
    }
}
