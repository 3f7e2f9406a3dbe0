import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import type { Environment, LinkCiphers, LinkConnection, LinkEndConfiguration, LinkHandle, LinkPeer, LinkTunnelSpec } from "../contracts";
import { linkEndConfiguration, tunnelLayout, validateLinkPeer } from "../core/link";

export interface LinkArgs {
    environment: Environment;
    /** The VPC this end joins, made by the workload's own stack. */
    vpcId: pulumi.Input<string>;
    /** The local ASN of every tunnel's BGP. */
    asn: number;
    /** This end's ranges: the connections' local subnets. */
    ranges: string[];
    /** The gateway's bandwidth in Mbit/s (a size Alibaba Cloud sells: 10, 100, 200, 500, 1000); 10 when unset: calls between workloads, not bulk transfer. */
    bandwidthMbps?: number;
}

/** A dual-tunnel VPN gateway has two addresses: the master tunnel's and the slave tunnel's. */
const gatewayAddresses = 2;

/** Alibaba Cloud's names of the neutral ciphers, as IKE and IPsec configurations spell them. */
export const alicloudCiphers = {
    encryption: { "aes-256-cbc": "aes256" },
    integrity: { "sha-256": "sha256", "sha-384": "sha384", "sha-512": "sha512" },
} as const;

function ikeAndIpsec(ciphers: LinkCiphers, psk: pulumi.Output<string>) {
    const encryption = alicloudCiphers.encryption[ciphers.encryption as "aes-256-cbc"];
    const integrity = alicloudCiphers.integrity[ciphers.integrity];
    const group = `group${ciphers.dhGroup}`;
    return {
        tunnelIkeConfig: { ikeVersion: "ikev2", ikeMode: "main", ikeEncAlg: encryption, ikeAuthAlg: integrity, ikePfs: group, psk },
        tunnelIpsecConfig: { ipsecEncAlg: encryption, ipsecAuthAlg: integrity, ipsecPfs: group },
    };
}

/**
 * This VPC's end of links: a dual-tunnel VPN gateway (two addresses, in two
 * zones) that propagates the routes its BGP sessions learn into the VPC's route
 * table. Per peer (`connect`), a customer gateway per peer address and
 * dual-tunnel IPsec connections with BGP on both tunnels: one connection toward
 * a gateway of two addresses, two toward AWS (its two VPN connections' four
 * addresses, each connection's tunnels from one of ours).
 */
export class Link extends pulumi.ComponentResource implements LinkHandle {
    readonly cloud = "alicloud" as const;
    readonly asn: number;
    readonly addresses: pulumi.Output<string[]>;
    readonly addressCount = gatewayAddresses;
    readonly gateway: alicloud.vpn.Gateway;
    readonly args: LinkArgs;

    constructor(name: string, args: LinkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:alicloud:Link", name, {}, opts);
        this.args = args;
        this.asn = args.asn;
        // Two vSwitches in two zones: the dual-tunnel gateway keeps one address in each.
        const switches = alicloud.vpc.getSwitchesOutput({ vpcId: args.vpcId }, { parent: this }).vswitches.apply((all) => {
            const sorted = [...(all ?? [])].sort((a, b) => a.cidrBlock.localeCompare(b.cidrBlock));
            const first = sorted[0];
            const second = sorted.find((s) => s.zoneId !== first?.zoneId);
            return [first?.id ?? "", second?.id ?? ""];
        });
        this.gateway = new alicloud.vpn.Gateway(
            `${name}-gateway`,
            {
                vpnGatewayName: name,
                vpcId: args.vpcId,
                vswitchId: switches.apply((s) => s[0]),
                disasterRecoveryVswitchId: switches.apply((s) => s[1]),
                bandwidth: args.bandwidthMbps ?? 10,
                networkType: "public",
                vpnType: "Normal",
                paymentType: "PayAsYouGo",
                enableIpsec: true,
                enableSsl: false,
                // Routes learned over BGP reach the VPC's route table, so its workloads route to the peers.
                autoPropagate: true,
            },
            { parent: this },
        );
        this.addresses = pulumi.all([this.gateway.internetIp, this.gateway.disasterRecoveryInternetIp]).apply((a) => a.map((x) => x ?? ""));
        this.registerOutputs({ addresses: this.addresses });
    }

    connect(name: string, peer: LinkPeer): LinkConnection {
        return new VpnLinkConnection(name, { link: this, peer }, { parent: this });
    }
}

export interface VpnLinkConnectionArgs {
    link: Link;
    peer: LinkPeer;
}

/** The tunnels of one Alibaba Cloud link end to one peer: see `Link`. */
export class VpnLinkConnection extends pulumi.ComponentResource implements LinkConnection {
    readonly cloud = "alicloud" as const;
    readonly customerGateways: alicloud.vpn.CustomerGateway[] = [];
    readonly connections: alicloud.vpn.Connection[] = [];
    readonly tunnelAddresses: pulumi.Output<string[]>;
    readonly configuration: LinkEndConfiguration;

    constructor(name: string, { link, peer }: VpnLinkConnectionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:alicloud:LinkConnection", name, {}, opts);
        const args = link.args;
        validateLinkPeer(`alicloud link ${name}`, { cloud: "alicloud", asn: args.asn, ranges: args.ranges, localCount: gatewayAddresses }, peer);
        const peerAddresses = pulumi.output(peer.addresses);
        for (let k = 0; k < peer.addressCount; k++) {
            this.customerGateways.push(
                new alicloud.vpn.CustomerGateway(
                    `${name}-${k}`,
                    {
                        customerGatewayName: `${name}-${k}`,
                        ipAddress: peerAddresses.apply((a) => a[k]),
                        asn: String(peer.asn),
                        description: `${name}: ${peer.cloud} address ${k}`,
                    },
                    { parent: this },
                ),
            );
        }
        const layout = tunnelLayout(gatewayAddresses, peer.addressCount);
        // A dual-tunnel connection runs its master tunnel from our first address and its slave from the second.
        const fromFirst = layout.flatMap((l, t) => (l.local === 0 ? [t] : []));
        const fromSecond = layout.flatMap((l, t) => (l.local === 1 ? [t] : []));
        const tunnelOption = (t: number, role: "master" | "slave") => {
            const tunnel: LinkTunnelSpec = peer.tunnels[t];
            return {
                role,
                customerGatewayId: this.customerGateways[layout[t].peer].id,
                enableDpd: true,
                enableNatTraversal: true,
                tunnelBgpConfig: { localAsn: String(args.asn), localBgpIp: tunnel.insideAddress, tunnelCidr: tunnel.insideCidr },
                ...ikeAndIpsec(peer.ciphers, tunnel.sharedKey),
            };
        };
        fromFirst.forEach((master, j) => {
            this.connections.push(
                new alicloud.vpn.Connection(
                    `${name}-${j}`,
                    {
                        vpnConnectionName: `${name}-${j}`,
                        vpnGatewayId: link.gateway.id,
                        networkType: "public",
                        localSubnets: args.ranges,
                        remoteSubnets: peer.ranges,
                        enableTunnelsBgp: true,
                        effectImmediately: true,
                        tunnelOptionsSpecifications: [tunnelOption(master, "master"), tunnelOption(fromSecond[j], "slave")],
                    },
                    { parent: this },
                ),
            );
        });
        this.tunnelAddresses = link.addresses.apply((ours) => layout.map((l) => ours[l.local]));
        this.configuration = linkEndConfiguration("alicloud", args, peer, this.tunnelAddresses, peerAddresses, layout);
        this.registerOutputs({ tunnelAddresses: this.tunnelAddresses });
    }
}
