/**
 * AWS Site-to-Site VPN connections, tunnel by tunnel, against the platform's
 * IPsec floor (../ipsec.ts). A tunnel option left out is judged by what AWS
 * admits without it: IKEv1 and IKEv2, AES-128, SHA-1 and group 2.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { VpnConnectionArgs } from "@pulumi/aws/ec2";
import { baseline } from "../controls";
import { beyond, listed, strongDhGroups } from "../ipsec";
import { validateTyped, type Plain } from "../typed";

const vpnConnection = "aws:ec2/vpnConnection:VpnConnection";
type Connection = Plain<VpnConnectionArgs>;

/** What AWS admits for a tunnel option left out (the Site-to-Site VPN tunnel options reference). */
const awsDefaults = {
    ikeVersions: ["ikev1", "ikev2"],
    encryption: ["AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"],
    integrity: ["SHA1", "SHA2-256", "SHA2-384", "SHA2-512"],
    phase1DhGroups: [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
    phase2DhGroups: [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
};

/** One tunnel's options, read under their tunnel-numbered names. */
function tunnel(props: Connection, n: 1 | 2) {
    const p = props as Record<string, unknown>;
    return {
        ikeVersions: p[`tunnel${n}IkeVersions`] as string[] | undefined,
        phase1Encryption: p[`tunnel${n}Phase1EncryptionAlgorithms`] as string[] | undefined,
        phase2Encryption: p[`tunnel${n}Phase2EncryptionAlgorithms`] as string[] | undefined,
        phase1Integrity: p[`tunnel${n}Phase1IntegrityAlgorithms`] as string[] | undefined,
        phase2Integrity: p[`tunnel${n}Phase2IntegrityAlgorithms`] as string[] | undefined,
        phase1DhGroups: p[`tunnel${n}Phase1DhGroupNumbers`] as number[] | undefined,
        phase2DhGroups: p[`tunnel${n}Phase2DhGroupNumbers`] as number[] | undefined,
        insideCidr: p[`tunnel${n}InsideCidr`] as string | undefined,
        presharedKey: p[`tunnel${n}PresharedKey`] as string | undefined,
    };
}
const tunnels = [1, 2] as const;
const aes256 = (a: string) => a === "AES256" || a === "AES256-GCM-16";
const sha256OrStronger = (a: string) => ["SHA2-256", "SHA2-384", "SHA2-512"].includes(a);

export const awsVpnIkev2Only: ResourceValidationPolicy = {
    name: "aws-vpn-ikev2-only",
    description: 'Every tunnel of an AWS VPN connection admits IKEv2 only: set `tunnelNIkeVersions` to ["ikev2"] (left out, AWS admits IKEv1 too).',
    severity: "high",
    framework: baseline("aws-vpn-ikev2-only", "IPsec tunnels negotiate with IKEv2 only."),
    remediationSteps: 'Set `tunnel1IkeVersions` and `tunnel2IkeVersions` to ["ikev2"], and configure the peer for IKEv2.',
    url: "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html",
    tags: ["aws", "network", "vpn", `type:${vpnConnection}`],
    validateResource: validateTyped<VpnConnectionArgs>(vpnConnection, (props, _args, reportViolation) => {
        for (const n of tunnels) {
            const other = beyond(tunnel(props, n).ikeVersions, (v) => v === "ikev2", awsDefaults.ikeVersions);
            if (other.length > 0) reportViolation(`Tunnel ${n} admits ${listed(other)}: IKEv2 only.`);
        }
    }),
};

export const awsVpnAes256Sha256: ResourceValidationPolicy = {
    name: "aws-vpn-aes256-sha256",
    description:
        "Every tunnel of an AWS VPN connection encrypts with AES-256 (AES256-GCM-16, or AES256 where the peer offers no GCM) and checks integrity with SHA-256 or stronger, in both phases (left out, AWS admits AES-128 and SHA-1 too).",
    severity: "high",
    framework: baseline("aws-vpn-aes256-sha256", "IPsec tunnels encrypt with AES-256 and SHA-256 or stronger."),
    remediationSteps:
        'Set `tunnelNPhase1EncryptionAlgorithms` and `tunnelNPhase2EncryptionAlgorithms` to ["AES256-GCM-16"] (or ["AES256"]), and the integrity algorithms to SHA2-256 or stronger.',
    url: "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html",
    tags: ["aws", "network", "vpn", `type:${vpnConnection}`],
    validateResource: validateTyped<VpnConnectionArgs>(vpnConnection, (props, _args, reportViolation) => {
        for (const n of tunnels) {
            const t = tunnel(props, n);
            const weak = [
                ...beyond(t.phase1Encryption, aes256, awsDefaults.encryption).map((a) => `phase 1 ${a}`),
                ...beyond(t.phase2Encryption, aes256, awsDefaults.encryption).map((a) => `phase 2 ${a}`),
                ...beyond(t.phase1Integrity, sha256OrStronger, awsDefaults.integrity).map((a) => `phase 1 ${a}`),
                ...beyond(t.phase2Integrity, sha256OrStronger, awsDefaults.integrity).map((a) => `phase 2 ${a}`),
            ];
            if (weak.length > 0) reportViolation(`Tunnel ${n} admits ${listed(weak)}: AES-256 and SHA-256 or stronger only.`);
        }
    }),
};

export const awsVpnDhGroupPfs: ResourceValidationPolicy = {
    name: "aws-vpn-dh-group-pfs",
    description:
        "Every tunnel of an AWS VPN connection admits Diffie-Hellman group 14 or stronger in phase 1 and, for perfect forward secrecy, in phase 2 (left out, AWS admits group 2 and the weak groups 22-24).",
    severity: "high",
    framework: baseline("aws-vpn-dh-group-pfs", "IPsec tunnels use Diffie-Hellman group 14 or stronger, with perfect forward secrecy."),
    remediationSteps:
        "Set `tunnelNPhase1DhGroupNumbers` and `tunnelNPhase2DhGroupNumbers` to groups from 14, 15, 16, 17, 18, 19, 20, 21 (20 where the peer offers it).",
    url: "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html",
    tags: ["aws", "network", "vpn", `type:${vpnConnection}`],
    validateResource: validateTyped<VpnConnectionArgs>(vpnConnection, (props, _args, reportViolation) => {
        const strong = (g: number) => strongDhGroups.has(g);
        for (const n of tunnels) {
            const t = tunnel(props, n);
            const weak = [
                ...beyond(t.phase1DhGroups, strong, awsDefaults.phase1DhGroups).map((g) => `phase 1 group ${g}`),
                ...beyond(t.phase2DhGroups, strong, awsDefaults.phase2DhGroups).map((g) => `phase 2 (PFS) group ${g}`),
            ];
            if (weak.length > 0) reportViolation(`Tunnel ${n} admits ${listed(weak)}: group 14 or stronger only.`);
        }
    }),
};

export const awsVpnBothTunnels: ResourceValidationPolicy = {
    name: "aws-vpn-both-tunnels",
    description:
        "Both tunnels of an AWS VPN connection are declared, each with its inside /30 and pre-shared key, so the peer built from the same program brings both up: a tunnel left to AWS's random range and key stays down, and the link runs on one tunnel.",
    severity: "high",
    framework: baseline("aws-vpn-both-tunnels", "Links run on two tunnels in prod, so one tunnel or endpoint can fail."),
    remediationSteps:
        "Set `tunnel1InsideCidr`, `tunnel2InsideCidr` (from the plan's inside ranges) and both tunnels' pre-shared keys (secrets), and configure both on the peer.",
    url: "https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-redundant-connection.html",
    tags: ["aws", "network", "vpn", "availability", `type:${vpnConnection}`],
    validateResource: validateTyped<VpnConnectionArgs>(vpnConnection, (props, _args, reportViolation) => {
        for (const n of tunnels) {
            const t = tunnel(props, n);
            const missing = [...(t.insideCidr ? [] : [`tunnel${n}InsideCidr`]), ...(t.presharedKey ? [] : [`tunnel${n}PresharedKey`])];
            if (missing.length > 0)
                reportViolation(`Tunnel ${n} leaves ${listed(missing)} to AWS, so no peer of this program can bring it up: one tunnel carries the link.`);
        }
    }),
};
