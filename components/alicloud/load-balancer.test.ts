import { useMockRuntime } from "../../test/helpers/pulumi";
import { LoadBalancer, type LoadBalancerArgs } from "./load-balancer";

const run = useMockRuntime();

const args = (environment: "dev" | "prod"): LoadBalancerArgs => ({
    environment,
    certificateId: "12345678-eu-central-1",
    targetPort: 8080,
    healthCheckPath: "/healthz",
    vpcId: "vpc-offline",
    zoneMappings: [
        { vswitchId: "vsw-a", zoneId: "eu-central-1a" },
        { vswitchId: "vsw-b", zoneId: "eu-central-1b" },
    ],
});

describe("LoadBalancer", () => {
    test("serves HTTPS on 443 with a TLS 1.2+ policy and the certificate", async () => {
        new LoadBalancer("lb-https", args("dev"));
        const listeners = await run.ofType("alicloud:alb/listener:Listener", "lb-https");
        const https = listeners.find((l) => l.plain.listenerProtocol === "HTTPS")!;
        expect(https.plain).toMatchObject({
            listenerPort: 443,
            securityPolicyId: "tls_cipher_policy_1_2_strict_with_1_3",
            certificates: { certificateId: "12345678-eu-central-1" },
        });
    });

    test("answers every HTTP path with a 301 to HTTPS, and no server sits behind port 80", async () => {
        new LoadBalancer("lb-redirect", args("dev"));
        const rule = await run.one("alicloud:alb/rule:Rule", "lb-redirect");
        expect(rule.plain.priority).toBe(1);
        expect(rule.plain.ruleConditions).toEqual([{ type: "Path", pathConfig: { values: ["/*"] } }]);
        expect(rule.plain.ruleActions[0]).toMatchObject({ type: "Redirect", redirectConfig: { protocol: "HTTPS", port: "443", httpCode: "301" } });
        const sink = await run.one("alicloud:alb/serverGroup:ServerGroup", "lb-redirect-redirect-sink");
        expect(sink.plain.servers).toBeUndefined();
    });

    test("health-checks the targets on the given path", async () => {
        new LoadBalancer("lb-health", args("dev"));
        const group = await run.one("alicloud:alb/serverGroup:ServerGroup", "lb-health-targets");
        expect(group.plain.healthCheckConfig).toMatchObject({ healthCheckEnabled: true, healthCheckPath: "/healthz", healthCheckProtocol: "HTTP" });
    });

    test("in prod: deletion protection and access logs; in dev: neither", async () => {
        new LoadBalancer("lb-prod", args("prod"));
        new LoadBalancer("lb-dev", args("dev"));
        const prod = await run.one("alicloud:alb/loadBalancer:LoadBalancer", "lb-prod");
        expect(prod.plain.deletionProtectionEnabled).toBe(true);
        expect(prod.plain.accessLogConfig).toEqual({ logProject: "lb-prod-accesslogs", logStore: "alb-access" });
        const dev = await run.one("alicloud:alb/loadBalancer:LoadBalancer", "lb-dev");
        expect(dev.plain.deletionProtectionEnabled).toBe(false);
        expect(dev.plain.accessLogConfig).toBeUndefined();
    });

    test("rejects a missing certificate", () => {
        expect(() => new LoadBalancer("lb-nocert", { ...args("dev"), certificateId: undefined })).toThrow(
            'LoadBalancer: `certificateId` is required: the id of a certificate in Certificate Management Service (e.g. "12345678-eu-central-1").',
        );
    });

    test("rejects a TLS policy that admits TLS 1.0 or 1.1", () => {
        expect(() => new LoadBalancer("lb-oldtls", { ...args("dev"), tlsPolicy: "tls_cipher_policy_1_0" })).toThrow(
            'LoadBalancer: `tlsPolicy` must admit TLS 1.2 or newer only: one of tls_cipher_policy_1_2, tls_cipher_policy_1_2_strict, tls_cipher_policy_1_2_strict_with_1_3; got "tls_cipher_policy_1_0".',
        );
    });

    test("rejects a bad port, a relative health-check path and a single zone", () => {
        expect(() => new LoadBalancer("lb-port", { ...args("dev"), targetPort: 0 })).toThrow(
            "LoadBalancer: `targetPort` must be a port from 1 to 65535, got 0.",
        );
        expect(() => new LoadBalancer("lb-path", { ...args("dev"), healthCheckPath: "healthz" })).toThrow(
            'LoadBalancer: `healthCheckPath` must start with "/", got "healthz".',
        );
        expect(() => new LoadBalancer("lb-zones", { ...args("dev"), zoneMappings: args("dev").zoneMappings.slice(1) })).toThrow(
            "LoadBalancer: `zoneMappings` must list at least 2 vSwitches in different zones, got 1.",
        );
    });
});
