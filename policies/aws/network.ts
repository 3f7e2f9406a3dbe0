/**
 * What AWS network rules let in from the internet. Every resource type that opens a
 * port counts: inline rules of a (default) security group, aws.ec2.SecurityGroupRule,
 * the per-rule aws.vpc.SecurityGroupIngressRule, and network ACLs.
 */
import { UnknownValueError, type PolicyResource, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { adminPorts, admittedPorts, admitsOtherThan, allPorts, isAllProtocols, isInternet, parsePortRange, webPorts, type PortRange } from "../exposure";
import { baseline, cites, framework } from "../controls";
import { validateTyped, type Plain } from "../typed";
import type { DefaultSecurityGroupArgs, SecurityGroupArgs, SecurityGroupRuleArgs, SubnetArgs } from "@pulumi/aws/ec2";
import type { SecurityGroupIngressRuleArgs } from "@pulumi/aws/vpc";

const securityGroupTypes = new Set(["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"]);
const ruleTypes = new Set(["aws:ec2/securityGroupRule:SecurityGroupRule", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"]);
const loadBalancerTypes = new Set(["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "aws:elb/loadBalancer:LoadBalancer"]);
const checkovSecurityGroupTypes = ["aws:ec2/securityGroup:SecurityGroup", ...ruleTypes];
const networkAclRule = "aws:ec2/networkAclRule:NetworkAclRule";

/** One ingress rule that admits the internet, with the ports it admits (undefined: a protocol without ports, such as ICMP). */
interface InternetIngress {
    protocol: string;
    ports: PortRange | undefined;
}

/** Ports of a protocol: every port for "all", the from/to range for TCP and UDP, none for ICMP and the rest. */
function portsOf(protocol: unknown, from: unknown, to: unknown): PortRange | undefined {
    if (isAllProtocols(protocol)) return allPorts;
    const p = String(protocol).toLowerCase();
    if (!["tcp", "udp", "6", "17"].includes(p)) return undefined;
    if (from === undefined && to === undefined) return allPorts;
    return parsePortRange({ from, to });
}

const isTcp = (protocol: string) => ["tcp", "6"].includes(protocol.toLowerCase());

/** Ingress from 0.0.0.0/0 or ::/0 that a security group resource or rule resource opens. */
export function securityGroupInternetIngress(type: string, props: Record<string, unknown>): InternetIngress[] {
    const rules: { protocol: unknown; from: unknown; to: unknown; cidrs: unknown[] }[] = [];
    if (securityGroupTypes.has(type)) {
        const group = props as Plain<SecurityGroupArgs | DefaultSecurityGroupArgs>;
        for (const r of group.ingress ?? [])
            rules.push({ protocol: r.protocol, from: r.fromPort, to: r.toPort, cidrs: [...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? [])] });
    } else if (type === "aws:ec2/securityGroupRule:SecurityGroupRule") {
        const rule = props as Plain<SecurityGroupRuleArgs>;
        if (rule.type === "ingress")
            rules.push({ protocol: rule.protocol, from: rule.fromPort, to: rule.toPort, cidrs: [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])] });
    } else if (type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
        const rule = props as Plain<SecurityGroupIngressRuleArgs>;
        rules.push({ protocol: rule.ipProtocol, from: rule.fromPort, to: rule.toPort, cidrs: [rule.cidrIpv4, rule.cidrIpv6] });
    }
    return rules.filter((r) => r.cidrs.some(isInternet)).map((r) => ({ protocol: String(r.protocol), ports: portsOf(r.protocol, r.from, r.to) }));
}

const describe = (i: InternetIngress) =>
    i.ports === undefined ? `protocol ${i.protocol}` : isAllProtocols(i.protocol) ? "all traffic" : `${i.protocol} ${i.ports.from}-${i.ports.to}`;

export const securityGroupNoAdminPortsFromInternet: ResourceValidationPolicy = {
    name: "aws-security-group-no-admin-ports-from-internet",
    description:
        "No security group or rule may admit SSH (22) or RDP (3389) from 0.0.0.0/0 or ::/0, whether by the port, a range around it, or all protocols (-1).",
    severity: "critical",
    framework: framework("cis-aws:5.2"),
    remediationSteps: "Remove the ingress rule, or restrict its source to a private CIDR or a security group; reach instances through SSM Session Manager.",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    tags: [
        "aws",
        "network",
        ...cites(
            "cis-aws:5.2",
            "cis-aws:5.3",
            "aws-securityhub:EC2.13",
            "aws-securityhub:EC2.14",
            // Checkov judges security groups and their rules, not the default security group.
            { control: "checkov:CKV_AWS_24", types: checkovSecurityGroupTypes },
            { control: "checkov:CKV_AWS_25", types: checkovSecurityGroupTypes },
            "tfsec:aws-ec2-no-public-ingress-sgr",
        ),
        ...[...securityGroupTypes, ...ruleTypes].map((t) => `type:${t}`),
    ],
    validateResource: (args, reportViolation) => {
        for (const ingress of securityGroupInternetIngress(args.type, args.props)) {
            const ports = admittedPorts(ingress.ports ?? { from: -1, to: -1 }, adminPorts);
            if (ports.length) reportViolation(`An ingress rule (${describe(ingress)}) admits admin port ${ports.join(" and ")} from the internet.`);
        }
    },
};

export const securityGroupInternetOnlyWeb: ResourceValidationPolicy = {
    name: "aws-security-group-internet-only-web",
    description: "Security groups may admit 0.0.0.0/0 or ::/0 only on TCP 80 and 443; any other port, range, protocol or -1 from the internet is refused.",
    severity: "high",
    framework: framework("aws-securityhub:EC2.18"),
    remediationSteps:
        "Restrict the rule's source to private CIDRs or security groups, or narrow it to TCP 443 (and 80 for redirects) on a load balancer's group.",
    url: "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18",
    tags: [
        "aws",
        "network",
        ...cites("aws-securityhub:EC2.18", "tfsec:aws-ec2-no-public-ingress-sgr"),
        ...[...securityGroupTypes, ...ruleTypes].map((t) => `type:${t}`),
    ],
    validateResource: (args, reportViolation) => {
        for (const ingress of securityGroupInternetIngress(args.type, args.props)) {
            if (ingress.ports === undefined || !isTcp(ingress.protocol) || admitsOtherThan(ingress.ports, webPorts)) {
                reportViolation(`An ingress rule (${describe(ingress)}) admits the internet on more than TCP 80/443.`);
            }
        }
    },
};

/** Reads a resource, or skips it when a value it needs is unknown in this preview. */
function unlessUnknown<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (e) {
        if (e instanceof UnknownValueError) return undefined;
        throw e;
    }
}

/** The security group a resource belongs to: itself, or the group a rule resource depends on. */
function groupOf(r: PolicyResource): PolicyResource | undefined {
    if (securityGroupTypes.has(r.type)) return r;
    return [...r.dependencies, ...Object.values(r.propertyDependencies ?? {}).flat()].find((d) => securityGroupTypes.has(d.type));
}

export const securityGroupWebOnlyOnLoadBalancers: StackValidationPolicy = {
    name: "aws-security-group-internet-web-only-on-load-balancers",
    description:
        "Ingress from 0.0.0.0/0 or ::/0 (even on 80/443) is allowed only on a security group that a load balancer of the stack uses; instances and tasks are reached through the load balancer.",
    severity: "high",
    framework: baseline("aws-security-group-internet-web-only-on-load-balancers", "Only load balancers are reachable from the internet."),
    remediationSteps: "Attach the group to the aws.lb.LoadBalancer (`securityGroups`), or restrict the rule's source to the load balancer's security group.",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html",
    tags: ["aws", "network", ...[...securityGroupTypes, ...ruleTypes].map((t) => `type:${t}`)],
    validateStack: (args, reportViolation) => {
        const usedByLoadBalancers = new Set(
            args.resources
                .filter((r) => loadBalancerTypes.has(r.type))
                .flatMap((lb) => [...lb.dependencies, ...Object.values(lb.propertyDependencies ?? {}).flat()].map((d) => d.urn)),
        );
        for (const r of args.resources) {
            if (!securityGroupTypes.has(r.type) && !ruleTypes.has(r.type)) continue;
            const open = unlessUnknown(() => securityGroupInternetIngress(r.type, r.props).length > 0);
            if (!open) continue;
            const group = groupOf(r);
            if (!group || !usedByLoadBalancers.has(group.urn)) {
                reportViolation(`${r.name} admits the internet on a security group that no load balancer of this stack uses.`, r.urn);
            }
        }
    },
};

export const networkAclNoAdminPortsFromInternet: ResourceValidationPolicy = {
    name: "aws-network-acl-no-admin-ports-from-internet",
    description: "No network ACL may allow SSH (22) or RDP (3389) in from 0.0.0.0/0 or ::/0 (ranges and protocol -1 included).",
    severity: "high",
    framework: framework("cis-aws:5.1"),
    remediationSteps: "Deny or remove the ACL entry for 22/3389 from the internet, or restrict its source CIDR.",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
    tags: [
        "aws",
        "network",
        // Trivy reads the entries of aws_network_acl_rule resources only, not a network ACL's inline ones.
        ...cites("cis-aws:5.1", "aws-securityhub:EC2.21", { control: "tfsec:aws-ec2-no-public-ingress-acl", types: [networkAclRule] }),
        "type:aws:ec2/networkAcl:NetworkAcl",
        "type:aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
        `type:${networkAclRule}`,
    ],
    validateResource: (args, reportViolation) => {
        const entries: { action: unknown; protocol: unknown; from: unknown; to: unknown; cidrs: unknown[] }[] = [];
        if (args.type === "aws:ec2/networkAcl:NetworkAcl" || args.type === "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl") {
            for (const e of args.props.ingress ?? [])
                entries.push({ action: e.action, protocol: e.protocol, from: e.fromPort, to: e.toPort, cidrs: [e.cidrBlock, e.ipv6CidrBlock] });
        } else if (args.type === networkAclRule) {
            const p = args.props;
            if (p.egress !== true)
                entries.push({ action: p.ruleAction, protocol: p.protocol, from: p.fromPort, to: p.toPort, cidrs: [p.cidrBlock, p.ipv6CidrBlock] });
        }
        for (const e of entries) {
            if (String(e.action).toLowerCase() !== "allow" || !e.cidrs.some(isInternet)) continue;
            const ports = admittedPorts(portsOf(e.protocol, e.from, e.to) ?? { from: -1, to: -1 }, adminPorts);
            if (ports.length) reportViolation(`A network ACL entry allows admin port ${ports.join(" and ")} from the internet.`);
        }
    },
};

export const subnetNoPublicIpOnLaunch: ResourceValidationPolicy = {
    name: "aws-subnet-no-public-ip-on-launch",
    description:
        "Subnets must not give instances a public address by default (`mapPublicIpOnLaunch` and `assignIpv6AddressOnCreation` false; an IPv6 address is globally routable): an instance or launch template that leaves `associatePublicIpAddress` out inherits it.",
    severity: "medium",
    framework: framework("aws-securityhub:EC2.15"),
    remediationSteps:
        "Set `mapPublicIpOnLaunch: false` and leave `assignIpv6AddressOnCreation` out (or false) on the aws.ec2.Subnet; put public endpoints behind a load balancer or NAT.",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-public-ip.html",
    tags: ["aws", "network", ...cites("aws-securityhub:EC2.15", "checkov:CKV_AWS_130", "tfsec:aws-ec2-no-public-ip-subnet"), "type:aws:ec2/subnet:Subnet"],
    validateResource: validateTyped<SubnetArgs>("aws:ec2/subnet:Subnet", (props, _args, reportViolation) => {
        if (props.mapPublicIpOnLaunch === true) reportViolation("The subnet assigns a public IP to every instance launched in it.");
        if (props.assignIpv6AddressOnCreation === true)
            reportViolation("The subnet assigns a globally routable IPv6 address to every network interface created in it.");
    }),
};
