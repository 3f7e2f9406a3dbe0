import { usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack({ ignorePreviewNotices: true });

const rule = "alicloud:ecs/securityGroupRule:SecurityGroupRule";
const policy = "alicloud-security-group-no-admin-ports-from-internet";
const ingress = (extra: Record<string, unknown>) => [
    { type: rule, inputs: { type: "ingress", securityGroupId: "sg-1", nicType: "intranet", policy: "accept", ...extra } },
];

describe("alicloud-security-group-no-admin-ports-from-internet", () => {
    test("the service port from a private range, or 443 from the internet, passes", async () => {
        expect(await pack.policiesHit(ingress({ ipProtocol: "tcp", portRange: "22/22", cidrIp: "10.0.0.0/8" }))).not.toContain(policy);
        expect(await pack.policiesHit(ingress({ ipProtocol: "tcp", portRange: "443/443", cidrIp: "0.0.0.0/0" }))).not.toContain(policy);
    });
    test("22 or 3389 from the internet is blocked however it is written", async () => {
        for (const extra of [
            { ipProtocol: "tcp", portRange: "22/22", cidrIp: "0.0.0.0/0" },
            { ipProtocol: "tcp", portRange: "1/65535", cidrIp: "0.0.0.0/0" },
            { ipProtocol: "all", portRange: "-1/-1", cidrIp: "0.0.0.0/0" },
            { ipProtocol: "tcp", portRange: "3000/4000", ipv6CidrIp: "::/0" },
        ]) {
            expect(await pack.policiesHit(ingress(extra))).toContain(policy);
        }
    });
    test("a drop rule and an egress rule are not judged", async () => {
        expect(await pack.policiesHit(ingress({ ipProtocol: "tcp", portRange: "22/22", cidrIp: "0.0.0.0/0", policy: "drop" }))).not.toContain(policy);
        expect(await pack.policiesHit(ingress({ ipProtocol: "all", portRange: "-1/-1", cidrIp: "0.0.0.0/0", type: "egress" }))).not.toContain(policy);
    });
});
