/**
 * Policy packs started once and shared by every stack planned in a session: as the
 * engine does, each resource is remediated, then analyzed, then the whole stack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CapturedResource } from "./runtime/capture";
import { PlanError } from "./errors";
import {
    PackExited,
    PolicyPackServer,
    type AnalyzerInfo,
    type EnforcementLevel,
    type PolicyPackConfig,
    type Remediation,
    type StackInfo,
    type Violation,
} from "./analyzer";
import { rewrapSecrets, secretTexts } from "./secrets";

export interface Review {
    violations: Violation[];
    remediations: Remediation[];
    /** The resources as judged: after the packs' fixes. */
    resources: CapturedResource[];
    /** Where each pack's configuration came from, by pack name. */
    configSources: Record<string, string>;
    /** Each policy's effective enforcement level, by pack name then policy name. */
    levels: Record<string, Record<string, EnforcementLevel>>;
}

/** One stack's review, fed resource by resource while its program runs. */
export interface StackReview {
    /** A resource the program registered, in registration order. */
    add(resource: CapturedResource): void;
    /** The program ran to its end and registered `resources` (every one added): the rest of the review. */
    finish(resources: CapturedResource[]): Promise<Review>;
    /** The program failed: waits for the calls in flight, so the next review starts clean. */
    abandon(): Promise<void>;
}

const defaultsSource = "the pack's defaults";
const initialSource = "the pack's initial configuration";

/** A pack's remediation steps beside each violation of its policies. */
function withSteps(info: AnalyzerInfo, violations: Violation[]): Violation[] {
    const steps = new Map(info.policies.filter((p) => p.remediationSteps).map((p) => [p.name, p.remediationSteps]));
    return violations.map((v) => (steps.has(v.policy) ? { ...v, remediation: steps.get(v.policy) } : v));
}

export class PolicySession {
    private constructor(private readonly packs: { server: PolicyPackServer; info: AnalyzerInfo; config?: PolicyPackConfig }[]) {}

    /**
     * Starts the packs; `configs` pairs with `packDirs` in order, as the CLI pairs
     * `--policy-pack-config` with `--policy-pack` (one config alone serves every pack).
     */
    static async start(packDirs: string[], configs: PolicyPackConfig | (PolicyPackConfig | undefined)[] = {}, timeoutMs?: number): Promise<PolicySession> {
        const started = await Promise.allSettled(packDirs.map((dir) => PolicyPackServer.start(dir, timeoutMs)));
        const servers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
        const failure = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
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
    private configFor(packDir: string, given: PolicyPackConfig | undefined, environment: string | undefined): { config: PolicyPackConfig; source: string } {
        if (given && Object.keys(given).length > 0) return { config: given, source: "--policy-pack-config" };
        const defaults = { config: {}, source: defaultsSource };
        if (!environment) return defaults;
        const file = path.join(packDir, "config", `${environment}.json`);
        if (!fs.existsSync(file)) return defaults;
        try {
            return { config: JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig, source: path.relative(process.cwd(), file) };
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
        organization?: string,
    ): Promise<Review> {
        const review = this.begin({ project, stack, organization, config, secretKeys });
        for (const resource of captured) review.add(resource);
        return review.finish(captured);
    }

    /** The end of the last stack review begun: a pack judges one stack at a time, as it is configured for it. */
    private turn: Promise<void> = Promise.resolve();

    /**
     * Begins a stack's review while its program still runs: each resource is judged
     * as it is registered, so the packs work beside the program. When a pack
     * remediates, a resource's fix must come before every pack judges it, and the
     * whole stack is reviewed at the end instead. Reviews begun one after another
     * run one after another: finish or abandon each in the order begun.
     */
    begin(stack: StackInfo): StackReview {
        const previous = this.turn;
        let release!: () => void;
        this.turn = new Promise<void>((resolve) => (release = resolve));
        const configured = previous.then(() => this.configureFor(stack));
        const providers = new Map<string, CapturedResource>();
        // Per pack, per resource in registration order: the order the whole-stack review reports in.
        const judged: Promise<Violation[]>[][] = this.packs.map(() => []);
        const quiet = <T>(p: Promise<T>) => (p.catch(() => undefined), p);
        // Awaited by the first judgement or by finish; until then a failure must not go unhandled.
        void quiet(configured);
        return {
            add: (resource) => {
                if (resource.type.startsWith("pulumi:providers:")) providers.set(resource.urn, resource);
                this.packs.forEach(({ server }, i) =>
                    judged[i].push(quiet(configured.then(({ streaming }) => (streaming ? server.analyze(resource, providers) : [])))),
                );
            },
            finish: async (resources) => {
                try {
                    const { streaming, configSources, levels } = await configured;
                    if (!streaming) return { ...(await this.judgeAll(stack, resources)), configSources, levels };
                    const violations: Violation[] = [];
                    for (const [i, { server, info }] of this.packs.entries()) {
                        const perResource = await this.locatingCrash(
                            stack,
                            resources,
                            (s, r) => s.analyze(r, providers),
                            () => Promise.all(judged[i]),
                        );
                        violations.push(...withSteps(info, [...perResource.flat(), ...(await server.analyzeStack(resources, providers))]));
                    }
                    return { violations, remediations: [], resources, configSources, levels };
                } finally {
                    release();
                }
            },
            abandon: async () => {
                await Promise.allSettled([configured, ...judged.flat()]);
                release();
            },
        };
    }

    /** Tells every pack the stack and its configuration; streaming when no pack remediates. */
    private async configureFor(
        stack: StackInfo,
    ): Promise<{ streaming: boolean; configSources: Record<string, string>; levels: Record<string, Record<string, EnforcementLevel>> }> {
        const configSources: Record<string, string> = {};
        const levels: Record<string, Record<string, EnforcementLevel>> = {};
        for (const pack of this.packs) {
            await pack.server.configureStack(stack);
            const chosen = this.configFor(pack.server.packDir, pack.config, stack.config[`${stack.project}:environment`]);
            // The engine starts from the pack's own initial configuration, under whatever the user gives.
            const initial = Object.keys(pack.info.initialConfig).length > 0;
            configSources[pack.info.name] = !initial
                ? chosen.source
                : chosen.source === defaultsSource
                  ? initialSource
                  : `${initialSource}, then ${chosen.source}`;
            levels[pack.info.name] = await pack.server.configure(pack.info, chosen.config);
        }
        return { streaming: !this.packs.some((p) => p.server.remediates), configSources, levels };
    }

    /** The whole stack at once, for packs that remediate: every fix, then every judgement. */
    private async judgeAll(stack: StackInfo, captured: CapturedResource[]): Promise<Omit<Review, "configSources" | "levels">> {
        const providersOf = (list: CapturedResource[]) => new Map(list.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.urn, r]));
        const remediations: Remediation[] = [];
        const capturedProviders = providersOf(captured);
        const resources = await this.locatingCrash(
            stack,
            captured,
            (server, r) => server.remediate(r, capturedProviders),
            () =>
                Promise.all(
                    captured.map(async (resource) => {
                        let current = resource;
                        for (const { server } of this.packs) {
                            for (const fix of await server.remediate(current, capturedProviders)) {
                                remediations.push(fix);
                                // Policies see secrets unwrapped, so a fix returns them bare: mark them secret again.
                                if (fix.properties)
                                    current = { ...current, inputs: rewrapSecrets(fix.properties, secretTexts([current])) as Record<string, unknown> };
                            }
                        }
                        return current;
                    }),
                ),
        );
        const providers = providersOf(resources);
        const violations: Violation[] = [];
        for (const { server, info } of this.packs) {
            const perResource = await this.locatingCrash(
                stack,
                resources,
                (s, r) => s.analyze(r, providers),
                () => Promise.all(resources.map((r) => server.analyze(r, providers))),
            );
            violations.push(...withSteps(info, [...perResource.flat(), ...(await server.analyzeStack(resources, providers))]));
        }
        return { violations, remediations, resources };
    }

    /**
     * Runs calls that the packs answer concurrently. When a pack's process ends, every
     * call in flight fails alike; to name the resource it died judging, a fresh copy
     * of the pack is asked about one resource at a time until it ends again.
     */
    private async locatingCrash<T>(
        stack: StackInfo,
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
                await replay.configure(pack.info, this.configFor(pack.server.packDir, pack.config, stack.config[`${stack.project}:environment`]).config);
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
