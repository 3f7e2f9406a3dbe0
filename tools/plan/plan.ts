/**
 * The offline plan of one stack: run the program under the mock runtime (in a
 * child process), then judge what it registered with each policy pack through
 * the analyzer protocol. `PolicySession` keeps the packs running so several
 * stacks (`--all`, tests) share one server per pack.
 */
import { fork, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { maskForDisplay, secretSig, secretSigKey, unwrapSecrets, type CapturedResource } from "./runtime/capture";
import { PlanError } from "./errors";
import { aliasUrns, PackExited, PolicyPackServer, type AnalyzerInfo, type PolicyPackConfig, type Remediation, type Violation } from "./analyzer";
import { loadProject, type Project } from "./project";
import { stackConfigFor, type ConfigChoice } from "./stack-config";
import type { Plan, PlanResource } from "./model";
import type { RunnerJob, RunnerResult, RunnerStats } from "./runtime/runner-protocol";

export type { Plan, PlanResource, StackReferenceUse } from "./model";

/** A plan before masking, for callers that need wire-form inputs (cost, diffs). */
export interface PlanRun {
    plan: Plan;
    captured: CapturedResource[];
    stats: RunnerStats;
    /** Stack outputs in wire form, to answer other stacks' StackReferences. */
    wireOutputs: Record<string, unknown>;
}

const runnerPath = path.join(__dirname, "runtime", "runner.ts");
const tsxLoader = pathToFileURL(require.resolve("tsx")).href;

interface RunnerProcess {
    child: ChildProcess;
    /** What the runner printed, for errors and --verbose. */
    output: () => string;
}

/**
 * Runner processes started ahead of their job, so that planning several stacks
 * (`--all`) or planning again (`--watch`) does not wait for Node and the SDKs to
 * load: while one program runs, the next runner loads the SDKs that program used.
 * Off unless `keepWarm` is called, so a single plan starts nothing it does not use.
 */
class WarmRunners {
    private enabled = false;
    private spare?: { key: string; runner: RunnerProcess };

    keepWarm(): void {
        this.enabled = true;
    }

    /** A runner for the project: the spare one when it was started for the same project and options. */
    take(project: Project): RunnerProcess {
        const key = runnerKey(project);
        const spare = this.spare;
        this.spare = undefined;
        if (spare && spare.key === key && spare.runner.child.exitCode === null) return spare.runner;
        spare?.runner.child.kill();
        return startRunner(project, []);
    }

    /** After a run: start the next runner, loading what the last program loaded. */
    prepare(project: Project, packages: string[]): void {
        if (!this.enabled || this.spare) return;
        const runner = startRunner(project, packages);
        // A spare that nobody takes must not keep the plan alive, nor outlive it.
        runner.child.unref();
        for (const stream of [runner.child.stdout, runner.child.stderr]) (stream as unknown as { unref?: () => void })?.unref?.();
        (runner.child.channel as unknown as { unref?: () => void } | undefined)?.unref?.();
        this.spare = { key: runnerKey(project), runner };
    }

    stop(): void {
        this.spare?.runner.child.kill();
        this.spare = undefined;
    }
}

export const warmRunners = new WarmRunners();
process.once("exit", () => warmRunners.stop());

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
    return ["--import", tsxLoader, ...heap, ...nodeargs];
}

const runnerKey = (project: Project) => JSON.stringify([project.dir, runnerExecArgv(project)]);

function startRunner(project: Project, preload: string[]): RunnerProcess {
    const child = fork(runnerPath, [], {
        cwd: project.dir,
        execArgv: runnerExecArgv(project),
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        env: { ...process.env, MULTICLOUD_PLAN_PRELOAD: JSON.stringify(preload) },
        serialization: "advanced",
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += String(d)));
    child.stderr!.on("data", (d) => (output += String(d)));
    return { child, output: () => output };
}

/** Runs the program of one stack in a child process and returns what it registered. */
export async function runProgram(project: Project, job: RunnerJob, verbose = false): Promise<Extract<RunnerResult, { ok: true }>> {
    const { child, output: printed } = warmRunners.take(project);
    for (const stream of [child.stdout, child.stderr]) (stream as unknown as { ref?: () => void })?.ref?.();
    (child.channel as unknown as { ref?: () => void } | undefined)?.ref?.();
    child.ref();
    const result = await new Promise<RunnerResult | undefined>((resolve) => {
        let received: RunnerResult | undefined;
        child.on("message", (m: RunnerResult) => (received = m));
        child.on("exit", () => resolve(received));
        child.send(job);
    });
    const output = printed();
    if (verbose && output.trim()) process.stderr.write(output);
    if (result?.ok) warmRunners.prepare(project, result.stats.packages);
    if (!result) {
        const outOfMemory = /heap out of memory|Allocation failed/i.test(output);
        throw new PlanError(
            2,
            outOfMemory
                ? `The program of stack ${job.stack} ran out of memory. Give it more with runtime.options.nodeargs: "--max-old-space-size=MB" in Pulumi.yaml, or NODE_OPTIONS.`
                : `The program of stack ${job.stack} stopped before it finished.`,
            output.trim(),
        );
    }
    if (!result.ok && result.runError) {
        throw new PlanError(2, result.error.message.trim(), result.error.stack);
    }
    if (!result.ok && result.kind === "program" && !job.withStackTraces) {
        return runProgram(project, { ...job, withStackTraces: true }, verbose);
    }
    if (!result.ok) {
        const where = firstUserFrame(result.error.stack, project.dir);
        throw new PlanError(
            2,
            `The program of stack ${job.stack} failed${where ? ` at ${where}` : ""}: ${result.error.message.trim()}`,
            result.error.stack ?? output.trim(),
        );
    }
    return result;
}

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

function toPlanResource(r: CapturedResource): PlanResource {
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent,
        provider: r.provider,
        custom: r.custom,
        protect: r.options.protect,
        aliases: aliasUrns(r),
        dependsOn: r.options.dependsOn.length ? r.options.dependsOn : undefined,
        inputs: maskForDisplay(r.inputs) as Record<string, unknown>,
    };
}

export interface PlanOptions extends ConfigChoice {
    cwd: string;
    stack: string;
    /** Outputs of other stacks, for StackReference; unnamed references get none. */
    stackReferences?: Record<string, Record<string, unknown>>;
    verbose?: boolean;
}

/** Policy packs started once and shared by every stack planned in the session. */
export class PolicySession {
    private constructor(private readonly packs: { server: PolicyPackServer; info: AnalyzerInfo; config?: PolicyPackConfig }[]) {}

    /**
     * Starts the packs; `configs` pairs with `packDirs` in order, as the CLI pairs
     * `--policy-pack-config` with `--policy-pack` (one config alone serves every pack).
     */
    static async start(packDirs: string[], configs: PolicyPackConfig | (PolicyPackConfig | undefined)[] = {}, timeoutMs?: number): Promise<PolicySession> {
        const started = await Promise.allSettled(packDirs.map((dir) => PolicyPackServer.start(dir, timeoutMs)));
        const servers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
        const failure = started.find((s) => s.status === "rejected") as PromiseRejectedResult | undefined;
        if (failure) {
            await Promise.all(servers.map((s) => s.stop()));
            throw failure.reason;
        }
        try {
            const packs = await Promise.all(
                servers.map(async (server, i) => ({ server, info: await server.getAnalyzerInfo(), config: Array.isArray(configs) ? configs[i] : configs })),
            );
            return new PolicySession(packs);
        } catch (e) {
            await Promise.all(servers.map((s) => s.stop()));
            throw e;
        }
    }

    /**
     * The pack configuration for a stack: the user's (--policy-pack-config) when given;
     * otherwise the pack's own config/<environment>.json for the stack's environment
     * (`<project>:environment`), as CI passes it to `pulumi preview --policy-pack-config`.
     */
    private configFor(packDir: string, given: PolicyPackConfig | undefined, environment: string | undefined): PolicyPackConfig {
        if ((given && Object.keys(given).length > 0) || !environment) return given ?? {};
        const file = path.join(packDir, "config", `${environment}.json`);
        if (!fs.existsSync(file)) return given ?? {};
        try {
            return JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
        } catch (e) {
            throw new PlanError(2, `${path.relative(process.cwd(), file)} is not valid JSON: ${(e as Error).message}`);
        }
    }

    /** A session over packs that are already serving (for example one per test worker). */
    static async attach(packs: { dir: string; port: number }[], config: PolicyPackConfig = {}): Promise<PolicySession> {
        const servers = packs.map((p) => PolicyPackServer.connect(p.dir, p.port));
        return new PolicySession(await Promise.all(servers.map(async (server) => ({ server, info: await server.getAnalyzerInfo(), config }))));
    }

    get infos(): AnalyzerInfo[] {
        return this.packs.map((p) => p.info);
    }

    async judge(project: string, stack: string, config: Record<string, string>, secretKeys: string[], resources: CapturedResource[]): Promise<Violation[]> {
        return (await this.review(project, stack, config, secretKeys, resources)).violations;
    }

    /**
     * As the engine does for each resource: every pack's remediating policies fix its
     * inputs first (Remediate), then every pack judges the fixed resource (Analyze),
     * then the whole stack (AnalyzeStack). Returns the fixed resources too.
     */
    async review(
        project: string,
        stack: string,
        config: Record<string, string>,
        secretKeys: string[],
        captured: CapturedResource[],
    ): Promise<{ violations: Violation[]; remediations: Remediation[]; resources: CapturedResource[] }> {
        for (const pack of this.packs) {
            await pack.server.configureStack({ project, stack, config, secretKeys });
            await pack.server.configure(pack.info, this.configFor(pack.server.packDir, pack.config, config[`${project}:environment`]));
        }
        const providersOf = (list: CapturedResource[]) => new Map(list.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.urn, r]));
        const remediations: Remediation[] = [];
        const capturedProviders = providersOf(captured);
        const stackInfo = { project, stack, config, secretKeys };
        const resources = await this.locatingCrash(stackInfo, captured, (server, r) => server.remediate(r, capturedProviders), () => Promise.all(
            captured.map(async (resource) => {
                let current = resource;
                for (const { server } of this.packs) {
                    for (const fix of await server.remediate(current, capturedProviders)) {
                        remediations.push(fix);
                        // Policies see secrets unwrapped, so a fix returns them bare: mark them secret again.
                        if (fix.properties) current = { ...current, inputs: rewrapSecrets(fix.properties, secretTexts([current])) as Record<string, unknown> };
                    }
                }
                return current;
            }),
        ));
        const providers = providersOf(resources);
        const violations: Violation[] = [];
        for (const { server, info } of this.packs) {
            const perResource = await this.locatingCrash(stackInfo, resources, (s, r) => s.analyze(r, providers), () =>
                Promise.all(resources.map((r) => server.analyze(r, providers))),
            );
            const steps = new Map(info.policies.filter((p) => p.remediationSteps).map((p) => [p.name, p.remediationSteps]));
            for (const v of [...perResource.flat(), ...(await server.analyzeStack(resources, providers))]) {
                violations.push(steps.has(v.policy) ? { ...v, remediation: steps.get(v.policy) } : v);
            }
        }
        return { violations, remediations, resources };
    }

    /**
     * Runs calls that the packs answer concurrently. When a pack's process ends, every
     * call in flight fails alike; to name the resource it died judging, a fresh copy
     * of the pack is asked about one resource at a time until it ends again.
     */
    private async locatingCrash<T>(
        stack: { project: string; stack: string; config: Record<string, string>; secretKeys: string[] },
        resources: CapturedResource[],
        one: (server: PolicyPackServer, resource: CapturedResource) => Promise<unknown>,
        all: () => Promise<T>,
    ): Promise<T> {
        try {
            return await all();
        } catch (e) {
            const pack = e instanceof PackExited ? this.packs.find((p) => p.server.packDir === e.packDir) : undefined;
            if (!pack) throw e;
            const replay = await PolicyPackServer.start(pack.server.packDir, pack.server.timeoutMs);
            try {
                await replay.getAnalyzerInfo();
                await replay.configureStack(stack);
                await replay.configure(pack.info, this.configFor(pack.server.packDir, pack.config, stack.config[`${stack.project}:environment`]));
                for (const resource of resources) await one(replay, resource);
            } catch (found) {
                throw found instanceof PackExited ? found : e;
            } finally {
                await replay.stop();
            }
            throw e;
        }
    }

    async stop(): Promise<void> {
        await Promise.all(this.packs.map((p) => p.server.stop()));
    }
}

/**
 * Plans one stack: program under mocks, then the policy packs of the session. The
 * session may still be starting: the program runs meanwhile.
 */
export async function planStack(options: PlanOptions, policiesStarting: PolicySession | Promise<PolicySession> | undefined): Promise<PlanRun> {
    const started = performance.now();
    const project = loadProject(options.cwd);
    const stackConfig = stackConfigFor(project, options.stack, options);
    const references = options.stackReferences ?? {};
    const result = await runProgram(
        project,
        {
            programDir: project.dir,
            program: project.main,
            project: project.name,
            stack: options.stack,
            config: stackConfig.config,
            secretKeys: stackConfig.secretKeys,
            stackReferences: references,
        },
        options.verbose,
    );
    const policies = await policiesStarting;
    const reviewed = policies
        ? await policies.review(project.name, options.stack, stackConfig.config, stackConfig.secretKeys, result.resources)
        : { violations: [], remediations: [], resources: result.resources };
    const violations = maskViolations(reviewed.violations, result.resources);
    const stackReferences = result.resources
        .filter((r) => r.type === "pulumi:pulumi:StackReference")
        .map((r) => {
            const name = String(r.inputs.name);
            const planned = name in references || name.split("/").pop()! in references;
            return { name, answeredWith: planned ? ("planned" as const) : ("placeholder" as const) };
        });
    return {
        captured: reviewed.resources,
        stats: result.stats,
        wireOutputs: result.outputs,
        plan: {
            project: project.name,
            stack: options.stack,
            stackFile: stackConfig.file,
            config: Object.fromEntries(Object.entries(stackConfig.config).map(([k, v]) => [k, stackConfig.secretKeys.includes(k) ? "[secret]" : v])),
            resources: reviewed.resources.map(toPlanResource),
            violations,
            remediations: reviewed.remediations.map(({ policyPack, policy, description, urn, diagnostic }) => ({ policyPack, policy, description, urn, diagnostic })),
            outputs: maskForDisplay(result.outputs) as Record<string, unknown>,
            policyPacks: (policies?.infos ?? []).map((i) => ({ name: i.name, version: i.version, policies: i.policies.length })),
            stackReferences,
            standIns: [...new Set(result.calls.filter((c) => c.standIn).map((c) => c.token))].sort(),
            durationMs: performance.now() - started,
        },
    };
}

/** Every plaintext that travels as a secret, so nothing a policy says can show it. */
function secretTexts(resources: CapturedResource[]): string[] {
    const found = new Set<string>();
    const visit = (value: unknown, inSecret: boolean): void => {
        if (typeof value === "string") {
            if (inSecret && value.length >= 4) found.add(value);
        } else if (Array.isArray(value)) {
            value.forEach((v) => visit(v, inSecret));
        } else if (value && typeof value === "object") {
            const obj = value as Record<string, unknown>;
            if (obj[secretSigKey] === secretSig) {
                visit(unwrapSecrets(obj.value), true);
                if (typeof obj.value === "string" && obj.value.startsWith("{")) {
                    try {
                        visit(JSON.parse(obj.value), true);
                    } catch {
                        // Not JSON: the whole string is already masked.
                    }
                }
            } else Object.values(obj).forEach((v) => visit(v, inSecret));
        }
    };
    for (const r of resources) visit(r.inputs, false);
    return [...found].sort((a, b) => b.length - a.length);
}

/** Marks again as secret every string that was a secret's plaintext. */
function rewrapSecrets(value: unknown, secrets: string[]): unknown {
    if (typeof value === "string") return secrets.includes(value) ? { [secretSigKey]: secretSig, value } : value;
    if (Array.isArray(value)) return value.map((v) => rewrapSecrets(v, secrets));
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, rewrapSecrets(v, secrets)]));
    }
    return value;
}

/** Masks secret plaintext in what policies report: policies see secrets unwrapped. */
export function maskViolations(violations: Violation[], resources: CapturedResource[]): Violation[] {
    const secrets = secretTexts(resources);
    if (secrets.length === 0) return violations;
    const mask = (text: string) => secrets.reduce((t, s) => t.split(s).join("[secret]"), text);
    return violations.map((v) => ({ ...v, message: mask(v.message), description: mask(v.description) }));
}

/**
 * Plans several stacks of one project, answering each StackReference to another of
 * them with that stack's planned outputs: stacks are planned in the order given, and
 * a stack that read a placeholder for one planned after it is planned once more.
 */
export async function planStacks(
    options: { cwd: string; stacks: string[]; verbose?: boolean } & ConfigChoice,
    policies: PolicySession | Promise<PolicySession> | undefined,
    progress: (index: number, total: number, stack: string) => void = () => undefined,
): Promise<PlanRun[]> {
    if (options.stacks.length > 1) warmRunners.keepWarm();
    const outputs: Record<string, Record<string, unknown>> = {};
    const runs = new Map<string, PlanRun>();
    const planOne = async (stack: string) => {
        const run = await planStack({ ...options, stack, stackReferences: { ...outputs } }, policies);
        outputs[stack] = run.wireOutputs;
        runs.set(stack, run);
    };
    for (const [i, stack] of options.stacks.entries()) {
        progress(i + 1, options.stacks.length, stack);
        await planOne(stack);
    }
    const stale = options.stacks.filter((stack) =>
        runs.get(stack)!.plan.stackReferences.some((ref) => ref.answeredWith === "placeholder" && ref.name.split("/").pop()! in outputs),
    );
    for (const stack of stale) {
        progress(options.stacks.length, options.stacks.length, `${stack} (again, with the outputs of the stacks it references)`);
        await planOne(stack);
    }
    return options.stacks.map((stack) => runs.get(stack)!);
}

export function hasMandatoryViolation(plan: Plan): boolean {
    return plan.violations.some((v) => v.enforcementLevel === "mandatory");
}
