import { usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack();
const p = "k8s-namespace-default-deny";
const namespace = { type: "kubernetes:core/v1:Namespace", inputs: { metadata: { name: "payments" } } };
const policy = (spec: Record<string, unknown>, ns = "payments") => ({
    type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    inputs: { metadata: { name: "deny", namespace: ns }, spec },
});

test("a namespace with a default-deny policy for both directions passes", async () => {
    expect(await pack.policiesHit([namespace, policy({ podSelector: {}, policyTypes: ["Ingress", "Egress"] })])).not.toContain(p);
    expect(
        await pack.policiesHit([namespace, policy({ podSelector: {}, policyTypes: ["Ingress"] }), policy({ podSelector: {}, policyTypes: ["Egress"] })]),
    ).not.toContain(p);
});

test("a namespace with none, an allow policy, a selective one, or ingress only is blocked", async () => {
    expect(await pack.policiesHit([namespace])).toContain(p);
    expect(await pack.policiesHit([namespace, policy({ podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}] })])).toContain(p);
    expect(await pack.policiesHit([namespace, policy({ podSelector: { matchLabels: { app: "a" } }, policyTypes: ["Ingress", "Egress"] })])).toContain(p);
    // policyTypes left out means Ingress only.
    expect(await pack.policiesHit([namespace, policy({ podSelector: {} })])).toContain(p);
});

test("pods in the default namespace need a default-deny there too", async () => {
    const deployment = { type: "kubernetes:apps/v1:Deployment", inputs: { spec: { template: { spec: { containers: [] } } } } };
    expect(await pack.policiesHit([deployment])).toContain(p);
    expect(await pack.policiesHit([deployment, policy({ podSelector: {}, policyTypes: ["Ingress", "Egress"] }, "default")])).not.toContain(p);
});
