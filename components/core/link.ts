/**
 * What every kit's links share: the tunnel layout both ends number alike, the
 * ciphers each cloud offers and the ones two ends agree on, and the checks of a
 * link's spec and peer. Pure, no resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { Address4 } from "ip-address";
import type { Cloud, LinkCiphers, LinkEndConfiguration, LinkPeer, LinkSpec } from "../contracts";
import { contains, overlaps, parseCidr, type CidrBlock } from "./cidr";
import { ConfigError } from "./errors";

/** Where every tunnel's inside /30 lies (RFC 3927 link-local, as AWS, GCP and Alibaba Cloud require). */
export const linkLocalBlock = "169.254.0.0/16";

/**
 * /30s AWS reserves inside 169.254.0.0/16 for its own use; a tunnel there is
 * refused by the VPN service, so the plan keeps clear of them on every cloud.
 */
export const reservedInsideCidrs = [
    "169.254.0.0/30",
    "169.254.1.0/30",
    "169.254.2.0/30",
    "169.254.3.0/30",
    "169.254.4.0/30",
    "169.254.5.0/30",
    "169.254.169.252/30",
];

/** Private 16-bit ASNs (RFC 6996): what every cloud's router and gateway accepts as its own. */
export const privateAsnRange = { first: 64512, last: 65534 } as const;

/**
 * Which outside address on each end tunnel t uses, for L addresses here and P at
 * the peer: max(L, P) tunnels, tunnel t on this end's address floor(t·L/T) and the
 * peer's floor(t·P/T). The formula reads the same from either end, so both number
 * the tunnels alike; with an AWS end (two tunnels per peer address) it gives
 * Google's four-tunnel layout, each HA VPN interface to one VPN connection.
 */
export function tunnelLayout(localCount: number, peerCount: number): { local: number; peer: number }[] {
    if (!Number.isInteger(localCount) || !Number.isInteger(peerCount) || localCount < 1 || peerCount < 1) {
        throw new Error(`tunnelLayout: both ends need at least one outside address; got ${localCount} and ${peerCount}.`);
    }
    const total = Math.max(localCount, peerCount);
    return [...Array(total).keys()].map((t) => ({ local: Math.floor((t * localCount) / total), peer: Math.floor((t * peerCount) / total) }));
}

/** What a kit's link offers; two ends agree on the strongest both offer. */
export interface CipherOffer {
    encryption: LinkCiphers["encryption"][];
    integrity: LinkCiphers["integrity"][];
    dhGroups: LinkCiphers["dhGroup"][];
}

/**
 * The ciphers each cloud's VPN offers within the platform's floor (AES-256,
 * SHA-256, group 14). A static table, as the capabilities are, so a stack can
 * agree on ciphers without loading a provider SDK. Alibaba Cloud's IPsec offers
 * no AES-GCM and no group above 14; the edge router is ours to configure.
 */
export const cipherOffers: Record<Cloud, CipherOffer> = {
    aws: { encryption: ["aes-256-gcm", "aes-256-cbc"], integrity: ["sha-256", "sha-384", "sha-512"], dhGroups: [14, 15, 16, 19, 20, 21] },
    gcp: { encryption: ["aes-256-gcm", "aes-256-cbc"], integrity: ["sha-256", "sha-384", "sha-512"], dhGroups: [14, 15, 16, 19, 20, 21] },
    alicloud: { encryption: ["aes-256-cbc"], integrity: ["sha-256", "sha-384", "sha-512"], dhGroups: [14] },
    onprem: { encryption: ["aes-256-gcm", "aes-256-cbc"], integrity: ["sha-256", "sha-384", "sha-512"], dhGroups: [14, 15, 16, 19, 20, 21] },
};

/** Strongest first: GCM before CBC, elliptic-curve groups before the larger MODP ones. */
const preference = {
    encryption: ["aes-256-gcm", "aes-256-cbc"] as LinkCiphers["encryption"][],
    integrity: ["sha-512", "sha-384", "sha-256"] as LinkCiphers["integrity"][],
    dhGroups: [20, 19, 21, 16, 15, 14] as LinkCiphers["dhGroup"][],
};

/** The strongest ciphers two ends both offer. */
export function agreedCiphers(a: Cloud, b: Cloud): LinkCiphers {
    const pick = <K extends keyof CipherOffer>(key: K): CipherOffer[K][number] => {
        const both = (preference[key] as CipherOffer[K][number][]).find(
            (c) => (cipherOffers[a][key] as unknown[]).includes(c) && (cipherOffers[b][key] as unknown[]).includes(c),
        );
        if (both === undefined) throw new ConfigError(`A link between ${a} and ${b}: the two ends offer no common ${key}.`);
        return both;
    };
    return { encryption: pick("encryption"), integrity: pick("integrity"), dhGroup: pick("dhGroups") };
}

/** The two usable addresses of a /30: the first for the end that speaks first (AWS always takes it), the second for the other. */
export function insideAddresses(insideCidr: string): [string, string] {
    const block = parseCidr(insideCidr);
    if (typeof block === "string" || block.version !== 4 || block.prefix !== 30) {
        throw new ConfigError(`A tunnel's inside range must be a /30 of ${linkLocalBlock}; got ${JSON.stringify(insideCidr)}.`);
    }
    return [Address4.fromBigInt(block.start + 1n).correctForm(), Address4.fromBigInt(block.start + 2n).correctForm()];
}

const isIpv4Address = (text: unknown): boolean => typeof text === "string" && Address4.isValid(text) && !text.includes("/");

const asnProblem = (asn: unknown): string | undefined =>
    Number.isInteger(asn) && (asn as number) >= privateAsnRange.first && (asn as number) <= privateAsnRange.last
        ? undefined
        : `must be a private ASN from ${privateAsnRange.first} to ${privateAsnRange.last}, got ${JSON.stringify(asn)}`;

function ipv4Blocks(subject: string, key: string, ranges: unknown): CidrBlock[] {
    if (!Array.isArray(ranges) || ranges.length === 0)
        throw new ConfigError(`${subject}: \`${key}\` must list at least one IPv4 range, got ${JSON.stringify(ranges)}.`);
    return ranges.map((range) => {
        const block = parseCidr(range);
        if (typeof block === "string" || block.version !== 4)
            throw new ConfigError(
                `${subject}: \`${key}\` holds ${JSON.stringify(range)}, which is not an IPv4 range: ${typeof block === "string" ? block : "it is an IPv6 block"}.`,
            );
        return block;
    });
}

/** The link contract's checks of one end, the same on every kit. */
export function validateLinkSpec(subject: string, spec: LinkSpec): void {
    const asn = asnProblem(spec.asn);
    if (asn) throw new ConfigError(`${subject}: \`asn\` ${asn}.`);
    if (!Number.isInteger(spec.zoneCount) || spec.zoneCount < 1)
        throw new ConfigError(`${subject}: \`zoneCount\` must be a whole number >= 1, got ${spec.zoneCount}.`);
    ipv4Blocks(subject, "ranges", spec.ranges);
    if (spec.edgeAddresses !== undefined) {
        const bad = spec.edgeAddresses.filter((a) => !isIpv4Address(a));
        if (bad.length > 0) throw new ConfigError(`${subject}: \`edgeAddresses\` must be IPv4 addresses, got ${JSON.stringify(bad)}.`);
        if (new Set(spec.edgeAddresses).size !== spec.edgeAddresses.length) throw new ConfigError(`${subject}: \`edgeAddresses\` lists an address twice.`);
    }
}

/**
 * The link contract's checks of one end on a kit: the spec's own, then what the
 * cloud needs: a public cloud's end joins a network (`networkId`) and gets its
 * addresses from its gateway, so `edgeAddresses` is refused there; the private
 * cloud's end is its edge router, which has no network of ours but needs its
 * configured addresses.
 */
export function checkLinkSpec(cloud: Cloud, name: string, spec: LinkSpec): void {
    const subject = `${cloud} kit: link("${name}")`;
    validateLinkSpec(subject, spec);
    if (cloud === "onprem") {
        if (!spec.edgeAddresses?.length) throw new ConfigError(`${subject} needs \`edgeAddresses\`: the public addresses of the private cloud's edge router.`);
        if (spec.networkId !== undefined)
            throw new ConfigError(`${subject} sets \`networkId\`: the private cloud's end is its edge router, which joins no network of ours.`);
    } else {
        if (spec.networkId === undefined) throw new ConfigError(`${subject} needs \`networkId\`: the network this end joins, as its stack exports it.`);
        if (spec.edgeAddresses !== undefined) {
            throw new ConfigError(`${subject} sets \`edgeAddresses\`, which only the onprem kit takes: a ${cloud} gateway gets its addresses from the cloud.`);
        }
    }
}

/**
 * The link contract's checks of a peer, as one end sees it: `localCount` outside
 * addresses here. The tunnels are the layout's, each inside /30 a link-local /30
 * clear of the reserved ones and of the others, its two BGP addresses the /30's
 * two usable ones; the peer's ranges overlap none of this end's.
 */
export function validateLinkPeer(subject: string, local: { cloud: Cloud; asn: number; ranges: string[]; localCount: number }, peer: LinkPeer): void {
    const asn = asnProblem(peer.asn);
    if (asn) throw new ConfigError(`${subject}: the peer's \`asn\` ${asn}.`);
    if (peer.asn === local.asn) throw new ConfigError(`${subject}: both ends speak ASN ${peer.asn}; BGP between them needs two.`);
    if (!Number.isInteger(peer.addressCount) || peer.addressCount < 1)
        throw new ConfigError(`${subject}: the peer needs at least one outside address; got ${peer.addressCount}.`);
    const ours = ipv4Blocks(subject, "ranges", local.ranges);
    const theirs = ipv4Blocks(subject, "peer.ranges", peer.ranges);
    for (const [i, block] of theirs.entries()) {
        const clash = ours.findIndex((o) => overlaps(o, block));
        if (clash >= 0)
            throw new ConfigError(
                `${subject}: the peer's range ${peer.ranges[i]} overlaps this end's ${local.ranges[clash]}: the address plan gives every network its own.`,
            );
    }
    const expected = tunnelLayout(local.localCount, peer.addressCount).length;
    if (peer.tunnels.length !== expected) {
        throw new ConfigError(
            `${subject}: ${local.localCount} outside address(es) here and ${peer.addressCount} at the peer make ${expected} tunnels; the peer lists ${peer.tunnels.length}.`,
        );
    }
    const linkLocal = parseCidr(linkLocalBlock) as CidrBlock;
    const reserved = reservedInsideCidrs.map((c) => parseCidr(c) as CidrBlock);
    const seen: CidrBlock[] = [];
    for (const [t, tunnel] of peer.tunnels.entries()) {
        const block = parseCidr(tunnel.insideCidr);
        const where = `${subject}: tunnel ${t}'s \`insideCidr\` ${JSON.stringify(tunnel.insideCidr)}`;
        if (typeof block === "string" || block.version !== 4 || block.prefix !== 30 || !contains(linkLocal, block)) {
            throw new ConfigError(`${where} must be a /30 of ${linkLocalBlock}.`);
        }
        if (reserved.some((r) => overlaps(r, block))) throw new ConfigError(`${where} is one AWS reserves (${reservedInsideCidrs.join(", ")}).`);
        if (seen.some((s) => overlaps(s, block))) throw new ConfigError(`${where} is used by another tunnel of the link.`);
        seen.push(block);
        const usable = insideAddresses(tunnel.insideCidr);
        const pair = [tunnel.insideAddress, tunnel.peerInsideAddress].sort();
        if (JSON.stringify(pair) !== JSON.stringify([...usable].sort())) {
            throw new ConfigError(
                `${subject}: tunnel ${t}'s inside addresses must be ${usable.join(" and ")}, one per end; got ${tunnel.insideAddress} and ${tunnel.peerInsideAddress}.`,
            );
        }
    }
    const offer = cipherOffers[local.cloud];
    const { encryption, integrity, dhGroup } = peer.ciphers;
    if (!offer.encryption.includes(encryption) || !offer.integrity.includes(integrity) || !offer.dhGroups.includes(dhGroup)) {
        throw new ConfigError(
            `${subject}: the ${local.cloud} kit cannot offer ${encryption}, ${integrity}, group ${dhGroup}; it offers ${offer.encryption.join("/")}, ${offer.integrity.join("/")}, groups ${offer.dhGroups.join(", ")}.`,
        );
    }
}

/** One end of a link's tunnels in neutral terms, from what the end was given and the outside addresses it made. */
export function linkEndConfiguration(
    cloud: Cloud,
    local: { asn: number; ranges: string[] },
    peer: LinkPeer,
    tunnelAddresses: pulumi.Output<string[]>,
    peerAddresses: pulumi.Output<string[]>,
    layout: { peer: number }[],
): LinkEndConfiguration {
    return {
        cloud,
        asn: local.asn,
        peerAsn: peer.asn,
        advertised: local.ranges,
        routed: peer.ranges,
        ike: "ikev2",
        ciphers: peer.ciphers,
        tunnels: peer.tunnels.map((tunnel, t) => ({
            outsideAddress: tunnelAddresses.apply((a) => a[t]),
            peerOutsideAddress: peerAddresses.apply((a) => a[layout[t].peer]),
            insideCidr: tunnel.insideCidr,
            insideAddress: tunnel.insideAddress,
            peerInsideAddress: tunnel.peerInsideAddress,
        })),
    };
}
