import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import type { Cloud, NetworkHandle, NetworkSpec } from "../contracts";
import { ipv4Block, subBlock } from "../core/cidr";

export interface NetworkArgs extends NetworkSpec {
    /** Days the VPC flow logs are kept; 30 in dev and 180 in prod unless set. */
    flowLogRetentionDays?: number;
}

/**
 * A VPC from one CIDR block with one private vSwitch per zone, a NAT gateway (in a
 * vSwitch of its own) with an EIP and an SNAT entry per private vSwitch, and VPC
 * flow logs to a Log Service store. Instances get no public addresses: egress only
 * through the NAT gateway.
 */
export class Network extends pulumi.ComponentResource implements NetworkHandle {
    readonly cloud: Cloud = "alicloud";
    readonly vpc: alicloud.vpc.Network;
    readonly vswitches: alicloud.vpc.Switch[];
    readonly natVswitch: alicloud.vpc.Switch;
    readonly natGateway: alicloud.vpc.NatGateway;
    readonly eip: alicloud.ecs.EipAddress;
    readonly eipAssociation: alicloud.ecs.EipAssociation;
    readonly snatEntries: alicloud.vpc.SnatEntry[];
    readonly flowLogProject: alicloud.log.Project;
    readonly flowLogStore: alicloud.log.Store;
    readonly flowLog: alicloud.vpc.FlowLog;

    readonly networkId: pulumi.Output<string>;
    readonly cidr: string;
    readonly privateCidrs: string[];
    /** Zone of each private vSwitch, in the order of `vswitches`. */
    readonly zoneIds: pulumi.Output<string>[];
    readonly vswitchIds: pulumi.Output<string>[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:alicloud:Network", name, {}, opts);

        const block = ipv4Block(args.cidr, 8, 24, "Network: `cidr`");
        if (!Number.isInteger(args.zoneCount) || args.zoneCount < 2 || args.zoneCount > 6) {
            throw new Error(
                `Network: \`zoneCount\` must be a whole number from 2 to 6 (the ALB and a balanced scaling group need two zones), got ${args.zoneCount}.`,
            );
        }
        const prod = args.environment === "prod";
        // vSwitches take /16 to /29: split the VPC in sixteenths, and keep the last sixteenth for the NAT vSwitch.
        const privatePrefix = Math.max(block.prefix + 4, 16);
        const natPrefix = Math.min(privatePrefix + 4, 29);
        this.cidr = args.cidr;
        this.privateCidrs = Array.from({ length: args.zoneCount }, (_, i) => subBlock(block, privatePrefix, i));
        const natCidr = subBlock(block, natPrefix, 2 ** (natPrefix - block.prefix) - 1);

        const zones = alicloud.getZonesOutput({ availableResourceCreation: "VSwitch" }, { parent: this });
        this.zoneIds = this.privateCidrs.map((_, i) =>
            zones.ids.apply((ids) => {
                if (ids.length <= i) {
                    throw new Error(
                        `Network ${name}: \`zoneCount\` is ${args.zoneCount} but the region offers vSwitches in ${ids.length} zones (${ids.join(", ")}).`,
                    );
                }
                return ids[i];
            }),
        );

        this.vpc = new alicloud.vpc.Network(`${name}-vpc`, { vpcName: name, cidrBlock: args.cidr, description: `${name}: private network` }, { parent: this });
        this.vswitches = this.privateCidrs.map(
            (cidrBlock, i) =>
                new alicloud.vpc.Switch(
                    `${name}-private-${i}`,
                    { vswitchName: `${name}-private-${i}`, vpcId: this.vpc.id, cidrBlock, zoneId: this.zoneIds[i] },
                    { parent: this },
                ),
        );
        this.natVswitch = new alicloud.vpc.Switch(
            `${name}-nat`,
            { vswitchName: `${name}-nat`, vpcId: this.vpc.id, cidrBlock: natCidr, zoneId: this.zoneIds[0] },
            { parent: this },
        );
        this.natGateway = new alicloud.vpc.NatGateway(
            `${name}-nat`,
            {
                natGatewayName: `${name}-nat`,
                vpcId: this.vpc.id,
                vswitchId: this.natVswitch.id,
                natType: "Enhanced",
                networkType: "internet",
                paymentType: "PayAsYouGo",
                internetChargeType: "PayByLcu",
                eipBindMode: "NAT",
                deletionProtection: prod,
            },
            { parent: this },
        );
        this.eip = new alicloud.ecs.EipAddress(
            `${name}-nat-eip`,
            {
                addressName: `${name}-nat`,
                isp: "BGP",
                paymentType: "PayAsYouGo",
                internetChargeType: "PayByTraffic",
                bandwidth: "200",
                deletionProtection: prod,
            },
            { parent: this },
        );
        this.eipAssociation = new alicloud.ecs.EipAssociation(
            `${name}-nat-eip`,
            { allocationId: this.eip.id, instanceId: this.natGateway.id, instanceType: "Nat" },
            { parent: this },
        );
        this.snatEntries = this.vswitches.map(
            (vswitch, i) =>
                new alicloud.vpc.SnatEntry(
                    `${name}-snat-${i}`,
                    {
                        snatEntryName: `${name}-private-${i}`,
                        snatTableId: this.natGateway.snatTableIds,
                        sourceVswitchId: vswitch.id,
                        snatIp: this.eip.ipAddress,
                    },
                    { parent: this, dependsOn: [this.eipAssociation] },
                ),
        );

        this.flowLogProject = new alicloud.log.Project(
            `${name}-flowlogs`,
            { projectName: `${name}-flowlogs`, description: `${name}: VPC flow logs` },
            { parent: this },
        );
        this.flowLogStore = new alicloud.log.Store(
            `${name}-flowlogs`,
            {
                projectName: this.flowLogProject.projectName,
                logstoreName: "vpc-flow",
                retentionPeriod: args.flowLogRetentionDays ?? (prod ? 180 : 30),
                shardCount: 2,
                autoSplit: true,
                maxSplitShardCount: 16,
            },
            { parent: this },
        );
        this.flowLog = new alicloud.vpc.FlowLog(
            `${name}-flowlog`,
            {
                flowLogName: name,
                resourceType: "VPC",
                resourceId: this.vpc.id,
                trafficType: "All",
                projectName: this.flowLogProject.projectName,
                logStoreName: this.flowLogStore.logstoreName,
                status: "Active",
            },
            { parent: this },
        );

        this.networkId = this.vpc.id;
        this.vswitchIds = this.vswitches.map((v) => v.id);
        this.registerOutputs({ networkId: this.networkId, vswitchIds: this.vswitchIds, privateCidrs: this.privateCidrs });
    }
}
