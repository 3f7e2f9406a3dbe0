/**
 * The pack publishes and compiles on its own: `pulumi policy publish` uploads
 * policies/ alone and Pulumi Cloud installs policies/package.json's dependencies,
 * so every package the pack's code names (at run time or only for its types) must
 * be a dependency there, at the root's pin, and the pack must type-check with its
 * own tsconfig and nothing but those packages.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { PolicyPackServer } from "pulumi-offline-plan";
import { packageOf, specifiersOf } from "../test/helpers/module-specifiers";

const packDir = __dirname;
const root = path.resolve(packDir, "..");
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));
const pack = readJson(path.join(packDir, "package.json"));
const rootPackage = readJson(path.join(root, "package.json"));
const rootPins: Record<string, string> = { ...rootPackage.devDependencies, ...rootPackage.dependencies };
const declared: Record<string, string> = pack.dependencies ?? {};
/** The nodejs runtime compiles a TypeScript pack with these, from the pack's own install. */
const runtimeNeeds = ["typescript", "ts-node"];

function packSources(dir = packDir): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === "node_modules" ? [] : packSources(full);
        return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
    });
}

const sources = packSources();
const imported = new Map<string, string[]>();
for (const file of sources) {
    for (const spec of specifiersOf(file)) {
        const pkg = packageOf(spec);
        if (pkg) imported.set(pkg, [...(imported.get(pkg) ?? []), path.relative(packDir, file)]);
    }
}
const tsconfig = ts.readConfigFile(path.join(packDir, "tsconfig.json"), (file) => ts.sys.readFile(file)).config;
/** Type packages the tsconfig loads by name (`types: ["node"]`). */
const typePackages: string[] = (tsconfig.compilerOptions?.types ?? []).map((t: string) => `@types/${t}`);

test("the pack's code is read: its entry and the provider SDKs it names only for their types are among the imports", () => {
    expect(sources.map((f) => path.relative(packDir, f))).toContain("index.ts");
    expect([...imported.keys()].sort()).toEqual([
        "@pulumi/alicloud",
        "@pulumi/aws",
        "@pulumi/gcp",
        "@pulumi/kubernetes",
        "@pulumi/policy",
        "@pulumi/pulumi",
        "ip-address",
    ]);
});

test("every package the pack imports, its tsconfig loads and its runtime needs is a dependency of policies/package.json", () => {
    const needed = [...imported.keys(), ...typePackages, ...runtimeNeeds];
    const missing = needed.filter((pkg) => !(pkg in declared)).map((pkg) => `${pkg} (${imported.get(pkg)?.join(", ") ?? "tsconfig or runtime"})`);
    expect(missing).toEqual([]);
    expect(pack.peerDependencies).toBeUndefined();
});

test("each at exactly the version the root package.json pins, and nothing the pack does not need", () => {
    const differing = Object.entries(declared)
        .filter(([pkg, version]) => rootPins[pkg] !== version)
        .map(([pkg, version]) => `${pkg}: ${version}, root pins ${rootPins[pkg] ?? "nothing"}`);
    expect(differing).toEqual([]);
    const needed = new Set([...imported.keys(), ...typePackages, ...runtimeNeeds]);
    expect(Object.keys(declared).filter((pkg) => !needed.has(pkg))).toEqual([]);
});

/** policies/ alone, with only its declared dependencies installed, as Pulumi Cloud installs a published pack. */
let copy: string;
beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-"));
    fs.cpSync(packDir, copy, { recursive: true, filter: (src) => !src.split(path.sep).includes("node_modules") });
    // Packages as an install of policies/package.json would place them; their own dependencies resolve where they really live.
    for (const pkg of Object.keys(declared)) {
        const target = path.join(copy, "node_modules", pkg);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.symlinkSync(path.join(root, "node_modules", pkg), target, "dir");
    }
});
afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

test("with only its declared dependencies, the pack type-checks and starts from its sources as the CLI starts it (ts-node, Node's module resolution)", async () => {
    // The plan runs a compiled copy; off, it starts `run-policy-pack` on the sources, as `pulumi preview --policy-pack` does:
    // ts-node type-checks every module the pack loads with the pack's own tsconfig, and a type error stops the start.
    const before = process.env.OFFLINE_PLAN_PACK_CACHE;
    process.env.OFFLINE_PLAN_PACK_CACHE = "off";
    let fromSources: PolicyPackServer | undefined;
    let compiled: PolicyPackServer | undefined;
    try {
        fromSources = await PolicyPackServer.start(copy);
        const info = await fromSources.getAnalyzerInfo();
        if (before === undefined) delete process.env.OFFLINE_PLAN_PACK_CACHE;
        else process.env.OFFLINE_PLAN_PACK_CACHE = before;
        // The same pack and policies as the compiled copy every plan runs.
        compiled = await PolicyPackServer.start(packDir);
        const expected = await compiled.getAnalyzerInfo();
        expect(info.name).toBe("multicloud");
        expect(info.policies.map((p) => p.name)).toEqual(expected.policies.map((p) => p.name));
        expect(info.policies.length).toBeGreaterThan(50);
    } finally {
        if (before === undefined) delete process.env.OFFLINE_PLAN_PACK_CACHE;
        else process.env.OFFLINE_PLAN_PACK_CACHE = before;
        await fromSources?.stop();
        await compiled?.stop();
    }
}, 180_000);
