/**
 * Child process of the offline plan: runs one stack's program under Pulumi's mock
 * runtime, the way the Node.js language host runs it (`@pulumi/pulumi/cmd/run`:
 * Pulumi.yaml `main:`, package.json `main`/`exports`, CommonJS or ES modules, a
 * default-exported function), and sends back every resource and the stack outputs.
 *
 * TypeScript is loaded by tsx (`node --import tsx`), which the parent starts this
 * process with; a program is never edited or compiled to fit the plan.
 */
import * as path from "node:path";
import { installCapture, pulumiInternals } from "./capture";
import { planMocks } from "./mocks";
import { autoName } from "./auto-naming";
import type { RunnerJob, RunnerResult } from "./runner-protocol";

function send(result: RunnerResult): Promise<void> {
    return new Promise((resolve) => process.send!(result, () => resolve()));
}

function describe(err: unknown): { name: string; message: string; stack?: string } {
    if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
    return { name: "Error", message: String(err) };
}

async function runJob(job: RunnerJob): Promise<void> {
    const started = performance.now();
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
        return;
    }
    const errors: unknown[] = [];
    const onError = (err: unknown) => errors.push(err);
    process.on("uncaughtException", onError);
    process.on("unhandledRejection", onError);

    const { settings } = pulumiInternals(pulumiDir);
    const capture = installCapture(pulumiDir, {
        defaultProviders: { stack: job.stack, project: job.project, config: job.config, secretKeys: job.secretKeys },
        autoName,
    });
    const calls: { token: string; standIn: boolean }[] = [];
    const stackOutputsByUrn = new Map<string, Record<string, unknown>>();
    const mocksModule = require(path.join(pulumiDir, "runtime/mocks.js"));
    const originalOutputs = mocksModule.MockMonitor.prototype.registerResourceOutputs;
    mocksModule.MockMonitor.prototype.registerResourceOutputs = function (this: unknown, req: any, cb: any) {
        stackOutputsByUrn.set(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
        return originalOutputs.call(this, req, cb);
    };

    require(path.join(pulumiDir, "runtime/config.js")).setAllConfig(job.config, job.secretKeys);
    await mocksModule.setMocks(
        planMocks({
            preview: true,
            registerTransform: capture.registerTransform,
            onCall: (token, standIn) => calls.push({ token, standIn }),
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
    const hostEntry = require.resolve(path.join(pulumiDir, "cmd/run/index.js"));
    const stub = new (require("node:module"))(hostEntry);
    stub.filename = hostEntry;
    stub.loaded = true;
    stub.exports = { nodeJSProcessExitedAfterLoggingUserActionableMessage: 32 };
    require.cache[hostEntry] = stub;
    const { run } = require(path.join(pulumiDir, "cmd/run/run.js"));
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
    if (errors.length > 0) {
        const runError = Boolean(require(path.join(pulumiDir, "errors.js")).RunError.isInstance(errors[0]));
        await send({ ok: false, kind: "program", runError, error: describe(errors[0]) });
        return;
    }
    const stack = capture.resources.find((r) => r.type === "pulumi:pulumi:Stack");
    await send({
        ok: true,
        resources: capture.resources,
        outputs: (stack && stackOutputsByUrn.get(stack.urn)) ?? {},
        calls,
        stats: {
            maxRssKb: process.resourceUsage().maxRSS,
            programMs: performance.now() - started,
            packages: Object.keys(require.cache).filter((f) => /[\\/]node_modules[\\/]@pulumi[\\/][^\\/]+[\\/]index\.js$/.test(f)),
        },
    });
}

// A warm runner (`--all`) loads the SDKs its previous program used while it
// waits for its job. Their modules read configuration only when a program asks, so
// loading them before the job's configuration is set changes nothing.
for (const entry of JSON.parse(process.env.MULTICLOUD_PLAN_PRELOAD ?? "[]") as string[]) require(entry);

process.once("message", (job: RunnerJob) => {
    runJob(job)
        .catch((err) => send({ ok: false, kind: "program", error: describe(err) }))
        .finally(() => process.exit(0));
});
