import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packToRun } from "../src/compiled-pack";
import { PolicyPackServer } from "../src/analyzer";

/** The node_modules the plan's own dependencies are installed in. */
const nodeModules = path.resolve(require.resolve("@pulumi/policy/package.json"), "..", "..", "..");

/** A TypeScript pack in a directory of its own that resolves its dependencies from the project's install. */
function writePack(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ts-pack-"));
    fs.symlinkSync(nodeModules, path.join(dir, "node_modules"));
    const all: Record<string, string> = {
        "package.json": JSON.stringify({ name: "ts-pack", version: "1.2.3", main: "index.ts" }),
        "PulumiPolicy.yaml": "runtime: nodejs\n",
        "tsconfig.json": JSON.stringify({
            compilerOptions: {
                strict: true,
                module: "node16",
                moduleResolution: "node16",
                target: "ES2022",
                skipLibCheck: true,
                resolveJsonModule: true,
                esModuleInterop: true,
            },
        }),
        // Copies are shared by content: a file no other pack has keeps this one's copy its own.
        "README.md": `A pack written to ${dir}.\n`,
        ...files,
    };
    for (const [name, text] of Object.entries(all)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

const pack = (description: string) => ({
    "index.ts": `import { PolicyPack } from "@pulumi/policy";\nimport { rule } from "./rules/owner";\nnew PolicyPack("ts-pack", { policies: [rule] });\n`,
    "rules/owner.ts":
        `import type { ResourceValidationPolicy } from "@pulumi/policy";\n` +
        `import limits from "./limits.json";\n` +
        `export const rule: ResourceValidationPolicy = {\n` +
        `    name: "owner-tag", description: ${JSON.stringify(description)}, enforcementLevel: "mandatory",\n` +
        `    validateResource: (args, report) => { if (Object.keys(args.props.tags ?? {}).length > limits.tags) report("too many tags"); },\n` +
        `};\n`,
    "rules/limits.json": `{ "tags": 50 }`,
});

describe("a TypeScript policy pack run from its compiled copy", () => {
    const dirs: string[] = [];
    afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("is checked and compiled once, then reused until a source changes, and serves the same policies", async () => {
        const dir = writePack({ ...pack("Resources carry an owner tag."), "index.test.ts": "this is not even TypeScript" });
        dirs.push(dir);
        const first = await packToRun(dir);
        expect(first.from).toBe("built");
        dirs.push(first.dir);
        expect(fs.existsSync(path.join(first.dir, "rules", "owner.js"))).toBe(true);
        expect(fs.existsSync(path.join(first.dir, "rules", "limits.json"))).toBe(true);
        expect(fs.existsSync(path.join(first.dir, "index.test.js"))).toBe(false);
        expect(JSON.parse(fs.readFileSync(path.join(first.dir, "package.json"), "utf8"))).toMatchObject({
            name: "ts-pack",
            version: "1.2.3",
            main: "index.js",
        });
        expect(await packToRun(dir)).toEqual({ dir: first.dir, from: "cache" });

        const server = await PolicyPackServer.start(first.dir);
        try {
            const info = await server.getAnalyzerInfo();
            expect(info.name).toBe("ts-pack");
            expect(info.policies.map((p) => [p.name, p.description])).toEqual([["owner-tag", "Resources carry an owner tag."]]);
        } finally {
            await server.stop();
        }

        fs.writeFileSync(path.join(dir, "rules", "owner.ts"), pack("Every resource names its owner.")["rules/owner.ts"]);
        // Two starts in one process that find the change at once share one build (the same answer, not an equal one);
        // the copy the first build made stays in place for the packs still running it.
        const [rebuilt, alongside] = await Promise.all([packToRun(dir), packToRun(dir)]);
        dirs.push(rebuilt.dir);
        expect(rebuilt.from).toBe("built");
        expect(alongside).toBe(rebuilt);
        expect(rebuilt.dir).not.toBe(first.dir);
        expect(fs.existsSync(path.join(first.dir, "index.js"))).toBe(true);
        expect(fs.readFileSync(path.join(rebuilt.dir, "rules", "owner.js"), "utf8")).toContain("Every resource names its owner.");
    });

    it("a copy of the same pack in another directory (another clone, a CI checkout) runs the copy already built", async () => {
        const dir = writePack(pack("Shared by clones."));
        const clone = fs.mkdtempSync(path.join(os.tmpdir(), "ts-pack-clone-"));
        fs.cpSync(dir, clone, { recursive: true, verbatimSymlinks: true });
        dirs.push(dir, clone);
        const first = await packToRun(dir);
        dirs.push(first.dir);
        expect(first.from).toBe("built");
        const old = new Date(Date.now() - 3 * 24 * 3600 * 1000);
        fs.utimesSync(first.dir, old, old);
        expect(await packToRun(clone)).toEqual({ dir: first.dir, from: "cache" });
        // Its use counts as recent: a copy in use is not removed as stale.
        expect(fs.statSync(first.dir).mtimeMs).toBeGreaterThan(old.getTime());
    });

    it("starts from its copy without the TypeScript compiler, which the runner registers for every pack and the copy never calls", async () => {
        // The pack reports the modules loaded when it loads: a compiler, and the policy SDK that shows the probe reads them.
        const probe =
            `import { PolicyPack } from "@pulumi/policy";\n` +
            `const loaded = (pattern: RegExp) => Object.keys(require.cache).filter((file) => pattern.test(file)).length;\n` +
            `const compilers = loaded(/[\\\\/]node_modules[\\\\/](typescript|ts-node)[\\\\/]/);\n` +
            `const policySdk = loaded(/[\\\\/]node_modules[\\\\/]@pulumi[\\\\/]policy[\\\\/]/);\n` +
            `new PolicyPack("ts-pack", { policies: [{ name: "loaded", description: "compilers " + compilers + ", policy SDK " + (policySdk > 0), enforcementLevel: "advisory", validateResource: () => undefined }] });\n`;
        const dir = writePack({ "index.ts": probe });
        dirs.push(dir);
        const copy = await packToRun(dir);
        dirs.push(copy.dir);
        expect(copy.from).toBe("built");
        const server = await PolicyPackServer.start(dir);
        try {
            const info = await server.getAnalyzerInfo();
            expect(info.policies.map((p) => p.description)).toEqual(["compilers 0, policy SDK true"]);
        } finally {
            await server.stop();
        }
    });

    it("runs as written when it does not type-check, so the CLI's own error is what the user reads", async () => {
        const dir = writePack(pack("x"));
        dirs.push(dir);
        const checked = await packToRun(dir);
        dirs.push(checked.dir);
        expect(checked.from).toBe("built");
        // Checked again after the change: the edited file is read anew, not taken from the first check.
        fs.writeFileSync(
            path.join(dir, "index.ts"),
            `import { PolicyPack } from "@pulumi/policy";\nconst count: number = "three";\nnew PolicyPack("ts-pack", { policies: [] });\n`,
        );
        expect(await packToRun(dir)).toEqual({ dir, from: "source" });
        await expect(PolicyPackServer.start(dir)).rejects.toThrow(/TS2322|not assignable to type 'number'/);
    });

    it("runs as written when it is JavaScript, an ES module, or imports modules from outside its directory", async () => {
        const js = writePack({ "package.json": JSON.stringify({ name: "js", version: "1.0.0", main: "index.js" }), "index.js": "" });
        const esm = writePack({ ...pack("x"), "package.json": JSON.stringify({ name: "esm", version: "1.0.0", type: "module", main: "index.ts" }) });
        const outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-"));
        fs.writeFileSync(path.join(outsideDir, "shared.ts"), "export const limit = 3;\n");
        const outside = writePack({
            ...pack("x"),
            "index.ts": `import { PolicyPack } from "@pulumi/policy";\nimport { limit } from ${JSON.stringify(path.join(outsideDir, "shared"))};\nnew PolicyPack("p", { policies: [] });\nexport { limit };\n`,
        });
        dirs.push(js, esm, outside, outsideDir);
        expect((await packToRun(js)).from).toBe("source");
        expect((await packToRun(esm)).from).toBe("source");
        expect((await packToRun(outside)).from).toBe("source");
    });
});
