import type { ResourceValidationPolicy } from "@pulumi/policy";
import { adminPorts, admittedPorts, isAllProtocols, isInternet, parsePortRange, type PortRange } from "../exposure";
import { baseline, cites } from "../controls";
import type { Plain } from "../typed";
import type { FirewallArgs, FirewallPolicyRuleArgs, NetworkFirewallPolicyRuleArgs, RegionNetworkFirewallPolicyRuleArgs } from "@pulumi/gcp/compute";

/** The newer firewall-policy rules (organisation, global network, regional network) take the same inputs. */
type PolicyRuleArgs = FirewallPolicyRuleArgs | NetworkFirewallPolicyRuleArgs | RegionNetworkFirewallPolicyRuleArgs;

/** GCP protocols that carry ports (names and IANA numbers); anything else (icmp, esp, ...) opens no port. */
const portProtocols = new Set(["tcp", "udp", "sctp", "6", "17", "132"]);

/** The port ranges an allow entry opens: ports left out mean every port of the protocol. */
function rangesOf(protocol: string | undefined, ports: unknown): PortRange[] {
    const p = (protocol ?? "").toLowerCase();
    if (!isAllProtocols(p) && !portProtocols.has(p)) return [];
    const list = Array.isArray(ports) ? (ports as unknown[]) : [];
    return list.length === 0 ? [parsePortRange(undefined)] : list.map(parsePortRange);
}

interface Opening {
    sources: unknown[];
    ranges: PortRange[];
}

/**
 * What an ingress rule of any GCP firewall resource admits. A classic firewall
 * with no source ranges, tags or service accounts admits 0.0.0.0/0 (GCP's default).
 */
function ingressOpening(type: string, props: Record<string, unknown>): Opening | undefined {
    const rule = props as Plain<FirewallArgs | PolicyRuleArgs>;
    if (rule.disabled === true) return undefined;
    const direction = (rule.direction ?? "INGRESS").toUpperCase();
    if (direction !== "INGRESS") return undefined;
    if (type === "gcp:compute/firewall:Firewall") {
        const firewall = props as Plain<FirewallArgs>;
        const byIdentity = (firewall.sourceTags ?? []).length > 0 || (firewall.sourceServiceAccounts ?? []).length > 0;
        const sources: unknown[] = firewall.sourceRanges ?? [];
        return {
            sources: sources.length === 0 && !byIdentity ? ["0.0.0.0/0"] : sources,
            ranges: (firewall.allows ?? []).flatMap((a) => rangesOf(a.protocol, a.ports)),
        };
    }
    if (firewallPolicyRuleTypes.includes(type)) {
        const policyRule = props as Plain<PolicyRuleArgs>;
        if ((policyRule.action ?? "").toLowerCase() !== "allow") return undefined;
        const match: Partial<Plain<PolicyRuleArgs>["match"]> = policyRule.match ?? {};
        return {
            sources: match.srcIpRanges ?? [],
            ranges: (match.layer4Configs ?? []).flatMap((c) => rangesOf(c.ipProtocol, c.ports)),
        };
    }
    return undefined;
}

const firewall = "gcp:compute/firewall:Firewall";

/** The newer firewall-policy rules open ports too. */
const firewallPolicyRuleTypes = [
    "gcp:compute/firewallPolicyRule:FirewallPolicyRule",
    "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule",
    "gcp:compute/regionNetworkFirewallPolicyRule:RegionNetworkFirewallPolicyRule",
];

export const gcpFirewallNoInternetAdminPorts: ResourceValidationPolicy = {
    name: "gcp-firewall-no-internet-admin-ports",
    description:
        "GCP firewall rules must not admit SSH (22) or RDP (3389) from the internet (0.0.0.0/0 or ::/0, or no source at all): list private source ranges and reach VMs through IAP or OS Login.",
    severity: "critical",
    framework: baseline("gcp-firewall-no-internet-admin-ports", "SSH and RDP are never reachable from the internet."),
    remediationSteps:
        "Set `sourceRanges` (or the rule's `match.srcIpRanges`) to private ranges such as IAP's 35.235.240.0/20, and narrow `allows[].ports` so that no range covers 22 or 3389.",
    url: "https://cloud.google.com/iap/docs/using-tcp-forwarding#create-firewall-rule",
    tags: [
        "gcp",
        "network",
        `type:${firewall}`,
        ...firewallPolicyRuleTypes.map((t) => `type:${t}`),
        // CIS and Checkov judge VPC firewall rules, not firewall-policy rules. tfsec's google-compute-no-public-ingress
        // refuses ingress from anywhere on any port, which this policy admits on other ports than 22 and 3389.
        ...cites(
            { control: "cis-gcp:3.6", types: [firewall] },
            { control: "cis-gcp:3.7", types: [firewall] },
            { control: "checkov:CKV_GCP_2", types: [firewall] },
            { control: "checkov:CKV_GCP_3", types: [firewall] },
        ),
    ],
    validateResource: (args, reportViolation) => {
        const opening = ingressOpening(args.type, args.props);
        if (!opening || !opening.sources.some(isInternet)) return;
        const ports = [...new Set(opening.ranges.flatMap((r) => admittedPorts(r, adminPorts)))];
        if (ports.length > 0) reportViolation(`The rule admits admin port(s) ${ports.join(", ")} from the internet.`);
    },
};

export const gcpFirewallLogging: ResourceValidationPolicy = {
    name: "gcp-firewall-logging",
    description: "GCP firewall rules must log the connections they match: set `logConfig.metadata` (or `enableLogging: true` on firewall-policy rules).",
    severity: "medium",
    framework: baseline("gcp-firewall-logging", "Firewall rules log matched connections so incidents can be investigated."),
    remediationSteps: 'Add `logConfig: { metadata: "INCLUDE_ALL_METADATA" }` (or "EXCLUDE_ALL_METADATA" to save cost) to the gcp.compute.Firewall.',
    url: "https://cloud.google.com/firewall/docs/firewall-rules-logging",
    tags: ["gcp", "network", "logging", "type:gcp:compute/firewall:Firewall", ...firewallPolicyRuleTypes.map((t) => `type:${t}`)],
    validateResource: (args, reportViolation) => {
        if (args.type === "gcp:compute/firewall:Firewall") {
            if (!args.props.logConfig?.metadata) reportViolation("The firewall rule does not log: `logConfig` is not set.");
        } else if (firewallPolicyRuleTypes.includes(args.type)) {
            if (args.props.enableLogging !== true) reportViolation("The firewall-policy rule does not log: `enableLogging` is not true.");
        }
    },
};
