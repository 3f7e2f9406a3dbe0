import { secret, usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack();
const vpn = "aws:ec2/vpnConnection:VpnConnection";
const reported = (message: string) => message.slice(message.indexOf("\n") + 1);

/** A connection as the AWS kit makes it: both tunnels declared, IKEv2, AES-256-GCM, SHA-512, group 20 in both phases. */
const tunnelOptions = (n: 1 | 2, insideCidr: string) => ({
    [`tunnel${n}InsideCidr`]: insideCidr,
    [`tunnel${n}PresharedKey`]: secret(`key-${n}`),
    [`tunnel${n}IkeVersions`]: ["ikev2"],
    [`tunnel${n}Phase1EncryptionAlgorithms`]: ["AES256-GCM-16"],
    [`tunnel${n}Phase2EncryptionAlgorithms`]: ["AES256-GCM-16"],
    [`tunnel${n}Phase1IntegrityAlgorithms`]: ["SHA2-512"],
    [`tunnel${n}Phase2IntegrityAlgorithms`]: ["SHA2-512"],
    [`tunnel${n}Phase1DhGroupNumbers`]: [20],
    [`tunnel${n}Phase2DhGroupNumbers`]: [20],
});
const compliant = {
    type: "ipsec.1",
    customerGatewayId: "cgw-1",
    transitGatewayId: "tgw-1",
    ...tunnelOptions(1, "169.254.24.32/30"),
    ...tunnelOptions(2, "169.254.24.36/30"),
};
const messages = async (policy: string, inputs: Record<string, unknown>) =>
    (await pack.judge([{ type: vpn, inputs }])).filter((v) => v.policy === policy).map((v) => reported(v.message));

test("the kit's connection passes every VPN policy", async () => {
    const hit = (await pack.judge([{ type: vpn, inputs: compliant }])).map((v) => v.policy).filter((p) => p.startsWith("aws-vpn-"));
    expect(hit).toEqual([]);
});

describe("aws-vpn-ikev2-only", () => {
    test("IKEv1 admitted, or the versions left to AWS (IKEv1 and IKEv2), is blocked", async () => {
        expect(await messages("aws-vpn-ikev2-only", { ...compliant, tunnel2IkeVersions: ["ikev1", "ikev2"] })).toEqual(["Tunnel 2 admits ikev1: IKEv2 only."]);
        expect(await messages("aws-vpn-ikev2-only", { ...compliant, tunnel1IkeVersions: undefined })).toEqual(["Tunnel 1 admits ikev1: IKEv2 only."]);
    });
});

describe("aws-vpn-aes256-sha256", () => {
    test("AES256 (CBC) with SHA2-256 passes, for a peer without GCM", async () => {
        const cbc = {
            ...compliant,
            tunnel1Phase1EncryptionAlgorithms: ["AES256"],
            tunnel1Phase2EncryptionAlgorithms: ["AES256"],
            tunnel1Phase1IntegrityAlgorithms: ["SHA2-256"],
        };
        expect(await messages("aws-vpn-aes256-sha256", cbc)).toEqual([]);
    });
    test("AES-128 or SHA-1 in either phase is blocked, and so are AWS's defaults", async () => {
        expect(
            await messages("aws-vpn-aes256-sha256", {
                ...compliant,
                tunnel1Phase2EncryptionAlgorithms: ["AES128", "AES256"],
                tunnel1Phase1IntegrityAlgorithms: ["SHA1"],
            }),
        ).toEqual(["Tunnel 1 admits phase 2 AES128, phase 1 SHA1: AES-256 and SHA-256 or stronger only."]);
        expect(await messages("aws-vpn-aes256-sha256", { ...compliant, tunnel2Phase1EncryptionAlgorithms: undefined })).toEqual([
            "Tunnel 2 admits phase 1 AES128, phase 1 AES128-GCM-16: AES-256 and SHA-256 or stronger only.",
        ]);
    });
});

describe("aws-vpn-dh-group-pfs", () => {
    test("group 14 passes; group 2, the weak groups 22-24, or PFS left to AWS's defaults is blocked", async () => {
        expect(await messages("aws-vpn-dh-group-pfs", { ...compliant, tunnel1Phase1DhGroupNumbers: [14], tunnel1Phase2DhGroupNumbers: [14] })).toEqual([]);
        expect(await messages("aws-vpn-dh-group-pfs", { ...compliant, tunnel1Phase1DhGroupNumbers: [2, 14], tunnel1Phase2DhGroupNumbers: [24] })).toEqual([
            "Tunnel 1 admits phase 1 group 2, phase 2 (PFS) group 24: group 14 or stronger only.",
        ]);
        expect(await messages("aws-vpn-dh-group-pfs", { ...compliant, tunnel2Phase2DhGroupNumbers: undefined })).toEqual([
            "Tunnel 2 admits phase 2 (PFS) group 2, phase 2 (PFS) group 5, phase 2 (PFS) group 22, phase 2 (PFS) group 23, phase 2 (PFS) group 24: group 14 or stronger only.",
        ]);
    });
});

describe("aws-vpn-both-tunnels", () => {
    test("a tunnel left to AWS's random inside range and key is a single-tunnel link in prod, advisory in dev", async () => {
        const single = { ...compliant, tunnel2InsideCidr: undefined, tunnel2PresharedKey: undefined };
        expect(await messages("aws-vpn-both-tunnels", single)).toEqual([
            "Tunnel 2 leaves tunnel2InsideCidr, tunnel2PresharedKey to AWS, so no peer of this program can bring it up: one tunnel carries the link.",
        ]);
        const dev = await pack.judge([{ type: vpn, inputs: single }], { policyConfig: { "aws-vpn-both-tunnels": "advisory" } });
        expect(dev.filter((v) => v.policy === "aws-vpn-both-tunnels").map((v) => v.enforcementLevel)).toEqual(["advisory"]);
    });
});
