import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import type { Environment, PrivateListenerHandle } from "../contracts";
import { ipv4Block } from "../core/cidr";

export interface PrivateListenerArgs {
    environment: Environment;
    vpcId: pulumi.Input<string>;
    /** One vSwitch per zone, with its zone, as the public load balancer has them. */
    zoneMappings: { vswitchId: pulumi.Input<string>; zoneId: pulumi.Input<string> }[];
    /** The public load balancer's server group: a server group belongs to the VPC, so both listeners forward to the same instances. */
    serverGroupId: pulumi.Input<string>;
    /** The public HTTPS listener's certificate and TLS policy, so callers see the same certificate. */
    certificateId: pulumi.Input<string>;
    securityPolicyId: pulumi.Input<string>;
    /** Ranges of the callers' networks: the only sources admitted (a whitelist ACL). */
    callers: string[];
}

/**
 * An internal (Intranet) ALB in the network's vSwitches whose HTTPS listener
 * forwards to the public load balancer's server group, with the same
 * certificate and TLS policy, and admits only the callers' ranges. Its address
 * is the first zone's private address: an internal ALB's DNS name has the same
 * form as a public one's, and a private address says plainly that the call stays
 * on the links.
 */
export class PrivateListener extends pulumi.ComponentResource implements PrivateListenerHandle {
    readonly cloud = "alicloud" as const;
    readonly loadBalancer: alicloud.alb.LoadBalancer;
    readonly acl: alicloud.alb.Acl;
    readonly listener: alicloud.alb.Listener;
    readonly endpoint: pulumi.Output<string>;

    constructor(name: string, args: PrivateListenerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:alicloud:PrivateListener", name, {}, opts);
        if (args.callers.length === 0) throw new Error(`PrivateListener ${name}: \`callers\` lists no range; a listener nobody may call has no use.`);
        args.callers.forEach((cidr) => ipv4Block(cidr, 8, 32, `PrivateListener ${name}: \`callers\``));
        if (args.zoneMappings.length < 2)
            throw new Error(`PrivateListener ${name}: \`zoneMappings\` must list vSwitches in at least 2 zones, got ${args.zoneMappings.length}.`);
        const prod = args.environment === "prod";
        this.loadBalancer = new alicloud.alb.LoadBalancer(
            `${name}-alb`,
            {
                loadBalancerName: name,
                vpcId: args.vpcId,
                addressType: "Intranet",
                addressAllocatedMode: "Fixed",
                loadBalancerEdition: "Standard",
                loadBalancerBillingConfig: { payType: "PayAsYouGo" },
                zoneMappings: args.zoneMappings,
                deletionProtectionEnabled: prod,
            },
            { parent: this },
        );
        this.acl = new alicloud.alb.Acl(
            `${name}-callers`,
            { aclName: `${name}-callers`, aclEntries: args.callers.map((entry) => ({ entry, description: "a linked network" })) },
            { parent: this },
        );
        this.listener = new alicloud.alb.Listener(
            `${name}-https`,
            {
                loadBalancerId: this.loadBalancer.id,
                listenerProtocol: "HTTPS",
                listenerPort: 443,
                listenerDescription: `${name}: HTTPS from linked networks`,
                certificates: { certificateId: args.certificateId },
                securityPolicyId: args.securityPolicyId,
                http2Enabled: true,
                defaultActions: [{ type: "ForwardGroup", forwardGroupConfig: { serverGroupTuples: [{ serverGroupId: args.serverGroupId }] } }],
                xForwardedForConfig: { xForwardedForEnabled: true, xForwardedForProtoEnabled: true },
            },
            { parent: this },
        );
        new alicloud.alb.ListenerAclAttachment(`${name}-callers`, { listenerId: this.listener.id, aclId: this.acl.id, aclType: "White" }, { parent: this });
        // The address is the cloud's to assign: it waits on the DNS name, which a preview cannot know either.
        this.endpoint = pulumi
            .all([this.loadBalancer.zoneMappings, this.loadBalancer.dnsName])
            .apply(([zones, dnsName]) => `https://${zones?.[0]?.address || dnsName}`);
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
