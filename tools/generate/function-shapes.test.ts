/**
 * The committed function shapes must match the installed SDKs. Regenerating all
 * four (`npm run generate:functions -- --check`) type-checks some 30 MB of
 * declarations, so the test compares what decides the data cheaply (each SDK's
 * version and its invoke tokens) and regenerates a sample in full.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { invokeSites, providers, readProvider, serialize } from "./function-shapes";
import { providerShapes, type Shape } from "../plan/data-sources/shapes";

const installedVersion = (provider: string) =>
    JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve(`@pulumi/${provider}/package.json`)), "package.json"), "utf8")).version;

const regenerate = "Run `npm run generate:functions` and commit tools/plan/data-sources/shapes/.";

describe.each(providers)("committed shapes of @pulumi/%s", (provider) => {
    const committed = providerShapes(provider);

    it("were generated from the installed version", () => {
        expect({ version: committed.version, hint: regenerate }).toEqual({ version: installedVersion(provider), hint: regenerate });
    });

    it("hold exactly the SDK's invoke tokens", () => {
        const tokens = invokeSites(provider).map((site) => site.token);
        expect(Object.keys(committed.functions)).toEqual(tokens);
    });
});

/** Named types a shape refers to, transitively. */
function referencedTypes(shape: Shape | null, types: Record<string, Shape>, seen = new Set<string>()): Set<string> {
    if (shape === null) return seen;
    if (typeof shape === "string") {
        if (shape.startsWith("@") && !seen.has(shape.slice(1))) {
            seen.add(shape.slice(1));
            referencedTypes(types[shape.slice(1)], types, seen);
        }
        return seen;
    }
    for (const inner of Array.isArray(shape) ? shape : Object.values(shape)) referencedTypes(inner, types, seen);
    return seen;
}

describe("a sample regenerated in full", () => {
    // Nested named types, lists of objects, optional and numeric properties.
    const sample = ["alicloud:ecs/getInstanceTypes:getInstanceTypes", "alicloud:vpc/getNatGateways:getNatGateways"];

    it("matches the committed functions and the types they use", () => {
        const fresh = readProvider("alicloud", sample);
        const committed = providerShapes("alicloud");
        for (const token of sample) {
            expect(fresh.functions[token]).toEqual(committed.functions[token]);
            for (const name of referencedTypes(fresh.functions[token].result, fresh.types)) {
                expect([name, fresh.types[name]]).toEqual([name, committed.types[name]]);
            }
        }
        expect(referencedTypes(committed.functions[sample[0]].result, committed.types).size).toBeGreaterThan(2);
    });

    it("is written one function per line", () => {
        const text = serialize(readProvider("kubernetes"));
        expect(text).toBe(fs.readFileSync(path.join(__dirname, "..", "plan", "data-sources", "shapes", "kubernetes.json"), "utf8"));
        expect(text).toContain('\n    "kubernetes:helm:template": {"result":null},\n');
    });
});
