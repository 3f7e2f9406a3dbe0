import { useMockRuntime } from "../../test/helpers/pulumi";
import { Network } from "./network";

const run = useMockRuntime();
const args = { environment: "dev" as const, cidr: "10.40.0.0/16", zoneCount: 2 };

test("the namespace enforces the restricted Pod Security Standard", async () => {
    new Network("pss", args);
    const ns = await run.one("kubernetes:core/v1:Namespace", "pss");
    expect(ns.plain.metadata.name).toBe("pss-dev");
    expect(ns.plain.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
});

test("a default-deny policy covers ingress and egress of every pod; only DNS egress is allowed", async () => {
    new Network("deny", args);
    const deny = await run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "deny-default-deny");
    expect(deny.plain.spec.podSelector).toEqual({});
    expect(deny.plain.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(deny.plain.spec.ingress).toBeUndefined();
    expect(deny.plain.spec.egress).toBeUndefined();
    const dns = await run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "deny-allow-dns");
    expect(dns.plain.spec.egress[0].ports.map((p: any) => p.port)).toEqual([53, 53]);
});

test("the quota forbids NodePort and LoadBalancer services; the LimitRange caps a pod", async () => {
    new Network("quota", args);
    const quota = await run.one("kubernetes:core/v1:ResourceQuota", "quota");
    expect(quota.plain.spec.hard["services.nodeports"]).toBe("0");
    expect(quota.plain.spec.hard["services.loadbalancers"]).toBe("0");
    const limits = await run.one("kubernetes:core/v1:LimitRange", "quota");
    expect(limits.plain.spec.limits.find((l: any) => l.type === "Pod").max).toEqual({ cpu: "2000m", memory: "4096Mi" });
});

test("the namespace is protected in prod only", async () => {
    new Network("prodnet", { ...args, environment: "prod" });
    new Network("devnet", args);
    expect((await run.one("kubernetes:core/v1:Namespace", "prodnet")).options.protect).toBe(true);
    expect((await run.one("kubernetes:core/v1:Namespace", "devnet")).options.protect).toBe(false);
});

test("rejects a CIDR that is not an IPv4 block", () => {
    expect(() => new Network("badcidr", { ...args, cidr: "10.40.0.0" })).toThrow(
        "Network: `cidr` must be an IPv4 CIDR block such as 10.40.0.0/16, got 10.40.0.0.",
    );
});

test("rejects a zone count below 1", () => {
    expect(() => new Network("badzones", { ...args, zoneCount: 0 })).toThrow("Network: `zoneCount` must be a whole number >= 1, got 0.");
});

test("rejects an unknown environment", () => {
    expect(() => new Network("badenv", { ...args, environment: "staging" as any })).toThrow("Network: `environment` must be one of dev, prod, got staging.");
});

test("rejects a namespace name that is not a DNS label", () => {
    expect(() => new Network("badname", { ...args, namespaceName: "Partner_NS" })).toThrow(/the namespace name `Partner_NS` must be a DNS label/);
});
