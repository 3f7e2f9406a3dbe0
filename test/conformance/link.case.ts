/**
 * The link and private-listener contracts, held field by field on every kit
 * that registers itself (conformance.test.ts calls `linkCases`). Each cloud's
 * resources are read back through its reader, test/conformance/link.<cloud>.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { environments, type Cloud, type Environment, type LinkPeer } from "../../components/contracts";
import { ConfigError } from "../../components/core/errors";
import { agreedCiphers, insideAddresses, tunnelLayout } from "../../components/core/link";
import { maskForDisplay } from "pulumi-offline-plan/runtime";
import type { useMockRuntime } from "../helpers/pulumi";
import type { ConformanceKit } from "./kit";
import type { LinkReader } from "./link.reader";

type Run = ReturnType<typeof useMockRuntime>;

/** The peer each kit's end is connected to: the private cloud's edge (two addresses), and for the edge itself, AWS (four). */
const peerCloudOf = (cloud: Cloud): Cloud => (cloud === "onprem" ? "aws" : "onprem");
const peerAddresses: Record<Cloud, string[]> = {
    aws: ["198.18.7.1", "198.18.7.2", "198.18.7.3", "198.18.7.4"],
    gcp: ["198.18.8.1", "198.18.8.2"],
    alicloud: ["198.18.9.1", "198.18.9.2"],
    onprem: ["198.51.100.10", "198.51.100.11"],
};
export const certificates: Record<Cloud, string> = {
    aws: "arn:aws:acm:eu-west-1:123456789012:certificate/0b1d7f2e-5c1a-4d7e-9a3b-2f6c8e1d4a70",
    gcp: "projects/conformance/global/sslCertificates/conformance",
    alicloud: "14023515-eu-central-1",
    onprem: "conformance-tls",
};
// oxlint-disable-next-line typescript/no-require-imports -- a cloud's reader is test/conformance/link.<cloud>.ts, found by its name as the kits are
const readerOf = (cloud: Cloud): LinkReader => require(`./link.${cloud}`).default as LinkReader;

export function linkCases(kits: ConformanceKit[], run: Run, covers: (contract: string, ...fields: string[]) => void): void {
    covers("link", "environment", "networkId", "zoneCount", "asn", "ranges", "edgeAddresses");
    covers("privateListener", "environment", "callers", "network", "loadBalancer");

    describe.each(kits.map((k) => [k.cloud, k] as const))("%s kit: links", (cloud, kit) => {
        let counter = 0;
        const unique = (base: string) => `${cloud}-${base}${++counter}`;
        const reader = readerOf(cloud);
        const own = async (name: string) => (await run.all()).filter((r) => r.name === name || r.name.startsWith(`${name}-`));

        describe.each(environments)("in %s", (environment: Environment) => {
            const zoneCount = environment === "prod" ? 3 : 2;
            const end = { environment, zoneCount, asn: 64700, ranges: ["10.48.0.0/16", "10.148.0.0/16"] };
            const where = cloud === "onprem" ? { edgeAddresses: peerAddresses.onprem } : { networkId: `network-of-${cloud}-${environment}` };
            const keys = ["conformance-key-0", "conformance-key-1", "conformance-key-2", "conformance-key-3"];

            test("Link: an end on the network (or edge) it is given; per peer, the layout's tunnels to the peer's addresses, on the plan's inside /30s, BGP with both ASNs, the agreed ciphers, IKEv2, keys as secrets; exactly its ranges advertised", async () => {
                const name = unique("link");
                const handle = kit.cloudKit(environment).link(name, { ...end, ...where });
                const peerCloud = peerCloudOf(cloud);
                const addresses = peerAddresses[peerCloud];
                const localCount = handle.addressCount || handle.tunnelsPerPeerAddress! * addresses.length;
                const layout = tunnelLayout(localCount, addresses.length);
                // The end on the cloud listed first holds the first address of each /30 (AWS always does).
                const first = ["aws", "gcp", "alicloud", "onprem"].indexOf(cloud) < ["aws", "gcp", "alicloud", "onprem"].indexOf(peerCloud);
                const tunnels = layout.map((_, t) => {
                    const insideCidr = `169.254.60.${4 * t}/30`;
                    const [a, b] = insideAddresses(insideCidr);
                    return { insideCidr, insideAddress: first ? a : b, peerInsideAddress: first ? b : a, sharedKey: pulumi.secret(keys[t]) };
                });
                const peer: LinkPeer = {
                    cloud: peerCloud,
                    asn: 64710,
                    addresses,
                    addressCount: addresses.length,
                    ranges: ["10.49.0.0/16"],
                    ciphers: agreedCiphers(cloud, peerCloud),
                    tunnels,
                };
                const connection = handle.connect(`${name}-to-peer`, peer);

                const resources = await own(name);
                const endFacts = await reader.end(resources, name, handle);
                if (cloud === "onprem") {
                    expect(endFacts.network).toBeUndefined();
                    expect(endFacts.gatewayAddresses).toEqual(peerAddresses.onprem);
                } else {
                    expect(endFacts.network).toBe(where.networkId);
                }
                const facts = await reader.connection(resources, `${name}-to-peer`, connection);
                expect(facts.advertised).toEqual(end.ranges);
                if (facts.routed !== undefined) expect(facts.routed).toEqual(peer.ranges);
                if (facts.zonesRouted !== undefined) expect(facts.zonesRouted).toBe(zoneCount);
                expect(facts.tunnels.map((t) => t.insideCidr).sort()).toEqual(tunnels.map((t) => t.insideCidr).sort());
                for (const [t, given] of tunnels.entries()) {
                    const f = facts.tunnels.find((x) => x.insideCidr === given.insideCidr)!;
                    expect({ t, insideAddress: f.insideAddress, peerAddress: f.peerAddress, asn: f.asn, peerAsn: f.peerAsn }).toEqual({
                        t,
                        insideAddress: given.insideAddress,
                        peerAddress: addresses[layout[t].peer],
                        asn: end.asn,
                        peerAsn: peer.asn,
                    });
                    if (f.peerInsideAddress !== undefined) expect(f.peerInsideAddress).toBe(given.peerInsideAddress);
                    expect(f.ikeVersions).toEqual(["ikev2"]);
                    expect(new Set(f.encryption)).toEqual(new Set([peer.ciphers.encryption]));
                    if (peer.ciphers.encryption === "aes-256-cbc" || f.integrity.length > 0)
                        expect(new Set(f.integrity)).toEqual(new Set([peer.ciphers.integrity]));
                    expect([f.dhGroups, f.pfsGroups]).toEqual([[peer.ciphers.dhGroup], [peer.ciphers.dhGroup]]);
                    expect(f.keyIsSecret).toBe(true);
                }
                const shown = JSON.stringify([...resources.map((r) => maskForDisplay(r.inputs)), connection.configuration]);
                for (const key of keys) expect(shown.includes(key)).toBe(false);
            });

            test("Link: what the end cannot honour is refused, naming the field", () => {
                const k = kit.cloudKit(environment);
                if (cloud === "onprem") {
                    expect(() => k.link(unique("bad"), { ...end })).toThrow(ConfigError);
                    expect(() => k.link(unique("bad"), { ...end, edgeAddresses: peerAddresses.onprem, networkId: "ns" })).toThrow("`networkId`");
                } else {
                    expect(() => k.link(unique("bad"), { ...end })).toThrow("needs `networkId`");
                    expect(() => k.link(unique("bad"), { ...end, networkId: "n", edgeAddresses: peerAddresses.onprem })).toThrow(
                        "`edgeAddresses`, which only the onprem kit takes",
                    );
                }
                expect(() => k.link(unique("bad"), { ...end, ...where, asn: 3356 })).toThrow("must be a private ASN");
                expect(() => k.link(unique("bad"), { ...end, ...where, ranges: [] })).toThrow("`ranges` must list at least one IPv4 range");
                expect(() => k.link(unique("bad"), { ...end, ...where, zoneCount: 0 })).toThrow("`zoneCount` must be a whole number");
            });

            test("PrivateListener: inside the network, the callers' ranges only, in front of the load balancer; refused where callers come through the edge", async () => {
                const k = kit.cloudKit(environment);
                const name = unique("private");
                const network = k.network(`${name}-net`, { environment, cidr: "10.48.0.0/16", zoneCount });
                const loadBalancer = k.loadBalancer(`${name}-lb`, {
                    environment,
                    network,
                    certificateId: certificates[cloud],
                    targetPort: 8080,
                    healthCheckPath: "/healthz",
                });
                const callers = ["10.41.0.0/16"];
                if (cloud === "onprem") {
                    expect(() => k.privateListener(name, { environment, network, loadBalancer, callers })).toThrow(ConfigError);
                    return;
                }
                k.vmGroup(`${name}-vms`, {
                    environment,
                    network,
                    loadBalancer,
                    imageId: "image-pinned-0001",
                    size: "small",
                    minSize: 2,
                    maxSize: 4,
                    desiredSize: 2,
                    cpuTargetPercent: 60,
                    port: 8080,
                    healthCheckPath: "/healthz",
                });
                const handle = k.privateListener(name, { environment, network, loadBalancer, callers });
                const facts = await reader.privateListener!(
                    (await own(name)).filter((r) => !r.name.startsWith(`${name}-net`) && !r.name.startsWith(`${name}-lb`) && !r.name.startsWith(`${name}-vms`)),
                    name,
                    handle,
                );
                expect(facts).toEqual({ internal: true, admits: callers, frontsLoadBalancer: true });
            });
        });
    });
}
