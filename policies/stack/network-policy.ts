import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { podWorkloadTypes } from "../kubernetes/pods";
import { known } from "./resources";
import { baseline } from "../controls";
import type { Plain } from "../typed";
import type { NetworkPolicyArgs } from "@pulumi/kubernetes/networking/v1";

const namespaceType = "kubernetes:core/v1:Namespace";
const networkPolicyType = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
type Direction = "Ingress" | "Egress";

/** A namespace on one cluster: the Kubernetes provider (or the default one) and the name. */
function key(resource: PolicyResource, namespace: string): string {
    return `${resource.provider?.urn ?? "default"} ${namespace}`;
}

/** The namespace of a namespaced object: its own, else the provider's default, else "default". */
function namespaceOf(resource: PolicyResource): string | undefined {
    return known(() => resource.props.metadata?.namespace ?? resource.provider?.props?.namespace ?? "default");
}

/** Directions a NetworkPolicy denies by default for every pod of its namespace. */
function deniedDirections(props: Plain<NetworkPolicyArgs>): Direction[] {
    const spec: Partial<NonNullable<Plain<NetworkPolicyArgs>["spec"]>> = props.spec ?? {};
    const selector = spec.podSelector ?? {};
    const selectsAll = Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
    if (!selectsAll) return [];
    // Left out, policyTypes is Ingress, plus Egress when egress rules are given; the API admits no other types.
    const types = (spec.policyTypes ?? ["Ingress", ...(spec.egress ? (["Egress"] as const) : [])]) as Direction[];
    return types.filter((t) => (spec[t.toLowerCase() as Lowercase<Direction>] ?? []).length === 0);
}

export const k8sNamespaceDefaultDeny: StackValidationPolicy = {
    name: "k8s-namespace-default-deny",
    description:
        "Every Kubernetes namespace the stack creates or runs pods in has a default-deny NetworkPolicy: `podSelector: {}` with `policyTypes` Ingress and Egress and no rules, so only traffic another policy allows flows.",
    severity: "high",
    framework: baseline("k8s-namespace-default-deny", "Pod traffic is denied unless a NetworkPolicy allows it."),
    remediationSteps:
        'Add a NetworkPolicy in the namespace: `spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] }`, then NetworkPolicies that allow what the pods need (DNS, their peers).',
    url: "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies",
    tags: ["kubernetes", "network", `type:${namespaceType}`, `type:${networkPolicyType}`],
    configSchema: {
        properties: {
            directions: {
                type: "array",
                items: { type: "string", enum: ["Ingress", "Egress"] },
                default: ["Ingress", "Egress"],
                description: "Directions the default-deny policy must cover.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const required = args.getConfig<{ directions?: Direction[] }>().directions ?? ["Ingress", "Egress"];
        const namespaces = new Map<string, { name: string; urn: string }>();
        const denied = new Map<string, Set<Direction>>();
        for (const r of args.resources) {
            if (r.type === namespaceType) {
                const name = known(() => r.props.metadata?.name);
                if (typeof name === "string") namespaces.set(key(r, name), { name, urn: r.urn });
            } else if (podWorkloadTypes.includes(r.type)) {
                const ns = namespaceOf(r);
                if (ns && !namespaces.has(key(r, ns))) namespaces.set(key(r, ns), { name: ns, urn: r.urn });
            } else if (r.type === networkPolicyType) {
                const ns = namespaceOf(r);
                const directions = known(() => deniedDirections(r.props));
                if (!ns || !directions) continue;
                const set = denied.get(key(r, ns)) ?? new Set<Direction>();
                directions.forEach((d) => set.add(d));
                denied.set(key(r, ns), set);
            }
        }
        for (const [k, { name, urn }] of namespaces) {
            const missing = required.filter((d) => !denied.get(k)?.has(d));
            if (missing.length > 0) reportViolation(`Namespace "${name}" has no default-deny NetworkPolicy for ${missing.join(" and ")}.`, urn);
        }
    },
};
