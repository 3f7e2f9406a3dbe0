import { admitsOtherThan, admittedPorts, adminPorts, isInternet, parsePortRange, webPorts } from "./exposure";

describe("port ranges", () => {
    test("a range admits the ports inside it", () => {
        expect(admittedPorts(parsePortRange("20-30"), adminPorts)).toEqual([22]);
        expect(admittedPorts(parsePortRange({ from: 3000, to: 4000 }), adminPorts)).toEqual([3389]);
        expect(admittedPorts(parsePortRange("22/22"), adminPorts)).toEqual([22]);
        expect(admittedPorts(parsePortRange(443), adminPorts)).toEqual([]);
    });
    test("'all' spellings and missing ports admit every port", () => {
        for (const spec of ["-1", "-1/-1", "all", undefined, { from: -1, to: -1 }, { from: 0, to: 0 }]) {
            const range = parsePortRange(spec);
            if (spec && typeof spec === "object" && spec.from === 0) {
                expect(range).toEqual({ from: 0, to: 0 });
            } else {
                expect(admittedPorts(range, adminPorts)).toEqual([22, 3389]);
            }
        }
    });
    test("only 80 and 443 count as web", () => {
        expect(admitsOtherThan(parsePortRange(443), webPorts)).toBe(false);
        expect(admitsOtherThan(parsePortRange("80-443"), webPorts)).toBe(true);
    });
});

describe("internet", () => {
    test("IPv4 and IPv6 anywhere are the internet; private ranges are not", () => {
        expect(isInternet("0.0.0.0/0")).toBe(true);
        expect(isInternet("::/0")).toBe(true);
        expect(isInternet("10.0.0.0/8")).toBe(false);
        expect(isInternet("0.0.0.0/1")).toBe(false);
    });
});
