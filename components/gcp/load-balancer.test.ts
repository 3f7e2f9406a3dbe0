import { useMockRuntime } from "../../test/helpers/pulumi";
import { LoadBalancer, type LoadBalancerArgs } from "./load-balancer";

const run = useMockRuntime();

const args = (changes: Partial<LoadBalancerArgs> = {}): LoadBalancerArgs => ({
    environment: "dev",
    certificateId: "projects/p/global/sslCertificates/site",
    targetPort: 8080,
    healthCheckPath: "/healthz",
    ...changes,
});

test("TLS 1.2 or newer: MODERN in dev, RESTRICTED in prod", async () => {
    new LoadBalancer("l1", args());
    new LoadBalancer("l2", args({ environment: "prod" }));
    expect((await run.one("gcp:compute/sSLPolicy:SSLPolicy", "l1")).plain).toMatchObject({ profile: "MODERN", minTlsVersion: "TLS_1_2" });
    expect((await run.one("gcp:compute/sSLPolicy:SSLPolicy", "l2")).plain).toMatchObject({ profile: "RESTRICTED", minTlsVersion: "TLS_1_2" });
});

test("HTTP only redirects to HTTPS", async () => {
    new LoadBalancer("l3", args());
    const redirect = await run.one("gcp:compute/uRLMap:URLMap", "l3-redirect");
    expect(redirect.plain.defaultUrlRedirect).toMatchObject({ httpsRedirect: true });
    expect(redirect.plain.defaultService).toBeUndefined();
    const http = await run.one("gcp:compute/targetHttpProxy:TargetHttpProxy", "l3");
    expect(http.plain.urlMap).toContain("l3-redirect");
});

test("the backend service logs requests and has a health check", async () => {
    new LoadBalancer("l4", args());
    const backend = await run.one("gcp:compute/backendService:BackendService", "l4");
    expect(backend.plain.logConfig.enable).toBe(true);
    expect(backend.plain.healthChecks).toBeDefined();
    expect((await run.one("gcp:compute/healthCheck:HealthCheck", "l4")).plain.httpHealthCheck).toEqual({ port: 8080, requestPath: "/healthz" });
});

test("a managed certificate for the given domains when no certificate is given (dev)", async () => {
    new LoadBalancer("l5", args({ certificateId: undefined, domains: ["analytics.dev.example.com"] }));
    const cert = await run.one("gcp:compute/managedSslCertificate:ManagedSslCertificate", "l5");
    expect(cert.plain.managed.domains).toEqual(["analytics.dev.example.com"]);
});

test("prod protects the address and forwarding rules", async () => {
    new LoadBalancer("l6", args({ environment: "prod" }));
    const rules = await run.ofType("gcp:compute/globalForwardingRule:GlobalForwardingRule", "l6");
    expect(rules.map((r) => r.options.protect)).toEqual([true, true]);
    expect((await run.one("gcp:compute/globalAddress:GlobalAddress", "l6")).options.protect).toBe(true);
});

test.each([
    [
        { environment: "prod" as const, certificateId: undefined, domains: ["x.example.com"] },
        "LoadBalancer: `certificateId` (a certificate self link) is required in prod.",
    ],
    [{ certificateId: undefined }, "LoadBalancer: give `certificateId` (a certificate self link) or `domains` (for a Google-managed certificate)."],
    [{ targetPort: 0 }, "LoadBalancer: `targetPort` must be a port from 1 to 65535, got 0."],
    [{ healthCheckPath: "healthz" }, 'LoadBalancer: `healthCheckPath` must start with "/", got "healthz".'],
])("rejects %j", (changes, message) => {
    expect(() => new LoadBalancer("bad", args(changes))).toThrow(message);
});

const negRoute = (name: string, paths?: string[]) => ({
    name,
    paths,
    backends: [{ group: `projects/p/zones/europe-west1-b/networkEndpointGroups/${name}`, balancingMode: "RATE", maxRatePerEndpoint: 100 }],
    healthCheck: { path: "/healthz" },
});

test("the URL map sends each route's paths to its backend service and all other traffic to the route without paths", async () => {
    const lb = new LoadBalancer("r1", args());
    lb.attach(negRoute("api", ["/api", "/api/*"]));
    lb.attach(negRoute("web"));
    lb.attach(negRoute("admin", ["/admin/*"]));
    const map = await run.one("gcp:compute/uRLMap:URLMap", "r1-https");
    expect(map.plain.defaultService).toContain("r1-web");
    expect(map.plain.hostRules).toEqual([{ hosts: ["*"], pathMatcher: "routes" }]);
    expect(map.plain.pathMatchers).toHaveLength(1);
    const matcher = map.plain.pathMatchers[0];
    expect(matcher.defaultService).toContain("r1-web");
    expect(matcher.pathRules.map((r: any) => [r.paths, r.service.split("/").pop()])).toEqual([
        [["/api", "/api/*"], "r1-api"],
        [["/admin/*"], "r1-admin"],
    ]);
    const services = await run.ofType("gcp:compute/backendService:BackendService", "r1");
    expect(services.map((s) => s.name).sort()).toEqual(["r1-admin", "r1-api", "r1-web"]);
    for (const s of services) {
        expect(s.plain.logConfig.enable).toBe(true);
        expect(s.plain.loadBalancingScheme).toBe("EXTERNAL_MANAGED");
    }
    const health = await run.one("gcp:compute/healthCheck:HealthCheck", "r1-api");
    expect(health.plain.httpHealthCheck).toEqual({ portSpecification: "USE_SERVING_PORT", requestPath: "/healthz" });
});

test("without a route that takes all other traffic, the first route does", async () => {
    const lb = new LoadBalancer("r2", args());
    lb.attach(negRoute("api", ["/api/*"]));
    lb.attach(negRoute("admin", ["/admin/*"]));
    const map = await run.one("gcp:compute/uRLMap:URLMap", "r2-https");
    expect(map.plain.defaultService).toContain("r2-api");
    expect(map.plain.pathMatchers[0].defaultService).toContain("r2-api");
});

test("a route with no paths alone needs no path matcher, and no default backend service is made", async () => {
    const lb = new LoadBalancer("r3", args());
    lb.attach({
        name: "servers",
        backends: [{ group: "projects/p/regions/r/instanceGroups/g", balancingMode: "UTILIZATION" }],
        portName: "http",
        healthCheck: "projects/p/global/healthChecks/g",
    });
    const map = await run.one("gcp:compute/uRLMap:URLMap", "r3-https");
    expect(map.plain.defaultService).toContain("r3-servers");
    expect(map.plain.pathMatchers).toEqual([]);
    const service = await run.one("gcp:compute/backendService:BackendService", "r3");
    expect(service.plain).toMatchObject({ portName: "http", healthChecks: "projects/p/global/healthChecks/g" });
    expect(await run.ofType("gcp:compute/healthCheck:HealthCheck", "r3")).toEqual([]);
    expect(lb.backendService).toBeUndefined();
});

test("a load balancer no target routes to plans with a default backend service that has no backends", async () => {
    new LoadBalancer("r4", args());
    const service = await run.one("gcp:compute/backendService:BackendService", "r4");
    expect(service.name).toBe("r4-backend");
    expect(service.plain.backends).toBeUndefined();
    expect((await run.one("gcp:compute/uRLMap:URLMap", "r4-https")).plain.defaultService).toContain("r4-backend");
});

test("a route attached after the synchronous build is refused", async () => {
    const lb = new LoadBalancer("r5", args());
    await run.all();
    expect(() => lb.attach(negRoute("late"))).toThrow(
        'LoadBalancer "r5": route "late" came after the load balancer\'s routes were sealed; attach every route in the same synchronous build that creates the load balancer.',
    );
});

test.each([
    [[negRoute("a"), negRoute("b")], 'LoadBalancer "r6": route "b" takes all other traffic, as route "a" already does; give one of them paths.'],
    [[negRoute("a", ["/x/*"]), negRoute("b", ["/x/*"])], 'LoadBalancer "r6": route "b": path "/x/*" is already routed to "a".'],
    [[negRoute("a", ["api/*"])], 'LoadBalancer "r6": route "a": path "api/*" must start with "/" and may hold "*" only as its last segment, e.g. "/api/*".'],
    [[negRoute("a", ["/a*b"])], 'LoadBalancer "r6": route "a": path "/a*b" must start with "/" and may hold "*" only as its last segment, e.g. "/api/*".'],
    [[negRoute("a", ["/x"]), negRoute("a", ["/y"])], 'LoadBalancer "r6": route "a" is attached twice; route names must be unique.'],
])("refuses routes %#", async (routes, message) => {
    const lb = new LoadBalancer("r6", args());
    expect(() => routes.forEach((r) => lb.attach(r))).toThrow(message);
    await run.all();
});
