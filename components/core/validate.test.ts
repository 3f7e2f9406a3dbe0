import { ConfigError } from "./errors";
import { countOrderFault, validateCounts } from "./validate";

describe("min <= desired <= max, the one rule of every group's counts", () => {
    test("holds: no fault", () => {
        expect(countOrderFault({ min: ["minSize", 1], desired: ["desiredSize", 2], max: ["maxSize", 3] })).toBeUndefined();
        expect(countOrderFault({ min: ["minNodes", 2], max: ["maxNodes", 2] })).toBeUndefined();
    });

    test("a minimum above the maximum is the minimum's fault, before the desired count is looked at", () => {
        expect(countOrderFault({ min: ["minSize", 4], desired: ["desiredSize", 9], max: ["maxSize", 3] })).toEqual({
            key: "minSize",
            value: 4,
            fix: "must not be above `maxSize` (3)",
        });
    });

    test("a desired count outside the range names both ends, in the caller's words for the keys", () => {
        expect(countOrderFault({ min: ["w.min", 2], desired: ["w.desired", 1], max: ["w.max", 3] }, (k) => `multicloud:${k}`)).toEqual({
            key: "w.desired",
            value: 1,
            fix: "must lie between multicloud:w.min (2) and multicloud:w.max (3)",
        });
    });

    test("validateCounts checks whole numbers at the least each count may be, then the order, as a ConfigError naming the component", () => {
        expect(() => validateCounts("Pool", { min: ["minNodes", 0], max: ["maxNodes", 0] }, { max: 1 })).toThrow(
            new ConfigError("Pool: `maxNodes` must be a whole number >= 1, got 0."),
        );
        expect(() => validateCounts("Pool", { min: ["minNodes", 1.5], max: ["maxNodes", 2] })).toThrow(
            "Pool: `minNodes` must be a whole number >= 0, got 1.5.",
        );
        expect(() => validateCounts("Pool", { min: ["minNodes", 3], max: ["maxNodes", 2] })).toThrow("Pool: `minNodes` (3) must not be above `maxNodes` (2).");
    });
});
