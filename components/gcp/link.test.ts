import * as gcp from "@pulumi/gcp";
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
const tunnel = (offset: number, key: string) => ({
    insideCidr: `169.254.24.${offset}/30`,
    insideAddress: `169.254.24.${offset + 2}`,
    peerInsideAddress: `169.254.24.${offset + 1}`,
    sharedKey: pulumi.secret(key),
});
const awsAddresses = ["198.18.0.1", "198.18.0.2", "198.18.0.3", "198.18.0.4"];
/** AWS's two VPN connections: four tunnel addresses, AWS on the first address of each /30. */
const awsPeer: LinkPeer = {
    cloud: "aws",
    asn: 64611,
    addresses: awsAddresses,
    addressCount: 4,
    ranges: ["10.33.0.0/16"],
    ciphers: agreedCiphers("gcp", "aws"),
    tunnels: [0, 4, 8, 12].map((o, t) => tunnel(o, `gcp-key-${t}`)),
};
/** The private cloud's edge: two addresses, one tunnel per HA VPN interface; Alibaba Cloud's ciphers would be the same. */
const edgePeer: LinkPeer = {
    cloud: "onprem",
    asn: 64641,
    addresses: ["198.51.100.10", "198.51.100.11"],
    addressCount: 2,
    ranges: ["10.41.0.0/16"],
    ciphers: agreedCiphers("gcp", "alicloud"),
    tunnels: [
        { insideCidr: "169.254.25.0/30", insideAddress: "169.254.25.1", peerInsideAddress: "169.254.25.2", sharedKey: pulumi.secret("edge-key-0") },
        { insideCidr: "169.254.25.4/30", insideAddress: "169.254.25.5", peerInsideAddress: "169.254.25.6", sharedKey: pulumi.secret("edge-key-1") },
    ],
};

beforeAll(() => {
    const link = new Link("g", {
        environment: "prod",
        region: "europe-west1",
        network: "projects/p/global/networks/backend",
        asn: 64621,
        ranges: ["10.35.0.0/16", "10.135.0.0/16"],
    });
    link.connect("g-to-aws", awsPeer);
    link.connect("g-to-edge", edgePeer);
});

test("an HA VPN gateway and a Cloud Router on the network, the router advertising exactly the planned ranges", async () => {
    const gateway = await run.one("gcp:compute/haVpnGateway:HaVpnGateway", "g");
    expect(gateway.plain).toMatchObject({ network: "projects/p/global/networks/backend", region: "europe-west1" });
    const router = await run.one("gcp:compute/router:Router", "g");
    expect(router.plain.bgp).toEqual({ asn: 64621, advertiseMode: "CUSTOM", advertisedIpRanges: [{ range: "10.35.0.0/16" }, { range: "10.135.0.0/16" }] });
});

test("toward AWS: an external gateway of four interfaces and four tunnels, interface 0 to the first VPN connection, interface 1 to the second", async () => {
    const external = await run.one("gcp:compute/externalVpnGateway:ExternalVpnGateway", "g-to-aws");
    expect(external.plain.redundancyType).toBe("FOUR_IPS_REDUNDANCY");
    expect(external.plain.interfaces).toEqual(awsAddresses.map((ipAddress, id) => ({ id, ipAddress })));
    const tunnels = await run.ofType("gcp:compute/vPNTunnel:VPNTunnel", "g-to-aws");
    expect(tunnels.map((t) => [t.plain.vpnGatewayInterface, t.plain.peerExternalGatewayInterface])).toEqual([
        [0, 0],
        [0, 1],
        [1, 2],
        [1, 3],
    ]);
    for (const t of tunnels) expect(t.plain.peerExternalGateway).toBe(idOf(external));
});

test("toward the edge: two tunnels, one per interface, to an external gateway of two addresses", async () => {
    const external = await run.one("gcp:compute/externalVpnGateway:ExternalVpnGateway", "g-to-edge");
    expect(external.plain.redundancyType).toBe("TWO_IPS_REDUNDANCY");
    const tunnels = await run.ofType("gcp:compute/vPNTunnel:VPNTunnel", "g-to-edge");
    expect(tunnels.map((t) => [t.plain.vpnGatewayInterface, t.plain.peerExternalGatewayInterface])).toEqual([
        [0, 0],
        [1, 1],
    ]);
});

test("every tunnel: IKEv2, the agreed cipher suite in both phases with PFS, its own key as a secret", async () => {
    const tunnels = await run.ofType("gcp:compute/vPNTunnel:VPNTunnel", "g-to");
    for (const t of tunnels) {
        expect(t.plain.ikeVersion).toBe(2);
        expect(t.hasSecretInput).toBe(true);
        expect(JSON.stringify(maskForDisplay(t.inputs))).not.toMatch(/gcp-key|edge-key/);
    }
    const toAws = tunnels.filter((t) => t.name.startsWith("g-to-aws"));
    expect(toAws[0].plain.cipherSuite).toEqual({
        phase1: { encryptions: ["AES-GCM-16-256"], prves: ["PRF-HMAC-SHA2-512"], dhs: ["Group-20"] },
        phase2: { encryptions: ["AES-GCM-16-256"], pfs: ["Group-20"] },
    });
    const toEdge = tunnels.filter((t) => t.name.startsWith("g-to-edge"));
    expect(toEdge[0].plain.cipherSuite).toEqual({
        phase1: { encryptions: ["AES-CBC-256"], integrities: ["HMAC-SHA2-512-256"], prves: ["PRF-HMAC-SHA2-512"], dhs: ["Group-14"] },
        phase2: { encryptions: ["AES-CBC-256"], integrities: ["HMAC-SHA2-512-256"], pfs: ["Group-14"] },
    });
    expect(toAws.map((t) => t.plain.sharedSecret)).toEqual(["gcp-key-0", "gcp-key-1", "gcp-key-2", "gcp-key-3"]);
});

test("a BGP peer per tunnel: this end's inside address, the peer's address and ASN, the planned ranges advertised", async () => {
    const interfaces = await run.ofType("gcp:compute/routerInterface:RouterInterface", "g-to-aws");
    expect(interfaces.map((i) => i.plain.ipRange)).toEqual(["169.254.24.2/30", "169.254.24.6/30", "169.254.24.10/30", "169.254.24.14/30"]);
    const peers = await run.ofType("gcp:compute/routerPeer:RouterPeer", "g-to-aws");
    expect(peers.map((p) => [p.plain.peerIpAddress, p.plain.peerAsn])).toEqual([
        ["169.254.24.1", 64611],
        ["169.254.24.5", 64611],
        ["169.254.24.9", 64611],
        ["169.254.24.13", 64611],
    ]);
    for (const p of peers) expect(p.plain.advertisedIpRanges).toEqual([{ range: "10.35.0.0/16" }, { range: "10.135.0.0/16" }]);
});

test("an external gateway needs one, two or four interfaces", () => {
    const link = new Link("g3", { environment: "dev", region: "europe-west1", network: "n", asn: 64620, ranges: ["10.34.0.0/16"] });
    const three = {
        ...edgePeer,
        addresses: ["198.51.100.1", "198.51.100.2", "198.51.100.3"],
        addressCount: 3,
        tunnels: [0, 4, 8].map((o) => ({ ...tunnel(o, "k"), insideAddress: `169.254.24.${o + 1}`, peerInsideAddress: `169.254.24.${o + 2}` })),
    };
    expect(() => link.connect("g3-to-three", three)).toThrow("an external VPN gateway has 1, 2 or 4 interfaces; the peer has 3 addresses");
});

test("PrivateListener: an internal passthrough load balancer over the global load balancer's instance groups, open to the callers only", async () => {
    const health = new gcp.compute.HealthCheck("pl-health", { httpHealthCheck: { port: 8080, requestPath: "/healthz" } });
    const service = new gcp.compute.BackendService("pl-route", {
        healthChecks: health.id,
        backends: [{ group: "projects/p/regions/europe-west1/instanceGroups/servers", balancingMode: "UTILIZATION" }],
    });
    const listener = new PrivateListener("pl", {
        environment: "prod",
        region: "europe-west1",
        network: "projects/p/global/networks/backend",
        subnetwork: "projects/p/regions/europe-west1/subnetworks/backend",
        backendServices: [service],
        port: 8080,
        callers: ["10.41.0.0/16"],
    });
    const backend = await run.one("gcp:compute/regionBackendService:RegionBackendService", "pl");
    expect(backend.plain).toMatchObject({ loadBalancingScheme: "INTERNAL", protocol: "TCP" });
    expect(backend.plain.backends).toEqual([{ group: "projects/p/regions/europe-west1/instanceGroups/servers", balancingMode: "CONNECTION" }]);
    expect(backend.plain.healthChecks).toBe(idOf(await run.one("gcp:compute/healthCheck:HealthCheck", "pl-health")));
    const rule = await run.one("gcp:compute/forwardingRule:ForwardingRule", "pl");
    expect(rule.plain).toMatchObject({ loadBalancingScheme: "INTERNAL", ports: ["8080"], subnetwork: "projects/p/regions/europe-west1/subnetworks/backend" });
    const firewall = await run.one("gcp:compute/firewall:Firewall", "pl");
    expect(firewall.plain).toMatchObject({ direction: "INGRESS", sourceRanges: ["10.41.0.0/16"], allows: [{ protocol: "tcp", ports: ["8080"] }] });
    expect(await valueOf(listener.endpoint)).toMatch(/^http:\/\/.*:8080$/);
});
