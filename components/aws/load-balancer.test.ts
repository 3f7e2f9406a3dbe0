import { useMockRuntime } from "../../test/helpers/pulumi";
import { LoadBalancer, type LoadBalancerArgs } from "./load-balancer";

const run = useMockRuntime();

const args = (changes: Partial<LoadBalancerArgs> = {}): LoadBalancerArgs => ({
    environment: "dev",
    certificateId: "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
    targetPort: 8080,
    healthCheckPath: "/healthz",
    vpcId: "vpc-1",
    subnetIds: ["pub-a", "pub-b"],
    targetCidrs: ["10.0.0.0/19", "10.0.32.0/19"],
    ...changes,
});

test("HTTPS with a TLS 1.3/1.2 policy and the certificate; HTTP only redirects to HTTPS", async () => {
    new LoadBalancer("lbtls", args());
    const listeners = await run.ofType("aws:lb/listener:Listener", "lbtls");
    const https = listeners.find((l) => l.plain.protocol === "HTTPS")!;
    expect(https.plain.sslPolicy).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    expect(https.plain.certificateArn).toBe("arn:aws:acm:eu-west-1:123456789012:certificate/abc");
    const http = listeners.find((l) => l.plain.protocol === "HTTP")!;
    expect(http.plain.defaultActions).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
});

test("drops invalid header fields; its group admits only 80 and 443 from the internet and reaches only the targets", async () => {
    new LoadBalancer("lbsg", args());
    expect((await run.one("aws:lb/loadBalancer:LoadBalancer", "lbsg")).plain.dropInvalidHeaderFields).toBe(true);
    const sg = await run.one("aws:ec2/securityGroup:SecurityGroup", "lbsg");
    expect(sg.plain.ingress.map((r: any) => [r.fromPort, r.toPort]).sort()).toEqual([
        [443, 443],
        [80, 80],
    ]);
    expect(sg.plain.egress[0].cidrBlocks).toEqual(["10.0.0.0/19", "10.0.32.0/19"]);
});

test("the default target group checks health on the given path", async () => {
    new LoadBalancer("lbtg", args());
    const tg = await run.one("aws:lb/targetGroup:TargetGroup", "lbtg");
    expect(tg.plain.healthCheck).toMatchObject({ enabled: true, path: "/healthz" });
    expect(tg.plain.targetType).toBe("ip");
});

test("dev: no deletion protection, no access logs", async () => {
    new LoadBalancer("lbdev", args());
    const alb = await run.one("aws:lb/loadBalancer:LoadBalancer", "lbdev");
    expect(alb.plain.enableDeletionProtection).toBe(false);
    expect(alb.plain.accessLogs).toBeUndefined();
});

test("prod: deletion protection and access logs to a bucket of its own", async () => {
    new LoadBalancer("lbprod", args({ environment: "prod" }));
    const alb = await run.one("aws:lb/loadBalancer:LoadBalancer", "lbprod");
    expect(alb.plain.enableDeletionProtection).toBe(true);
    expect(alb.plain.accessLogs).toMatchObject({ enabled: true, prefix: "lbprod" });
    expect(alb.plain.accessLogs.bucket).toBeTruthy();
    expect(await run.ofType("aws:s3/bucket:Bucket", "lbprod")).toHaveLength(1);
});

test("rule priorities follow the order routes are added", () => {
    const lb = new LoadBalancer("lbprio", args());
    expect([lb.nextRulePriority(), lb.nextRulePriority()]).toEqual([110, 120]);
});

test("rejects a missing certificate", () => {
    expect(() => new LoadBalancer("lbbad1", args({ certificateId: undefined }))).toThrow(
        /^LoadBalancer: `certificateId` must be the ARN of an ACM certificate/,
    );
});

test("rejects a bad target port, health-check path or subnet count", () => {
    expect(() => new LoadBalancer("lbbad2", args({ targetPort: 70000 }))).toThrow("LoadBalancer: `targetPort` must be from 1 to 65535; got 70000.");
    expect(() => new LoadBalancer("lbbad3", args({ healthCheckPath: "healthz" }))).toThrow(
        'LoadBalancer: `healthCheckPath` must start with "/"; got "healthz".',
    );
    expect(() => new LoadBalancer("lbbad4", args({ subnetIds: ["pub-a"] }))).toThrow(
        "LoadBalancer: `subnetIds` must list public subnets in at least 2 zones; got 1.",
    );
});
