import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

/** A DNS-1123 label: what Kubernetes admits as a namespace's or a list's name. */
export const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A DNS-1123 label from a component name: Kubernetes object names allow no more. */
export function kubernetesName(name: string): string {
    const label = name
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/^-+|-+$/g, "");
    return label.slice(0, 63).replace(/-+$/, "");
}

/**
 * A namespace whose pods reach nothing and are reached by nothing until a
 * NetworkPolicy of the caller allows it: the platform's rule for every namespace.
 */
export function isolatedNamespace(name: string, parent: pulumi.Resource) {
    const namespace = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: kubernetesName(name) } }, { parent });
    const defaultDeny = new k8s.networking.v1.NetworkPolicy(
        `${name}-default-deny`,
        {
            metadata: { name: "default-deny", namespace: namespace.metadata.name },
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        },
        { parent },
    );
    return { namespace, defaultDeny };
}

/** Egress to the cluster DNS, which every pod needs to resolve anything. */
export const dnsEgress: k8s.types.input.networking.v1.NetworkPolicyEgressRule = {
    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
    ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
    ],
};

/** Hardened container defaults: non-root, no privilege escalation, no capabilities, read-only root. */
export const restrictedContainerSecurity: k8s.types.input.core.v1.SecurityContext = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

/**
 * The NetworkPolicy that opens a service's pods in an isolated namespace: its
 * port to the ranges that call it, and egress to DNS and to the allowed ranges,
 * or to anywhere when none are listed (an empty list asks for nothing, as the
 * kits' capabilities read it).
 */
export function serviceAllowPolicy(
    name: string,
    args: {
        policyName: string;
        namespace: pulumi.Input<string>;
        labels: Record<string, string>;
        ingressCidrs: string[];
        port: number;
        egressAllowCidrs?: Record<string, string[]>;
    },
    opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy {
    const allowed = Object.values(args.egressAllowCidrs ?? {}).flat();
    return new k8s.networking.v1.NetworkPolicy(
        `${name}-allow`,
        {
            metadata: { name: args.policyName, namespace: args.namespace },
            spec: {
                podSelector: { matchLabels: args.labels },
                policyTypes: ["Ingress", "Egress"],
                ingress: [{ from: args.ingressCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: args.port }] }],
                egress: [dnsEgress, { to: (allowed.length > 0 ? allowed : ["0.0.0.0/0"]).map((cidr) => ({ ipBlock: { cidr } })) }],
            },
        },
        opts,
    );
}
