import { Address4 } from "ip-address";
import { gcpCiphers } from "../../components/gcp/link";
import { containsSecret } from "pulumi-offline-plan/runtime";
import { neutral, ofType, type LinkReader } from "./link.reader";

const group = (g: string) => Number(/^Group-(\d+)$/.exec(g)![1]);

const reader: LinkReader = {
    end(resources, name) {
        const [gateway] = ofType(resources, "gcp:compute/haVpnGateway:HaVpnGateway", name);
        return { network: gateway.plain.network };
    },
    connection(resources, name) {
        const [router] = resources.filter((r) => r.type === "gcp:compute/router:Router" && name.startsWith(`${r.name.replace(/-router$/, "")}-`));
        const [external] = ofType(resources, "gcp:compute/externalVpnGateway:ExternalVpnGateway", name);
        const interfaces = ofType(resources, "gcp:compute/routerInterface:RouterInterface", name);
        const peers = ofType(resources, "gcp:compute/routerPeer:RouterPeer", name);
        return {
            advertised: [...new Set(peers.flatMap((p) => p.plain.advertisedIpRanges.map((r: { range: string }) => r.range)))],
            tunnels: ofType(resources, "gcp:compute/vPNTunnel:VPNTunnel", name).map((t) => {
                const iface = interfaces.find((i) => i.name === t.name)!;
                const peer = peers.find((p) => p.name === t.name)!;
                const suite = t.plain.cipherSuite;
                return {
                    insideCidr: `${new Address4(iface.plain.ipRange).startAddress().correctForm()}/30`,
                    insideAddress: iface.plain.ipRange.replace(/\/30$/, ""),
                    peerInsideAddress: peer.plain.peerIpAddress,
                    peerAddress: external.plain.interfaces[t.plain.peerExternalGatewayInterface].ipAddress,
                    asn: router.plain.bgp.asn,
                    peerAsn: peer.plain.peerAsn,
                    ikeVersions: [`ikev${t.plain.ikeVersion}`],
                    encryption: [...suite.phase1.encryptions, ...suite.phase2.encryptions].map((e: string) => neutral(gcpCiphers.encryption, e)),
                    integrity: [...(suite.phase1.integrities ?? []), ...(suite.phase2.integrities ?? [])].map((i: string) => neutral(gcpCiphers.integrity, i)),
                    dhGroups: suite.phase1.dhs.map(group),
                    pfsGroups: suite.phase2.pfs.map(group),
                    keyIsSecret: containsSecret(t.inputs.sharedSecret),
                };
            }),
        };
    },
    privateListener(resources, name) {
        const [rule] = ofType(resources, "gcp:compute/forwardingRule:ForwardingRule", name);
        const [firewall] = ofType(resources, "gcp:compute/firewall:Firewall", name);
        const [backend] = ofType(resources, "gcp:compute/regionBackendService:RegionBackendService", name);
        return {
            internal: rule.plain.loadBalancingScheme === "INTERNAL",
            admits: firewall.plain.sourceRanges,
            frontsLoadBalancer: (backend.plain.backends ?? []).length > 0,
        };
    },
};
export default reader;
