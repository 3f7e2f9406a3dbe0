import { useMockRuntime } from "../../test/helpers/pulumi";
import { LoadBalancer, type LoadBalancerArgs } from "./load-balancer";

const run = useMockRuntime();

const args = (overrides: Partial<LoadBalancerArgs> = {}): LoadBalancerArgs => ({
    environment: "dev",
    certificateId: "projects/p/global/sslCertificates/site",
    targetPort: 8080,
    healthCheckPath: "/healthz",
    ...overrides,
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
    [{ environment: "prod" as const, certificateId: undefined, domains: ["x.example.com"] }, "LoadBalancer: `certificateId` (a certificate self link) is required in prod."],
    [{ certificateId: undefined }, "LoadBalancer: give `certificateId` (a certificate self link) or `domains` (for a Google-managed certificate)."],
    [{ targetPort: 0 }, "LoadBalancer: `targetPort` must be a port from 1 to 65535, got 0."],
    [{ healthCheckPath: "healthz" }, 'LoadBalancer: `healthCheckPath` must start with "/", got "healthz".'],
])("rejects %j", (overrides, message) => {
    expect(() => new LoadBalancer("bad", args(overrides))).toThrow(message);
});
