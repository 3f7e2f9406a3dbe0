import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Environment, LinkCiphers, LinkConnection, LinkEndConfiguration, LinkHandle, LinkPeer } from "../contracts";
import { ConfigError } from "../core/errors";
import { insideAddresses, linkEndConfiguration, tunnelLayout, validateLinkPeer } from "../core/link";

export interface LinkArgs {
    environment: Environment;
    /** The VPC this end joins, made by the workload's own stack. */
    vpcId: pulumi.Input<string>;
    /** Zones of the VPC: one private route table and subnet per zone (the Network contract: private subnets egress through NAT). */
    zoneCount: number;
    /** The transit gateway's Amazon-side ASN. */
    asn: number;
    /** Advertised to every peer, exactly: static routes in each peer's route table. */
    ranges: string[];
}

/** The AWS names of the neutral ciphers, as VPN connection tunnel options spell them. */
export const awsCiphers = {
    encryption: { "aes-256-gcm": "AES256-GCM-16", "aes-256-cbc": "AES256" },
    integrity: { "sha-256": "SHA2-256", "sha-384": "SHA2-384", "sha-512": "SHA2-512" },
} as const;

/** Tunnel options of one tunnel of a VPN connection: IKEv2 only, one cipher set, PFS with the same group, the key. */
function tunnelOptions(n: 1 | 2, ciphers: LinkCiphers, insideCidr: string, sharedKey: pulumi.Output<string>): Partial<aws.ec2.VpnConnectionArgs> {
    const encryption = [awsCiphers.encryption[ciphers.encryption]];
    const integrity = [awsCiphers.integrity[ciphers.integrity]];
    const dh = [ciphers.dhGroup];
    return {
        [`tunnel${n}InsideCidr`]: insideCidr,
        [`tunnel${n}PresharedKey`]: sharedKey,
        [`tunnel${n}IkeVersions`]: ["ikev2"],
        [`tunnel${n}Phase1EncryptionAlgorithms`]: encryption,
        [`tunnel${n}Phase1IntegrityAlgorithms`]: integrity,
        [`tunnel${n}Phase1DhGroupNumbers`]: dh,
        [`tunnel${n}Phase2EncryptionAlgorithms`]: encryption,
        [`tunnel${n}Phase2IntegrityAlgorithms`]: integrity,
        [`tunnel${n}Phase2DhGroupNumbers`]: dh,
        // AWS starts the negotiation, so the tunnel comes up without waiting for the peer to send traffic.
        [`tunnel${n}StartupAction`]: "start",
        [`tunnel${n}DpdTimeoutAction`]: "restart",
    };
}

/**
 * This VPC's end of links: a transit gateway with the VPC attached in every
 * zone, and per peer (`connect`) a customer gateway and a VPN connection of two
 * tunnels for each of the peer's outside addresses, BGP over every tunnel.
 *
 * Routing is kept per peer: the VPC attachment's route table learns each peer's
 * ranges from its VPN attachments (BGP, ECMP across the tunnels); each peer's
 * VPN attachments have a route table of their own holding only this VPC's
 * ranges, so a peer is told exactly those and never another peer's. The VPC's
 * private route tables send the peer's ranges to the transit gateway.
 */
export class Link extends pulumi.ComponentResource implements LinkHandle {
    readonly cloud = "aws" as const;
    readonly asn: number;
    /** AWS gives outside addresses per VPN connection: none before a peer. */
    readonly addresses: pulumi.Output<string[]> = pulumi.output([]);
    readonly addressCount = 0;
    /** A VPN connection (two tunnels, two AWS addresses) per address of the peer. */
    readonly tunnelsPerPeerAddress = 2;
    readonly transitGateway: aws.ec2transitgateway.TransitGateway;
    readonly vpcAttachment: aws.ec2transitgateway.VpcAttachment;
    /** The route table of the VPC attachment: where peers' ranges are learned. */
    readonly vpcRoutes: aws.ec2transitgateway.RouteTable;
    /** The VPC's private route table of each zone. */
    readonly zoneRouteTableIds: pulumi.Output<string>[];
    readonly args: LinkArgs;
    private readonly name: string;

    constructor(name: string, args: LinkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:aws:Link", name, {}, opts);
        this.name = name;
        this.args = args;
        this.asn = args.asn;

        this.transitGateway = new aws.ec2transitgateway.TransitGateway(
            `${name}-tgw`,
            {
                description: `${name}: links of one VPC`,
                amazonSideAsn: args.asn,
                // Every attachment is associated and propagated explicitly, so no peer learns another's routes.
                defaultRouteTableAssociation: "disable",
                defaultRouteTablePropagation: "disable",
                autoAcceptSharedAttachments: "disable",
                vpnEcmpSupport: "enable",
                dnsSupport: "enable",
            },
            { parent: this },
        );
        // The Network contract: the private subnets, one per zone, egress through managed NAT; the public ones through the internet gateway.
        const privateTables = aws.ec2.getRouteTablesOutput(
            { vpcId: args.vpcId, filters: [{ name: "route.nat-gateway-id", values: ["nat-*"] }] },
            { parent: this },
        );
        // Sorted, so each zone's routes keep their table from one run to the next.
        this.zoneRouteTableIds = [...Array(args.zoneCount).keys()].map((i) => privateTables.ids.apply((ids) => [...ids].sort()[i % ids.length]));
        const subnetIds = pulumi
            .all(
                this.zoneRouteTableIds.map((routeTableId) =>
                    aws.ec2.getRouteTableOutput({ routeTableId }, { parent: this }).associations.apply((a) => a.find((x) => x.subnetId)?.subnetId ?? ""),
                ),
            )
            .apply((ids) => [...new Set(ids)]);
        this.vpcAttachment = new aws.ec2transitgateway.VpcAttachment(
            `${name}-vpc`,
            {
                transitGatewayId: this.transitGateway.id,
                vpcId: args.vpcId,
                subnetIds,
                dnsSupport: "enable",
                transitGatewayDefaultRouteTableAssociation: false,
                transitGatewayDefaultRouteTablePropagation: false,
            },
            { parent: this },
        );
        this.vpcRoutes = new aws.ec2transitgateway.RouteTable(`${name}-vpc`, { transitGatewayId: this.transitGateway.id }, { parent: this });
        new aws.ec2transitgateway.RouteTableAssociation(
            `${name}-vpc`,
            { transitGatewayAttachmentId: this.vpcAttachment.id, transitGatewayRouteTableId: this.vpcRoutes.id },
            { parent: this },
        );
        this.registerOutputs({ transitGatewayId: this.transitGateway.id });
    }

    connect(name: string, peer: LinkPeer): LinkConnection {
        return new VpnLinkConnection(name, { link: this, peer }, { parent: this });
    }
}

export interface VpnLinkConnectionArgs {
    link: Link;
    peer: LinkPeer;
}

/** The tunnels of one AWS link end to one peer: see `Link`. */
export class VpnLinkConnection extends pulumi.ComponentResource implements LinkConnection {
    readonly cloud = "aws" as const;
    readonly customerGateways: aws.ec2.CustomerGateway[] = [];
    readonly vpnConnections: aws.ec2.VpnConnection[] = [];
    readonly peerRoutes: aws.ec2transitgateway.RouteTable;
    readonly tunnelAddresses: pulumi.Output<string[]>;
    readonly configuration: LinkEndConfiguration;

    constructor(name: string, { link, peer }: VpnLinkConnectionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:aws:LinkConnection", name, {}, opts);
        const args = link.args;
        const subject = `aws link ${name}`;
        validateLinkPeer(subject, { cloud: "aws", asn: args.asn, ranges: args.ranges, localCount: peer.addressCount * link.tunnelsPerPeerAddress }, peer);
        for (const [t, tunnel] of peer.tunnels.entries()) {
            const [first] = insideAddresses(tunnel.insideCidr);
            if (tunnel.insideAddress !== first) {
                throw new ConfigError(
                    `${subject}: AWS takes the first address of each tunnel's /30 for itself; tunnel ${t} gives it ${tunnel.insideAddress}, not ${first}.`,
                );
            }
        }
        const tgw = link.transitGateway.id;
        const peerAddresses = pulumi.output(peer.addresses);
        this.peerRoutes = new aws.ec2transitgateway.RouteTable(`${name}-peer`, { transitGatewayId: tgw }, { parent: this });
        for (let k = 0; k < peer.addressCount; k++) {
            const customerGateway = new aws.ec2.CustomerGateway(
                `${name}-${k}`,
                { type: "ipsec.1", bgpAsn: String(peer.asn), ipAddress: peerAddresses.apply((a) => a[k]) },
                { parent: this },
            );
            const [first, second] = [peer.tunnels[2 * k], peer.tunnels[2 * k + 1]];
            const connection = new aws.ec2.VpnConnection(
                `${name}-${k}`,
                {
                    type: "ipsec.1",
                    customerGatewayId: customerGateway.id,
                    transitGatewayId: tgw,
                    staticRoutesOnly: false,
                    ...tunnelOptions(1, peer.ciphers, first.insideCidr, first.sharedKey),
                    ...tunnelOptions(2, peer.ciphers, second.insideCidr, second.sharedKey),
                },
                { parent: this },
            );
            this.customerGateways.push(customerGateway);
            this.vpnConnections.push(connection);
            new aws.ec2transitgateway.RouteTableAssociation(
                `${name}-${k}`,
                { transitGatewayAttachmentId: connection.transitGatewayAttachmentId, transitGatewayRouteTableId: this.peerRoutes.id },
                { parent: this },
            );
            // The VPC learns the peer's ranges from BGP on this connection's tunnels.
            new aws.ec2transitgateway.RouteTablePropagation(
                `${name}-${k}`,
                { transitGatewayAttachmentId: connection.transitGatewayAttachmentId, transitGatewayRouteTableId: link.vpcRoutes.id },
                { parent: this },
            );
        }
        // What the peer is told over BGP: this VPC's planned ranges, nothing learned from another peer.
        args.ranges.forEach(
            (range, i) =>
                new aws.ec2transitgateway.Route(
                    `${name}-advertise-${i}`,
                    { destinationCidrBlock: range, transitGatewayAttachmentId: link.vpcAttachment.id, transitGatewayRouteTableId: this.peerRoutes.id },
                    { parent: this },
                ),
        );
        link.zoneRouteTableIds.forEach((routeTableId, zone) =>
            peer.ranges.forEach(
                (range, i) =>
                    new aws.ec2.Route(
                        `${name}-zone${zone}-${i}`,
                        { routeTableId, destinationCidrBlock: range, transitGatewayId: tgw },
                        { parent: this, dependsOn: [link.vpcAttachment] },
                    ),
            ),
        );

        this.tunnelAddresses = pulumi.all(this.vpnConnections.flatMap((c) => [c.tunnel1Address, c.tunnel2Address]));
        const layout = tunnelLayout(peer.tunnels.length, peer.addressCount);
        this.configuration = linkEndConfiguration("aws", args, peer, this.tunnelAddresses, peerAddresses, layout);
        this.registerOutputs({ tunnelAddresses: this.tunnelAddresses });
    }
}
