import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { Address4 } from "ip-address";
import { cloudOf } from "../stack/placement";
import { known } from "../stack/resources";
import { baseline } from "../controls";
import type { Plain } from "../typed";
import type { FirewallArgs } from "@pulumi/gcp/compute";

const service = "kubernetes:core/v1:Service";

/** Address ranges a cloud firewall may admit to a node port: the private ones (RFC 1918) only. */
const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((r) => new Address4(r));

function isPrivateRange(cidr: unknown): boolean {
    if (typeof cidr !== "string") return false;
    try {
        const block = new Address4(cidr);
        return privateRanges.some((range) => block.isInSubnet(range));
    } catch {
        return false;
    }
}

/** An ingress rule of a cloud firewall: the ports it opens and the sources it admits. */
interface Opening {
    from: number;
    to: number;
    sources: unknown[];
}

const portSpan = (text: string): [number, number] => {
    const [from, to = from] = text.split(/[-/]/).map(Number);
    return [from, to];
};

/** The ingress rules of the stack's cloud firewalls (security groups, VPC firewall rules); undefined where one is not known yet. */
function openingsOf(resource: PolicyResource): Opening[] | undefined {
    return known(() => {
        const p = resource.props;
        switch (resource.type) {
            case "alicloud:ecs/securityGroupRule:SecurityGroupRule": {
                if (p.type !== "ingress" || p.policy === "drop") return [];
                const [from, to] = portSpan(String(p.portRange ?? "-1/-1"));
                return [{ from, to, sources: [p.sourceSecurityGroupId ? "security group" : p.cidrIp] }];
            }
            case "gcp:compute/firewall:Firewall": {
                if ((p.direction ?? "INGRESS") !== "INGRESS" || p.denies?.length) return [];
                return (p.allows ?? []).flatMap((allow: NonNullable<Plain<FirewallArgs>["allows"]>[number]) =>
                    (allow.ports ?? ["0-65535"]).map((ports: string) => {
                        const [from, to] = portSpan(ports);
                        return { from, to, sources: p.sourceRanges ?? ["0.0.0.0/0"] };
                    }),
                );
            }
            case "aws:ec2/securityGroupRule:SecurityGroupRule":
                return p.type === "ingress"
                    ? [{ from: p.fromPort, to: p.toPort, sources: p.sourceSecurityGroupId ? ["security group"] : (p.cidrBlocks ?? []) }]
                    : [];
            case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
                return [{ from: p.fromPort, to: p.toPort, sources: [p.referencedSecurityGroupId ? "security group" : (p.cidrIpv4 ?? p.cidrIpv6)] }];
            default:
                return [];
        }
    });
}

/** Why a node port on a managed cluster is not closed to all but the private network, or undefined when it is. */
function nodePortExposure(port: number, openings: Opening[]): string | undefined {
    const reaching = openings.filter((o) => o.from <= port && port <= o.to);
    if (reaching.length === 0) return `no firewall rule of the stack opens node port ${port}, so what reaches it is left to the cluster's defaults`;
    const open = reaching.flatMap((o) => o.sources).filter((s) => s !== "security group" && !isPrivateRange(s));
    return open.length > 0 ? `node port ${port} is open to ${open.join(", ")}` : undefined;
}

export const k8sNoNodePortServices: StackValidationPolicy = {
    name: "k8s-no-node-port-services",
    description:
        "Kubernetes Services must not open node ports (`type: NodePort`, an explicit `nodePort`, or a LoadBalancer Service without `allocateLoadBalancerNodePorts: false`), " +
        "except on a public cloud's managed cluster where a cloud load balancer's server group needs one: there each node port must be explicit and every firewall rule of the stack that opens it admits private ranges only.",
    severity: "medium",
    framework: baseline("k8s-no-node-port-services", "Workloads are reached through the ingress, never on every node's address."),
    remediationSteps:
        "Use `type: ClusterIP` and an Ingress (or Gateway); for a LoadBalancer Service set `allocateLoadBalancerNodePorts: false`. " +
        "Where a cloud load balancer reaches pods through a node port, pin the port (`nodePort`) and open it in the nodes' security group or firewall to the load balancer's private ranges only.",
    url: "https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport",
    tags: ["kubernetes", "network", `type:${service}`],
    validateStack: (args, reportViolation) => {
        const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
        const openings: Opening[] = [];
        let firewallsKnown = true;
        for (const resource of args.resources) {
            const found = openingsOf(resource);
            if (found === undefined) firewallsKnown = false;
            else openings.push(...found);
        }
        for (const resource of args.resources.filter((r) => r.type === service)) {
            const spec = known(() => resource.props.spec) ?? {};
            const type = String(spec.type ?? "ClusterIP");
            if (type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts !== false) {
                reportViolation("The LoadBalancer Service allocates node ports (`allocateLoadBalancerNodePorts` is not false).", resource.urn);
                continue;
            }
            const ports = (spec.ports ?? []) as { nodePort?: number }[];
            const explicit = ports.map((p) => p.nodePort).filter((p): p is number => typeof p === "number" && p !== 0);
            if (type !== "NodePort" && explicit.length === 0) continue;
            const cloud = cloudOf(resource, byUrn);
            // The cluster is not known in this preview (its kubeconfig is unknown): judged once it is.
            if (cloud === undefined) continue;
            if (cloud === "onprem") {
                reportViolation(
                    type === "NodePort"
                        ? "The Service is of type NodePort: it listens on every node."
                        : `The Service asks for node port(s) ${explicit.join(", ")}.`,
                    resource.urn,
                );
                continue;
            }
            if (explicit.length < ports.length) {
                reportViolation(
                    "The Service takes node ports the cluster picks: pin each `nodePort`, so a firewall rule can admit the load balancer to it alone.",
                    resource.urn,
                );
                continue;
            }
            if (!firewallsKnown) continue;
            const exposed = explicit.map((port) => nodePortExposure(port, openings)).filter(Boolean);
            if (exposed.length > 0) reportViolation(`The Service listens on every node, and ${exposed.join("; ")}.`, resource.urn);
        }
    },
};
