import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import type { Cloud, LoadBalancerHandle, LoadBalancerSpec } from "../contracts";

/**
 * ALB system security policies by the oldest TLS version each admits. Only these
 * names are accepted, so a policy is never judged by its spelling.
 */
export const albTlsPolicies = {
    tls_cipher_policy_1_0: "1.0",
    tls_cipher_policy_1_1: "1.1",
    tls_cipher_policy_1_2: "1.2",
    tls_cipher_policy_1_2_strict: "1.2",
    tls_cipher_policy_1_2_strict_with_1_3: "1.2",
} as const;
export type AlbTlsPolicy = keyof typeof albTlsPolicies;

/** Path rules take priorities from here up, in the order services are routed. */
export const firstRoutePriority = 100;
/** The largest priority an ALB rule may have: the catch-all service's rule is evaluated last. */
export const catchAllPriority = 10000;

export interface LoadBalancerArgs extends LoadBalancerSpec {
    vpcId: pulumi.Input<string>;
    /** At least two vSwitches in different zones (ALB spans zones). */
    zoneMappings: { vswitchId: pulumi.Input<string>; zoneId: pulumi.Input<string> }[];
    /** Defaults to TLS 1.2 and 1.3 with strong ciphers only. */
    tlsPolicy?: AlbTlsPolicy;
    /** Days the access logs are kept in prod. */
    accessLogRetentionDays?: number;
}

/**
 * An internet-facing Application Load Balancer: HTTPS on 443 with a TLS 1.2+
 * security policy, forwarding to one server group with HTTP health checks; HTTP on
 * 80 answers every path with a 301 redirect to HTTPS. In prod, deletion protection
 * and access logs to Log Service.
 *
 * ALB listeners can only forward by default, so the HTTP listener forwards to an
 * empty "redirect sink" server group that its catch-all redirect rule shadows:
 * no request on port 80 ever reaches a server.
 *
 * The HTTPS listener's default action forwards to the load balancer's own server
 * group, where VM groups register. Container services are routed by rules, each to
 * a server group of its own (components/alicloud/service-route.ts): path rules
 * first, then the one catch-all service's "/*" rule at the lowest precedence. A
 * catch-all rule, rather than a second default action, keeps the default right for
 * both: with a catch-all service every request matches a rule; without one, the
 * default group's VM group answers what no path claims.
 */
export class LoadBalancer extends pulumi.ComponentResource implements LoadBalancerHandle {
    readonly cloud: Cloud = "alicloud";
    readonly loadBalancer: alicloud.alb.LoadBalancer;
    readonly serverGroup: alicloud.alb.ServerGroup;
    readonly redirectSink: alicloud.alb.ServerGroup;
    readonly httpsListener: alicloud.alb.Listener;
    readonly httpListener: alicloud.alb.Listener;
    readonly redirectRule: alicloud.alb.Rule;
    readonly accessLogProject?: alicloud.log.Project;
    readonly accessLogStore?: alicloud.log.Store;

    readonly endpoint: pulumi.Output<string>;
    readonly serverGroupId: pulumi.Output<string>;
    readonly targetPort: number;
    readonly healthCheckPath: string;
    readonly vpcId: pulumi.Input<string>;
    /** The health check every server group of this load balancer uses. */
    readonly healthCheckConfig: alicloud.types.input.alb.ServerGroupHealthCheckConfig;
    private nextPriority = firstRoutePriority;
    private catchAllOwner?: string;

    private readonly loadBalancerName: string;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:alicloud:LoadBalancer", name, {}, opts);
        this.loadBalancerName = name;

        if (args.certificateId === undefined || args.certificateId === "") {
            throw new Error(
                'LoadBalancer: `certificateId` is required: the id of a certificate in Certificate Management Service (e.g. "12345678-eu-central-1").',
            );
        }
        if (!Number.isInteger(args.targetPort) || args.targetPort < 1 || args.targetPort > 65535) {
            throw new Error(`LoadBalancer: \`targetPort\` must be a port from 1 to 65535, got ${args.targetPort}.`);
        }
        if (!args.healthCheckPath.startsWith("/")) {
            throw new Error(`LoadBalancer: \`healthCheckPath\` must start with "/", got ${JSON.stringify(args.healthCheckPath)}.`);
        }
        if (args.zoneMappings.length < 2) {
            throw new Error(`LoadBalancer: \`zoneMappings\` must list at least 2 vSwitches in different zones, got ${args.zoneMappings.length}.`);
        }
        const tlsPolicy = args.tlsPolicy ?? "tls_cipher_policy_1_2_strict_with_1_3";
        if (!(tlsPolicy in albTlsPolicies) || ["1.0", "1.1"].includes(albTlsPolicies[tlsPolicy])) {
            const allowed = Object.keys(albTlsPolicies).filter((p) => !["1.0", "1.1"].includes(albTlsPolicies[p as AlbTlsPolicy]));
            throw new Error(`LoadBalancer: \`tlsPolicy\` must admit TLS 1.2 or newer only: one of ${allowed.join(", ")}; got ${JSON.stringify(tlsPolicy)}.`);
        }
        const prod = args.environment === "prod";
        this.targetPort = args.targetPort;
        this.healthCheckPath = args.healthCheckPath;
        this.vpcId = args.vpcId;

        if (prod) {
            this.accessLogProject = new alicloud.log.Project(
                `${name}-accesslogs`,
                { projectName: `${name}-accesslogs`, description: `${name}: ALB access logs` },
                { parent: this },
            );
            this.accessLogStore = new alicloud.log.Store(
                `${name}-accesslogs`,
                {
                    projectName: this.accessLogProject.projectName,
                    logstoreName: "alb-access",
                    retentionPeriod: args.accessLogRetentionDays ?? 180,
                    shardCount: 2,
                    autoSplit: true,
                    maxSplitShardCount: 16,
                },
                { parent: this },
            );
        }

        this.loadBalancer = new alicloud.alb.LoadBalancer(
            `${name}-alb`,
            {
                loadBalancerName: name,
                vpcId: args.vpcId,
                addressType: "Internet",
                addressAllocatedMode: "Fixed",
                loadBalancerEdition: "Standard",
                loadBalancerBillingConfig: { payType: "PayAsYouGo" },
                zoneMappings: args.zoneMappings,
                deletionProtectionEnabled: prod,
                accessLogConfig:
                    this.accessLogProject && this.accessLogStore
                        ? { logProject: this.accessLogProject.projectName, logStore: this.accessLogStore.logstoreName }
                        : undefined,
            },
            { parent: this },
        );

        const healthCheckConfig: alicloud.types.input.alb.ServerGroupHealthCheckConfig = {
            healthCheckEnabled: true,
            healthCheckProtocol: "HTTP",
            healthCheckMethod: "GET",
            healthCheckHttpVersion: "HTTP1.1",
            healthCheckPath: args.healthCheckPath,
            healthCheckCodes: ["http_2xx", "http_3xx"],
            healthCheckInterval: 5,
            healthCheckTimeout: 5,
            healthyThreshold: 3,
            unhealthyThreshold: 3,
        };
        this.healthCheckConfig = healthCheckConfig;
        this.serverGroup = new alicloud.alb.ServerGroup(
            `${name}-targets`,
            {
                serverGroupName: `${name}-targets`,
                serverGroupType: "Instance",
                protocol: "HTTP",
                vpcId: args.vpcId,
                scheduler: "Wrr",
                healthCheckConfig,
                connectionDrainConfig: { connectionDrainEnabled: true, connectionDrainTimeout: 30 },
            },
            { parent: this },
        );
        this.redirectSink = new alicloud.alb.ServerGroup(
            `${name}-redirect-sink`,
            { serverGroupName: `${name}-redirect-sink`, serverGroupType: "Instance", protocol: "HTTP", vpcId: args.vpcId, healthCheckConfig },
            { parent: this },
        );

        const forwardTo = (group: alicloud.alb.ServerGroup) => [
            { type: "ForwardGroup", forwardGroupConfig: { serverGroupTuples: [{ serverGroupId: group.id }] } },
        ];
        this.httpsListener = new alicloud.alb.Listener(
            `${name}-https`,
            {
                loadBalancerId: this.loadBalancer.id,
                listenerProtocol: "HTTPS",
                listenerPort: 443,
                listenerDescription: `${name}: HTTPS`,
                certificates: { certificateId: args.certificateId },
                securityPolicyId: tlsPolicy,
                http2Enabled: true,
                defaultActions: forwardTo(this.serverGroup),
                xForwardedForConfig: { xForwardedForEnabled: true, xForwardedForProtoEnabled: true },
            },
            { parent: this },
        );
        this.httpListener = new alicloud.alb.Listener(
            `${name}-http`,
            {
                loadBalancerId: this.loadBalancer.id,
                listenerProtocol: "HTTP",
                listenerPort: 80,
                listenerDescription: `${name}: redirect to HTTPS`,
                defaultActions: forwardTo(this.redirectSink),
            },
            { parent: this },
        );
        this.redirectRule = new alicloud.alb.Rule(
            `${name}-http-to-https`,
            {
                ruleName: `${name}-http-to-https`,
                listenerId: this.httpListener.id,
                priority: 1,
                ruleConditions: [{ type: "Path", pathConfig: { values: ["/*"] } }],
                ruleActions: [
                    {
                        order: 1,
                        type: "Redirect",
                        redirectConfig: { protocol: "HTTPS", port: "443", httpCode: "301", host: "${host}", path: "${path}", query: "${query}" },
                    },
                ],
            },
            { parent: this },
        );

        this.endpoint = this.loadBalancer.dnsName;
        this.serverGroupId = this.serverGroup.id;
        this.registerOutputs({ endpoint: this.endpoint, serverGroupId: this.serverGroupId });
    }

    /** A priority no other path rule of the HTTPS listener holds, in the order routes are made. */
    nextRulePriority(): number {
        if (this.nextPriority >= catchAllPriority) {
            throw new Error(
                `LoadBalancer: the HTTPS listener holds no more path rules (priorities ${firstRoutePriority} to ${catchAllPriority - 1} are taken).`,
            );
        }
        return this.nextPriority++;
    }

    /** The catch-all rule's priority, for the one service that takes every request no path rule claims. */
    claimCatchAll(service: string): number {
        if (this.catchAllOwner !== undefined) {
            throw new Error(
                `LoadBalancer: ${service} and ${this.catchAllOwner} both ask for all other traffic of ${this.loadBalancerName}; give one of them \`paths\` (e.g. ["/${service}/*"]).`,
            );
        }
        this.catchAllOwner = service;
        return catchAllPriority;
    }
}
