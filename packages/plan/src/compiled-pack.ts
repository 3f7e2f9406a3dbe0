/**
 * A TypeScript policy pack, type-checked once and run from JavaScript until its
 * sources change.
 *
 * `run-policy-pack` type-checks a TypeScript pack with ts-node at every start, as
 * under the Pulumi CLI: most of a pack's start-up. The plan checks the pack with the
 * same compiler once and, when it passes, writes a copy of the pack with every
 * module transpiled to JavaScript, which `run-policy-pack` then loads with nothing
 * to check. The copy lives beside the pack's dependencies (so it resolves them as
 * the pack does), keyed by the content of every file of the pack, its compiler
 * settings and the versions of Node, the compiler and the SDKs: any change builds
 * it again. The key holds no path: the same pack in another clone or worktree
 * that shares those dependencies (a CI checkout, a project copy) runs the same copy. A pack with type errors is not copied: it runs from its sources, so
 * ts-node reports the errors exactly as the CLI would.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import * as esbuild from "esbuild";
import type { CompilerHost, CompilerOptions, SourceFile } from "typescript";

export interface PackToRun {
    /** The directory to start `run-policy-pack` in. */
    dir: string;
    /** "cache": a bundle built before; "built": checked and bundled now; "source": run as written. */
    from: "cache" | "built" | "source";
}

const sha = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

/** What this reads of a package.json; the copy written for a bundle keeps every other field too. */
interface PackageJson {
    main?: string;
    version?: string;
    type?: string;
    [field: string]: unknown;
}

function readPackageJson(file: string): PackageJson {
    return JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;
}

/** The pack's entry module, as Node resolves `main` from its package.json. */
function entryOf(packDir: string): string | undefined {
    const { main } = readPackageJson(path.join(packDir, "package.json"));
    const candidates = main ? [main, `${main}.ts`, path.join(main, "index.ts")] : ["index.ts", "index.js"];
    return candidates.map((c) => path.resolve(packDir, c)).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

function versionOf(pkg: string, from: string): string {
    try {
        return readPackageJson(require.resolve(`${pkg}/package.json`, { paths: [from] })).version ?? "none";
    } catch {
        return "none";
    }
}

/** Settings that change what the bundle would be: compiler options, SDK versions, Node's. */
function settingsKey(packDir: string): string {
    const tsconfig = path.join(packDir, "tsconfig.json");
    return sha(
        JSON.stringify({
            tsconfig: fs.existsSync(tsconfig) ? fs.readFileSync(tsconfig, "utf8") : null,
            typescript: versionOf("typescript", packDir),
            policy: versionOf("@pulumi/policy", packDir),
            pulumi: versionOf("@pulumi/pulumi", packDir),
            node: process.versions.node,
            format: 1,
        }),
    );
}

/** Beside the pack's dependencies, so the bundle resolves them as the pack does. */
function cacheDirOf(packDir: string): string | undefined {
    try {
        const policyPkg = require.resolve("@pulumi/policy/package.json", { paths: [packDir] });
        const nodeModules = policyPkg.slice(0, policyPkg.lastIndexOf(`${path.sep}node_modules${path.sep}`) + "/node_modules".length);
        return path.join(nodeModules, ".cache", "offline-plan", "packs");
    } catch {
        return undefined;
    }
}

/** The pack's own compiler (its version may differ from the plan's). */
type TypeScript = typeof import("typescript");

/**
 * What the checks in this process have parsed, by compiler, options and file: a pack
 * checked again (a pack changed under --watch, two plans that find a change at once)
 * parses only the files whose text changed, not the SDKs' declarations again (a small
 * pack: 1.4 s to 0.15 s). A file is reused only while its text is the same.
 */
const parsed = new WeakMap<TypeScript, Map<string, Map<string, SourceFile>>>();

function parsingHost(ts: TypeScript, options: CompilerOptions): CompilerHost {
    const host = ts.createCompilerHost(options);
    const byOptions = parsed.get(ts) ?? new Map<string, Map<string, SourceFile>>();
    parsed.set(ts, byOptions);
    const optionsKey = JSON.stringify(options);
    const files = byOptions.get(optionsKey) ?? new Map<string, SourceFile>();
    byOptions.set(optionsKey, files);
    const parse = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
        // A module's format (ES module or CommonJS) is part of how it parses.
        const how = typeof languageVersionOrOptions === "object" ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
        const key = `${fileName}\0${how.languageVersion}\0${how.impliedNodeFormat}`;
        const known = files.get(key);
        if (known && !shouldCreateNewSourceFile && known.text === host.readFile(fileName)) return known;
        const file = parse(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
        if (file) files.set(key, file);
        return file;
    };
    return host;
}

/** The compiler's verdict on the pack, with the options `run-policy-pack` gives ts-node, and the pack's modules from outside its directory. */
function typeCheck(packDir: string, entry: string): { errors: string[]; outside: string[] } {
    // The compiler the pack itself would be checked with, as ts-node finds it from the pack.
    const ts = createRequire(path.join(packDir, "package.json"))("typescript") as TypeScript;
    const tsconfig = path.join(packDir, "tsconfig.json");
    const fromConfig = fs.existsSync(tsconfig)
        ? (ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })?.options ?? {})
        : {};
    const options: CompilerOptions = {
        target: ts.ScriptTarget.ES2020,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        ...fromConfig,
        noEmit: true,
    };
    const program = ts.createProgram([entry], options, parsingHost(ts, options));
    // ts-node leaves out the same three: files outside rootDir/include, and empty input.
    const ignored = new Set([6059, 18002, 18003]);
    const errors = ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.category === ts.DiagnosticCategory.Error && !ignored.has(d.code))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    const inside = path.resolve(packDir) + path.sep;
    const outside = program
        .getSourceFiles()
        .map((f) => path.resolve(f.fileName))
        .filter(
            (f) => !f.includes(`${path.sep}node_modules${path.sep}`) && !f.startsWith(inside) && !program.isSourceFileDefaultLibrary(program.getSourceFile(f)!),
        );
    return { errors, outside };
}

/** Copies no plan has used for a day (older sources, packs gone): long enough for any plan still running one. */
function removeStaleCopies(packCache: string, current: string): void {
    const dayAgo = Date.now() - 24 * 3600 * 1000;
    for (const entry of fs.readdirSync(packCache)) {
        const dir = path.join(packCache, entry);
        if (dir !== current && fs.statSync(dir).mtimeMs < dayAgo) fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Every file of the pack but its dependencies and tests, in a stable order: what the copy is built from. */
function packFiles(packDir: string): string[] {
    const found: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            if (entry.name === "node_modules" || entry.name.startsWith(".") || /\.test\.[jt]s$/.test(entry.name)) continue;
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(file);
            else if (entry.isFile()) found.push(file);
        }
    };
    walk(packDir);
    return found;
}

/** Where to start the pack: its compiled copy when its sources are unchanged, else compiled now, else as written. */
export async function packToRun(packDir: string): Promise<PackToRun> {
    const source: PackToRun = { dir: packDir, from: "source" };
    if (process.env.OFFLINE_PLAN_PACK_CACHE === "off") return source;
    const entry = entryOf(packDir);
    const packCache = cacheDirOf(packDir);
    const isModule = readPackageJson(path.join(packDir, "package.json")).type === "module";
    if (!entry || !entry.endsWith(".ts") || !packCache || isModule) return source;

    const files = packFiles(packDir);
    const hash = createHash("sha256").update(settingsKey(packDir));
    for (const file of files) hash.update(path.relative(packDir, file)).update("\0").update(fs.readFileSync(file)).update("\0");
    const key = hash.digest("hex");
    // One directory per content: a copy in use by a running pack is never rewritten under it.
    const cacheDir = path.join(packCache, key.slice(0, 16));
    if (fs.existsSync(path.join(cacheDir, ".complete"))) {
        // Marked as used: copies are removed a day after their last use, not their build.
        const now = new Date();
        fs.utimesSync(cacheDir, now, now);
        return { dir: cacheDir, from: "cache" };
    }

    // Starts that find the same change at once in one process (several servers of one pack) share one build.
    const buildKey = `${key}\0${path.resolve(packDir)}`;
    const inFlight = building.get(buildKey);
    if (inFlight) return inFlight;
    const build = buildCopy(packDir, entry, files, key, cacheDir, packCache);
    building.set(buildKey, build);
    try {
        return await build;
    } finally {
        building.delete(buildKey);
    }
}

/** Builds in progress in this process, by content key and pack directory. */
const building = new Map<string, Promise<PackToRun>>();

/** Type-checks the pack and writes its compiled copy to `cacheDir`; a pack that fails the check, or reaches outside its directory, runs as written. */
async function buildCopy(packDir: string, entry: string, files: string[], key: string, cacheDir: string, packCache: string): Promise<PackToRun> {
    const source: PackToRun = { dir: packDir, from: "source" };
    const checked = typeCheck(packDir, entry);
    // A pack that imports modules from outside its directory runs as written: a copy would lose them.
    if (checked.errors.length > 0 || checked.outside.length > 0) return source;

    const target = `node${process.versions.node.split(".")[0]}`;
    // Written to a fresh directory, then swapped in whole, so a concurrent plan never sees half a copy.
    const staging = `${cacheDir}.${process.pid}.${Date.now()}`;
    for (const file of files) {
        const relative = path.relative(packDir, file);
        fs.mkdirSync(path.dirname(path.join(staging, relative)), { recursive: true });
        if (file.endsWith(".ts") && !file.endsWith(".d.ts")) {
            const { code } = await esbuild.transform(fs.readFileSync(file, "utf8"), {
                loader: "ts",
                format: "cjs",
                platform: "node",
                target,
                sourcemap: "inline",
                sourcefile: file,
            });
            fs.writeFileSync(path.join(staging, relative.replace(/\.ts$/, ".js")), code);
        } else if (path.basename(file) !== "tsconfig.json") {
            fs.copyFileSync(file, path.join(staging, relative));
        }
    }
    const pkg = readPackageJson(path.join(packDir, "package.json"));
    const main = path.relative(packDir, entry).replace(/\.ts$/, ".js");
    fs.writeFileSync(path.join(staging, "package.json"), JSON.stringify({ ...pkg, main }, null, 2));
    fs.writeFileSync(path.join(staging, ".complete"), key);
    try {
        fs.renameSync(staging, cacheDir);
    } catch {
        // Another plan published the same copy first.
        fs.rmSync(staging, { recursive: true, force: true });
    }
    removeStaleCopies(packCache, cacheDir);
    return { dir: cacheDir, from: "built" };
}
