/**
 * The GitOps bot, as the deploy workflow runs it after a merge to main:
 *
 *   node --require pulumi-offline-plan/register tools/deploy/bot.ts plan      --base SHA [--json]
 *   node --require pulumi-offline-plan/register tools/deploy/bot.ts apply     --base SHA --environment dev --organization ORG [--summary FILE]
 *   node --require pulumi-offline-plan/register tools/deploy/bot.ts destroy   --base SHA --organization ORG [--summary FILE]
 *   node --require pulumi-offline-plan/register tools/deploy/bot.ts lifecycle --base SHA --markdown
 *
 * `plan` lists what a merge deploys (per environment, in waves), creates and
 * destroys; `apply` updates one environment's stacks in waves and rolls back on
 * failure (deploy.ts); `destroy` destroys the stacks whose files were removed
 * (destroy.ts); `lifecycle` is the pull request's note on both.
 * Exit codes: 0 done, 1 a stack failed or was refused, 2 bad input.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError } from "commander";
import { environments } from "../../components/contracts";
import { affectedStacks, changedFiles, readStacks, type StackInfo } from "../affected-stacks";
import { AcceptedDoorsError, readAcceptedDoors } from "pulumi-offline-plan";
import { defaultAcceptedDoorsFile } from "../../plan.config";
import { checkoutOf, deployWaves, summaryMarkdown, type Verifier } from "./deploy";
import { destroyStack, type DestroyResult } from "./destroy";
import { lifecycleMarkdown, onPrivateCloud, stackLifecycle } from "./lifecycle";
import { pulumiCli } from "./pulumi-cli";
import { planWaves, WaveError, type Wave } from "./waves";

const repositoryRoot = path.resolve(__dirname, "..", "..");
/** The links stacks' own Pulumi project (docs/network.md). */
const linksProject = "stacks/links";

class UsageError extends Error {}

export interface RunPlan {
    environments: Record<string, { stacks: string[]; clouds: string[]; waves: Wave[] }>;
    created: string[];
    /** Removed stacks a hosted runner destroys, and the clouds it needs for them. */
    destroy: { stacks: string[]; clouds: string[] };
    /** Removed stacks on the private cloud: destroyed from inside it. */
    destroyInside: string[];
    /** Affected stacks on the private cloud: the Operator applies them. */
    operator: string[];
}

export function runPlan(root: string, base: string): RunPlan {
    try {
        execFileSync("git", ["rev-parse", "--verify", "--quiet", `${base}^{commit}`], { cwd: root, stdio: "ignore" });
    } catch {
        throw new UsageError(
            `--base ${base}: no such commit in ${root}; give the commit main was at before the merge (github.event.before), fetched with the whole history.`,
        );
    }
    const all = readStacks(root);
    const changed = changedFiles(root, base);
    const affected = affectedStacks(root, changed);
    const lifecycle = stackLifecycle(root, base);
    const hosted = affected.hosted;
    const cloudsOf = (stacks: StackInfo[]) => [...new Set(stacks.flatMap((s) => s.clouds))].sort();
    // The links of an environment join its workloads' networks: they go last, after every workload stack of the environment they read.
    const linksChanged = affected.all || changed.some((f) => f.startsWith(`${linksProject}/`) && !f.endsWith(".test.ts"));
    const perEnvironment = Object.fromEntries(
        [...new Set([...environments, ...hosted.map((s) => s.environment ?? "unknown")])].map((env) => {
            const stacks = hosted.filter((s) => (s.environment ?? "unknown") === env);
            const waves = planWaves(
                all,
                stacks.map((s) => s.name),
            );
            const names = stacks.map((s) => s.name);
            let clouds = cloudsOf(stacks);
            const touched = linksChanged || affected.matrix.some((s) => s.environment === env);
            if (touched && fs.existsSync(path.join(root, linksProject, `Pulumi.links-${env}.yaml`))) {
                waves.push({ number: waves.length + 1, environment: env, stacks: [`links-${env}`], project: linksProject });
                names.push(`links-${env}`);
                clouds = [...new Set([...clouds, ...cloudsOf(all.filter((s) => s.environment === env && !onPrivateCloud(s)))])].sort();
            }
            return [env, { stacks: names, clouds, waves }];
        }),
    );
    const removedHosted = lifecycle.removed.filter((s) => !onPrivateCloud(s));
    return {
        environments: perEnvironment,
        created: lifecycle.created.map((s) => s.name),
        destroy: { stacks: removedHosted.map((s) => s.name), clouds: cloudsOf(removedHosted) },
        destroyInside: lifecycle.removed.filter(onPrivateCloud).map((s) => s.name),
        operator: affected.operator,
    };
}

function writeSummary(file: string | undefined, markdown: string): void {
    if (file) fs.appendFileSync(file, markdown + "\n");
    else process.stdout.write(markdown + "\n");
}

function doorsFrom(root: string, file: string | undefined) {
    const resolved = path.resolve(root, file ?? defaultAcceptedDoorsFile);
    return readAcceptedDoors(resolved);
}

function loadVerifier(timeoutSeconds: number): Verifier {
    return async (verification) => {
        // The clouds' SDKs load only when there is something to verify.
        // oxlint-disable-next-line typescript/no-require-imports -- a lazy load, which `import` cannot be in CommonJS
        const { verify } = require("./verify") as typeof import("./verify");
        return verify(verification as Parameters<typeof verify>[0], { timeoutSeconds });
    };
}

interface Common {
    base: string;
    root: string;
    organization?: string;
    acceptedDoors?: string;
    summary?: string;
    pulumi: string;
    pushTags: boolean;
    verifyTimeout: string;
    json?: boolean;
    markdown?: boolean;
    environment?: string;
}

async function apply(options: Common): Promise<number> {
    if (!options.organization) throw new UsageError("apply needs --organization (the Pulumi organization of the stacks).");
    if (!options.environment) throw new UsageError(`apply needs --environment, one of ${environments.join(", ")}.`);
    const plan = runPlan(options.root, options.base);
    const env = plan.environments[options.environment];
    if (!env) throw new UsageError(`--environment ${options.environment}: no such environment; the stacks use ${Object.keys(plan.environments).join(", ")}.`);
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: options.root, encoding: "utf8" }).trim();
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const results = await deployWaves(
        {
            root: options.root,
            organization: options.organization,
            pulumi: pulumiCli(options.pulumi, { cwd: options.root, log }),
            doors: doorsFrom(options.root, options.acceptedDoors),
            verify: loadVerifier(Number(options.verifyTimeout)),
            log,
            packConfig: (environment) => `policies/config/${environment}.json`,
            created: new Set(plan.created),
            pushTags: options.pushTags,
        },
        env.waves,
    );
    writeSummary(options.summary, summaryMarkdown(`Deploy of ${head.slice(0, 12)}: ${options.environment}`, env.waves, results));
    return results.every((r) => r.outcome === "deployed") ? 0 : 1;
}

async function destroy(options: Common): Promise<number> {
    if (!options.organization) throw new UsageError("destroy needs --organization (the Pulumi organization of the stacks).");
    const plan = runPlan(options.root, options.base);
    const doors = doorsFrom(options.root, options.acceptedDoors);
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const results: DestroyResult[] = [];
    if (plan.destroy.stacks.length > 0) {
        // The removed stack files, their ESC environments and the program that made the stacks are at the base.
        const checkout = checkoutOf(options.root, options.base);
        try {
            const pulumi = pulumiCli(options.pulumi, { cwd: checkout.dir, log });
            for (const stack of plan.destroy.stacks) {
                const result = await destroyStack(pulumi, options.organization, stack, doors, checkout.dir);
                results.push(result);
                if (result.outcome !== "destroyed") break;
            }
        } finally {
            checkout.remove();
        }
    }
    const out = ["## Stacks destroyed", ""];
    if (results.length === 0 && plan.destroyInside.length === 0) out.push("No stack file was removed.");
    for (const r of results) out.push(`### ${r.stack}: ${r.outcome}`, "", ...r.lines, "");
    for (const s of plan.destroy.stacks.filter((name) => !results.some((r) => r.stack === name)))
        out.push(`### ${s}: not run (an earlier destroy did not finish)`, "");
    for (const s of plan.destroyInside)
        out.push(`### ${s}: on the private cloud`, "", "Destroyed from inside the cluster, not by this workflow (docs/private-cloud.md).", "");
    writeSummary(options.summary, out.join("\n"));
    return results.every((r) => r.outcome === "destroyed") ? 0 : 1;
}

function command(): Command {
    const program = new Command("bot")
        .description("The GitOps bot: apply merged changes in waves, roll back on failure, create and destroy stacks.")
        .exitOverride();
    const common = (c: Command) =>
        c
            .requiredOption("--base <ref>", "the commit main was at before the merge")
            .option("--root <dir>", "the repository checkout", repositoryRoot)
            .option("--organization <org>", "the Pulumi organization")
            .option("--accepted-doors <file>", `the committed list of accepted one-way doors (default ${defaultAcceptedDoorsFile})`)
            .option("--summary <file>", "append the report to this file (the job summary); stdout without")
            .option("--pulumi <executable>", "the Pulumi CLI", "pulumi")
            .option("--no-push-tags", "record deployed/<stack>/<sha> tags locally only")
            .option(
                "--verify-timeout <seconds>",
                "how long a verification may wait for a rollout to finish (default: DEPLOY_VERIFY_TIMEOUT_SECONDS, else 900)",
                process.env.DEPLOY_VERIFY_TIMEOUT_SECONDS ?? "900",
            )
            .exitOverride()
            .configureOutput({ writeErr: () => undefined });
    let result: Promise<number> = Promise.resolve(0);
    common(program.command("plan").description("what the merge deploys, creates and destroys").option("--json", "as JSON")).action((o: Common) => {
        const plan = runPlan(o.root, o.base);
        if (o.json) process.stdout.write(JSON.stringify(plan) + "\n");
        else
            for (const [env, e] of Object.entries(plan.environments))
                for (const w of e.waves) process.stdout.write(`wave ${w.number} (${env}): ${w.stacks.join(", ")}\n`);
    });
    common(program.command("apply").description("update one environment's affected stacks in waves").option("--environment <name>", "dev or prod")).action(
        (o: Common) => {
            result = apply(o);
        },
    );
    common(program.command("destroy").description("destroy the stacks whose stack files were removed")).action((o: Common) => {
        result = destroy(o);
    });
    common(
        program
            .command("lifecycle")
            .description("the pull request's note on stacks created and destroyed")
            .option("--markdown", "as Markdown")
            .option("--json", "as JSON"),
    ).action((o: Common) => {
        const lifecycle = stackLifecycle(o.root, o.base);
        process.stdout.write(o.json ? JSON.stringify(lifecycle) + "\n" : lifecycleMarkdown(lifecycle));
    });
    (program as Command & { result?: () => Promise<number> }).result = () => result;
    return program;
}

export async function main(argv: string[]): Promise<number> {
    const program = command();
    try {
        program.parse(argv, { from: "user" });
        return await (program as Command & { result: () => Promise<number> }).result();
    } catch (e) {
        if (e instanceof CommanderError) {
            if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
            process.stderr.write(`error: ${e.message.replace(/^error: /, "")}\n`);
            return 2;
        }
        if (e instanceof UsageError || e instanceof AcceptedDoorsError || e instanceof WaveError) {
            process.stderr.write(`error: ${e.message}\n`);
            return 2;
        }
        throw e;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e: Error) => {
            process.stderr.write(`error: the deploy bot failed: ${e.message}\n`);
            process.exit(3);
        },
    );
}
