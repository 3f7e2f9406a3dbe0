import * as pulumi from "@pulumi/pulumi";
import type { Environment, LinkConnection, LinkEndConfiguration, LinkHandle, LinkPeer } from "../contracts";
import { ConfigError } from "../core/errors";
import { linkEndConfiguration, tunnelLayout, validateLinkPeer } from "../core/link";

export interface EdgeLinkArgs {
    environment: Environment;
    /** The edge router's public addresses: two, so one address (or uplink) can fail. */
    edgeAddresses: string[];
    /** The edge router's ASN. */
    asn: number;
    /** What the edge advertises: the ranges the private cloud's egress is translated into (the address plan's). */
    ranges: string[];
}

/**
 * The private cloud's end of links: its edge router, which the platform does not
 * build. Its public addresses and ASN come from configuration; per peer
 * (`connect`), the tunnels are rendered as the parameters the edge's operators
 * configure (`configuration`, keys apart), and nothing is created.
 */
export class EdgeLink extends pulumi.ComponentResource implements LinkHandle {
    readonly cloud = "onprem" as const;
    readonly asn: number;
    readonly addresses: pulumi.Output<string[]>;
    readonly addressCount: number;
    readonly args: EdgeLinkArgs;

    constructor(name: string, args: EdgeLinkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:onprem:EdgeLink", name, {}, opts);
        if (args.environment === "prod" && args.edgeAddresses.length < 2) {
            throw new ConfigError(`onprem link ${name}: prod needs two edge addresses, so one can fail; got ${JSON.stringify(args.edgeAddresses)}.`);
        }
        this.args = args;
        this.asn = args.asn;
        this.addresses = pulumi.output(args.edgeAddresses);
        this.addressCount = args.edgeAddresses.length;
        this.registerOutputs({ addresses: this.addresses });
    }

    connect(name: string, peer: LinkPeer): LinkConnection {
        return new EdgeLinkConnection(name, { link: this, peer }, { parent: this });
    }
}

/** The edge router's tunnels to one peer, as parameters: see `EdgeLink`. */
export class EdgeLinkConnection extends pulumi.ComponentResource implements LinkConnection {
    readonly cloud = "onprem" as const;
    readonly tunnelAddresses: pulumi.Output<string[]>;
    readonly configuration: LinkEndConfiguration;

    constructor(name: string, { link, peer }: { link: EdgeLink; peer: LinkPeer }, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:onprem:EdgeLinkConnection", name, {}, opts);
        const args = link.args;
        validateLinkPeer(`onprem link ${name}`, { cloud: "onprem", asn: args.asn, ranges: args.ranges, localCount: link.addressCount }, peer);
        const layout = tunnelLayout(link.addressCount, peer.addressCount);
        this.tunnelAddresses = pulumi.output(layout.map((l) => args.edgeAddresses[l.local]));
        this.configuration = linkEndConfiguration("onprem", args, peer, this.tunnelAddresses, pulumi.output(peer.addresses), layout);
        this.registerOutputs({ configuration: this.configuration });
    }
}
