/**
 * Calls between our own workloads cross the links, never the internet. A
 * container whose workload reads another stack (it depends on a
 * StackReference) is calling one of our workloads; each address in its
 * variables must be private: an IPv4 address in a private range, or a name a
 * cloud gives only its internal load balancers. A public address, or the name
 * of a public load balancer, is a call to the callee's public entry point.
 */
import { Address4 } from "ip-address";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { podSpecOf, podWorkloadTypes } from "../kubernetes/pods";
import { baseline } from "../controls";
import { known } from "./resources";
import type { Plain } from "../typed";
import type { ContainerDefinition } from "@pulumi/aws/ecs";

const stackReference = "pulumi:pulumi:StackReference";
const ecsTaskDefinition = "aws:ecs/taskDefinition:TaskDefinition";

/** Ranges a link reaches and the internet does not: RFC 1918, shared address space (RFC 6598), link-local. */
const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"].map((c) => new Address4(c));

/**
 * Names of public load balancers: AWS names an internal one `internal-...`;
 * Alibaba Cloud gives internal and internet-facing ALBs names of one form, so
 * its names count as public and a private address is what reaches its internal
 * listener.
 */
const publicLoadBalancerName = [/^(?!internal-)[^.]+\.[a-z0-9-]+\.elb\.amazonaws\.com$/, /\.alb\.aliyuncs(slb|slbintl)?\.com$/, /\.slb\.aliyuncs\.com$/];

/** The host a variable's value names: a URL's host, or a bare host with or without a port; undefined for anything else. */
function hostOf(value: string): string | undefined {
    const text = value.trim();
    try {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return new URL(text).hostname;
    } catch {
        return undefined;
    }
    const bare = /^([a-z0-9.-]+)(:\d+)?(\/.*)?$/i.exec(text);
    return bare && bare[1].includes(".") ? bare[1] : undefined;
}

/** Why a host is public, or undefined when it is private or not a place (a plain word, a version). */
export function publicEndpoint(value: string): string | undefined {
    const host = hostOf(value);
    if (!host) return undefined;
    if (Address4.isValid(host)) {
        const address = new Address4(host);
        return privateRanges.some((r) => address.isInSubnet(r)) ? undefined : `${host} is a public address`;
    }
    return publicLoadBalancerName.some((p) => p.test(host.toLowerCase())) ? `${host} is a public load balancer's name` : undefined;
}

/** Each container's name and plain variables of a workload that runs containers; a value is read when judged, as the preview may not know it. */
function variablesOf(resource: PolicyResource): { container: string; name: string; value: () => unknown }[] {
    if (resource.type === ecsTaskDefinition) {
        const definitions: Plain<ContainerDefinition>[] = known(() => JSON.parse(String(resource.props.containerDefinitions))) ?? [];
        return definitions.flatMap((c) => (c.environment ?? []).map((e) => ({ container: c.name, name: e.name, value: () => e.value })));
    }
    const pod = known(() => podSpecOf(resource.type, resource.props));
    const containers = known(() => [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) ?? [];
    return containers.flatMap((c) =>
        (known(() => c.env) ?? []).map((e) => ({ container: known(() => c.name) ?? "?", name: known(() => e.name) ?? "?", value: () => e.value })),
    );
}

export const noPublicEndpointCalls: StackValidationPolicy = {
    name: "no-public-endpoint-calls",
    description:
        "A container of a workload that reads another of our stacks (a StackReference) calls that workload over the links: every address in its variables is private (a private IPv4 address, or an internal load balancer's name), never a public address or a public load balancer's name.",
    severity: "high",
    framework: baseline("no-public-endpoint-calls", "Calls between our own workloads on different clouds cross a private link, never the internet."),
    remediationSteps:
        "Read the callee stack's `privateEndpoint` (its private listener, offered to callers on other clouds) instead of its public `endpoint`, and allow egress to the callee's planned ranges; the links stack joins the two networks.",
    url: "https://www.pulumi.com/docs/iac/concepts/stacks/#stackreferences",
    tags: ["aws", "kubernetes", "network", "vpn", ...[...podWorkloadTypes, ecsTaskDefinition].map((t) => `type:${t}`)],
    validateStack: (args, reportViolation) => {
        if (!args.resources.some((r) => r.type === stackReference)) return;
        for (const resource of args.resources) {
            if (resource.type !== ecsTaskDefinition && !podWorkloadTypes.includes(resource.type)) continue;
            if (!resource.dependencies.some((d) => d.type === stackReference)) continue;
            for (const v of variablesOf(resource)) {
                // A value the preview cannot know yet (the callee's address, before it exists) is judged when it is known.
                const value = known(v.value);
                if (typeof value !== "string") continue;
                const why = publicEndpoint(value);
                if (why)
                    reportViolation(
                        `Container "${v.container}": ${v.name} = ${value}: ${why}, so the call to another of our stacks crosses the internet.`,
                        resource.urn,
                    );
            }
        }
    },
};
