import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import type { Cloud, LoadBalancerHandle, LoadBalancerSpec } from "../contracts";

export interface LoadBalancerArgs extends LoadBalancerSpec {
    /** Domains of a Google-managed certificate, used when no `certificateId` is given (dev only). */
    domains?: string[];
    /** Backends of the backend service (instance groups or NEGs). */
    backends?: pulumi.Input<pulumi.Input<gcp.types.input.compute.BackendServiceBackend>[]>;
    overrides?: {
        backendService?: Partial<gcp.compute.BackendServiceArgs>;
        sslPolicy?: Partial<gcp.compute.SSLPolicyArgs>;
    };
}

/**
 * A global external HTTPS load balancer (EXTERNAL_MANAGED): a static address,
 * HTTPS on 443 with an SSL policy admitting TLS 1.2 and newer only (MODERN in
 * dev, RESTRICTED in prod), a backend service with a health check and request
 * logs, and HTTP on 80 that only redirects to HTTPS. GCP has no deletion
 * protection for load balancers, so in prod the address and forwarding rules
 * carry Pulumi's `protect`.
 */
export class LoadBalancer extends pulumi.ComponentResource implements LoadBalancerHandle {
    readonly cloud: Cloud = "gcp";
    readonly address: gcp.compute.GlobalAddress;
    readonly healthCheck: gcp.compute.HealthCheck;
    readonly backendService: gcp.compute.BackendService;
    readonly certificate?: gcp.compute.ManagedSslCertificate;
    readonly sslPolicy: gcp.compute.SSLPolicy;
    readonly httpsUrlMap: gcp.compute.URLMap;
    readonly httpsProxy: gcp.compute.TargetHttpsProxy;
    readonly httpsRule: gcp.compute.GlobalForwardingRule;
    readonly redirectUrlMap: gcp.compute.URLMap;
    readonly httpProxy: gcp.compute.TargetHttpProxy;
    readonly httpRule: gcp.compute.GlobalForwardingRule;
    readonly endpoint: pulumi.Output<string>;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:gcp:LoadBalancer", name, {}, opts);
        const prod = args.environment === "prod";
        if (prod && args.certificateId === undefined) {
            throw new Error("LoadBalancer: `certificateId` (a certificate self link) is required in prod.");
        }
        if (args.certificateId === undefined && !args.domains?.length) {
            throw new Error("LoadBalancer: give `certificateId` (a certificate self link) or `domains` (for a Google-managed certificate).");
        }
        if (!Number.isInteger(args.targetPort) || args.targetPort < 1 || args.targetPort > 65535) {
            throw new Error(`LoadBalancer: \`targetPort\` must be a port from 1 to 65535, got ${args.targetPort}.`);
        }
        if (!args.healthCheckPath.startsWith("/")) {
            throw new Error(`LoadBalancer: \`healthCheckPath\` must start with "/", got "${args.healthCheckPath}".`);
        }
        const protect = prod;

        this.address = new gcp.compute.GlobalAddress(`${name}-ip`, { ipVersion: "IPV4", addressType: "EXTERNAL" }, { parent: this, protect });
        this.healthCheck = new gcp.compute.HealthCheck(
            `${name}-health`,
            {
                checkIntervalSec: 10,
                timeoutSec: 5,
                httpHealthCheck: { port: args.targetPort, requestPath: args.healthCheckPath },
                logConfig: { enable: true },
            },
            { parent: this },
        );
        this.backendService = new gcp.compute.BackendService(
            `${name}-backend`,
            {
                loadBalancingScheme: "EXTERNAL_MANAGED",
                protocol: "HTTP",
                portName: "http",
                timeoutSec: 30,
                connectionDrainingTimeoutSec: 60,
                healthChecks: this.healthCheck.id,
                backends: args.backends,
                logConfig: { enable: true, sampleRate: prod ? 1.0 : 0.5 },
                ...args.overrides?.backendService,
            },
            { parent: this },
        );
        if (args.certificateId === undefined) {
            this.certificate = new gcp.compute.ManagedSslCertificate(`${name}-cert`, { managed: { domains: args.domains ?? [] } }, { parent: this });
        }
        this.sslPolicy = new gcp.compute.SSLPolicy(
            `${name}-tls`,
            { profile: prod ? "RESTRICTED" : "MODERN", minTlsVersion: "TLS_1_2", ...args.overrides?.sslPolicy },
            { parent: this },
        );
        this.httpsUrlMap = new gcp.compute.URLMap(`${name}-https`, { defaultService: this.backendService.id }, { parent: this });
        this.httpsProxy = new gcp.compute.TargetHttpsProxy(
            `${name}-https`,
            {
                urlMap: this.httpsUrlMap.id,
                sslCertificates: [args.certificateId ?? this.certificate!.id],
                sslPolicy: this.sslPolicy.id,
            },
            { parent: this },
        );
        this.httpsRule = new gcp.compute.GlobalForwardingRule(
            `${name}-https`,
            { loadBalancingScheme: "EXTERNAL_MANAGED", ipProtocol: "TCP", portRange: "443", ipAddress: this.address.id, target: this.httpsProxy.id },
            { parent: this, protect },
        );
        this.redirectUrlMap = new gcp.compute.URLMap(
            `${name}-redirect`,
            { defaultUrlRedirect: { httpsRedirect: true, stripQuery: false, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT" } },
            { parent: this },
        );
        this.httpProxy = new gcp.compute.TargetHttpProxy(`${name}-http`, { urlMap: this.redirectUrlMap.id }, { parent: this });
        this.httpRule = new gcp.compute.GlobalForwardingRule(
            `${name}-http`,
            { loadBalancingScheme: "EXTERNAL_MANAGED", ipProtocol: "TCP", portRange: "80", ipAddress: this.address.id, target: this.httpProxy.id },
            { parent: this, protect },
        );

        this.endpoint = this.address.address;
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
