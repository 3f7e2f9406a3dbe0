import { usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack();
const firewall = (inputs: Record<string, unknown>) => [
    { type: "gcp:compute/firewall:Firewall", inputs: { logConfig: { metadata: "INCLUDE_ALL_METADATA" }, ...inputs } },
];
const adminPolicy = "gcp-firewall-no-internet-admin-ports";

describe("gcp-firewall-no-internet-admin-ports", () => {
    test("passes SSH from a private range and HTTPS from the internet", async () => {
        expect(await pack.policiesHit(firewall({ sourceRanges: ["35.235.240.0/20"], allows: [{ protocol: "tcp", ports: ["22"] }] }))).not.toContain(
            adminPolicy,
        );
        expect(await pack.policiesHit(firewall({ sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "tcp", ports: ["443"] }] }))).not.toContain(adminPolicy);
        expect(await pack.policiesHit(firewall({ sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "icmp" }] }))).not.toContain(adminPolicy);
    });
    test("blocks 22 from 0.0.0.0/0", async () => {
        expect(await pack.policiesHit(firewall({ sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "tcp", ports: ["22"] }] }))).toContain(adminPolicy);
    });
    test("written another way: a range, all protocols, ::/0, ports left out, no source at all, a firewall-policy rule", async () => {
        expect(await pack.policiesHit(firewall({ sourceRanges: ["::/0"], allows: [{ protocol: "tcp", ports: ["3000-4000"] }] }))).toContain(adminPolicy);
        expect(await pack.policiesHit(firewall({ sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "all" }] }))).toContain(adminPolicy);
        expect(await pack.policiesHit(firewall({ sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "tcp" }] }))).toContain(adminPolicy);
        expect(await pack.policiesHit(firewall({ allows: [{ protocol: "tcp", ports: ["20-30"] }] }))).toContain(adminPolicy);
        const rule = (srcIpRanges: string[]) => [
            {
                type: "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule",
                inputs: {
                    action: "allow",
                    direction: "INGRESS",
                    enableLogging: true,
                    match: { srcIpRanges, layer4Configs: [{ ipProtocol: "tcp", ports: ["3389"] }] },
                },
            },
        ];
        expect(await pack.policiesHit(rule(["0.0.0.0/0"]))).toContain(adminPolicy);
        expect(await pack.policiesHit(rule(["10.0.0.0/8"]))).not.toContain(adminPolicy);
    });
    test("an egress or disabled rule admits nothing from the internet", async () => {
        expect(await pack.policiesHit(firewall({ direction: "EGRESS", allows: [{ protocol: "all" }] }))).not.toContain(adminPolicy);
        expect(await pack.policiesHit(firewall({ disabled: true, allows: [{ protocol: "all" }] }))).not.toContain(adminPolicy);
    });
});

describe("gcp-firewall-logging", () => {
    test("passes a rule with logConfig and blocks one without", async () => {
        expect(await pack.policiesHit(firewall({ sourceRanges: ["10.0.0.0/8"] }))).not.toContain("gcp-firewall-logging");
        expect(await pack.policiesHit([{ type: "gcp:compute/firewall:Firewall", inputs: { sourceRanges: ["10.0.0.0/8"] } }])).toContain("gcp-firewall-logging");
    });
});
