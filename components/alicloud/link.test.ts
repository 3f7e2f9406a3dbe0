import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime, valueOf } from "../../test/helpers/pulumi";
import { maskForDisplay } from "pulumi-offline-plan/runtime";
import { offlineId } from "pulumi-offline-plan/runtime";
import type { LinkPeer } from "../contracts";
import { agreedCiphers } from "../core/link";
import { Link } from "./link";
import { PrivateListener } from "./private-listener";

const run = useMockRuntime();
const idOf = (r: { type: string; name: string }) => offlineId(r.type, r.name);
/** The private cloud's edge: two addresses, one dual-tunnel connection. Alibaba Cloud speaks first in neither /30. */
const edgePeer: LinkPeer = {
    cloud: "onprem",
    asn: 64641,
    addresses: ["198.51.100.10", "198.51.100.11"],
    addressCount: 2,
    ranges: ["10.41.0.0/16"],
    ciphers: agreedCiphers("alicloud", "onprem"),
    tunnels: [0, 4].map((o, t) => ({
        insideCidr: `169.254.24.${o}/30`,
        insideAddress: `169.254.24.${o + 1}`,
        peerInsideAddress: `169.254.24.${o + 2}`,
        sharedKey: pulumi.secret(`ali-key-${t}`),
    })),
};
/** AWS's two VPN connections, four addresses: two dual-tunnel connections, each VPN connection's tunnels from one of our two addresses. */
const awsPeer: LinkPeer = {
    cloud: "aws",
    asn: 64611,
    addresses: ["198.18.0.1", "198.18.0.2", "198.18.0.3", "198.18.0.4"],
    addressCount: 4,
    ranges: ["10.33.0.0/16"],
    ciphers: agreedCiphers("alicloud", "aws"),
    tunnels: [16, 20, 24, 28].map((o, t) => ({
        insideCidr: `169.254.24.${o}/30`,
        insideAddress: `169.254.24.${o + 2}`,
        peerInsideAddress: `169.254.24.${o + 1}`,
        sharedKey: pulumi.secret(`aws-key-${t}`),
    })),
};

beforeAll(() => {
    const link = new Link("a", { environment: "prod", vpcId: "vpc-backend", asn: 64631, ranges: ["10.31.0.0/16"] });
    link.connect("a-to-edge", edgePeer);
    link.connect("a-to-aws", awsPeer);
});

test("a dual-tunnel VPN gateway in the VPC, in two vSwitches, propagating what BGP learns into the VPC", async () => {
    const gateway = await run.one("alicloud:vpn/gateway:Gateway", "a");
    expect(gateway.plain).toMatchObject({
        vpcId: "vpc-backend",
        enableIpsec: true,
        enableSsl: false,
        autoPropagate: true,
        networkType: "public",
        bandwidth: 10,
    });
    expect(gateway.plain.vswitchId).toBeDefined();
    expect(gateway.plain.disasterRecoveryVswitchId).toBeDefined();
});

test("a customer gateway per peer address with the peer's ASN", async () => {
    const gateways = await run.ofType("alicloud:vpn/customerGateway:CustomerGateway", "a-to-edge");
    expect(gateways.map((g) => [g.plain.ipAddress, g.plain.asn])).toEqual([
        ["198.51.100.10", "64641"],
        ["198.51.100.11", "64641"],
    ]);
});

test("toward the edge: one dual-tunnel connection, BGP on both tunnels, the master from our first address to the edge's first", async () => {
    const [connection, ...more] = await run.ofType("alicloud:vpn/connection:Connection", "a-to-edge");
    expect(more).toEqual([]);
    expect(connection.plain).toMatchObject({ enableTunnelsBgp: true, localSubnets: ["10.31.0.0/16"], remoteSubnets: ["10.41.0.0/16"] });
    const gateways = await run.ofType("alicloud:vpn/customerGateway:CustomerGateway", "a-to-edge");
    const tunnels = connection.plain.tunnelOptionsSpecifications;
    expect(tunnels.map((t: any) => [t.role, t.customerGatewayId, t.tunnelBgpConfig])).toEqual([
        ["master", idOf(gateways[0]), { localAsn: "64631", localBgpIp: "169.254.24.1", tunnelCidr: "169.254.24.0/30" }],
        ["slave", idOf(gateways[1]), { localAsn: "64631", localBgpIp: "169.254.24.5", tunnelCidr: "169.254.24.4/30" }],
    ]);
});

test("toward AWS: two connections, each AWS VPN connection's two tunnels from one of our two addresses", async () => {
    const connections = await run.ofType("alicloud:vpn/connection:Connection", "a-to-aws");
    const gateways = (await run.ofType("alicloud:vpn/customerGateway:CustomerGateway", "a-to-aws")).map(idOf);
    // Master tunnels (our first address) go to AWS addresses 0 and 1, the first VPN connection; slaves to 2 and 3.
    expect(connections.map((c) => c.plain.tunnelOptionsSpecifications.map((t: any) => [t.role, gateways.indexOf(t.customerGatewayId)]))).toEqual([
        [
            ["master", 0],
            ["slave", 2],
        ],
        [
            ["master", 1],
            ["slave", 3],
        ],
    ]);
});

test("every tunnel: IKEv2, AES-256 and SHA-512 with group 14 in both phases (PFS), its own key as a secret", async () => {
    const connections = await run.ofType("alicloud:vpn/connection:Connection", "a-to");
    for (const c of connections) {
        for (const t of c.plain.tunnelOptionsSpecifications) {
            expect(t.tunnelIkeConfig).toMatchObject({ ikeVersion: "ikev2", ikeEncAlg: "aes256", ikeAuthAlg: "sha512", ikePfs: "group14" });
            expect(t.tunnelIpsecConfig).toEqual({ ipsecEncAlg: "aes256", ipsecAuthAlg: "sha512", ipsecPfs: "group14" });
        }
        expect(c.hasSecretInput).toBe(true);
        expect(JSON.stringify(maskForDisplay(c.inputs))).not.toMatch(/ali-key|aws-key/);
    }
    const toEdge = connections.filter((c) => c.name.startsWith("a-to-edge"));
    expect(toEdge[0].plain.tunnelOptionsSpecifications.map((t: any) => t.tunnelIkeConfig.psk)).toEqual(["ali-key-0", "ali-key-1"]);
});

test("PrivateListener: an internal ALB forwarding to the public load balancer's server group, with its certificate, open to the callers only", async () => {
    const listener = new PrivateListener("pl", {
        environment: "prod",
        vpcId: "vpc-backend",
        zoneMappings: [
            { vswitchId: "vsw-a", zoneId: "eu-central-1a" },
            { vswitchId: "vsw-b", zoneId: "eu-central-1b" },
        ],
        serverGroupId: "sgp-public",
        certificateId: "14023518-eu-central-1",
        securityPolicyId: "tls_cipher_policy_1_2_strict_with_1_3",
        callers: ["10.41.0.0/16"],
    });
    const alb = await run.one("alicloud:alb/loadBalancer:LoadBalancer", "pl");
    expect(alb.plain).toMatchObject({ addressType: "Intranet", vpcId: "vpc-backend", deletionProtectionEnabled: true });
    const https = await run.one("alicloud:alb/listener:Listener", "pl");
    expect(https.plain).toMatchObject({ listenerProtocol: "HTTPS", listenerPort: 443, certificates: { certificateId: "14023518-eu-central-1" } });
    expect(https.plain.defaultActions[0].forwardGroupConfig.serverGroupTuples).toEqual([{ serverGroupId: "sgp-public" }]);
    const acl = await run.one("alicloud:alb/acl:Acl", "pl");
    expect(acl.plain.aclEntries.map((e: any) => e.entry)).toEqual(["10.41.0.0/16"]);
    const attachment = await run.one("alicloud:alb/listenerAclAttachment:ListenerAclAttachment", "pl");
    expect(attachment.plain).toMatchObject({ aclType: "White", aclId: idOf(acl), listenerId: idOf(https) });
    expect(await valueOf(listener.endpoint)).toMatch(/^https:\/\//);
});
