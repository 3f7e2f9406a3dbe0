/** Alibaba Cloud security group rules, judged by the ports and sources they admit. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { adminPorts, admittedPorts, isInternet, parsePortRange } from "../exposure";
import { cites, framework } from "../controls";
import { validateTyped } from "../typed";
import type { SecurityGroupRuleArgs } from "@pulumi/alicloud/ecs";

export const securityGroupNoAdminPortsFromInternet: ResourceValidationPolicy = {
    name: "alicloud-security-group-no-admin-ports-from-internet",
    description: 'No security group rule may accept SSH (22) or RDP (3389) from 0.0.0.0/0 or ::/0: ranges ("1/65535"), "-1/-1" and ipProtocol "all" count.',
    severity: "critical",
    framework: framework("cis-alicloud:4.3"),
    remediationSteps:
        "Restrict `cidrIp` / `ipv6CidrIp` to a private range or use `sourceSecurityGroupId`, or drop the rule; reach instances through Session Manager / Cloud Assistant or a bastion on a private range.",
    url: "https://www.alibabacloud.com/help/en/ecs/user-guide/security-group-rules",
    tags: [
        "alicloud",
        "network",
        ...cites("cis-alicloud:4.3", "cis-alicloud:4.4", "cis-alicloud:3.2"),
        "type:alicloud:ecs/securityGroupRule:SecurityGroupRule",
    ],
    validateResource: validateTyped<SecurityGroupRuleArgs>("alicloud:ecs/securityGroupRule:SecurityGroupRule", (props, _args, reportViolation) => {
        const p = props;
        if (p.type !== "ingress" || (p.policy ?? "accept").toLowerCase() !== "accept") return;
        if (![p.cidrIp, p.ipv6CidrIp].some(isInternet)) return;
        const protocol = p.ipProtocol.toLowerCase();
        if (!["all", "tcp", "udp"].includes(protocol)) return;
        const ports = admittedPorts(protocol === "all" ? parsePortRange("-1/-1") : parsePortRange(p.portRange), adminPorts);
        if (ports.length) reportViolation(`The rule (${protocol} ${p.portRange ?? "-1/-1"}) accepts admin port ${ports.join(" and ")} from the internet.`);
    }),
};
