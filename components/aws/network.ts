import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Environment, NetworkHandle } from "../contracts";
import { ipv4Block, parseCidr, subBlock, type CidrBlock } from "../core/cidr";

export interface NetworkArgs {
    environment: Environment;
    /** The VPC's block, a /16 to /24. */
    cidr: string;
    /** 2 to 6 zones: an ALB and the policies need at least two. */
    zoneCount: number;
    /** One NAT gateway per zone (the default in prod) or one for the whole VPC (the default in dev). */
    natPerZone?: boolean;
    /** Days the flow logs are kept. */
    flowLogRetentionDays?: number;
}

/**
 * A VPC over `zoneCount` zones: a private subnet per zone for workloads (one eighth
 * of the VPC each), a small public subnet per zone for load balancers and NAT (in
 * the last eighth), NAT egress, and flow logs to CloudWatch with retention.
 */
export class Network extends pulumi.ComponentResource implements NetworkHandle {
    readonly cloud = "aws" as const;
    readonly networkId: pulumi.Output<string>;
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidr: string;
    readonly privateCidrs: string[];
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly vpc: aws.ec2.Vpc;
    readonly privateSubnets: aws.ec2.Subnet[] = [];
    readonly publicSubnets: aws.ec2.Subnet[] = [];
    readonly natGateways: aws.ec2.NatGateway[] = [];
    readonly flowLog?: aws.ec2.FlowLog;
    readonly flowLogGroup?: aws.cloudwatch.LogGroup;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:aws:Network", name, {}, opts);

        const block = ipv4Block(args.cidr, 16, 24, "Network: `cidr`");
        if (!Number.isInteger(args.zoneCount) || args.zoneCount < 2 || args.zoneCount > 6) {
            throw new Error(`Network: \`zoneCount\` must be a whole number from 2 to 6; got ${args.zoneCount}.`);
        }
        const prod = args.environment === "prod";
        const natPerZone = args.natPerZone ?? prod;
        const zones = aws.getAvailabilityZonesOutput({ state: "available" }, { parent: this });
        const zoneIndexes = [...Array(args.zoneCount).keys()];

        this.vpcCidr = args.cidr;
        this.vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: args.cidr, enableDnsHostnames: true, enableDnsSupport: true }, { parent: this });
        const vpcId = this.vpc.id;
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId }, { parent: this });

        this.privateCidrs = zoneIndexes.map((i) => subBlock(block, block.prefix + 3, i));
        const publicEighth = parseCidr(subBlock(block, block.prefix + 3, 7)) as CidrBlock;
        const publicCidrs = zoneIndexes.map((i) => subBlock(publicEighth, block.prefix + 6, i));

        const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId }, { parent: this });
        new aws.ec2.Route(`${name}-public-default`, { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, { parent: this });

        for (const i of zoneIndexes) {
            const availabilityZone = zones.names[i];
            const pub = new aws.ec2.Subnet(
                `${name}-public-${i}`,
                { vpcId, cidrBlock: publicCidrs[i], availabilityZone, mapPublicIpOnLaunch: false },
                { parent: this },
            );
            this.publicSubnets.push(pub);
            new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: pub.id, routeTableId: publicRoutes.id }, { parent: this });

            const priv = new aws.ec2.Subnet(
                `${name}-private-${i}`,
                { vpcId, cidrBlock: this.privateCidrs[i], availabilityZone, mapPublicIpOnLaunch: false },
                { parent: this },
            );
            this.privateSubnets.push(priv);

            if (natPerZone || i === 0) {
                const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc" }, { parent: this });
                this.natGateways.push(
                    new aws.ec2.NatGateway(`${name}-nat-${i}`, { allocationId: eip.id, subnetId: pub.id }, { parent: this, dependsOn: [igw] }),
                );
            }
            const nat = this.natGateways[natPerZone ? i : 0];
            const privateRoutes = new aws.ec2.RouteTable(`${name}-private-rt-${i}`, { vpcId }, { parent: this });
            new aws.ec2.Route(
                `${name}-private-default-${i}`,
                { routeTableId: privateRoutes.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id },
                { parent: this },
            );
            new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: priv.id, routeTableId: privateRoutes.id }, { parent: this });
        }

        this.flowLogGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            { retentionInDays: args.flowLogRetentionDays ?? (prod ? 365 : 30) },
            { parent: this },
        );
        const flowLogRole = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: flowLogRole.id,
                policy: this.flowLogGroup.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                                Resource: [arn, `${arn}:*`],
                            },
                        ],
                    }),
                ),
            },
            { parent: this },
        );
        this.flowLog = new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: this.flowLogGroup.arn,
                iamRoleArn: flowLogRole.arn,
            },
            { parent: this },
        );

        this.vpcId = vpcId;
        this.networkId = vpcId;
        this.privateSubnetIds = this.privateSubnets.map((s) => s.id);
        this.publicSubnetIds = this.publicSubnets.map((s) => s.id);
        this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds, publicSubnetIds: this.publicSubnetIds });
    }
}
