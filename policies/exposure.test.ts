import { admitsOtherThan, admittedPorts, adminPorts, allPorts, isAllProtocols, isInternet, parsePortRange, rangeAdmits, webPorts } from "./exposure";

describe("port ranges", () => {
    test("a range admits the ports inside it", () => {
        expect(admittedPorts(parsePortRange("20-30"), adminPorts)).toEqual([22]);
        expect(admittedPorts(parsePortRange({ from: 3000, to: 4000 }), adminPorts)).toEqual([3389]);
        expect(admittedPorts(parsePortRange("22/22"), adminPorts)).toEqual([22]);
        expect(admittedPorts(parsePortRange(443), adminPorts)).toEqual([]);
    });
    test("'all' spellings and missing ports admit every port", () => {
        for (const spec of [
            "-1",
            "-1/-1",
            "all",
            "ALL",
            " any ",
            "*",
            undefined,
            null,
            "",
            -1,
            { from: -1, to: -1 },
            { from: 5, to: -1 },
            "-1-22",
            "22-(-1)",
            "x",
            "22-30-40",
        ]) {
            expect([spec, parsePortRange(spec)]).toEqual([spec, allPorts]);
        }
    });
    test("reads every spelling of a port or range, in either order", () => {
        expect(parsePortRange(0)).toEqual({ from: 0, to: 0 });
        expect(parsePortRange(22)).toEqual({ from: 22, to: 22 });
        expect(parsePortRange("22")).toEqual({ from: 22, to: 22 });
        expect(parsePortRange(" 20 - 30 ")).toEqual({ from: 20, to: 30 });
        expect(parsePortRange("30:20")).toEqual({ from: 20, to: 30 });
        expect(parsePortRange("0/0")).toEqual({ from: 0, to: 0 });
        expect(parsePortRange({ from: 0, to: 0 })).toEqual({ from: 0, to: 0 });
        expect(parsePortRange({ from: 443 })).toEqual({ from: 443, to: 443 });
        expect(parsePortRange({ to: 80 })).toEqual({ from: 0, to: 80 });
        expect(parsePortRange({ from: 90, to: 80 })).toEqual({ from: 80, to: 90 });
        expect(parsePortRange({ from: "8080", to: "8081" })).toEqual({ from: 8080, to: 8081 });
    });
    test("a range admits its ends and nothing outside", () => {
        expect(rangeAdmits({ from: 20, to: 22 }, 22)).toBe(true);
        expect(rangeAdmits({ from: 22, to: 30 }, 22)).toBe(true);
        expect(rangeAdmits({ from: 23, to: 30 }, 22)).toBe(false);
        expect(rangeAdmits({ from: 10, to: 21 }, 22)).toBe(false);
    });
    test("only 80 and 443 count as web", () => {
        expect(admitsOtherThan(parsePortRange(443), webPorts)).toBe(false);
        expect(admitsOtherThan(parsePortRange(80), webPorts)).toBe(false);
        expect(admitsOtherThan(parsePortRange(81), webPorts)).toBe(true);
        expect(admitsOtherThan(parsePortRange("80-81"), webPorts)).toBe(true);
        expect(admitsOtherThan(parsePortRange("80-443"), webPorts)).toBe(true);
    });
});

describe("protocols", () => {
    test("every spelling of 'all protocols' counts, and nothing else does", () => {
        for (const p of ["-1", "all", "ALL", "any", "*", "-1/-1", -1]) expect([p, isAllProtocols(p)]).toEqual([p, true]);
        for (const p of ["tcp", "6", "udp", "", 6, 1, undefined]) expect([p, isAllProtocols(p)]).toEqual([p, false]);
    });
});

describe("internet", () => {
    test("IPv4 and IPv6 anywhere are the internet; private ranges and other text are not", () => {
        expect(isInternet("0.0.0.0/0")).toBe(true);
        expect(isInternet(" 0.0.0.0/0 ")).toBe(true);
        expect(isInternet("::/0")).toBe(true);
        expect(isInternet("10.0.0.0/8")).toBe(false);
        expect(isInternet("0.0.0.0/1")).toBe(false);
        expect(isInternet("0.0.0.0")).toBe(false);
        expect(isInternet("0.0.0.0/00")).toBe(true);
        expect(isInternet("10.0.0.0/0")).toBe(true);
        expect(isInternet("x0.0.0.0/0")).toBe(false);
        expect(isInternet("0.0.0.0x/0")).toBe(false);
        expect(isInternet("10.20.30.40/0")).toBe(true);
        expect(isInternet("anywhere/0")).toBe(false);
        expect(isInternet(undefined)).toBe(false);
        expect(isInternet(0)).toBe(false);
    });
});
