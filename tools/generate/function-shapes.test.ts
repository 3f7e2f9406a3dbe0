/**
 * The committed function shapes must match the installed SDKs. Regenerating all
 * four (`npm run generate:functions -- --check`) type-checks some 30 MB of
 * declarations, so the test compares what decides the data cheaply (each SDK's
 * version and its invoke tokens) and regenerates a sample in full.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { invokeSites, providers, readProvider } from "./function-shapes";
import { providerShapes, shapesFile, type Shape } from "pulumi-offline-plan/function-shapes";

const installedVersion = (provider: string) =>
    JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve(`@pulumi/${provider}/package.json`)), "package.json"), "utf8")).version;

const regenerate = "Run `npm run generate:functions` and commit packages/plan/src/data-sources/shapes/.";

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

    it("is written as the formatter prints it, one function a line where it fits", () => {
        const root = path.resolve(__dirname, "../..");
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "shapes-"));
        try {
            // The formatter is an ES module, which Jest's CommonJS runtime cannot load: the generator runs as people run it.
            const generator = spawnSync(
                process.execPath,
                ["--require", "pulumi-offline-plan/register", "tools/generate/function-shapes.ts", "--out", out, "kubernetes"],
                {
                    cwd: root,
                    encoding: "utf8",
                },
            );
            expect({ status: generator.status, stderr: generator.stderr }).toEqual({ status: 0, stderr: "" });
            const text = fs.readFileSync(path.join(out, "kubernetes.json"), "utf8");

            expect(JSON.parse(text)).toEqual(JSON.parse(fs.readFileSync(shapesFile("kubernetes"), "utf8")));
            expect(text).toContain('\n    "kubernetes:helm:template": { "result": null },\n');
            // Given to the formatter's CLI as a JSON file of this repository: it leaves a file its ignore patterns name as it is.
            const formatter = path.join(path.dirname(require.resolve("oxfmt/package.json")), "bin", "oxfmt");
            const reformatted = spawnSync(process.execPath, [formatter, "--stdin-filepath", "tools/generate/kubernetes.json"], {
                cwd: root,
                input: text,
                encoding: "utf8",
            });
            expect({ status: reformatted.status, text: reformatted.stdout }).toEqual({ status: 0, text });
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    }, 60_000);
});
