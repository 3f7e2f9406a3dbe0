/**
 * Listener policies follow rules to their listeners and listeners to custom TLS
 * policies through dependencies. The helper sends them as the engine does.
 */
import { usePolicyPack, type ResourceSpec } from "../../test/helpers/policy";

const pack = usePolicyPack({ ignorePreviewNotices: true });

type Linked = ResourceSpec & { name: string };

const policiesHit = (resources: Linked[]) => pack.policiesHit(resources);

const albListener = "alicloud:alb/listener:Listener";
const forward = [{ type: "ForwardGroup", forwardGroupConfig: { serverGroupTuples: [{ serverGroupId: "sgp-1" }] } }];
const https = (securityPolicyId?: string, dependsOn?: string[]): Linked => ({
    name: "https",
    type: albListener,
    inputs: JSON.parse(
        JSON.stringify({
            loadBalancerId: "alb-1",
            listenerPort: 443,
            listenerProtocol: "HTTPS",
            securityPolicyId,
            certificates: { certificateId: "c" },
            defaultActions: forward,
        }),
    ),
    dependsOn,
});
const tls = "alicloud-lb-listener-tls-1-2";

describe("alicloud-lb-listener-tls-1-2", () => {
    test("a TLS 1.2+ system policy passes", async () => {
        expect(await policiesHit([https("tls_cipher_policy_1_2_strict_with_1_3")])).not.toContain(tls);
    });
    test("policies admitting TLS 1.0/1.1, the default (1.0) and unknown names are blocked, on ALB, CLB and NLB", async () => {
        for (const name of ["tls_cipher_policy_1_0", "tls_cipher_policy_1_1", "tls_cipher_policy_1_0_to_1_3", undefined, "tls_cipher_policy_1_2_typo"]) {
            expect(await policiesHit([https(name)])).toContain(tls);
        }
        expect(
            await policiesHit([
                {
                    name: "clb",
                    type: "alicloud:slb/listener:Listener",
                    inputs: { loadBalancerId: "lb", frontendPort: 443, protocol: "https", listenerForward: "off" },
                },
            ]),
        ).toContain(tls);
        expect(
            await policiesHit([
                {
                    name: "nlb",
                    type: "alicloud:nlb/listener:Listener",
                    inputs: {
                        loadBalancerId: "lb",
                        listenerPort: 443,
                        listenerProtocol: "TCPSSL",
                        serverGroupId: "s",
                        securityPolicyId: "tls_cipher_policy_1_1",
                    },
                },
            ]),
        ).toContain(tls);
    });
    test("a custom policy of the stack is judged by its own TLS versions", async () => {
        const custom = (tlsVersions: string[]): Linked => ({
            name: "custom",
            type: "alicloud:alb/securityPolicy:SecurityPolicy",
            inputs: { securityPolicyName: "p", tlsVersions, ciphers: ["ECDHE-RSA-AES128-GCM-SHA256"] },
        });
        const good = await policiesHit([custom(["TLSv1.2", "TLSv1.3"]), https("sp-123", ["custom"])]);
        expect(good).not.toContain(tls);
        expect(good).not.toContain("alicloud-tls-custom-policy-1-2");
        expect(await policiesHit([custom(["TLSv1.1", "TLSv1.2"]), https("sp-123", ["custom"])])).toContain("alicloud-tls-custom-policy-1-2");
    });
});

const redirect = "alicloud-lb-http-redirects-to-https";
const http: Linked = {
    name: "http",
    type: albListener,
    inputs: { loadBalancerId: "alb-1", listenerPort: 80, listenerProtocol: "HTTP", defaultActions: forward },
};
const rule = (name: string, actions: unknown[], path = "/*"): Linked => ({
    name,
    type: "alicloud:alb/rule:Rule",
    inputs: { listenerId: "lsn-1", priority: 1, ruleName: name, ruleActions: actions, ruleConditions: [{ type: "Path", pathConfig: { values: [path] } }] },
    dependsOn: ["http"],
});
const toHttps = [{ order: 1, type: "Redirect", redirectConfig: { protocol: "HTTPS", port: "443", httpCode: "301" } }];

describe("alicloud-lb-http-redirects-to-https", () => {
    test("an ALB HTTP listener whose rule redirects every path to HTTPS passes; so does a CLB listener that forwards to HTTPS", async () => {
        expect(await policiesHit([http, rule("to-https", toHttps)])).not.toContain(redirect);
        expect(
            await policiesHit([
                {
                    name: "clb",
                    type: "alicloud:slb/listener:Listener",
                    inputs: { loadBalancerId: "lb", frontendPort: 80, protocol: "http", listenerForward: "on", forwardPort: 443 },
                },
            ]),
        ).not.toContain(redirect);
    });
    test("no rule, a redirect for one path only, a redirect that keeps HTTP, or a forwarding rule is blocked", async () => {
        expect(await policiesHit([http])).toContain(redirect);
        expect(await policiesHit([http, rule("some", toHttps, "/old/*")])).toContain(redirect);
        expect(await policiesHit([http, rule("keep", [{ order: 1, type: "Redirect", redirectConfig: { port: "8080" } }])])).toContain(redirect);
        expect(
            await policiesHit([
                http,
                rule("to-https", toHttps),
                rule(
                    "api",
                    forward.map((a) => ({ ...a, order: 1 })),
                    "/api/*",
                ),
            ]),
        ).toContain(redirect);
        expect(
            await policiesHit([{ name: "clb", type: "alicloud:slb/listener:Listener", inputs: { loadBalancerId: "lb", frontendPort: 80, protocol: "http" } }]),
        ).toContain(redirect);
    });
});
