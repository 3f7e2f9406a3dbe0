/**
 * Alibaba Cloud IPsec connections (vpn.Connection, and vpn.GatewayVpnAttachment
 * for transit routers) against the platform's IPsec floor (../ipsec.ts): each
 * tunnel of a dual-tunnel connection, or the single tunnel's configuration. A
 * setting left out is judged by Alibaba Cloud's default: IKEv1, AES-128,
 * SHA-1 and group 2.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { ConnectionArgs, GatewayVpnAttachmentArgs } from "@pulumi/alicloud/vpn";
import { baseline } from "../controls";
import { listed, strongDhGroups } from "../ipsec";
import { validateTyped, type Plain } from "../typed";

const connectionTypes = ["alicloud:vpn/connection:Connection", "alicloud:vpn/gatewayVpnAttachment:GatewayVpnAttachment"] as const;
type Connection = Plain<ConnectionArgs | GatewayVpnAttachmentArgs>;

/** Alibaba Cloud's defaults for a setting left out of an IKE or IPsec configuration. */
const defaults = { ikeVersion: "ikev1", encryption: "aes", integrity: "sha1", pfs: "group2" };

/** One tunnel of a dual-tunnel connection. */
type TunnelOption = NonNullable<Connection["tunnelOptionsSpecifications"]>[number];

interface TunnelSettings {
    /** "Tunnel 1", or "The connection" for a single tunnel. */
    which: string;
    ike: NonNullable<TunnelOption["tunnelIkeConfig"] | Connection["ikeConfig"]>;
    ipsec: NonNullable<TunnelOption["tunnelIpsecConfig"] | Connection["ipsecConfig"]>;
}

/** Each tunnel's IKE and IPsec settings: the dual-tunnel options, else the connection's own. */
function tunnelsOf(props: Connection): TunnelSettings[] {
    const options: TunnelOption[] = props.tunnelOptionsSpecifications ?? [];
    if (options.length > 0) return options.map((o, i) => ({ which: `Tunnel ${i + 1}`, ike: o.tunnelIkeConfig ?? {}, ipsec: o.tunnelIpsecConfig ?? {} }));
    return [{ which: "The connection", ike: props.ikeConfig ?? {}, ipsec: props.ipsecConfig ?? {} }];
}

const strongGroup = (g: string) => strongDhGroups.has(Number(/^group(\d+)$/.exec(g)?.[1]));
const sha256OrStronger = (a: string) => ["sha256", "sha384", "sha512"].includes(a);

export const alicloudVpnIkev2Only: ResourceValidationPolicy = {
    name: "alicloud-vpn-ikev2-only",
    description: 'Alibaba Cloud IPsec connections negotiate with IKEv2 only: set `ikeVersion: "ikev2"` on every tunnel (left out, Alibaba Cloud uses IKEv1).',
    severity: "high",
    framework: baseline("alicloud-vpn-ikev2-only", "IPsec tunnels negotiate with IKEv2 only."),
    remediationSteps: 'Set `tunnelIkeConfig.ikeVersion` (or `ikeConfig.ikeVersion` of a single tunnel) to "ikev2".',
    url: "https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/user-guide/create-and-manage-ipsec-vpn-connections-1",
    tags: ["alicloud", "network", "vpn", ...connectionTypes.map((t) => `type:${t}`)],
    validateResource: validateTyped<ConnectionArgs | GatewayVpnAttachmentArgs>([...connectionTypes], (props, _args, reportViolation) => {
        for (const t of tunnelsOf(props)) {
            const version = t.ike.ikeVersion ?? defaults.ikeVersion;
            if (version !== "ikev2") reportViolation(`${t.which} negotiates with ${version}${t.ike.ikeVersion ? "" : " (the default)"}: IKEv2 only.`);
        }
    }),
};

export const alicloudVpnAes256Sha256: ResourceValidationPolicy = {
    name: "alicloud-vpn-aes256-sha256",
    description:
        "Alibaba Cloud IPsec connections encrypt with aes256 and check integrity with sha256 or stronger, in IKE and IPsec, on every tunnel (left out, Alibaba Cloud uses aes (AES-128) and sha1; it offers no AES-GCM).",
    severity: "high",
    framework: baseline("alicloud-vpn-aes256-sha256", "IPsec tunnels encrypt with AES-256 and SHA-256 or stronger."),
    remediationSteps: 'Set `ikeEncAlg` and `ipsecEncAlg` to "aes256", and `ikeAuthAlg` and `ipsecAuthAlg` to "sha256" or stronger.',
    url: "https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/user-guide/create-and-manage-ipsec-vpn-connections-1",
    tags: ["alicloud", "network", "vpn", ...connectionTypes.map((t) => `type:${t}`)],
    validateResource: validateTyped<ConnectionArgs | GatewayVpnAttachmentArgs>([...connectionTypes], (props, _args, reportViolation) => {
        for (const t of tunnelsOf(props)) {
            const settings: [what: string, value: string, ok: (a: string) => boolean][] = [
                ["IKE encryption", t.ike.ikeEncAlg ?? defaults.encryption, (a: string) => a === "aes256"],
                ["IPsec encryption", t.ipsec.ipsecEncAlg ?? defaults.encryption, (a: string) => a === "aes256"],
                ["IKE integrity", t.ike.ikeAuthAlg ?? defaults.integrity, sha256OrStronger],
                ["IPsec integrity", t.ipsec.ipsecAuthAlg ?? defaults.integrity, sha256OrStronger],
            ];
            const weak = settings.flatMap(([what, value, ok]) => (ok(value) ? [] : [`${what} ${value}`]));
            if (weak.length > 0) reportViolation(`${t.which} admits ${listed(weak)}: aes256 and sha256 or stronger only.`);
        }
    }),
};

export const alicloudVpnDhGroupPfs: ResourceValidationPolicy = {
    name: "alicloud-vpn-dh-group-pfs",
    description:
        "Alibaba Cloud IPsec connections use Diffie-Hellman group 14 or stronger in IKE (`ikePfs`) and, for perfect forward secrecy, in IPsec (`ipsecPfs`, never disabled), on every tunnel (left out, group2).",
    severity: "high",
    framework: baseline("alicloud-vpn-dh-group-pfs", "IPsec tunnels use Diffie-Hellman group 14 or stronger, with perfect forward secrecy."),
    remediationSteps: 'Set `ikePfs` and `ipsecPfs` to "group14" (or stronger where both ends offer it).',
    url: "https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/user-guide/create-and-manage-ipsec-vpn-connections-1",
    tags: ["alicloud", "network", "vpn", ...connectionTypes.map((t) => `type:${t}`)],
    validateResource: validateTyped<ConnectionArgs | GatewayVpnAttachmentArgs>([...connectionTypes], (props, _args, reportViolation) => {
        for (const t of tunnelsOf(props)) {
            const ike = t.ike.ikePfs ?? defaults.pfs;
            const ipsec = t.ipsec.ipsecPfs ?? defaults.pfs;
            const weak = [...(strongGroup(ike) ? [] : [`IKE ${ike}`]), ...(strongGroup(ipsec) ? [] : [`IPsec (PFS) ${ipsec}`])];
            if (weak.length > 0) reportViolation(`${t.which} admits ${listed(weak)}: group 14 or stronger only.`);
        }
    }),
};

export const alicloudVpnBothTunnels: ResourceValidationPolicy = {
    name: "alicloud-vpn-both-tunnels",
    description:
        "Alibaba Cloud IPsec connections run two tunnels (dual-tunnel mode: a master and a slave in `tunnelOptionsSpecifications`, from the gateway's two addresses in two zones), so one tunnel or zone can fail; a single-tunnel connection carries the link alone.",
    severity: "high",
    framework: baseline("alicloud-vpn-both-tunnels", "Links run on two tunnels in prod, so one tunnel or endpoint can fail."),
    remediationSteps:
        "Create the VPN gateway with `disasterRecoveryVswitchId` (dual-tunnel) and give the connection two `tunnelOptionsSpecifications`, one master and one slave.",
    url: "https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/user-guide/ipsec-vpn-connections-support-the-dual-tunnel-mode",
    tags: ["alicloud", "network", "vpn", "availability", ...connectionTypes.map((t) => `type:${t}`)],
    validateResource: validateTyped<ConnectionArgs | GatewayVpnAttachmentArgs>([...connectionTypes], (props, _args, reportViolation) => {
        const roles = (props.tunnelOptionsSpecifications ?? []).map((o: TunnelOption) => o.role);
        if (roles.length < 2)
            reportViolation(`The connection runs ${roles.length === 0 ? "a single tunnel" : "one tunnel"}: give it a master and a slave tunnel.`);
        else if (!roles.includes("master") || !roles.includes("slave"))
            reportViolation(`The connection's tunnels are ${listed(roles)}: one master and one slave.`);
    }),
};
