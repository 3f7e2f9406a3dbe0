/**
 * The modules test/helpers/deferred-sdk-modules.ts defers in every test file: a
 * stand-in until first used, then the real module's members, so the SDK's closure
 * serializer reads a package as it does without them.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "../..");

/** A module as the SDK requires it: through Jest's registry, with the mocks the set-up files registered. */
// oxlint-disable-next-line typescript/no-require-imports -- an import would name the module statically; the SDK's own require is what is stood in for
const required = (name: string) => require(name) as Record<string, unknown>;

test("each deferred module is a stand-in that hands over the real module's members", () => {
    for (const name of ["@npmcli/arborist", "normalize-package-data"]) {
        const seen = required(name);
        const real = jest.requireActual<Record<string, unknown>>(name);
        expect(seen).not.toBe(real);
        // TypeScript's __importStar hands a namespace marked as an ES module through as it is.
        expect(seen["__esModule"]).toBe(true);
        expect(Object.keys(seen).sort()).toEqual(Object.keys(real).sort());
        for (const key of Object.keys(real)) expect(seen[key]).toBe(real[key]);
    }
    // __importDefault's `default` of a CommonJS module is the module itself.
    expect(required("normalize-package-data").default).toBe(jest.requireActual("normalize-package-data"));
});

test("the SDK's closure serializer finds the same code paths through them as in a plain Node process", async () => {
    const { computeCodePaths } = jest.requireActual<{ computeCodePaths: () => Promise<Map<string, string>> }>("@pulumi/pulumi/runtime/closure/codePaths");
    const inJest = [...(await computeCodePaths()).keys()].sort();
    const script = `require("@pulumi/pulumi/runtime/closure/codePaths").computeCodePaths().then((paths) => console.log(JSON.stringify([...paths.keys()].sort())))`;
    const inNode = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" }));
    expect(inJest.length).toBeGreaterThan(0);
    expect(inJest).toEqual(inNode);
}, 60_000);
