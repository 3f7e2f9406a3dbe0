import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime, valueOf } from "../../test/helpers/pulumi";
import type { LinkPeer } from "../contracts";
import { ConfigError } from "../core/errors";
import { agreedCiphers } from "../core/link";
import { createKit } from "./kit";
import { EdgeLink } from "./link";

const run = useMockRuntime();
const kit = createKit({ environment: "prod", name: "onprem-link-test", region: "onprem" });
const edge = { environment: "prod" as const, zoneCount: 3, edgeAddresses: ["198.51.100.10", "198.51.100.11"], asn: 64641, ranges: ["10.41.0.0/16"] };
/** AWS's two VPN connections toward the edge's two addresses: four tunnels, AWS on the first address of each /30. */
const awsPeer: LinkPeer = {
    cloud: "aws",
    asn: 64611,
    addresses: ["198.18.0.1", "198.18.0.2", "198.18.0.3", "198.18.0.4"],
    addressCount: 4,
    ranges: ["10.33.0.0/16"],
    ciphers: agreedCiphers("onprem", "aws"),
    tunnels: [0, 4, 8, 12].map((o) => ({
        insideCidr: `169.254.24.${o}/30`,
        insideAddress: `169.254.24.${o + 2}`,
        peerInsideAddress: `169.254.24.${o + 1}`,
        sharedKey: pulumi.secret("edge-key"),
    })),
};

test("the edge is configuration: its addresses are known at once, and connecting builds nothing", async () => {
    const link = new EdgeLink("edge", edge);
    expect(link.addressCount).toBe(2);
    expect(await valueOf(link.addresses)).toEqual(edge.edgeAddresses);
    const connection = link.connect("edge-to-aws", awsPeer);
    const custom = (await run.all()).filter((r) => r.custom && r.name.startsWith("edge"));
    expect(custom).toEqual([]);
    expect(await valueOf(connection.tunnelAddresses)).toEqual(["198.51.100.10", "198.51.100.10", "198.51.100.11", "198.51.100.11"]);
});

test("the operators' parameters: each tunnel's outside and inside addresses, both ASNs, the ranges each way, the ciphers; no key", async () => {
    const { tunnels, ...configuration } = new EdgeLink("edge2", edge).connect("edge2-to-aws", awsPeer).configuration;
    expect(configuration).toMatchObject({ cloud: "onprem", asn: 64641, peerAsn: 64611, advertised: ["10.41.0.0/16"], routed: ["10.33.0.0/16"], ike: "ikev2" });
    expect(configuration.ciphers).toEqual({ encryption: "aes-256-gcm", integrity: "sha-512", dhGroup: 20 });
    const third = tunnels[2];
    expect({ ...third, outsideAddress: await valueOf(third.outsideAddress), peerOutsideAddress: await valueOf(third.peerOutsideAddress) }).toEqual({
        outsideAddress: "198.51.100.11",
        peerOutsideAddress: "198.18.0.3",
        insideCidr: "169.254.24.8/30",
        insideAddress: "169.254.24.10",
        peerInsideAddress: "169.254.24.9",
    });
    expect(
        JSON.stringify({
            configuration,
            tunnels: tunnels.map(({ insideCidr, insideAddress, peerInsideAddress }) => [insideCidr, insideAddress, peerInsideAddress]),
        }),
    ).not.toContain("edge-key");
});

test("through the kit: a prod edge of one address is refused, and so is a private listener", () => {
    expect(() => kit.link("one", { ...edge, edgeAddresses: ["198.51.100.10"] })).toThrow("prod needs two edge addresses");
    const network = kit.network("links-ns", { environment: "prod", cidr: "10.41.0.0/16", zoneCount: 1 });
    const loadBalancer = kit.loadBalancer("links-lb", { environment: "prod", network, certificateId: "tls", targetPort: 8080, healthCheckPath: "/healthz" });
    expect(() => kit.privateListener("pl", { environment: "prod", network, loadBalancer, callers: ["10.31.0.0/16"] })).toThrow(ConfigError);
});
