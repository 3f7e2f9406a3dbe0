/**
 * The modules the runner and the packs defer: not loaded with the SDK, and the same
 * module, with the same results, once a path of the SDK uses them.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { cacheDir } from "../../src/runtime/cache-dir.cjs";

const preload = path.join(__dirname, "..", "..", "src", "runtime", "deferred-modules.cjs");
const deferred = ["@npmcli/arborist", "normalize-package-data", "execa", "js-yaml", "typescript"];
const tracingSdk = ["@opentelemetry/exporter-zipkin", "@opentelemetry/instrumentation-grpc", "@opentelemetry/sdk-trace-base", "@opentelemetry/sdk-trace-node"];

/**
 * Runs a script in a fresh Node, with or without the preload, and returns what it printed as JSON.
 * Node keeps the V8 code of what it compiles where the plan keeps its own: loading the SDK is the
 * same work every time, and what a script finds loaded does not depend on it.
 */
async function run(script: string, withPreload: boolean): Promise<any> {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_COMPILE_CACHE: path.join(cacheDir(), "v8") };
    delete env.NODE_OPTIONS;
    const args = [...(withPreload ? ["--require", preload] : []), "-e", script];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: path.join(__dirname, "..", ".."), env, encoding: "utf8" });
    return JSON.parse(stdout);
}

/** The script run with the preload and without it, side by side. */
const withAndWithout = (script: string) => Promise.all([run(script, true), run(script, false)]);

/** Which of the deferred packages a process has loaded. */
const loadedPackages = `Object.keys(require.cache).flatMap((f) => ${JSON.stringify(deferred)}.filter((p) => f.includes("/node_modules/" + p + "/")))`;

test("loading @pulumi/pulumi loads none of the deferred modules; without the preload it loads all of them", async () => {
    const script = `require("@pulumi/pulumi"); console.log(JSON.stringify([...new Set(${loadedPackages})].sort()))`;
    const [deferredRun, plainRun] = await withAndWithout(script);
    expect(deferredRun).toEqual([]);
    expect(plainRun).toEqual([...deferred].sort());
});

test("the closure serializer's code paths are the same through the deferred modules, which load at first use", async () => {
    const script = `
        const { computeCodePaths } = require("@pulumi/pulumi/runtime/closure/codePaths");
        computeCodePaths().then((paths) => console.log(JSON.stringify({ paths: [...paths.keys()].sort(), loaded: [...new Set(${loadedPackages})].sort() })));
    `;
    const [deferredRun, plainRun] = await withAndWithout(script);
    expect(deferredRun.paths.length).toBeGreaterThan(0);
    expect(deferredRun.paths).toEqual(plainRun.paths);
    expect(deferredRun.loaded).toEqual(["@npmcli/arborist", "normalize-package-data"]);
});

test("a function serialized into a resource is the same text through the deferred TypeScript parser", async () => {
    const script = `
        const pulumi = require("@pulumi/pulumi");
        const before = Object.keys(require.cache).some((f) => f.includes("/node_modules/typescript/"));
        const limit = 3;
        pulumi.runtime.serializeFunction(function handler(event) { return { ...event, limited: event.count > limit }; })
            .then((s) => console.log(JSON.stringify({ before, text: s.text, exportName: s.exportName })));
    `;
    const [deferredRun, plainRun] = await withAndWithout(script);
    expect(deferredRun.before).toBe(false);
    expect(deferredRun.text).toContain("limited: event.count > limit");
    expect({ ...deferredRun, before: undefined }).toEqual({ ...plainRun, before: undefined });
});

test("the language host's tracing loads the OpenTelemetry SDK only when tracing starts, and then works as before", async () => {
    const script = `
        const loaded = () => ${JSON.stringify(tracingSdk)}.filter((p) => Object.keys(require.cache).some((f) => f.includes("/node_modules/" + p + "/")));
        const tracing = require("@pulumi/pulumi/cmd/run/tracing.js");
        const atLoad = loaded();
        tracing.newSpan("before-start").end();
        const afterSpan = loaded();
        tracing.start("http://127.0.0.1:9/api/v2/spans");
        const span = tracing.newSpan("after-start");
        const recording = span.isRecording();
        span.end();
        console.log(JSON.stringify({ atLoad, afterSpan, afterStart: loaded(), recording }));
        process.exit(0);
    `;
    const [deferredRun, plainRun] = await withAndWithout(script);
    expect(deferredRun).toEqual({ atLoad: [], afterSpan: [], afterStart: tracingSdk, recording: true });
    expect(plainRun).toEqual({ atLoad: tracingSdk, afterSpan: tracingSdk, afterStart: tracingSdk, recording: true });
});

test("a default import of a deferred CommonJS module is the module itself, as TypeScript's helper gives it", async () => {
    const script = `
        const Module = require("node:module");
        const sdkFile = require.resolve("@pulumi/pulumi/automation/cmd.js");
        const fromSdk = Module.createRequire(sdkFile);
        const standIn = fromSdk("execa");
        const real = require("execa");
        console.log(JSON.stringify({
            esModule: standIn.__esModule === true,
            defaultIsModule: standIn.default === real,
            sync: standIn.sync === real.sync,
            keys: Object.keys(standIn).sort().join() === Object.keys(real).sort().join(),
        }));
    `;
    expect(await run(script, true)).toEqual({ esModule: true, defaultIsModule: true, sync: true, keys: true });
});

test("a package.yaml is read through the deferred YAML parser as through the real one", async () => {
    const script = `
        const fs = require("node:fs"), os = require("node:os"), path = require("node:path");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "manifest-"));
        fs.writeFileSync(path.join(dir, "package.yaml"), "name: payments\\nversion: 1.2.3\\ndependencies:\\n  left-pad: ^1.3.0\\n");
        const { readPackageManifest } = require("@pulumi/pulumi/runtime/manifest");
        console.log(JSON.stringify(readPackageManifest(dir).data));
        fs.rmSync(dir, { recursive: true });
    `;
    const [read, plainRead] = await withAndWithout(script);
    expect(read).toEqual({ name: "payments", version: "1.2.3", dependencies: { "left-pad": "^1.3.0" } });
    expect(read).toEqual(plainRead);
});

test("a module the SDK does not load, or another package loads, is never deferred", async () => {
    const script = `
        const fromSdk = require("node:module").createRequire(require.resolve("@pulumi/pulumi/package.json"));
        const semver = fromSdk("semver");
        const yamlFromElsewhere = require("js-yaml");
        console.log(JSON.stringify({ semver: typeof semver.parse, yaml: yamlFromElsewhere.__esModule === undefined }));
    `;
    expect(await run(script, true)).toEqual({ semver: "function", yaml: true });
});
