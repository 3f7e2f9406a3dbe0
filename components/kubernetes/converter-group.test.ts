import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { ConverterGroup, type ConverterGroupArgs } from "./converter-group";

const run = useMockRuntime();

const args = (overrides: Partial<ConverterGroupArgs> = {}): ConverterGroupArgs => ({
    environment: "dev",
    replicas: 3,
    image: "registry.example.com/cdc@sha256:" + "b".repeat(64),
    consumerGroup: "analytics-cdc",
    sourceEndpoint: "orders-db.internal:5432",
    targetEndpoint: "events.internal:9092",
    credentials: pulumi.secret("user:password"),
    metricsPort: 9404,
    ...overrides,
});

test("one StatefulSet: ordinal is the member number, replicas the group size", async () => {
    new ConverterGroup("g1", args());
    const set = await run.one("kubernetes:apps/v1:StatefulSet", "g1");
    expect(set.plain.spec.replicas).toBe(3);
    const env = Object.fromEntries(set.plain.spec.template.spec.containers[0].env.map((e: any) => [e.name, e]));
    expect(env.MEMBER_ID.valueFrom.fieldRef.fieldPath).toBe("metadata.labels['apps.kubernetes.io/pod-index']");
    expect(env.GROUP_SIZE.value).toBe("3");
    expect(env.SOURCE_ENDPOINT.value).toBe("orders-db.internal:5432");
    expect(env.CREDENTIALS.valueFrom.secretKeyRef.key).toBe("credentials");
    expect(set.plain.spec.serviceName).toBe("g1");
});

test("metrics port with Prometheus scrape annotations", async () => {
    new ConverterGroup("g2", args());
    const set = await run.one("kubernetes:apps/v1:StatefulSet", "g2");
    expect(set.plain.spec.template.metadata.annotations).toEqual({ "prometheus.io/scrape": "true", "prometheus.io/port": "9404", "prometheus.io/path": "/metrics" });
    expect(set.plain.spec.template.spec.containers[0].ports).toEqual([{ name: "metrics", containerPort: 9404, protocol: "TCP" }]);
});

test("credentials travel only as a secret; protected in prod", async () => {
    new ConverterGroup("g3", args({ environment: "prod" }));
    const secret = await run.one("kubernetes:core/v1:Secret", "g3");
    expect(secret.hasSecretInput).toBe(true);
    expect(secret.options.protect).toBe(true);
});

test("namespace denies by default; egress only to DNS and the endpoints' ports", async () => {
    new ConverterGroup("g4", args());
    const policies = await run.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy", "g4");
    expect(policies.map((p) => p.plain.metadata.name).sort()).toEqual(["default-deny", "g4-allow"]);
    const allow = policies.find((p) => p.name === "g4-allow")!;
    expect(allow.plain.spec.egress[1].ports).toEqual([
        { protocol: "TCP", port: 5432 },
        { protocol: "TCP", port: 9092 },
    ]);
    expect(allow.plain.spec.ingress[0].ports).toEqual([{ protocol: "TCP", port: 9404 }]);
});

test.each([
    [{ replicas: 0 }, "ConverterGroup: `replicas` must be a whole number >= 1, got 0."],
    [{ metricsPort: 80 }, "ConverterGroup: `metricsPort` must be a port from 1024 to 65535 (members run as non-root), got 80."],
    [{ consumerGroup: "bad group" }, 'ConverterGroup: `consumerGroup` must be letters, digits, ".", "_" or "-", got "bad group".'],
    [{ sourceEndpoint: "orders-db" }, 'ConverterGroup: `sourceEndpoint` must be host:port (e.g. "db.internal:5432"), got "orders-db".'],
])("rejects %j", (overrides, message) => {
    expect(() => new ConverterGroup("bad", args(overrides))).toThrow(message);
});
