import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import type { Cloud, LoadBalancerHandle, LoadBalancerSpec } from "../contracts";

export interface LoadBalancerArgs extends LoadBalancerSpec {
    /** Domains of a Google-managed certificate, used when no `certificateId` is given (dev only). */
    domains?: string[];
}

/**
 * Traffic the load balancer sends to one target: a backend service over the
 * target's backends (a managed instance group, or network endpoint groups).
 */
export interface LoadBalancerRoute {
    /** Names the route's resources, `<load balancer>-<name>-*`; one route per name. */
    name: string;
    /** Path patterns sent to this route ("/api/*"); none: all traffic no other route claims. */
    paths?: string[];
    backends: pulumi.Input<pulumi.Input<gcp.types.input.compute.BackendServiceBackend>[]>;
    /** The instance group's named port; unset for network endpoint groups, which name their own ports. */
    portName?: string;
    /**
     * An existing health check (id) of the target, or a new one probing `path`
     * on `port`, or on each endpoint's serving port when `port` is unset.
     */
    healthCheck: pulumi.Input<string> | { path: string; port?: number };
    /** What must exist before the backend service can name the backends (the Service that makes the NEGs). */
    dependsOn?: pulumi.Resource[];
}

/** A path pattern the URL map accepts: starting with "/", with "*" only as the last segment ("/api/*"). */
const pathPattern = /^\/([^*?#]*\/\*|[^*?#]*)$/;

interface RouteTable {
    defaultService: pulumi.Output<string>;
    pathRules: { paths: string[]; service: pulumi.Output<string> }[];
}

/**
 * A global external HTTPS load balancer (EXTERNAL_MANAGED): a static address,
 * HTTPS on 443 with an SSL policy admitting TLS 1.2 and newer only (MODERN in
 * dev, RESTRICTED in prod), and HTTP on 80 that only redirects to HTTPS. GCP has
 * no deletion protection for load balancers, so in prod the address and
 * forwarding rules carry Pulumi's `protect`.
 *
 * Targets attach routes (`attach`) after the load balancer is built, each a
 * backend service with a health check and request logs. The URL map must know
 * every route, so its inputs wait on a route table that is sealed once the
 * synchronous build that made the load balancer is over (`setImmediate`): the
 * program cannot hang on a route that never comes, and a route attached later is
 * an error rather than a route silently missing. The route without paths takes
 * all other traffic; without one, the first route does. A load balancer that no
 * target routes to gets a default backend service with no backends (health
 * checked on `targetPort`/`healthCheckPath`), so it still plans and answers 502.
 */
export class LoadBalancer extends pulumi.ComponentResource implements LoadBalancerHandle {
    readonly cloud: Cloud = "gcp";
    readonly environment: LoadBalancerArgs["environment"];
    readonly targetPort: number;
    readonly healthCheckPath: string;
    readonly address: gcp.compute.GlobalAddress;
    readonly certificate?: gcp.compute.ManagedSslCertificate;
    readonly sslPolicy: gcp.compute.SSLPolicy;
    readonly httpsUrlMap: gcp.compute.URLMap;
    readonly httpsProxy: gcp.compute.TargetHttpsProxy;
    readonly httpsRule: gcp.compute.GlobalForwardingRule;
    readonly redirectUrlMap: gcp.compute.URLMap;
    readonly httpProxy: gcp.compute.TargetHttpProxy;
    readonly httpRule: gcp.compute.GlobalForwardingRule;
    readonly endpoint: pulumi.Output<string>;
    /** Each attached route's backend service, by route name. */
    readonly routeBackends = new Map<string, gcp.compute.BackendService>();
    /** Present only when no route was attached: the backend service of every request. */
    healthCheck?: gcp.compute.HealthCheck;
    backendService?: gcp.compute.BackendService;

    private readonly name: string;
    private readonly args: LoadBalancerArgs;
    private readonly routes: (LoadBalancerRoute & { service: gcp.compute.BackendService })[] = [];
    private sealed = false;

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
        this.name = name;
        this.args = args;
        this.environment = args.environment;
        this.targetPort = args.targetPort;
        this.healthCheckPath = args.healthCheckPath;
        const protect = prod;

        let sealRoutes!: (table: RouteTable) => void;
        const routeTable = pulumi.output(new Promise<RouteTable>((resolve) => (sealRoutes = resolve)));
        setImmediate(() => sealRoutes(this.seal()));

        this.address = new gcp.compute.GlobalAddress(`${name}-ip`, { ipVersion: "IPV4", addressType: "EXTERNAL" }, { parent: this, protect });
        if (args.certificateId === undefined) {
            this.certificate = new gcp.compute.ManagedSslCertificate(`${name}-cert`, { managed: { domains: args.domains ?? [] } }, { parent: this });
        }
        this.sslPolicy = new gcp.compute.SSLPolicy(`${name}-tls`, { profile: prod ? "RESTRICTED" : "MODERN", minTlsVersion: "TLS_1_2" }, { parent: this });
        this.httpsUrlMap = new gcp.compute.URLMap(
            `${name}-https`,
            {
                defaultService: routeTable.defaultService,
                hostRules: routeTable.apply((t) => (t.pathRules.length > 0 ? [{ hosts: ["*"], pathMatcher: "routes" }] : [])),
                pathMatchers: routeTable.apply((t) =>
                    t.pathRules.length > 0 ? [{ name: "routes", defaultService: t.defaultService, pathRules: t.pathRules }] : [],
                ),
            },
            { parent: this },
        );
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

    /** Sends the route's paths (or all other traffic) to a new backend service over its backends. */
    attach(route: LoadBalancerRoute): gcp.compute.BackendService {
        const subject = `LoadBalancer "${this.name}": route "${route.name}"`;
        if (this.sealed) {
            throw new Error(
                `${subject} came after the load balancer's routes were sealed; attach every route in the same synchronous build that creates the load balancer.`,
            );
        }
        if (this.routes.some((r) => r.name === route.name)) throw new Error(`${subject} is attached twice; route names must be unique.`);
        const paths = route.paths ?? [];
        for (const path of paths) {
            if (!pathPattern.test(path)) {
                throw new Error(`${subject}: path "${path}" must start with "/" and may hold "*" only as its last segment, e.g. "/api/*".`);
            }
            const owner = this.routes.find((r) => (r.paths ?? []).includes(path));
            if (owner) throw new Error(`${subject}: path "${path}" is already routed to "${owner.name}".`);
        }
        const catchAll = this.routes.find((r) => (r.paths ?? []).length === 0);
        if (paths.length === 0 && catchAll) {
            throw new Error(`${subject} takes all other traffic, as route "${catchAll.name}" already does; give one of them paths.`);
        }

        const healthCheck =
            typeof route.healthCheck === "object" && "path" in route.healthCheck
                ? this.newHealthCheck(`${this.name}-${route.name}-health`, route.healthCheck).id
                : route.healthCheck;
        const service = this.newBackendService(`${this.name}-${route.name}`, {
            backends: route.backends,
            portName: route.portName,
            healthChecks: healthCheck,
            dependsOn: route.dependsOn,
        });
        this.routes.push({ ...route, service });
        this.routeBackends.set(route.name, service);
        return service;
    }

    /** The route table, once the synchronous build is over. */
    private seal(): RouteTable {
        this.sealed = true;
        if (this.routes.length === 0) {
            this.healthCheck = this.newHealthCheck(`${this.name}-health`, { path: this.args.healthCheckPath, port: this.args.targetPort });
            this.backendService = this.newBackendService(`${this.name}-backend`, { portName: "http", healthChecks: this.healthCheck.id });
            return { defaultService: this.backendService.id, pathRules: [] };
        }
        const fallback = this.routes.find((r) => (r.paths ?? []).length === 0) ?? this.routes[0];
        return {
            defaultService: fallback.service.id,
            pathRules: this.routes.filter((r) => (r.paths ?? []).length > 0).map((r) => ({ paths: r.paths!, service: r.service.id })),
        };
    }

    private newHealthCheck(name: string, check: { path: string; port?: number }): gcp.compute.HealthCheck {
        return new gcp.compute.HealthCheck(
            name,
            {
                checkIntervalSec: 10,
                timeoutSec: 5,
                httpHealthCheck:
                    check.port === undefined
                        ? { portSpecification: "USE_SERVING_PORT", requestPath: check.path }
                        : { port: check.port, requestPath: check.path },
                logConfig: { enable: true },
            },
            { parent: this },
        );
    }

    private newBackendService(
        name: string,
        args: {
            backends?: LoadBalancerRoute["backends"];
            portName?: string;
            healthChecks: pulumi.Input<string>;
            dependsOn?: pulumi.Resource[];
        },
    ): gcp.compute.BackendService {
        return new gcp.compute.BackendService(
            name,
            {
                loadBalancingScheme: "EXTERNAL_MANAGED",
                protocol: "HTTP",
                portName: args.portName,
                timeoutSec: 30,
                connectionDrainingTimeoutSec: 60,
                healthChecks: args.healthChecks,
                backends: args.backends,
                logConfig: { enable: true, sampleRate: this.environment === "prod" ? 1.0 : 0.5 },
            },
            { parent: this, dependsOn: args.dependsOn },
        );
    }
}
