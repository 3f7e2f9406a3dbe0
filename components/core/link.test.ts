import * as pulumi from "@pulumi/pulumi";
import type { LinkPeer } from "../contracts";
import { ConfigError } from "./errors";
import { agreedCiphers, checkLinkSpec, insideAddresses, tunnelLayout, validateLinkPeer } from "./link";

describe("tunnelLayout", () => {
    test("two addresses on each end: two tunnels, address to address", () => {
        expect(tunnelLayout(2, 2)).toEqual([
            { local: 0, peer: 0 },
            { local: 1, peer: 1 },
        ]);
    });
    test("an HA VPN gateway toward AWS's four tunnel addresses: each interface to one VPN connection's two tunnels", () => {
        expect(tunnelLayout(2, 4)).toEqual([
            { local: 0, peer: 0 },
            { local: 0, peer: 1 },
            { local: 1, peer: 2 },
            { local: 1, peer: 3 },
        ]);
    });
    test("read from the other end, the same tunnels with the ends swapped", () => {
        const here = tunnelLayout(4, 2);
        const there = tunnelLayout(2, 4);
        expect(here.map((t) => ({ local: t.peer, peer: t.local }))).toEqual(there);
    });
    test("an end without addresses is refused", () => {
        expect(() => tunnelLayout(0, 2)).toThrow("both ends need at least one outside address");
    });
});

describe("agreedCiphers", () => {
    test("GCM and group 20 where both ends offer them", () => {
        expect(agreedCiphers("aws", "gcp")).toEqual({ encryption: "aes-256-gcm", integrity: "sha-512", dhGroup: 20 });
    });
    test("Alibaba Cloud offers no GCM and no group above 14: AES-256-CBC and group 14 with it, whichever end asks", () => {
        expect(agreedCiphers("onprem", "alicloud")).toEqual({ encryption: "aes-256-cbc", integrity: "sha-512", dhGroup: 14 });
        expect(agreedCiphers("alicloud", "aws")).toEqual(agreedCiphers("aws", "alicloud"));
    });
});

test("insideAddresses: the two usable addresses of a /30, and nothing but a /30", () => {
    expect(insideAddresses("169.254.24.4/30")).toEqual(["169.254.24.5", "169.254.24.6"]);
    expect(() => insideAddresses("169.254.24.0/29")).toThrow(ConfigError);
});

describe("checkLinkSpec", () => {
    const spec = { environment: "prod" as const, zoneCount: 3, asn: 64611, ranges: ["10.33.0.0/16"] };
    test("a public cloud's end needs the network it joins, and takes no edge addresses", () => {
        expect(() => checkLinkSpec("aws", "l", spec)).toThrow('aws kit: link("l") needs `networkId`');
        expect(() => checkLinkSpec("gcp", "l", { ...spec, networkId: "n", edgeAddresses: ["198.51.100.10"] })).toThrow("which only the onprem kit takes");
        expect(() => checkLinkSpec("alicloud", "l", { ...spec, networkId: "vpc-1" })).not.toThrow();
    });
    test("the private cloud's end is its edge router: addresses, no network", () => {
        expect(() => checkLinkSpec("onprem", "l", spec)).toThrow("needs `edgeAddresses`");
        expect(() => checkLinkSpec("onprem", "l", { ...spec, edgeAddresses: ["198.51.100.10", "198.51.100.11"], networkId: "ns" })).toThrow(
            "joins no network of ours",
        );
    });
    test("a public ASN, no range, or an edge address that is no address is refused", () => {
        expect(() => checkLinkSpec("aws", "l", { ...spec, networkId: "v", asn: 16509 })).toThrow("must be a private ASN from 64512 to 65534");
        expect(() => checkLinkSpec("aws", "l", { ...spec, networkId: "v", ranges: [] })).toThrow("`ranges` must list at least one IPv4 range");
        expect(() => checkLinkSpec("onprem", "l", { ...spec, edgeAddresses: ["198.51.100.10/32"] })).toThrow("must be IPv4 addresses");
    });
});

describe("validateLinkPeer", () => {
    const key = pulumi.secret("k");
    const tunnel = (third: number) => ({
        insideCidr: `169.254.${third}.0/30`,
        insideAddress: `169.254.${third}.2`,
        peerInsideAddress: `169.254.${third}.1`,
        sharedKey: key,
    });
    const peer = (changes: Partial<LinkPeer> = {}): LinkPeer => ({
        cloud: "aws",
        asn: 64611,
        addresses: ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"],
        addressCount: 4,
        ranges: ["10.33.0.0/16"],
        ciphers: agreedCiphers("aws", "gcp"),
        tunnels: [tunnel(24), tunnel(25), tunnel(26), tunnel(27)],
        ...changes,
    });
    const local = { cloud: "gcp" as const, asn: 64621, ranges: ["10.35.0.0/16"], localCount: 2 };
    const check =
        (p: LinkPeer, l = local) =>
        () =>
            validateLinkPeer("s", l, p);

    test("a peer that keeps to the plan passes", () => {
        expect(check(peer())).not.toThrow();
    });
    test("one tunnel per pair of the layout, no more and no fewer", () => {
        expect(check(peer({ tunnels: [tunnel(24), tunnel(25)] }))).toThrow("2 outside address(es) here and 4 at the peer make 4 tunnels; the peer lists 2.");
    });
    test("the same ASN at both ends, or overlapping ranges, is refused", () => {
        expect(check(peer({ asn: 64621 }))).toThrow("both ends speak ASN 64621");
        expect(check(peer({ ranges: ["10.35.128.0/17"] }))).toThrow("the peer's range 10.35.128.0/17 overlaps this end's 10.35.0.0/16");
    });
    test("inside ranges: /30s of 169.254.0.0/16, clear of AWS's reserved ones and of each other, the two usable addresses one per end", () => {
        expect(check(peer({ tunnels: [tunnel(24), tunnel(25), tunnel(26), { ...tunnel(27), insideCidr: "10.0.0.0/30" }] }))).toThrow(
            "must be a /30 of 169.254.0.0/16",
        );
        expect(check(peer({ tunnels: [tunnel(24), tunnel(25), tunnel(26), tunnel(5)] }))).toThrow("is one AWS reserves");
        expect(check(peer({ tunnels: [tunnel(24), tunnel(25), tunnel(26), tunnel(24)] }))).toThrow("is used by another tunnel of the link");
        expect(check(peer({ tunnels: [tunnel(24), tunnel(25), tunnel(26), { ...tunnel(27), insideAddress: "169.254.27.3" }] }))).toThrow(
            "tunnel 3's inside addresses must be 169.254.27.1 and 169.254.27.2",
        );
    });
    test("ciphers the kit cannot offer are refused, naming what it offers", () => {
        expect(check(peer(), { ...local, cloud: "alicloud" as never })).toThrow(
            "the alicloud kit cannot offer aes-256-gcm, sha-512, group 20; it offers aes-256-cbc",
        );
    });
});
