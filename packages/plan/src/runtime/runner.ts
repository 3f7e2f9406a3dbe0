/**
 * Child process of the offline plan: runs one stack's program under Pulumi's mock
 * runtime, the way the Node.js language host runs it (`@pulumi/pulumi/cmd/run`:
 * Pulumi.yaml `main:`, package.json `main`/`exports`, CommonJS or ES modules, a
 * default-exported function), and sends back every resource and the stack outputs.
 *
 * TypeScript is loaded by the hook the parent preloads (typescript-hook.cjs, for a
 * CommonJS program) or by tsx (an ES module program); a program is never edited or
 * compiled to fit the plan.
 */
import type { RegisterResourceOutputsRequest } from "@pulumi/pulumi/proto/resource_pb";
import type * as errorsModule from "@pulumi/pulumi/errors";
import Module from "node:module";
import * as path from "node:path";
import { installCapture, pulumiInternals } from "./capture";
import { planMocks } from "./mocks";
import { providerConfigs } from "./provider-configs";
import { componentProviders } from "./component-providers";
import { autoName } from "./auto-naming";
import type { RunnerJob, RunnerMessage } from "./runner-protocol";

/** The language host's `run` (cmd/run/run.js, which has no declarations): runs a program as `pulumi preview` does. */
type LanguageHostRun = (
    argv: { _: string[] },
    programStarted: () => void,
    reportLoggedError: (err: unknown) => void,
    isErrorReported: (err: unknown) => boolean,
) => Promise<void>;

function send(message: RunnerMessage): Promise<void> {
    return new Promise((resolve) => process.send!(message, () => resolve()));
}

function describe(err: unknown): { name: string; message: string; stack?: string } {
    if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
    return { name: "Error", message: String(err) };
}

/**
 * The runner's own modules and the SDKs: kept from one job to the next. Every other
 * module a program loaded from outside node_modules is the program's own and is
 * loaded anew for the next job, as in a fresh process; the SDKs' state is reset by
 * `setMocks`, as the automation API's language server resets it between programs.
 */
let ownModules: Set<string> | undefined;
function forgetProgramModules(): void {
    ownModules ??= new Set(Object.keys(require.cache));
    for (const file of Object.keys(require.cache)) {
        if (!ownModules.has(file) && !/[\\/]node_modules[\\/]/.test(file)) delete require.cache[file];
    }
}

/** Runs one job; true when the program ran to its end and the runner may take another. */
async function runJob(job: RunnerJob): Promise<boolean> {
    const started = performance.now();
    forgetProgramModules();
    // A warm runner is started before its stack is known.
    process.env.PULUMI_NODEJS_PROJECT = job.project;
    process.env.PULUMI_NODEJS_STACK = job.stack;
    // The SDK captures a stack trace for every promise it makes (leak diagnostics),
    // which is most of a large program's time. Without traces a program's own error
    // has no location: the parent then runs it once more with traces to find the line.
    if (!job.withStackTraces) Error.stackTraceLimit = 0;
    let pulumiDir: string;
    try {
        pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [job.programDir] }));
    } catch {
        await send({
            ok: false,
            kind: "setup",
            error: { name: "Error", message: `@pulumi/pulumi is not installed for the program in ${job.programDir}; run \`npm install\` there.` },
        });
        return false;
    }
    const errors: unknown[] = [];
    const onError = (err: unknown) => errors.push(err);
    process.on("uncaughtException", onError);
    process.on("unhandledRejection", onError);

    const { settings, mocks: mocksModule, load } = pulumiInternals(pulumiDir);
    const providers = providerConfigs(job.config);
    const components = componentProviders(pulumiDir, job.localProviders ?? {});
    const capture = installCapture(pulumiDir, {
        defaultProviders: { stack: job.stack, project: job.project, config: job.config, secretKeys: job.secretKeys },
        autoName,
        construct: (req) => components.construct(req),
        onMethodCall: (token) => calls.push({ token, standIn: true, standInFor: ["its result, which the component provider computes"] }),
        onResource: (resource) => {
            providers.record(resource);
            void send({ kind: "resource", resource });
        },
    });
    const calls: { token: string; standIn: boolean; standInFor: string[] }[] = [];
    const stackOutputsByUrn = new Map<string, Record<string, unknown>>();
    // The stack's outputs reach the monitor only as the stack's registerResourceOutputs: read them there.
    const monitor = mocksModule.MockMonitor.prototype as unknown as {
        registerResourceOutputs: (this: unknown, req: RegisterResourceOutputsRequest, callback: (err: unknown, response: unknown) => void) => void;
    };
    const originalOutputs = monitor.registerResourceOutputs;
    monitor.registerResourceOutputs = function (req, callback) {
        stackOutputsByUrn.set(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
        return originalOutputs.call(this, req, callback);
    };

    (load("./runtime/config.js") as { setAllConfig(config: Record<string, string>, secretKeys?: string[]): void }).setAllConfig(job.config, job.secretKeys);
    await mocksModule.setMocks(
        planMocks({
            preview: true,
            registerTransform: (transform) => capture.registerTransform(transform),
            onCall: (token, standIn, standInFor) => calls.push({ token, standIn, standInFor }),
            providerConfig: (pkg, reference) => providers.lookup(pkg, reference),
            stackOutputs: (name) => job.stackReferences[name] ?? job.stackReferences[name.split("/").pop()!],
        }),
        job.project,
        job.stack,
        true,
        // The CLI's organization on a self-managed backend, where a stack name carries none.
        job.organization ?? "organization",
    );

    process.chdir(job.programDir);
    // cmd/run/index.js is the language host's executable: it parses argv and connects to
    // an engine when loaded. run.js needs only its exit-code constant, so stand it in.
    const hostEntry = load.resolve("./cmd/run/index.js");
    const stub = new Module(hostEntry);
    stub.filename = hostEntry;
    stub.loaded = true;
    stub.exports = { nodeJSProcessExitedAfterLoggingUserActionableMessage: 32 };
    require.cache[hostEntry] = stub;
    const { run } = load("./cmd/run/run.js") as { run: LanguageHostRun };
    try {
        await run(
            { _: [job.program] },
            () => undefined,
            (err: unknown) => errors.push(err),
            (err: unknown) => errors.includes(err),
        );
        await settings.waitForRPCs();
    } catch (err) {
        errors.push(err);
    }
    process.off("uncaughtException", onError);
    process.off("unhandledRejection", onError);
    capture.uninstall();
    monitor.registerResourceOutputs = originalOutputs;
    // The server a program's transforms started: `setMocks` forgets it for the next program, so end it here.
    (load("./runtime/state.js") as { getStore(): { callbacks?: { shutdown?(): void } } }).getStore().callbacks?.shutdown?.();
    if (errors.length > 0) {
        const runError = (load("./errors.js") as typeof errorsModule).RunError.isInstance(errors[0]);
        await send({ ok: false, kind: "program", runError, error: describe(errors[0]) });
        return false;
    }
    const stack = capture.resources.find((r) => r.type === "pulumi:pulumi:Stack");
    await send({
        ok: true,
        outputs: (stack && stackOutputsByUrn.get(stack.urn)) ?? {},
        calls,
        stats: {
            maxRssKb: process.resourceUsage().maxRSS,
            programMs: performance.now() - started,
        },
    });
    return true;
}

// Jobs come one at a time; a runner asked to stay waits for the next (`--all`), with
// the SDKs loaded, and ends after a program that failed.
process.on("message", (job: RunnerJob) => {
    void runJob(job)
        .catch((err: unknown) => send({ ok: false, kind: "program", error: describe(err) }).then(() => false))
        .then((ok) => {
            if (!ok || !job.stay) process.exit(0);
            return undefined;
        });
});
