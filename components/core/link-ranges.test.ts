import { checkLinkSpec } from "./link";

describe("checkLinkSpec: the ranges of a link's end", () => {
    const spec = { environment: "prod" as const, zoneCount: 3, asn: 64611, networkId: "v" };
    test("an IPv6 block is refused as one", () => {
        expect(() => checkLinkSpec("aws", "l", { ...spec, ranges: ["fd00:10::/48"] })).toThrow(
            '`ranges` holds "fd00:10::/48", which is not an IPv4 range: it is an IPv6 block.',
        );
    });
    test("a range that is no block says why", () => {
        expect(() => checkLinkSpec("aws", "l", { ...spec, ranges: ["10.33.0.1/16"] })).toThrow(
            '`ranges` holds "10.33.0.1/16", which is not an IPv4 range: host bits are set',
        );
    });
});
