import { contains, ipv4Block, isIpv4Block, overlaps, parseCidr, subBlock, type CidrBlock } from "./cidr";

const block = (cidr: string) => parseCidr(cidr) as CidrBlock;

describe("parseCidr", () => {
    test("reads an IPv4 block into its start, prefix and canonical text", () => {
        expect(parseCidr("10.30.0.0/16")).toEqual({ version: 4, start: BigInt(10 * 2 ** 24 + 30 * 2 ** 16), prefix: 16, text: "10.30.0.0/16" });
    });
    test("reads an IPv6 block", () => {
        expect(parseCidr("fd00:10::/32")).toMatchObject({ version: 6, prefix: 32, text: "fd00:10::/32" });
    });
    test.each([
        ["10.30.0.1/16", "host bits are set (the block starts at 10.30.0.0/16)"],
        ["300.0.0.0/8", "not a CIDR block"],
        ["10.0.0.0", "not a CIDR block (expected e.g. 10.20.0.0/16)"],
        ["10.0.0.0/33", "not a CIDR block"],
    ])("refuses %s", (cidr, reason) => {
        expect(parseCidr(cidr)).toEqual(expect.stringContaining(reason));
    });
    test("refuses what is not a string", () => {
        expect(parseCidr(42)).toBe("not a CIDR block (expected e.g. 10.20.0.0/16)");
    });
});

describe("ipv4Block", () => {
    test("accepts a block within the prefix range", () => {
        expect(ipv4Block("10.16.0.0/16", 16, 24).prefix).toBe(16);
    });
    test("names the argument, the range and the reason", () => {
        expect(() => ipv4Block("10.16.0.0/12", 16, 24, "Network: `cidr`")).toThrow(
            'Network: `cidr` must be an IPv4 network block from /16 to /24 (e.g. "10.16.0.0/16"), got "10.16.0.0/12": a /12.',
        );
        expect(() => ipv4Block("fd00::/64", 8, 24)).toThrow("an IPv6 block");
        expect(() => ipv4Block("10.16.0.1/16", 8, 24)).toThrow("host bits are set");
    });
    test("isIpv4Block", () => {
        expect(isIpv4Block("203.0.113.0/24")).toBe(true);
        expect(isIpv4Block("203.0.113.7/24")).toBe(false);
        expect(isIpv4Block("fd00::/64")).toBe(false);
    });
});

describe("subBlock", () => {
    test("carves the index-th block of a longer prefix", () => {
        expect(subBlock(block("10.0.0.0/16"), 20, 1)).toBe("10.0.16.0/20");
        expect(subBlock(block("10.0.0.0/16"), 19, 7)).toBe("10.0.224.0/19");
        expect(subBlock(block("10.0.224.0/19"), 22, 2)).toBe("10.0.232.0/22");
        expect(subBlock(block("fd00::/48"), 64, 3)).toBe("fd00:0:0:3::/64");
    });
    test("refuses a block that does not fit", () => {
        expect(() => subBlock(block("10.0.0.0/16"), 12, 0)).toThrow("a /12 does not fit inside 10.0.0.0/16");
        expect(() => subBlock(block("10.0.0.0/16"), 17, 2)).toThrow("10.0.0.0/16 holds 2 blocks of /17; index 2 is outside");
    });
});

describe("overlaps and contains", () => {
    test("nested and disjoint blocks", () => {
        expect(overlaps(block("10.0.0.0/16"), block("10.0.4.0/22"))).toBe(true);
        expect(overlaps(block("10.0.4.0/22"), block("10.0.0.0/16"))).toBe(true);
        expect(overlaps(block("10.0.0.0/16"), block("10.1.0.0/16"))).toBe(false);
        expect(overlaps(block("10.0.0.0/16"), block("fd00::/16"))).toBe(false);
        expect(contains(block("10.0.0.0/16"), block("10.0.4.0/22"))).toBe(true);
        expect(contains(block("10.0.4.0/22"), block("10.0.0.0/16"))).toBe(false);
    });
});
