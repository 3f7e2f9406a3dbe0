/**
 * The compile cache preloaded into policy packs: a pack ends by a signal, and its
 * V8 code must reach the cache all the same.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const preload = path.join(__dirname, "..", "..", "src", "runtime", "compile-cache.cjs");

let work: string;
let cacheDir: string;
beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "compile-cache-"));
    cacheDir = path.join(work, "cache");
    // A stand-in for a pack: loads a module, says so, then serves until stopped.
    fs.writeFileSync(path.join(work, "rules.js"), `exports.rules = ["owner-tag", "encrypted"];\n`);
    fs.writeFileSync(
        path.join(work, "pack.js"),
        `const { rules } = require("./rules");\nconsole.log(\`serving \${rules.length} rules\`);\nsetInterval(() => {}, 60_000);\n`,
    );
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

/** Starts the pack with these Node options and environment, waits until it serves, stops it with the signal. */
async function serveThenStop(
    execArgv: string[],
    env: Record<string, string>,
    signal: NodeJS.Signals = "SIGTERM",
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const inherited = { ...process.env };
    for (const name of ["OFFLINE_PLAN_CACHE", "OFFLINE_PLAN_CACHE_DIR", "NODE_COMPILE_CACHE", "NODE_OPTIONS"]) delete inherited[name];
    const child = spawn(process.execPath, [...execArgv, path.join(work, "pack.js")], {
        cwd: work,
        env: { ...inherited, ...env },
        stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (d) => String(d).includes("serving") && resolve());
        child.once("exit", () => reject(new Error("the pack ended before it served")));
    });
    child.kill(signal);
    return exited;
}

const v8Files = () => {
    const dir = path.join(cacheDir, "v8");
    return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()) : [];
};

test.each(["SIGTERM", "SIGINT"] as const)("a pack stopped by %s writes its V8 code, and still ends by that signal", async (signal) => {
    const ended = await serveThenStop(["--require", preload], { OFFLINE_PLAN_CACHE_DIR: cacheDir }, signal);
    expect(ended).toEqual({ code: null, signal });
    expect(v8Files().length).toBeGreaterThan(0);
});

test("without the preload, Node's compile cache writes nothing for a process ended by a signal", async () => {
    const ended = await serveThenStop([], { NODE_COMPILE_CACHE: path.join(cacheDir, "v8") });
    expect(ended).toEqual({ code: null, signal: "SIGTERM" });
    // The cache was on: Node made its directory when the process started.
    expect(fs.existsSync(path.join(cacheDir, "v8"))).toBe(true);
    expect(v8Files()).toEqual([]);
});

test("with OFFLINE_PLAN_CACHE=off the preload caches nothing and the signal ends the pack", async () => {
    const ended = await serveThenStop(["--require", preload], { OFFLINE_PLAN_CACHE_DIR: cacheDir, OFFLINE_PLAN_CACHE: "off" });
    expect(ended).toEqual({ code: null, signal: "SIGTERM" });
    expect(fs.existsSync(cacheDir)).toBe(false);
});
