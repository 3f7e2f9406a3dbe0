/**
 * The offline plan of one stack: run the program under the mock runtime (in a
 * child process), then judge what it registered with the session's policy packs
 * through the analyzer protocol; several stacks answer each other's StackReferences.
 */
import { maskForDisplay, type CapturedResource } from "./runtime/capture";
import { aliasUrns } from "./runtime/aliases";
import { loadProject, type ProjectLayout } from "./project";
import { stackConfigFor, type ConfigChoice } from "./stack-config";
import type { Plan, PlanResource } from "./model";
import type { RunnerStats } from "./runtime/runner-protocol";
import { runProgram, warmRunners } from "./runtime/run-program";
import { PolicySession, type Review, type StackReview } from "./policy-session";
import { maskViolations } from "./secrets";

export type { Plan, PlanResource, StackReferenceUse } from "./model";
export { maskViolations, PolicySession, runProgram, warmRunners };

/** A plan before masking, for callers that need wire-form inputs (cost, diffs). */
export interface PlanRun {
    plan: Plan;
    captured: CapturedResource[];
    stats: RunnerStats;
    /** Stack outputs in wire form, to answer other stacks' StackReferences. */
    wireOutputs: Record<string, unknown>;
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
        propertyDependencies: r.propertyDependencies,
        id: r.id,
        ...(r.read ? { read: true as const } : {}),
        remote: r.remote,
        inputs: maskForDisplay(r.inputs) as Record<string, unknown>,
    };
}

export interface PlanOptions extends ConfigChoice, ProjectLayout {
    cwd: string;
    stack: string;
    /** The organization of `org/project/stack`, for `pulumi.getOrganization()` and the packs. */
    organization?: string;
    /** Outputs of other stacks, for StackReference; unnamed references get none. */
    stackReferences?: Record<string, Record<string, unknown>>;
    verbose?: boolean;
}

type Policies = PolicySession | Promise<PolicySession> | undefined;

/** A stack's program has run; the packs, which judged its resources as they came, have yet to judge the whole. */
interface ProgramRun {
    options: PlanOptions;
    started: number;
    project: ReturnType<typeof loadProject>;
    stackConfig: ReturnType<typeof stackConfigFor>;
    references: Record<string, Record<string, unknown>>;
    result: Awaited<ReturnType<typeof runProgram>>;
    policies: Policies;
    review?: Promise<StackReview>;
}

async function runStack(options: PlanOptions, policies: Policies): Promise<ProgramRun> {
    const started = performance.now();
    const project = loadProject(options.cwd, options);
    const stackConfig = stackConfigFor(project, options.stack, options);
    const references = options.stackReferences ?? {};
    // The packs may still be starting: resources wait for them in order.
    const review = policies
        ? Promise.resolve(policies).then((session) =>
              session.begin({
                  project: project.name,
                  stack: options.stack,
                  organization: options.organization,
                  config: stackConfig.config,
                  secretKeys: stackConfig.secretKeys,
              }),
          )
        : undefined;
    review?.catch(() => undefined);
    try {
        const result = await runProgram(
            project,
            {
                programDir: project.dir,
                program: project.main,
                project: project.name,
                stack: options.stack,
                organization: options.organization,
                config: stackConfig.config,
                secretKeys: stackConfig.secretKeys,
                stackReferences: references,
                localProviders: project.localProviders,
            },
            options.verbose,
            (resource) =>
                void review?.then(
                    (r) => r.add(resource),
                    () => undefined,
                ),
        );
        return { options, started, project, stackConfig, references, result, policies, review };
    } catch (err) {
        await review?.then(
            (r) => r.abandon(),
            () => undefined,
        );
        throw err;
    }
}

/** The session's policy packs finish judging what a program registered. */
async function reviewStack(run: ProgramRun): Promise<PlanRun> {
    const { options, project, stackConfig, references, result } = run;
    const session = await run.policies;
    const review = run.review ? await run.review : undefined;
    const reviewed = review
        ? await review.finish(result.resources)
        : { violations: [], remediations: [], resources: result.resources, configSources: {} as Record<string, string>, levels: {} as Review["levels"] };
    const violations = maskViolations(reviewed.violations, result.resources);
    const stackReferences = result.resources
        .filter((r) => r.type === "pulumi:pulumi:StackReference")
        .map((r) => {
            const name = String(r.inputs.name);
            const planned = name in references || name.slice(name.lastIndexOf("/") + 1) in references;
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
            remediations: reviewed.remediations.map(({ policyPack, policy, description, urn, diagnostic }) => ({
                policyPack,
                policy,
                description,
                urn,
                diagnostic,
            })),
            outputs: maskForDisplay(result.outputs) as Record<string, unknown>,
            policyPacks: (session?.infos ?? []).map((i) => ({
                name: i.name,
                version: i.version,
                policies: i.policies.length,
                config: reviewed.configSources[i.name],
                levels: reviewed.levels[i.name],
            })),
            stackReferences,
            standIns: [...new Set(result.calls.filter((c) => c.standIn).map((c) => c.token))].sort(),
            standInFor: standInsByFunction(result.calls),
            durationMs: performance.now() - run.started,
        },
    };
}

/** What each function's answers stood in for, over all its calls. */
function standInsByFunction(calls: { token: string; standIn: boolean; standInFor: string[] }[]): Record<string, string[]> {
    const byToken: Record<string, string[]> = {};
    for (const call of calls) {
        if (!call.standIn) continue;
        const list = (byToken[call.token] ??= []);
        for (const what of call.standInFor) if (!list.includes(what)) list.push(what);
    }
    return byToken;
}

/**
 * Plans one stack: program under mocks, then the policy packs of the session. The
 * session may still be starting: the program runs meanwhile.
 */
export async function planStack(options: PlanOptions, policiesStarting: PolicySession | Promise<PolicySession> | undefined): Promise<PlanRun> {
    return reviewStack(await runStack(options, policiesStarting));
}

/**
 * Plans several stacks of one project, answering each StackReference to another of
 * them with that stack's planned outputs: stacks are planned in the order given, and
 * a stack that read a placeholder for one planned after it is planned once more.
 *
 * A program needs only the outputs of the programs before it, so the packs judge
 * one stack while the next program runs. Reviews go one at a time: a pack is
 * configured for the stack it judges.
 */
export async function planStacks(
    options: { cwd: string; stacks: string[]; verbose?: boolean; organization?: string } & ConfigChoice & ProjectLayout,
    policies: PolicySession | Promise<PolicySession> | undefined,
    progress: (index: number, total: number, stack: string) => void = () => undefined,
): Promise<PlanRun[]> {
    if (options.stacks.length > 1) warmRunners.keepWarm();
    const outputs: Record<string, Record<string, unknown>> = {};
    const runs = new Map<string, PlanRun>();
    let reviews: Promise<void> = Promise.resolve();
    let reviewFailed = false;
    const planOne = async (stack: string) => {
        const ran = await runStack({ ...options, stack, stackReferences: { ...outputs } }, policies);
        outputs[stack] = ran.result.outputs;
        reviews = reviews.then(
            async () => void runs.set(stack, await reviewStack(ran)),
            // A review that failed ends the plan; this one's packs are released for the next plan (--watch).
            async (err) => {
                await ran.review?.then(
                    (r) => r.abandon(),
                    () => undefined,
                );
                throw err;
            },
        );
        // Seen at the end; meanwhile no further program runs.
        reviews.catch(() => (reviewFailed = true));
    };
    const total = options.stacks.length;
    const planAll = async (stacks: string[], shown: (i: number, stack: string) => [number, string]) => {
        for (const [i, stack] of stacks.entries()) {
            if (reviewFailed) break;
            const [index, label] = shown(i, stack);
            progress(index, total, label);
            await planOne(stack);
        }
        await reviews;
    };
    await planAll(options.stacks, (i, stack) => [i + 1, stack]);
    const stale = options.stacks.filter((stack) =>
        runs.get(stack)!.plan.stackReferences.some((ref) => ref.answeredWith === "placeholder" && ref.name.slice(ref.name.lastIndexOf("/") + 1) in outputs),
    );
    await planAll(stale, (_, stack) => [total, `${stack} (again, with the outputs of the stacks it references)`]);
    return options.stacks.map((stack) => runs.get(stack)!);
}

export function hasMandatoryViolation(plan: Plan): boolean {
    return plan.violations.some((v) => v.enforcementLevel === "mandatory");
}
