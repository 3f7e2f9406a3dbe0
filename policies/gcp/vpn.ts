/**
 * GCP Cloud VPN tunnels against the platform's IPsec floor (../ipsec.ts). A
 * tunnel without a cipher suite offers Google's whole default list, which
 * admits AES-128, SHA-1 and groups 2 and 5; a tunnel without an IKE version
 * speaks IKEv2, Google's default.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { VPNTunnelArgs } from "@pulumi/gcp/compute";
import { baseline } from "../controls";
import { beyond, listed, strongDhGroups } from "../ipsec";
import { known } from "../stack/resources";
import { validateTyped } from "../typed";

const vpnTunnel = "gcp:compute/vPNTunnel:VPNTunnel";
const haVpnGateway = "gcp:compute/haVpnGateway:HaVpnGateway";

/** What Google offers for a phase left out of the cipher suite (Cloud VPN's supported IKE ciphers). */
const googleDefaults = {
    encryption: ["AES-GCM-16-128", "AES-GCM-16-192", "AES-GCM-16-256", "AES-CBC-128", "AES-CBC-192", "AES-CBC-256", "3DES-CBC"],
    integrity: ["HMAC-SHA2-256-128", "HMAC-SHA2-384-192", "HMAC-SHA2-512-256", "HMAC-SHA1-96", "HMAC-MD5-96", "AES-XCBC-96", "AES-CMAC-96"],
    prf: ["PRF-AES128-XCBC", "PRF-AES128-CMAC", "PRF-HMAC-SHA1", "PRF-HMAC-MD5", "PRF-HMAC-SHA2-256", "PRF-HMAC-SHA2-384", "PRF-HMAC-SHA2-512"],
    dhGroups: ["Group-2", "Group-5", "Group-14", "Group-15", "Group-16", "Group-19", "Group-20", "Group-21", "Group-31"],
};
const aes256 = (a: string) => a === "AES-GCM-16-256" || a === "AES-CBC-256";
const sha256OrStronger = (a: string) => /^(HMAC|PRF-HMAC)-SHA2-(256|384|512)/.test(a);
const strongGroup = (g: string) => strongDhGroups.has(Number(/^Group-(\d+)$/.exec(g)?.[1]));

export const gcpVpnIkev2Only: ResourceValidationPolicy = {
    name: "gcp-vpn-ikev2-only",
    description: "GCP VPN tunnels speak IKEv2: leave `ikeVersion` out (Google's default) or set it to 2, never 1.",
    severity: "high",
    framework: baseline("gcp-vpn-ikev2-only", "IPsec tunnels negotiate with IKEv2 only."),
    remediationSteps: "Set `ikeVersion: 2` on the tunnel and configure the peer for IKEv2.",
    url: "https://cloud.google.com/network-connectivity/docs/vpn/concepts/supported-ike-ciphers",
    tags: ["gcp", "network", "vpn", `type:${vpnTunnel}`],
    validateResource: validateTyped<VPNTunnelArgs>(vpnTunnel, (props, _args, reportViolation) => {
        if (props.ikeVersion !== undefined && props.ikeVersion !== 2) reportViolation(`The tunnel speaks IKEv${props.ikeVersion}: IKEv2 only.`);
    }),
};

export const gcpVpnAes256Sha256: ResourceValidationPolicy = {
    name: "gcp-vpn-aes256-sha256",
    description:
        "GCP VPN tunnels name their cipher suite: AES-256 (AES-GCM-16-256, or AES-CBC-256 where the peer offers no GCM) with SHA-256 or stronger for integrity and the PRF, in both phases (without a suite Google offers AES-128 and SHA-1 too).",
    severity: "high",
    framework: baseline("gcp-vpn-aes256-sha256", "IPsec tunnels encrypt with AES-256 and SHA-256 or stronger."),
    remediationSteps:
        'Set `cipherSuite.phase1` and `cipherSuite.phase2`: encryptions ["AES-GCM-16-256"] (or ["AES-CBC-256"] with integrities ["HMAC-SHA2-256-128"]), prves ["PRF-HMAC-SHA2-256"] or stronger.',
    url: "https://cloud.google.com/network-connectivity/docs/vpn/concepts/supported-ike-ciphers",
    tags: ["gcp", "network", "vpn", `type:${vpnTunnel}`],
    validateResource: validateTyped<VPNTunnelArgs>(vpnTunnel, (props, _args, reportViolation) => {
        const { phase1, phase2 } = props.cipherSuite ?? {};
        const weak = [
            ...beyond(phase1?.encryptions, aes256, googleDefaults.encryption).map((a) => `phase 1 ${a}`),
            ...beyond(phase2?.encryptions, aes256, googleDefaults.encryption).map((a) => `phase 2 ${a}`),
            // GCM carries its own integrity: an integrity list is needed, and judged, only beside CBC.
            ...(phase1?.integrities?.length || !phase1?.encryptions?.every((e) => e.startsWith("AES-GCM"))
                ? beyond(phase1?.integrities, sha256OrStronger, googleDefaults.integrity)
                : []
            ).map((a) => `phase 1 ${a}`),
            ...(phase2?.integrities?.length || !phase2?.encryptions?.every((e) => e.startsWith("AES-GCM"))
                ? beyond(phase2?.integrities, sha256OrStronger, googleDefaults.integrity)
                : []
            ).map((a) => `phase 2 ${a}`),
            ...beyond(phase1?.prves, sha256OrStronger, googleDefaults.prf).map((a) => `phase 1 ${a}`),
        ];
        if (weak.length > 0)
            reportViolation(
                `The tunnel admits ${listed(weak)}${props.cipherSuite ? "" : " (no cipher suite: Google's default list)"}: AES-256 and SHA-256 or stronger only.`,
            );
    }),
};

export const gcpVpnDhGroupPfs: ResourceValidationPolicy = {
    name: "gcp-vpn-dh-group-pfs",
    description:
        "GCP VPN tunnels admit Diffie-Hellman group 14 or stronger in phase 1 (`cipherSuite.phase1.dhs`) and, for perfect forward secrecy, in phase 2 (`cipherSuite.phase2.pfs`); without them Google offers groups 2 and 5 too.",
    severity: "high",
    framework: baseline("gcp-vpn-dh-group-pfs", "IPsec tunnels use Diffie-Hellman group 14 or stronger, with perfect forward secrecy."),
    remediationSteps: 'Set `cipherSuite.phase1.dhs` and `cipherSuite.phase2.pfs` to groups such as ["Group-20"] or ["Group-14"].',
    url: "https://cloud.google.com/network-connectivity/docs/vpn/concepts/supported-ike-ciphers",
    tags: ["gcp", "network", "vpn", `type:${vpnTunnel}`],
    validateResource: validateTyped<VPNTunnelArgs>(vpnTunnel, (props, _args, reportViolation) => {
        const { phase1, phase2 } = props.cipherSuite ?? {};
        const weak = [
            ...beyond(phase1?.dhs, strongGroup, googleDefaults.dhGroups).map((g) => `phase 1 ${g}`),
            ...beyond(phase2?.pfs, strongGroup, googleDefaults.dhGroups).map((g) => `phase 2 (PFS) ${g}`),
        ];
        if (weak.length > 0) reportViolation(`The tunnel admits ${listed(weak)}: group 14 or stronger only.`);
    }),
};

/** The resource of a type one of a tunnel's inputs names: through the engine's property dependencies, else its dependencies. */
const dependency = (r: PolicyResource, input: string, type: string) =>
    (r.propertyDependencies?.[input] ?? []).find((d) => d.type === type) ?? r.dependencies.find((d) => d.type === type);
const externalVpnGateway = "gcp:compute/externalVpnGateway:ExternalVpnGateway";

export const gcpVpnBothTunnels: StackValidationPolicy = {
    name: "gcp-vpn-both-tunnels",
    description:
        "Each peer of an HA VPN gateway is reached over both of the gateway's interfaces (a tunnel on interface 0 and one on interface 1), the layouts Google's 99.99 % SLA covers; a Classic VPN tunnel is a single tunnel.",
    severity: "high",
    framework: baseline("gcp-vpn-both-tunnels", "Links run on two tunnels in prod, so one tunnel or endpoint can fail."),
    remediationSteps:
        "Add a tunnel on the gateway's other interface to the same peer gateway, with its own router interface and BGP peer; replace Classic VPN with HA VPN.",
    url: "https://cloud.google.com/network-connectivity/docs/vpn/concepts/topologies",
    tags: ["gcp", "network", "vpn", "availability", `type:${vpnTunnel}`],
    validateStack: (args, reportViolation) => {
        const byPeer = new Map<string, { gateway: PolicyResource; interfaces: Set<number> }>();
        for (const tunnel of args.resources.filter((r) => r.type === vpnTunnel)) {
            const gateway = dependency(tunnel, "vpnGateway", haVpnGateway);
            if (!gateway) {
                if (known(() => tunnel.props.vpnGateway) === undefined)
                    reportViolation("A Classic VPN tunnel (no HA VPN gateway) is one tunnel on one interface: the link runs on a single tunnel.", tunnel.urn);
                continue;
            }
            const peer = dependency(tunnel, "peerExternalGateway", externalVpnGateway) ?? dependency(tunnel, "peerGcpGateway", haVpnGateway);
            const key = `${gateway.urn} ${peer?.urn ?? tunnel.urn}`;
            const entry = byPeer.get(key) ?? { gateway, interfaces: new Set<number>() };
            entry.interfaces.add(Number(known(() => tunnel.props.vpnGatewayInterface) ?? 0));
            byPeer.set(key, entry);
        }
        for (const [key, { gateway, interfaces }] of byPeer) {
            const missing = [0, 1].filter((i) => !interfaces.has(i));
            if (missing.length > 0) {
                reportViolation(
                    `The peer ${key.split(" ")[1].split("::").pop()} is reached on interface ${[...interfaces].join(", ")} only: add a tunnel on interface ${missing.join(", ")}.`,
                    gateway.urn,
                );
            }
        }
    },
};
