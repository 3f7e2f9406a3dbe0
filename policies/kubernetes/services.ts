import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTyped } from "../typed";
import type { ServiceArgs } from "@pulumi/kubernetes/core/v1";

const service = "kubernetes:core/v1:Service";

export const k8sNoNodePortServices: ResourceValidationPolicy = {
    name: "k8s-no-node-port-services",
    description:
        "Kubernetes Services must not open node ports: no `type: NodePort`, no explicit `nodePort`, and a LoadBalancer Service must set `allocateLoadBalancerNodePorts: false` (node ports are allocated when it is left out).",
    severity: "medium",
    framework: { name: "Multicloud platform baseline", version: "1", reference: "", specification: "Workloads are reached through the ingress, never on every node's address." },
    remediationSteps: "Use `type: ClusterIP` and an Ingress (or Gateway); for a LoadBalancer Service set `allocateLoadBalancerNodePorts: false`.",
    url: "https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport",
    tags: ["kubernetes", "network", `type:${service}`],
    validateResource: validateTyped<ServiceArgs>(service, (props, _args, reportViolation) => {
        const spec = props.spec ?? {};
        const type = String(spec.type ?? "ClusterIP");
        if (type === "NodePort") return reportViolation("The Service is of type NodePort: it listens on every node.");
        if (type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts !== false) {
            return reportViolation("The LoadBalancer Service allocates node ports (`allocateLoadBalancerNodePorts` is not false).");
        }
        const explicit = (spec.ports ?? []).map((p: any) => p.nodePort).filter((p: unknown) => p !== undefined && p !== 0);
        if (explicit.length > 0) reportViolation(`The Service asks for node port(s) ${explicit.join(", ")}.`);
    }),
};
