import { usePolicyPack, type ResourceSpec } from "../../test/helpers/policy";

const pack = usePolicyPack();
const tunnelType = "gcp:compute/vPNTunnel:VPNTunnel";
const reported = (message: string) => message.slice(message.indexOf("\n") + 1);

/** The cipher suites the GCP kit names: GCM toward a GCM peer, CBC with SHA-512 and group 14 toward Alibaba Cloud. */
const gcm = {
    phase1: { encryptions: ["AES-GCM-16-256"], prves: ["PRF-HMAC-SHA2-512"], dhs: ["Group-20"] },
    phase2: { encryptions: ["AES-GCM-16-256"], pfs: ["Group-20"] },
};
const cbc = {
    phase1: { encryptions: ["AES-CBC-256"], integrities: ["HMAC-SHA2-512-256"], prves: ["PRF-HMAC-SHA2-512"], dhs: ["Group-14"] },
    phase2: { encryptions: ["AES-CBC-256"], integrities: ["HMAC-SHA2-512-256"], pfs: ["Group-14"] },
};
const tunnel = (extra: Record<string, unknown> = {}) => ({ region: "europe-west1", ikeVersion: 2, sharedSecret: "k", cipherSuite: gcm, ...extra });
const messages = async (policy: string, resources: ResourceSpec[]) =>
    (await pack.judge(resources)).filter((v) => v.policy === policy).map((v) => reported(v.message));
const one = (inputs: Record<string, unknown>) => [{ type: tunnelType, inputs }];

/** An HA VPN gateway and an external gateway, with tunnels on the given interfaces toward it. */
const haPair = (interfaces: number[]): ResourceSpec[] => [
    { type: "gcp:compute/haVpnGateway:HaVpnGateway", name: "gw", inputs: { network: "n", region: "europe-west1" } },
    {
        type: "gcp:compute/externalVpnGateway:ExternalVpnGateway",
        name: "peer",
        inputs: {
            redundancyType: "TWO_IPS_REDUNDANCY",
            interfaces: [
                { id: 0, ipAddress: "198.51.100.10" },
                { id: 1, ipAddress: "198.51.100.11" },
            ],
        },
    },
    ...interfaces.map((i) => ({
        type: tunnelType,
        name: `t${i}`,
        inputs: tunnel({ vpnGatewayInterface: i, peerExternalGatewayInterface: i }),
        dependsOn: ["gw", "peer"],
    })),
];

test("the kit's tunnels (GCM, and CBC toward a peer without GCM) pass every VPN policy", async () => {
    for (const suite of [gcm, cbc]) {
        const hit = (await pack.judge(one(tunnel({ cipherSuite: suite }))))
            .map((v) => v.policy)
            .filter((p) => p.startsWith("gcp-vpn-") && p !== "gcp-vpn-both-tunnels");
        expect(hit).toEqual([]);
    }
});

describe("gcp-vpn-ikev2-only", () => {
    test("IKEv2, or the version left to Google's default (2), passes; IKEv1 is blocked", async () => {
        expect(await messages("gcp-vpn-ikev2-only", one(tunnel({ ikeVersion: undefined })))).toEqual([]);
        expect(await messages("gcp-vpn-ikev2-only", one(tunnel({ ikeVersion: 1 })))).toEqual(["The tunnel speaks IKEv1: IKEv2 only."]);
    });
});

describe("gcp-vpn-aes256-sha256", () => {
    test("AES-128 or SHA-1 is blocked, and so is a tunnel without a cipher suite (Google's whole default list)", async () => {
        const weak = { ...cbc, phase2: { ...cbc.phase2, encryptions: ["AES-CBC-128"], integrities: ["HMAC-SHA1-96"] } };
        expect(await messages("gcp-vpn-aes256-sha256", one(tunnel({ cipherSuite: weak })))).toEqual([
            "The tunnel admits phase 2 AES-CBC-128, phase 2 HMAC-SHA1-96: AES-256 and SHA-256 or stronger only.",
        ]);
        const [message] = await messages("gcp-vpn-aes256-sha256", one(tunnel({ cipherSuite: undefined })));
        expect(message).toMatch(
            /^The tunnel admits phase 1 AES-GCM-16-128, .* \(no cipher suite: Google's default list\): AES-256 and SHA-256 or stronger only\.$/,
        );
    });
});

describe("gcp-vpn-dh-group-pfs", () => {
    test("group 2 in IKE or group 5 for PFS is blocked", async () => {
        const weak = { phase1: { ...gcm.phase1, dhs: ["Group-2", "Group-20"] }, phase2: { ...gcm.phase2, pfs: ["Group-5"] } };
        expect(await messages("gcp-vpn-dh-group-pfs", one(tunnel({ cipherSuite: weak })))).toEqual([
            "The tunnel admits phase 1 Group-2, phase 2 (PFS) Group-5: group 14 or stronger only.",
        ]);
    });
});

describe("gcp-vpn-both-tunnels", () => {
    test("a peer reached over both interfaces passes; over one only, the gateway is reported", async () => {
        expect(await messages("gcp-vpn-both-tunnels", haPair([0, 1]))).toEqual([]);
        expect(await messages("gcp-vpn-both-tunnels", haPair([0]))).toEqual(["The peer peer is reached on interface 0 only: add a tunnel on interface 1."]);
    });
    test("a Classic VPN tunnel is a single tunnel", async () => {
        expect(await messages("gcp-vpn-both-tunnels", one(tunnel({ targetVpnGateway: "classic", peerIp: "198.51.100.10" })))).toEqual([
            "A Classic VPN tunnel (no HA VPN gateway) is one tunnel on one interface: the link runs on a single tunnel.",
        ]);
    });
});
