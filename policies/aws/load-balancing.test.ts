import { usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack({ ignorePreviewNotices: true });
const listener = "aws:lb/listener:Listener";
const lb = "aws:lb/loadBalancer:LoadBalancer";
const redirect = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } };
const forward = { type: "forward", targetGroupArn: "arn:tg" };

describe("aws-lb-listener-http-redirects-to-https", () => {
    const policy = "aws-lb-listener-http-redirects-to-https";
    test("an HTTP listener that redirects to HTTPS passes", async () => {
        expect(
            await pack.policiesHit([{ type: listener, inputs: { loadBalancerArn: "a", port: 80, protocol: "HTTP", defaultActions: [redirect] } }]),
        ).not.toContain(policy);
    });
    test("forwarding, a redirect that keeps the protocol, and a protocol left out (HTTP) are blocked", async () => {
        expect(await pack.policiesHit([{ type: listener, inputs: { loadBalancerArn: "a", port: 80, protocol: "HTTP", defaultActions: [forward] } }])).toContain(
            policy,
        );
        expect(
            await pack.policiesHit([
                {
                    type: listener,
                    inputs: {
                        loadBalancerArn: "a",
                        port: 80,
                        protocol: "HTTP",
                        defaultActions: [{ type: "redirect", redirect: { port: "8080", statusCode: "HTTP_302" } }],
                    },
                },
            ]),
        ).toContain(policy);
        expect(
            await pack.policiesHit([{ type: "aws:alb/listener:Listener", inputs: { loadBalancerArn: "a", port: 80, defaultActions: [forward] } }]),
        ).toContain(policy);
    });
});

describe("TLS policies of HTTPS and TLS listeners", () => {
    const https = (sslPolicy?: string, protocol = "HTTPS") => [
        { type: listener, inputs: { loadBalancerArn: "a", port: 443, protocol, sslPolicy, certificateArn: "arn:cert", defaultActions: [forward] } },
    ];
    test("TLS 1.3 policies pass both rules", async () => {
        const hit = await pack.policiesHit(https("ELBSecurityPolicy-TLS13-1-2-2021-06"));
        expect(hit).not.toContain("aws-lb-listener-tls-1-2");
        expect(hit).not.toContain("aws-lb-listener-tls-1-3-preferred");
    });
    test("a TLS 1.2 policy without 1.3 passes the floor but is advised to move", async () => {
        const hit = await pack.policiesHit(https("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "TLS"));
        expect(hit).not.toContain("aws-lb-listener-tls-1-2");
        expect(hit).toContain("aws-lb-listener-tls-1-3-preferred");
    });
    test("policies that admit TLS 1.0/1.1, whatever their name says, the default, and unknown names are blocked", async () => {
        for (const name of [
            "ELBSecurityPolicy-TLS13-1-0-2021-06",
            "ELBSecurityPolicy-TLS13-1-1-2021-06",
            "ELBSecurityPolicy-FS-1-1-2019-08",
            undefined,
            "ELBSecurityPolicy-TLS13-1-2-Typo",
        ]) {
            expect(await pack.policiesHit(https(name))).toContain("aws-lb-listener-tls-1-2");
        }
    });
});

const goodLb = {
    loadBalancerType: "application",
    dropInvalidHeaderFields: true,
    enableDeletionProtection: true,
    accessLogs: { bucket: "logs", enabled: true },
    subnets: ["a", "b"],
};

describe("load balancers", () => {
    test("a compliant ALB passes", async () => {
        const hit = await pack.policiesHit([{ type: lb, inputs: goodLb }]);
        for (const p of ["aws-lb-drop-invalid-header-fields", "aws-lb-deletion-protection", "aws-lb-access-logs"]) expect(hit).not.toContain(p);
    });
    test("defaults are judged: an ALB with the fields left out fails all three", async () => {
        expect(await pack.policiesHit([{ type: lb, inputs: { subnets: ["a", "b"] } }])).toEqual(
            expect.arrayContaining(["aws-lb-drop-invalid-header-fields", "aws-lb-deletion-protection", "aws-lb-access-logs"]),
        );
    });
    test("access logs with a bucket but not enabled are blocked; NLBs are not judged on headers", async () => {
        expect(await pack.policiesHit([{ type: lb, inputs: { ...goodLb, accessLogs: { bucket: "logs" } } }])).toContain("aws-lb-access-logs");
        expect(await pack.policiesHit([{ type: lb, inputs: { ...goodLb, loadBalancerType: "network", dropInvalidHeaderFields: undefined } }])).not.toContain(
            "aws-lb-drop-invalid-header-fields",
        );
    });
});
