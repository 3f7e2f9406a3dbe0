import { healthUrlOf, kindOf, mergeGrants, requiredGrants, resourceOf, rulesOf } from "./workspace-access";

const object = (type: string, metadata: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({ type, inputs: { metadata, spec } });

test("a type token names the API group (the core group is empty) and the kind", () => {
    expect(kindOf("kubernetes:core/v1:Namespace")).toEqual({ apiGroup: "", kind: "Namespace" });
    expect(kindOf("kubernetes:networking.k8s.io/v1:NetworkPolicy")).toEqual({ apiGroup: "networking.k8s.io", kind: "NetworkPolicy" });
    expect(kindOf("kubernetes:velero.io/v1:Schedule")).toEqual({ apiGroup: "velero.io", kind: "Schedule" });
    expect(kindOf("pulumi:providers:kubernetes")).toBeUndefined();
    expect(kindOf("multicloud:kubernetes:Network")).toBeUndefined();
});

test.each([
    ["Ingress", "ingresses"],
    ["NetworkPolicy", "networkpolicies"],
    ["HorizontalPodAutoscaler", "horizontalpodautoscalers"],
    ["Endpoints", "endpoints"],
    ["Schedule", "schedules"],
])("%s is served as %s", (kind, resource) => {
    expect(resourceOf(kind)).toBe(resource);
});

test("a namespaced object is granted in its namespace, with what the provider watches while it waits", () => {
    const grants = requiredGrants([object("kubernetes:apps/v1:Deployment", { name: "web", namespace: "shop" })]);
    expect(grants).toEqual([
        { namespace: "shop", apiGroup: "", resource: "events", verbs: ["get", "list", "watch"] },
        { namespace: "shop", apiGroup: "", resource: "persistentvolumeclaims", verbs: ["get", "list", "watch"] },
        { namespace: "shop", apiGroup: "", resource: "pods", verbs: ["get", "list", "watch"] },
        { namespace: "shop", apiGroup: "apps", resource: "deployments", verbs: ["create", "delete", "get", "list", "patch", "watch"] },
        { namespace: "shop", apiGroup: "apps", resource: "replicasets", verbs: ["get", "list", "watch"] },
    ]);
});

test("a cluster-scoped object is granted by name wherever Kubernetes can check a name", () => {
    const grants = requiredGrants([object("kubernetes:core/v1:Namespace", { name: "shop" }), object("kubernetes:core/v1:Namespace", { name: "shop-dev" })]);
    expect(grants).toEqual([
        { apiGroup: "", resource: "namespaces", verbs: ["create", "list", "watch"] },
        { apiGroup: "", resource: "namespaces", verbs: ["delete", "get", "patch"], names: ["shop", "shop-dev"] },
    ]);
    expect(rulesOf(grants)).toEqual([
        { apiGroups: [""], resources: ["namespaces"], verbs: ["create", "list", "watch"] },
        { apiGroups: [""], resources: ["namespaces"], verbs: ["delete", "get", "patch"], resourceNames: ["shop", "shop-dev"] },
    ]);
});

test("an object with no namespace that is not a cluster-scoped kind is an error, not a grant in the default namespace", () => {
    expect(() => requiredGrants([object("kubernetes:core/v1:Secret", { name: "token" })])).toThrow(/kubernetes:core\/v1:Secret token: no metadata.namespace/);
});

test("grants of several stacks merge: verbs per kind, names per verb set", () => {
    const merged = mergeGrants([
        { namespace: "a", apiGroup: "", resource: "pods", verbs: ["get"] },
        { namespace: "a", apiGroup: "", resource: "pods", verbs: ["watch", "get"] },
        { apiGroup: "", resource: "namespaces", verbs: ["get"], names: ["a"] },
        { apiGroup: "", resource: "namespaces", verbs: ["get"], names: ["b"] },
    ]);
    expect(merged).toEqual([
        { apiGroup: "", resource: "namespaces", verbs: ["get"], names: ["a", "b"] },
        { namespace: "a", apiGroup: "", resource: "pods", verbs: ["get", "watch"] },
    ]);
});

describe("the health URL", () => {
    const service = object("kubernetes:core/v1:Service", { name: "web-svc", namespace: "shop" }, { selector: { app: "web" } });
    const deployment = object(
        "kubernetes:apps/v1:Deployment",
        { name: "web", namespace: "shop" },
        {
            template: {
                metadata: { labels: { app: "web", tier: "front" } },
                spec: { containers: [{ name: "web", readinessProbe: { httpGet: { path: "/ready", port: 8080 } } }] },
            },
        },
    );
    const ingress = (tls: boolean) =>
        object(
            "kubernetes:networking.k8s.io/v1:Ingress",
            { name: "web", namespace: "shop" },
            {
                rules: [{ host: "web.example.internal", http: { paths: [{ path: "/", backend: { service: { name: "web-svc", port: { name: "http" } } } }] } }],
                ...(tls ? { tls: [{ hosts: ["web.example.internal"], secretName: "web-tls" }] } : {}),
            },
        );

    test("is the Ingress host with the readiness path of the pods behind its Service", () => {
        expect(healthUrlOf([ingress(true), service, deployment])).toBe("https://web.example.internal/ready");
        expect(healthUrlOf([ingress(false), service, deployment])).toBe("http://web.example.internal/ready");
    });

    test("is none without an Ingress, and an error when it cannot be derived", () => {
        expect(healthUrlOf([service, deployment])).toBeUndefined();
        expect(() => healthUrlOf([ingress(true), service])).toThrow(/no Deployment behind its Service with an HTTP readiness probe/);
        expect(() => healthUrlOf([ingress(true), ingress(false), service, deployment])).toThrow(/2 Ingresses/);
    });
});
