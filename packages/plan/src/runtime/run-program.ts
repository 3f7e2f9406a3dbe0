/**
 * Runs one stack's program in a child process (runner.ts) under the mock runtime and
 * returns what it registered; a program that throws is reported at its own line.
 */
import { fork, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { PlanError } from "../errors";
import type { Project } from "../project";
import type { CapturedResource } from "./capture";
import { endProcess } from "./end-process";
import type { RunnerJob, RunnerMessage, RunnerResult } from "./runner-protocol";

/** What a program registered and returned. */
export type ProgramResult = Extract<RunnerResult, { ok: true }> & { resources: CapturedResource[] };

const runnerPath = path.join(__dirname, "runner.ts");
const tsxLoader = pathToFileURL(require.resolve("tsx")).href;
const typescriptHook = path.join(__dirname, "typescript-hook.cjs");
const deferredModules = path.join(__dirname, "deferred-modules.cjs");

/** Whether a project's nearest package.json makes it an ES module program (read each time: `--watch` may see it change). */
function isEsModule(project: Project): boolean {
    for (let dir = project.dir; ; dir = path.dirname(dir)) {
        const pkg = path.join(dir, "package.json");
        if (fs.existsSync(pkg)) return JSON.parse(fs.readFileSync(pkg, "utf8")).type === "module";
        if (path.dirname(dir) === dir) return false;
    }
}

/**
 * How the runner loads TypeScript: a CommonJS program through the cached hook (the
 * plan's own code too), an ES module program (`"type": "module"`) through tsx, whose
 * loader resolves ES module TypeScript as the language host's ts-node does.
 */
function typescriptLoader(project: Project): string[] {
    return isEsModule(project) ? ["--import", tsxLoader] : ["--require", typescriptHook];
}

interface RunnerProcess {
    child: ChildProcess;
    /** What the runner printed, for errors and --verbose. */
    output: () => string;
}

/**
 * Runners kept between the programs of one plan (`--all`): a runner that ran a
 * program to its end takes the next one of the same project, so Node and the SDKs
 * load once, not once a stack. Off unless `keepWarm` is called, so a single plan
 * keeps nothing. An ES module program gets a fresh runner each time: Node cannot
 * load an ES module anew in the same process.
 */
class WarmRunners {
    private enabled = false;
    private idle?: { key: string; runner: RunnerProcess };

    keepWarm(): void {
        this.enabled = true;
    }

    /** Whether a runner of this project may stay for the next program. */
    mayStay(project: Project): boolean {
        return this.enabled && !isEsModule(project);
    }

    /** A runner for the project: the one waiting, when it ran the same project with the same options. */
    take(project: Project, withStackTraces = false): RunnerProcess {
        // A program run again for its error's location maps its stack to the TypeScript lines: a runner of its own.
        if (withStackTraces) return startRunner(project, true);
        const idle = this.idle;
        this.idle = undefined;
        // A runner killed while it waited (out of memory, by hand) has a signal and no exit code.
        if (idle && idle.key === runnerKey(project) && idle.runner.child.exitCode === null && idle.runner.child.signalCode === null) {
            for (const handle of handlesOf(idle.runner.child)) handle.ref();
            return idle.runner;
        }
        idle?.runner.child.kill();
        return startRunner(project);
    }

    /** After a program ran to its end in a runner asked to stay: keep it for the next. */
    keep(project: Project, runner: RunnerProcess): void {
        this.idle?.runner.child.kill();
        // A runner that nobody takes must not keep the plan alive.
        for (const handle of handlesOf(runner.child)) handle.unref();
        this.idle = { key: runnerKey(project), runner };
    }

    /** Ends the waiting runner, if any, and waits for it to exit. */
    async stop(): Promise<void> {
        const child = this.idle?.runner.child;
        this.idle = undefined;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        // Held again, or the plan's process could end before the runner's exit is seen.
        for (const handle of handlesOf(child)) handle.ref();
        await endProcess(child);
    }
}

/** What keeps the plan's own process waiting for a child: the process, its IPC channel, its output pipes. */
function handlesOf(child: ChildProcess): { ref(): void; unref(): void }[] {
    return [
        child,
        child.channel as unknown as { ref(): void; unref(): void } | undefined,
        child.stdout as unknown as { ref(): void; unref(): void },
        child.stderr as unknown as { ref(): void; unref(): void },
    ].filter((h): h is { ref(): void; unref(): void } => Boolean(h));
}

export const warmRunners = new WarmRunners();
// Nor outlive it, however the plan ends.
process.once("exit", () => void warmRunners.stop());

function runnerExecArgv(project: Project): string[] {
    const nodeargs = (project.runtimeOptions.nodeargs ?? "").split(/\s+/).filter(Boolean);
    // A large program under mocks holds every resource in one heap: allow it most of the machine,
    // unless the project or the user chose a limit.
    // A larger young generation cuts the garbage collector's work on the SDK's many
    // short-lived promises (5,000 services: 80.7 s to 58.7 s).
    const given = [...nodeargs, process.env.NODE_OPTIONS ?? ""].join(" ");
    const heap = [
        ...(given.includes("--max-old-space-size") ? [] : [`--max-old-space-size=${Math.floor((os.totalmem() / 2 ** 20) * 0.6)}`]),
        ...(given.includes("--max-semi-space-size") ? [] : ["--max-semi-space-size=64"]),
    ];
    return [...typescriptLoader(project), "--require", deferredModules, ...heap, ...nodeargs];
}

const runnerKey = (project: Project) => JSON.stringify([project.dir, runnerExecArgv(project)]);

function startRunner(project: Project, sourceMaps = false): RunnerProcess {
    const child = fork(runnerPath, [], {
        cwd: project.dir,
        execArgv: runnerExecArgv(project),
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        env: { ...process.env, ...(sourceMaps ? { OFFLINE_PLAN_SOURCE_MAPS: "1" } : {}) },
        serialization: "advanced",
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += String(d)));
    child.stderr!.on("data", (d) => (output += String(d)));
    return { child, output: () => output };
}

/** Runs the program of one stack in a child process and returns what it registered. */
export async function runProgram(
    project: Project,
    job: RunnerJob,
    verbose = false,
    onResource: (resource: CapturedResource) => void = () => undefined,
): Promise<ProgramResult> {
    const runner = warmRunners.take(project, job.withStackTraces);
    const { child } = runner;
    const stay = !job.withStackTraces && warmRunners.mayStay(project);
    const from = runner.output().length;
    const resources: CapturedResource[] = [];
    let ended = "";
    const result = await new Promise<RunnerResult | undefined>((resolve) => {
        let received: RunnerResult | undefined;
        const settle = (r: RunnerResult | undefined) => {
            child.off("message", onMessage);
            child.off("exit", onExit);
            resolve(r);
        };
        const onMessage = (m: RunnerMessage) => {
            if ("kind" in m && m.kind === "resource") {
                resources.push(m.resource);
                onResource(m.resource);
                return;
            }
            received = m;
            // A runner that stays answers and waits; any other ends after its answer.
            if (m.ok && stay) settle(m);
        };
        const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
            ended = code !== null ? `exited with code ${code}` : `was killed by ${signal}`;
            settle(received);
        };
        child.on("message", onMessage);
        child.on("exit", onExit);
        child.send({ ...job, stay });
    });
    const output = runner.output().slice(from);
    if (verbose && output.trim()) process.stderr.write(output);
    if (result?.ok && stay) warmRunners.keep(project, runner);
    if (!result) {
        const outOfMemory = /heap out of memory|Allocation failed/i.test(output);
        throw new PlanError(
            2,
            outOfMemory
                ? `The program of stack ${job.stack} ran out of memory. Give it more with runtime.options.nodeargs: "--max-old-space-size=MB" in Pulumi.yaml, or NODE_OPTIONS.`
                : `The program of stack ${job.stack} ${ended} before it finished${lastLine(output) ? `: ${lastLine(output)}` : "."}`,
            output.trim(),
        );
    }
    if (!result.ok && result.runError) {
        throw new PlanError(2, result.error.message.trim(), result.error.stack);
    }
    if (!result.ok && result.kind === "program" && !job.withStackTraces) {
        // Run once more only to find the failing line; what it registers is not judged.
        await runProgram(project, { ...job, withStackTraces: true }, verbose);
        throw new PlanError(
            2,
            `The program of stack ${job.stack} failed: ${result.error.message.trim()} (run again to locate the error, it did not fail: the program does not behave the same on every run)`,
            output.trim(),
        );
    }
    if (!result.ok) {
        const where = firstUserFrame(result.error.stack, project.dir);
        throw new PlanError(
            2,
            `The program of stack ${job.stack} failed${where ? ` at ${where}` : ""}: ${result.error.message.trim()}`,
            result.error.stack ?? output.trim(),
        );
    }
    return { ...result, resources };
}

const lastLine = (text: string) => text.trim().split("\n").filter(Boolean).pop() ?? "";

/** The first stack frame in the user's own files, so an error points at the failing line without a trace. */
function firstUserFrame(stack: string | undefined, projectDir: string): string | undefined {
    if (!stack) return undefined;
    for (const line of stack.split("\n").slice(1)) {
        const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?$/.exec(line.trim());
        if (!m) continue;
        const file = m[1].replace(/^file:\/\//, "");
        if (file.includes("node_modules") || !file.startsWith(projectDir)) continue;
        return `${path.relative(process.cwd(), file)}:${m[2]}`;
    }
    return undefined;
}
