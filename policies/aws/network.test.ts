import { unknown, usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack({ ignorePreviewNotices: true });
const sg = "aws:ec2/securityGroup:SecurityGroup";
const admin = "aws-security-group-no-admin-ports-from-internet";
const web = "aws-security-group-internet-only-web";

const group = (ingress: Record<string, unknown>) => [{ type: sg, inputs: { ingress: [ingress] } }];

describe("aws-security-group-no-admin-ports-from-internet", () => {
    test("SSH from a private range, or HTTPS from the internet, passes", async () => {
        expect(await pack.policiesHit(group({ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }))).not.toContain(admin);
        expect(await pack.policiesHit(group({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }))).not.toContain(admin);
    });
    test("22 or 3389 from the internet is blocked however it is written", async () => {
        const written = [
            { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
            { protocol: "tcp", fromPort: 20, toPort: 30, cidrBlocks: ["0.0.0.0/0"] },
            { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
            { protocol: "tcp", fromPort: 3000, toPort: 4000, ipv6CidrBlocks: ["::/0"] },
        ];
        for (const ingress of written) expect(await pack.policiesHit(group(ingress))).toContain(admin);
    });
    test("separate rule resources count: SecurityGroupRule and the per-rule SecurityGroupIngressRule", async () => {
        expect(
            await pack.policiesHit([
                {
                    type: "aws:ec2/securityGroupRule:SecurityGroupRule",
                    inputs: { type: "ingress", protocol: "all", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" },
                },
            ]),
        ).toContain(admin);
        expect(
            await pack.policiesHit([
                {
                    type: "aws:ec2/securityGroupRule:SecurityGroupRule",
                    inputs: { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" },
                },
            ]),
        ).not.toContain(admin);
        expect(
            await pack.policiesHit([
                { type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", inputs: { ipProtocol: "-1", cidrIpv6: "::/0", securityGroupId: "sg-1" } },
            ]),
        ).toContain(admin);
        expect(
            await pack.policiesHit([
                {
                    type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                    inputs: { ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: "10.1.0.0/16", securityGroupId: "sg-1" },
                },
            ]),
        ).not.toContain(admin);
    });
    test("a source not known in the preview is not reported", async () => {
        expect(await pack.policiesHit(group({ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [unknown] }))).not.toContain(admin);
    });
});

describe("aws-security-group-internet-only-web", () => {
    test("TCP 80 and 443 from the internet pass", async () => {
        expect(
            await pack.policiesHit(group({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] })),
        ).not.toContain(web);
    });
    test("a range around 443, other ports, UDP and ICMP from the internet are blocked", async () => {
        for (const ingress of [
            { protocol: "tcp", fromPort: 80, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
            { protocol: "tcp", fromPort: 8080, toPort: 8080, ipv6CidrBlocks: ["::/0"] },
            { protocol: "udp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
            { protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] },
        ]) {
            expect(await pack.policiesHit(group(ingress))).toContain(web);
        }
    });
});

describe("aws-network-acl-no-admin-ports-from-internet", () => {
    const policy = "aws-network-acl-no-admin-ports-from-internet";
    test("an allow entry admitting 22 (a range, or all protocols) from the internet is blocked; deny entries and ephemeral ports pass", async () => {
        expect(
            await pack.policiesHit([
                {
                    type: "aws:ec2/networkAclRule:NetworkAclRule",
                    inputs: { networkAclId: "a", ruleNumber: 100, ruleAction: "allow", protocol: "-1", cidrBlock: "0.0.0.0/0" },
                },
            ]),
        ).toContain(policy);
        expect(
            await pack.policiesHit([
                {
                    type: "aws:ec2/networkAcl:NetworkAcl",
                    inputs: { vpcId: "v", ingress: [{ action: "allow", protocol: "tcp", fromPort: 0, toPort: 1024, cidrBlock: "0.0.0.0/0", ruleNo: 1 }] },
                },
            ]),
        ).toContain(policy);
        expect(
            await pack.policiesHit([
                {
                    type: "aws:ec2/networkAclRule:NetworkAclRule",
                    inputs: { networkAclId: "a", ruleNumber: 100, ruleAction: "deny", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "0.0.0.0/0" },
                },
            ]),
        ).not.toContain(policy);
        expect(
            await pack.policiesHit([
                {
                    type: "aws:ec2/networkAclRule:NetworkAclRule",
                    inputs: {
                        networkAclId: "a",
                        ruleNumber: 100,
                        ruleAction: "allow",
                        protocol: "tcp",
                        fromPort: 32768,
                        toPort: 65535,
                        cidrBlock: "0.0.0.0/0",
                    },
                },
            ]),
        ).not.toContain(policy);
    });
});

describe("aws-subnet-no-public-ip-on-launch", () => {
    const subnet = "aws:ec2/subnet:Subnet";
    const p = "aws-subnet-no-public-ip-on-launch";
    const messages = async (inputs: Record<string, unknown>) =>
        (await pack.judge([{ type: subnet, inputs: { vpcId: "v", ...inputs } }]))
            .filter((v) => v.policy === p)
            .map((v) => v.message.slice(v.message.indexOf("\n") + 1));

    test("mapPublicIpOnLaunch true is blocked; false or left out passes", async () => {
        expect(await messages({ mapPublicIpOnLaunch: true })).toEqual(["The subnet assigns a public IP to every instance launched in it."]);
        expect(await messages({ mapPublicIpOnLaunch: false })).toEqual([]);
        expect(await messages({})).toEqual([]);
    });
    test("an IPv6 address assigned on creation is blocked too, as EC2.15 asks", async () => {
        expect(await messages({ ipv6CidrBlock: "2001:db8::/64", assignIpv6AddressOnCreation: true })).toEqual([
            "The subnet assigns a globally routable IPv6 address to every network interface created in it.",
        ]);
        expect(await messages({ ipv6CidrBlock: "2001:db8::/64", assignIpv6AddressOnCreation: false })).toEqual([]);
    });
});
