/**
 * The TypeScript hook in the processes that preload it: small programs run by Node
 * with `--require typescript-hook.cjs`, each with a cache directory of its own.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const hook = path.join(__dirname, "..", "..", "src", "runtime", "typescript-hook.cjs");

interface Ran {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** Runs a TypeScript file under the hook, with no cache setting inherited from the test's own environment. */
function runTs(file: string, env: Record<string, string>): Promise<Ran> {
    const inherited = { ...process.env };
    for (const name of ["OFFLINE_PLAN_CACHE", "OFFLINE_PLAN_CACHE_DIR", "OFFLINE_PLAN_SOURCE_MAPS", "NODE_COMPILE_CACHE", "NODE_OPTIONS"])
        delete inherited[name];
    return new Promise((resolve) => {
        execFile(process.execPath, ["--require", hook, file], { cwd: path.dirname(file), env: { ...inherited, ...env } }, (err, stdout, stderr) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
        );
    });
}

/** Every file under a directory, relative to it; none when it does not exist. */
function filesUnder(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

let work: string;
let program: string;
let cacheDir: string;
beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "typescript-hook-"));
    program = path.join(work, "program");
    cacheDir = path.join(work, "cache");
    fs.mkdirSync(program);
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(program, name), text);
}

const transpiled = () => filesUnder(path.join(cacheDir, "transpiled"));

test("runs TypeScript with types, an enum and an extensionless relative import", async () => {
    write({
        // An enum is beyond Node's own type stripping: only a transpiler runs it.
        "main.ts": `import { area, type Square } from "./shapes";\nenum Unit { Metre = "m", Foot = "ft" }\nconst s: Square = { side: 3 };\nconsole.log(\`\${area(s)} \${Unit.Metre}2\`);\n`,
        "shapes.ts": `export interface Square { side: number }\nexport function area(s: Square): number { return s.side * s.side; }\n`,
    });
    const ran = await runTs(path.join(program, "main.ts"), { OFFLINE_PLAN_CACHE_DIR: cacheDir });
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toBe("9 m2\n");
    expect(transpiled()).toHaveLength(2);
});

test("a require of ./x.js that does not exist loads x.ts", async () => {
    write({
        "main.ts": `const { answer } = require("./answer.js");\nconsole.log(answer);\n`,
        "answer.ts": `export const answer: number = 42;\n`,
    });
    const ran = await runTs(path.join(program, "main.ts"), { OFFLINE_PLAN_CACHE_DIR: cacheDir });
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toBe("42\n");
});

test("an extensionless import resolves in Node's order, as ts-node under the Pulumi CLI resolves it: a x.json beside x.ts is what loads", async () => {
    write({
        "main.ts": `import * as clouds from "./clouds";\nconsole.log(JSON.stringify(Object.keys(clouds).filter((k) => k !== "default")));\n`,
        "clouds.ts": `export const regions: string[] = ["eu-west-1"];\n`,
        "clouds.json": `{ "table": [] }`,
    });
    const ran = await runTs(path.join(program, "main.ts"), { OFFLINE_PLAN_CACHE_DIR: cacheDir });
    expect(ran.stderr).toBe("");
    // The program that works only where .ts wins (tsx, Jest) fails in the plan as it fails in `pulumi preview`.
    expect(JSON.parse(ran.stdout)).toEqual(["table"]);
});

test("a missing ./x.js, with no x.ts either, is reported under the name the program wrote", async () => {
    write({ "main.ts": `import { answer } from "./missing.js";\nconsole.log(answer);\n` });
    const ran = await runTs(path.join(program, "main.ts"), { OFFLINE_PLAN_CACHE_DIR: cacheDir });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("Cannot find module './missing.js'");
    expect(ran.stderr).not.toContain("missing.ts");
});

test("an edited file runs as edited, and the cache then holds both versions", async () => {
    const main = path.join(program, "main.ts");
    write({ "main.ts": `const word: string = "first";\nconsole.log(word);\n` });
    expect((await runTs(main, { OFFLINE_PLAN_CACHE_DIR: cacheDir })).stdout).toBe("first\n");
    expect(transpiled()).toHaveLength(1);

    write({ "main.ts": `const word: string = "second";\nconsole.log(word);\n` });
    expect((await runTs(main, { OFFLINE_PLAN_CACHE_DIR: cacheDir })).stdout).toBe("second\n");
    expect(transpiled()).toHaveLength(2);
});

test("an unchanged file runs from its cached JavaScript, not transpiled again", async () => {
    const main = path.join(program, "main.ts");
    write({ "main.ts": `console.log("from the source");\n` });
    await runTs(main, { OFFLINE_PLAN_CACHE_DIR: cacheDir });
    const [entry] = transpiled();
    // Only a run that reads the cache can print what the source never says.
    fs.writeFileSync(path.join(cacheDir, "transpiled", entry), `console.log("from the cache");\n`);
    expect((await runTs(main, { OFFLINE_PLAN_CACHE_DIR: cacheDir })).stdout).toBe("from the cache\n");
});

test("compiler options come from the tsconfig.json a program's tsconfig extends, and a change there is not served from the cache", async () => {
    // A legacy decorator receives the member's name; a standard one receives a context object.
    write({
        "main.ts": `function seen(_: unknown, member: unknown) { console.log(typeof member); }\nclass Job { @seen run() {} }\nnew Job();\n`,
        "tsconfig.json": `{\n  // Shared settings live in the base.\n  "extends": "./tsconfig.base.json",\n}\n`,
        "tsconfig.base.json": JSON.stringify({ compilerOptions: { experimentalDecorators: true } }),
    });
    const main = path.join(program, "main.ts");
    expect((await runTs(main, { OFFLINE_PLAN_CACHE_DIR: cacheDir })).stdout).toBe("string\n");

    write({ "tsconfig.base.json": JSON.stringify({ compilerOptions: { experimentalDecorators: false } }) });
    expect((await runTs(main, { OFFLINE_PLAN_CACHE_DIR: cacheDir })).stdout).toBe("object\n");
});

test("with OFFLINE_PLAN_CACHE=off nothing is cached, neither JavaScript nor V8 code", async () => {
    write({ "main.ts": `import { two } from "./two";\nconst n: number = two + 1;\nconsole.log(n);\n`, "two.ts": `export const two = 2;\n` });
    const ran = await runTs(path.join(program, "main.ts"), { OFFLINE_PLAN_CACHE_DIR: cacheDir, OFFLINE_PLAN_CACHE: "off" });
    expect(ran.stdout).toBe("3\n");
    expect(filesUnder(cacheDir)).toEqual([]);
});

test("with the cache on, Node's compile cache keeps V8 code under the same directory", async () => {
    write({ "main.ts": `const n: number = 1;\nconsole.log(n);\n` });
    await runTs(path.join(program, "main.ts"), { OFFLINE_PLAN_CACHE_DIR: cacheDir });
    expect(filesUnder(path.join(cacheDir, "v8")).length).toBeGreaterThan(0);
});

describe("a thrown error's stack", () => {
    // The interface vanishes from the JavaScript, so the throw moves up: line 9 here, not there.
    const failing =
        `interface Shape {\n` +
        `    name: string;\n` +
        `    sides: number;\n` +
        `    colour?: string;\n` +
        `    opaque?: boolean;\n` +
        `}\n` +
        `\n` +
        `function reject(shape: Shape): never {\n` +
        `    throw new Error(\`no \${shape.name}\`);\n` +
        `}\n` +
        `\n` +
        `reject({ name: "square", sides: 4 });\n`;

    test("names the .ts file and its TypeScript line with OFFLINE_PLAN_SOURCE_MAPS=1", async () => {
        write({ "fail.ts": failing });
        const file = path.join(program, "fail.ts");
        const ran = await runTs(file, { OFFLINE_PLAN_CACHE_DIR: cacheDir, OFFLINE_PLAN_SOURCE_MAPS: "1" });
        expect(ran.code).toBe(1);
        expect(ran.stderr).toContain("Error: no square");
        expect(ran.stderr).toContain(`at reject (${file}:9:`);
    });

    test("without source maps the line is the JavaScript's, which is why the plan asks for them", async () => {
        write({ "fail.ts": failing });
        const file = path.join(program, "fail.ts");
        const ran = await runTs(file, { OFFLINE_PLAN_CACHE_DIR: cacheDir });
        expect(ran.stderr).toContain("Error: no square");
        expect(ran.stderr).toContain(`at reject (${file}:`);
        expect(ran.stderr).not.toContain(`${file}:9:`);
    });
});
