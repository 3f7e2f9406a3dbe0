import { secret, usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack();
const connection = "alicloud:vpn/connection:Connection";
const reported = (message: string) => message.slice(message.indexOf("\n") + 1);

/** A dual-tunnel connection as the Alibaba Cloud kit makes it: IKEv2, aes256, sha512, group 14, a master and a slave. */
const tunnelOption = (role: string) => ({
    role,
    customerGatewayId: `cgw-${role}`,
    tunnelBgpConfig: { localAsn: "64631", localBgpIp: "169.254.24.81", tunnelCidr: "169.254.24.80/30" },
    tunnelIkeConfig: { ikeVersion: "ikev2", ikeMode: "main", ikeEncAlg: "aes256", ikeAuthAlg: "sha512", ikePfs: "group14", psk: secret("k") },
    tunnelIpsecConfig: { ipsecEncAlg: "aes256", ipsecAuthAlg: "sha512", ipsecPfs: "group14" },
});
const compliant = {
    vpnGatewayId: "vpn-1",
    localSubnets: ["10.31.0.0/16"],
    remoteSubnets: ["10.41.0.0/16"],
    enableTunnelsBgp: true,
    tunnelOptionsSpecifications: [tunnelOption("master"), tunnelOption("slave")],
};
const withSlave = (change: (t: ReturnType<typeof tunnelOption>) => unknown) => ({
    ...compliant,
    tunnelOptionsSpecifications: [tunnelOption("master"), change(tunnelOption("slave"))],
});
const messages = async (policy: string, inputs: Record<string, unknown>) =>
    (await pack.judge([{ type: connection, inputs }])).filter((v) => v.policy === policy).map((v) => reported(v.message));

test("the kit's connection passes every VPN policy", async () => {
    const hit = (await pack.judge([{ type: connection, inputs: compliant }])).map((v) => v.policy).filter((p) => p.startsWith("alicloud-vpn-"));
    expect(hit).toEqual([]);
});

describe("alicloud-vpn-ikev2-only", () => {
    test("IKEv1, or the version left to Alibaba Cloud's default (ikev1), is blocked", async () => {
        expect(
            await messages(
                "alicloud-vpn-ikev2-only",
                withSlave((t) => ({ ...t, tunnelIkeConfig: { ...t.tunnelIkeConfig, ikeVersion: undefined } })),
            ),
        ).toEqual(["Tunnel 2 negotiates with ikev1 (the default): IKEv2 only."]);
        expect(
            await messages("alicloud-vpn-ikev2-only", {
                vpnGatewayId: "v",
                localSubnets: ["10.31.0.0/16"],
                remoteSubnets: ["10.41.0.0/16"],
                customerGatewayId: "c",
                ikeConfig: { ikeVersion: "ikev1" },
            }),
        ).toEqual(["The connection negotiates with ikev1: IKEv2 only."]);
    });
});

describe("alicloud-vpn-aes256-sha256", () => {
    test("sha256 passes; aes (AES-128) or sha1, written or left as Alibaba Cloud's default, is blocked", async () => {
        expect(
            await messages(
                "alicloud-vpn-aes256-sha256",
                withSlave((t) => ({ ...t, tunnelIpsecConfig: { ...t.tunnelIpsecConfig, ipsecAuthAlg: "sha256" } })),
            ),
        ).toEqual([]);
        expect(
            await messages(
                "alicloud-vpn-aes256-sha256",
                withSlave((t) => ({ ...t, tunnelIkeConfig: { ...t.tunnelIkeConfig, ikeEncAlg: "aes" }, tunnelIpsecConfig: {} })),
            ),
        ).toEqual(["Tunnel 2 admits IKE encryption aes, IPsec encryption aes, IPsec integrity sha1: aes256 and sha256 or stronger only."]);
    });
});

describe("alicloud-vpn-dh-group-pfs", () => {
    test("group 2 in IKE, or PFS disabled, is blocked", async () => {
        expect(
            await messages(
                "alicloud-vpn-dh-group-pfs",
                withSlave((t) => ({
                    ...t,
                    tunnelIkeConfig: { ...t.tunnelIkeConfig, ikePfs: "group2" },
                    tunnelIpsecConfig: { ...t.tunnelIpsecConfig, ipsecPfs: "disabled" },
                })),
            ),
        ).toEqual(["Tunnel 2 admits IKE group2, IPsec (PFS) disabled: group 14 or stronger only."]);
    });
});

describe("alicloud-vpn-both-tunnels", () => {
    test("a single-tunnel connection, or two tunnels without a master and a slave, is blocked", async () => {
        expect(await messages("alicloud-vpn-both-tunnels", { ...compliant, tunnelOptionsSpecifications: undefined, customerGatewayId: "c" })).toEqual([
            "The connection runs a single tunnel: give it a master and a slave tunnel.",
        ]);
        expect(
            await messages("alicloud-vpn-both-tunnels", { ...compliant, tunnelOptionsSpecifications: [tunnelOption("master"), tunnelOption("master")] }),
        ).toEqual(["The connection's tunnels are master, master: one master and one slave."]);
    });
});
