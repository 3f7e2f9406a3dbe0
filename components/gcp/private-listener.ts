import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Environment, PrivateListenerHandle } from "../contracts";
import { ipv4Block } from "../core/cidr";

export interface PrivateListenerArgs {
    environment: Environment;
    region: string;
    network: pulumi.Input<string>;
    subnetwork: pulumi.Input<string>;
    /** The backend services of the workload's load balancer: their instance groups and health checks serve the listener too. */
    backendServices: gcp.compute.BackendService[];
    /** The port the instances serve on. */
    port: number;
    /** Ranges of the callers' networks: the only sources admitted. */
    callers: string[];
}

/**
 * An internal passthrough network load balancer in the network's subnet, over
 * the same instance groups and health checks as the workload's global load
 * balancer, with a firewall rule that admits the callers' ranges on the
 * instances' port. A global external load balancer has no private side and a
 * regional internal HTTPS one needs a regional certificate and a proxy-only
 * subnet, so the listener speaks the instances' own protocol; across clouds the
 * link's IPsec encrypts it.
 */
export class PrivateListener extends pulumi.ComponentResource implements PrivateListenerHandle {
    readonly cloud = "gcp" as const;
    readonly backendService: gcp.compute.RegionBackendService;
    readonly forwardingRule: gcp.compute.ForwardingRule;
    readonly firewall: gcp.compute.Firewall;
    readonly endpoint: pulumi.Output<string>;

    constructor(name: string, args: PrivateListenerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:gcp:PrivateListener", name, {}, opts);
        if (args.callers.length === 0) throw new Error(`PrivateListener ${name}: \`callers\` lists no range; a listener nobody may call has no use.`);
        args.callers.forEach((cidr) => ipv4Block(cidr, 8, 32, `PrivateListener ${name}: \`callers\``));
        if (args.backendServices.length === 0) {
            throw new Error(`PrivateListener ${name}: the load balancer has no backends yet; build the group behind it first.`);
        }
        const services = pulumi.all(args.backendServices.map((s) => ({ backends: s.backends, healthChecks: s.healthChecks })));
        this.backendService = new gcp.compute.RegionBackendService(
            `${name}-backend`,
            {
                region: args.region,
                loadBalancingScheme: "INTERNAL",
                protocol: "TCP",
                backends: services.apply((all) => all.flatMap((s) => (s.backends ?? []).map((b) => ({ group: b.group, balancingMode: "CONNECTION" })))),
                healthChecks: services.apply((all) => all[0].healthChecks!),
                connectionDrainingTimeoutSec: 60,
                logConfig: { enable: true, sampleRate: args.environment === "prod" ? 1.0 : 0.5 },
            },
            { parent: this },
        );
        this.forwardingRule = new gcp.compute.ForwardingRule(
            `${name}-rule`,
            {
                region: args.region,
                loadBalancingScheme: "INTERNAL",
                ipProtocol: "TCP",
                ports: [String(args.port)],
                network: args.network,
                subnetwork: args.subnetwork,
                backendService: this.backendService.id,
            },
            { parent: this },
        );
        this.firewall = new gcp.compute.Firewall(
            `${name}-callers`,
            {
                network: args.network,
                direction: "INGRESS",
                description: `Private listener ${name}: the callers' networks, over the links`,
                sourceRanges: args.callers,
                allows: [{ protocol: "tcp", ports: [String(args.port)] }],
                logConfig: { metadata: "INCLUDE_ALL_METADATA" },
            },
            { parent: this },
        );
        this.endpoint = pulumi.interpolate`http://${this.forwardingRule.ipAddress}:${args.port}`;
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
