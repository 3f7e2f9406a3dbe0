import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Environment, LinkCiphers, LinkConnection, LinkEndConfiguration, LinkHandle, LinkPeer } from "../contracts";
import { ConfigError } from "../core/errors";
import { linkEndConfiguration, tunnelLayout, validateLinkPeer } from "../core/link";

export interface LinkArgs {
    environment: Environment;
    region: string;
    /** The VPC network this end joins (its id or self link), made by the workload's own stack. */
    network: pulumi.Input<string>;
    /** The Cloud Router's ASN. */
    asn: number;
    /** Advertised to every peer, exactly: the router's custom advertisement, and each peer's. */
    ranges: string[];
}

/** The interfaces of an HA VPN gateway: two, each with its own address. */
const haInterfaces = 2;

/** How Google names the redundancy of an external gateway of one, two or four interfaces. */
const redundancyOf: Record<number, string> = { 1: "SINGLE_IP_INTERNALLY_REDUNDANT", 2: "TWO_IPS_REDUNDANCY", 4: "FOUR_IPS_REDUNDANCY" };

/** The GCP names of the neutral ciphers, as a tunnel's cipher suite spells them. */
export const gcpCiphers = {
    encryption: { "aes-256-gcm": "AES-GCM-16-256", "aes-256-cbc": "AES-CBC-256" },
    integrity: { "sha-256": "HMAC-SHA2-256-128", "sha-384": "HMAC-SHA2-384-192", "sha-512": "HMAC-SHA2-512-256" },
    prf: { "sha-256": "PRF-HMAC-SHA2-256", "sha-384": "PRF-HMAC-SHA2-384", "sha-512": "PRF-HMAC-SHA2-512" },
} as const;

/** One cipher set, the same in both phases; GCM carries its own integrity, so an integrity algorithm is named only with CBC. */
export function cipherSuite(ciphers: LinkCiphers): gcp.types.input.compute.VPNTunnelCipherSuite {
    const encryptions = [gcpCiphers.encryption[ciphers.encryption]];
    const integrities = ciphers.encryption === "aes-256-cbc" ? [gcpCiphers.integrity[ciphers.integrity]] : undefined;
    const group = `Group-${ciphers.dhGroup}`;
    return {
        phase1: { encryptions, integrities, prves: [gcpCiphers.prf[ciphers.integrity]], dhs: [group] },
        phase2: { encryptions, integrities, pfs: [group] },
    };
}

/**
 * This network's end of links: an HA VPN gateway (two interfaces, two
 * addresses) and a Cloud Router that advertises exactly the network's planned
 * ranges. Per peer (`connect`), an external VPN gateway of the peer's addresses
 * and one tunnel per pair of addresses, each with a router interface and a BGP
 * peer: four tunnels toward AWS (two VPN connections), two, one per interface,
 * toward a gateway of two addresses; the layouts of Google's 99.99 % SLA.
 */
export class Link extends pulumi.ComponentResource implements LinkHandle {
    readonly cloud = "gcp" as const;
    readonly asn: number;
    readonly addresses: pulumi.Output<string[]>;
    readonly addressCount = haInterfaces;
    readonly gateway: gcp.compute.HaVpnGateway;
    readonly router: gcp.compute.Router;
    readonly args: LinkArgs;

    constructor(name: string, args: LinkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:gcp:Link", name, {}, opts);
        this.args = args;
        this.asn = args.asn;
        this.gateway = new gcp.compute.HaVpnGateway(
            `${name}-gateway`,
            { region: args.region, network: args.network, stackType: "IPV4_ONLY" },
            { parent: this },
        );
        this.router = new gcp.compute.Router(
            `${name}-router`,
            {
                region: args.region,
                network: args.network,
                bgp: { asn: args.asn, advertiseMode: "CUSTOM", advertisedIpRanges: args.ranges.map((range) => ({ range })) },
            },
            { parent: this },
        );
        this.addresses = this.gateway.vpnInterfaces.apply((interfaces) => (interfaces ?? []).map((i) => i.ipAddress));
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

/** The tunnels of one GCP link end to one peer: see `Link`. */
export class VpnLinkConnection extends pulumi.ComponentResource implements LinkConnection {
    readonly cloud = "gcp" as const;
    readonly externalGateway: gcp.compute.ExternalVpnGateway;
    readonly tunnels: gcp.compute.VPNTunnel[] = [];
    readonly peers: gcp.compute.RouterPeer[] = [];
    readonly tunnelAddresses: pulumi.Output<string[]>;
    readonly configuration: LinkEndConfiguration;

    constructor(name: string, { link, peer }: VpnLinkConnectionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:gcp:LinkConnection", name, {}, opts);
        const args = link.args;
        const subject = `gcp link ${name}`;
        validateLinkPeer(subject, { cloud: "gcp", asn: args.asn, ranges: args.ranges, localCount: haInterfaces }, peer);
        const redundancyType = redundancyOf[peer.addressCount];
        if (!redundancyType)
            throw new ConfigError(`${subject}: an external VPN gateway has 1, 2 or 4 interfaces; the peer has ${peer.addressCount} addresses.`);
        const peerAddresses = pulumi.output(peer.addresses);
        this.externalGateway = new gcp.compute.ExternalVpnGateway(
            `${name}-peer`,
            {
                redundancyType,
                description: `${name}: the ${peer.cloud} end`,
                interfaces: [...Array(peer.addressCount).keys()].map((id) => ({ id, ipAddress: peerAddresses.apply((a) => a[id]) })),
            },
            { parent: this },
        );
        const layout = tunnelLayout(haInterfaces, peer.addressCount);
        const advertised = args.ranges.map((range) => ({ range }));
        for (const [t, tunnel] of peer.tunnels.entries()) {
            const vpnTunnel = new gcp.compute.VPNTunnel(
                `${name}-${t}`,
                {
                    region: args.region,
                    vpnGateway: link.gateway.id,
                    vpnGatewayInterface: layout[t].local,
                    peerExternalGateway: this.externalGateway.id,
                    peerExternalGatewayInterface: layout[t].peer,
                    router: link.router.id,
                    ikeVersion: 2,
                    sharedSecret: tunnel.sharedKey,
                    cipherSuite: cipherSuite(peer.ciphers),
                },
                { parent: this },
            );
            const routerInterface = new gcp.compute.RouterInterface(
                `${name}-${t}`,
                { region: args.region, router: link.router.name, ipRange: `${tunnel.insideAddress}/30`, vpnTunnel: vpnTunnel.name },
                { parent: this },
            );
            const routerPeer = new gcp.compute.RouterPeer(
                `${name}-${t}`,
                {
                    region: args.region,
                    router: link.router.name,
                    interface: routerInterface.name,
                    ipAddress: tunnel.insideAddress,
                    peerIpAddress: tunnel.peerInsideAddress,
                    peerAsn: peer.asn,
                    advertiseMode: "CUSTOM",
                    advertisedIpRanges: advertised,
                },
                { parent: this },
            );
            this.tunnels.push(vpnTunnel);
            this.peers.push(routerPeer);
        }
        this.tunnelAddresses = link.addresses.apply((ours) => layout.map((l) => ours[l.local]));
        this.configuration = linkEndConfiguration("gcp", args, peer, this.tunnelAddresses, peerAddresses, layout);
        this.registerOutputs({ tunnelAddresses: this.tunnelAddresses });
    }
}
