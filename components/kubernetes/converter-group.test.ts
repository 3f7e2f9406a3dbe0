import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { registeredOptions } from "../../test/conformance/registered-options";
import { probeRollout } from "../../test/conformance/rollout-probe";
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

describe.each(["dev", "prod"] as const)("rollout in %s", (environment) => {
    test("`pulumi up` waits for the StatefulSet's rollout, for at most 20 minutes; its update strategy is unchanged", async () => {
        const options = registeredOptions();
        new ConverterGroup(`wait-${environment}`, args({ environment }), { transformations: options.transformations });
        const set = await run.one("kubernetes:apps/v1:StatefulSet", `wait-${environment}`);
        expect(set.plain.metadata.annotations?.["pulumi.com/skipAwait"]).toBeUndefined();
        expect(options.of("kubernetes:apps/v1:StatefulSet", `wait-${environment}-set`).customTimeouts).toEqual({ create: "20m", update: "20m" });
        expect(set.plain.spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } });
    });

    test("the rollout target is the StatefulSet's namespace and name", async () => {
        const group = new ConverterGroup(`tgt-${environment}`, args({ environment }));
        const set = await run.one("kubernetes:apps/v1:StatefulSet", `tgt-${environment}`);
        const { target, sources } = await probeRollout(run, `tgt-${environment}`, group.rollout);
        expect(target).toEqual({ kind: "kubernetes-statefulset", namespace: `tgt-${environment}`, name: `tgt-${environment}` });
        expect(sources).toEqual([set.urn]);
    });
});

test("refuses overrides that would let `pulumi up` return before the rollout", () => {
    const statefulSet = { metadata: { annotations: { "pulumi.com/skipAwait": "true" } } };
    expect(() => new ConverterGroup("skip", args({ overrides: { statefulSet } }))).toThrow(
        "ConverterGroup: `overrides.statefulSet` must not set the pulumi.com/skipAwait annotation: the update waits for the rollout, so a failed one fails it.",
    );
});

test.each([
    [{ replicas: 0 }, "ConverterGroup: `replicas` must be a whole number >= 1, got 0."],
    [{ metricsPort: 80 }, "ConverterGroup: `metricsPort` must be a port from 1024 to 65535 (members run as non-root), got 80."],
    [{ consumerGroup: "bad group" }, 'ConverterGroup: `consumerGroup` must be letters, digits, ".", "_" or "-", got "bad group".'],
    [{ sourceEndpoint: "orders-db" }, 'ConverterGroup: `sourceEndpoint` must be host:port (e.g. "db.internal:5432"), got "orders-db".'],
])("rejects %j", (overrides, message) => {
    expect(() => new ConverterGroup("bad", args(overrides))).toThrow(message);
});
