import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import type { Cloud, Environment, NetworkHandle } from "../contracts";
import { ipv4Block, subBlock } from "../core/cidr";

export interface NetworkArgs {
    environment: Environment;
    region: string;
    /** The block from the address plan; its prefix must be between /8 and /20. */
    cidr: string;
    zoneCount: number;
    /** Planned ranges of GKE pods and services, outside `cidr`; carved from `cidr` when unset. */
    secondaryRanges?: { pods: string; services: string };
}

/** Secondary range names the GKE cluster reads from the network. */
export const podsRangeName = "pods";
export const servicesRangeName = "services";

/**
 * A custom-mode VPC with one regional subnet (nodes and VMs) and secondary ranges
 * for GKE pods and services, all carved from `cidr`: nodes get the first /(p+4),
 * services the second /(p+4), pods the upper half. Egress goes through Cloud NAT;
 * flow logs and firewall logs are on; ingress is allowed only from inside the
 * network (other components open their own serving ports).
 */
export class Network extends pulumi.ComponentResource implements NetworkHandle {
    readonly cloud: Cloud = "gcp";
    readonly network: gcp.compute.Network;
    readonly subnetwork: gcp.compute.Subnetwork;
    readonly router: gcp.compute.Router;
    readonly nat: gcp.compute.RouterNat;
    readonly internalFirewall: gcp.compute.Firewall;
    readonly networkId: pulumi.Output<string>;
    readonly subnetworkId: pulumi.Output<string>;
    readonly privateCidrs: string[];
    readonly podsCidr: string;
    readonly servicesCidr: string;
    readonly region: string;
    /** The zones the network's workloads spread over: the first `zoneCount` of the region. */
    readonly zones: pulumi.Output<string[]>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:gcp:Network", name, {}, opts);
        const block = ipv4Block(args.cidr, 8, 20, "Network: `cidr`");
        if (!Number.isInteger(args.zoneCount) || args.zoneCount < 1 || args.zoneCount > 3) {
            throw new Error(`Network: \`zoneCount\` must be 1, 2 or 3, got ${args.zoneCount}.`);
        }
        // Planned secondary ranges keep pods and services outside the node range; without a
        // plan they are carved from the block: nodes the first /(p+4), services the second, pods the upper half.
        const nodesCidr = args.secondaryRanges ? args.cidr : subBlock(block, block.prefix + 4, 0);
        this.servicesCidr = args.secondaryRanges?.services ?? subBlock(block, block.prefix + 4, 1);
        this.podsCidr = args.secondaryRanges?.pods ?? subBlock(block, block.prefix + 1, 1);
        this.privateCidrs = [nodesCidr];
        this.region = args.region;

        this.network = new gcp.compute.Network(`${name}-vpc`, { autoCreateSubnetworks: false, routingMode: "REGIONAL" }, { parent: this });
        this.subnetwork = new gcp.compute.Subnetwork(
            `${name}-subnet`,
            {
                network: this.network.id,
                region: args.region,
                ipCidrRange: nodesCidr,
                secondaryIpRanges: [
                    { rangeName: podsRangeName, ipCidrRange: this.podsCidr },
                    { rangeName: servicesRangeName, ipCidrRange: this.servicesCidr },
                ],
                privateIpGoogleAccess: true,
                logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
            },
            { parent: this },
        );
        this.router = new gcp.compute.Router(`${name}-router`, { network: this.network.id, region: args.region }, { parent: this });
        this.nat = new gcp.compute.RouterNat(
            `${name}-nat`,
            {
                router: this.router.name,
                region: args.region,
                natIpAllocateOption: "AUTO_ONLY",
                sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
                logConfig: { enable: true, filter: "ERRORS_ONLY" },
            },
            { parent: this },
        );
        this.internalFirewall = new gcp.compute.Firewall(
            `${name}-allow-internal`,
            {
                network: this.network.id,
                direction: "INGRESS",
                priority: 1000,
                sourceRanges: [nodesCidr, this.podsCidr, this.servicesCidr],
                allows: [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }],
                logConfig: { metadata: "INCLUDE_ALL_METADATA" },
            },
            { parent: this },
        );

        this.networkId = this.network.id;
        this.subnetworkId = this.subnetwork.id;
        this.zones = gcp.compute.getZonesOutput({ region: args.region, status: "UP" }, { parent: this }).apply((result) => {
            const zones = [...result.names].sort();
            if (zones.length < args.zoneCount) {
                throw new Error(`Network: region ${args.region} has ${zones.length} zones up, fewer than \`zoneCount\` ${args.zoneCount}.`);
            }
            return zones.slice(0, args.zoneCount);
        });
        this.registerOutputs({ networkId: this.networkId, subnetworkId: this.subnetworkId, zones: this.zones });
    }
}
