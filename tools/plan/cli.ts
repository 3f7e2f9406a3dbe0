/**
 * `npm run plan -- --stack NAME`: what `pulumi preview` would create for a stack,
 * and what the policy packs would block, with no CLI, credentials or network.
 *
 * Exit codes: 0 clean; 1 a mandatory violation or a blocked one-way door (with
 * --base); 2 bad usage, unknown stack, invalid configuration, or a program that throws.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Presets, SingleBar } from "cli-progress";
import { Command, CommanderError, Option } from "commander";
import { PlanError } from "./errors";
import { estimateCost } from "./cost";
import { blockedDoors, diffPlans, readBasePlans } from "./diff";
import { renderMarkdown } from "./markdown";
import { hasMandatoryViolation, planStacks, PolicySession } from "./plan";
import { listStacks, loadProject, loadStackConfig } from "./project";
import { describeDoor, renderTerminal, type ReviewedPlan } from "./render";
import type { PolicyPackConfig } from "./analyzer";

const projectRoot = path.resolve(__dirname, "..", "..");

interface CliOptions {
    stack?: string[];
    all?: boolean;
    cwd: string;
    policyPack?: string[];
    policyPackConfig?: string;
    json?: string;
    markdown?: string;
    base?: string;
    allowOneWayDoor?: string[];
    verbose?: boolean;
}

function command(): Command {
    return new Command("plan")
        .description("Offline plan: what `pulumi preview` would create for a stack, and what the policy packs would block.")
        .addOption(
            new Option("-s, --stack <name>", "a stack to plan (stack file <stackConfigDir>/Pulumi.<name>.yaml); repeatable").argParser(
                (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
            ),
        )
        .option("--all", "plan every stack of the project")
        .option("-C, --cwd <dir>", "the Pulumi project directory, as `pulumi preview --cwd`", projectRoot)
        .addOption(
            new Option("--policy-pack <dir>", "a CrossGuard policy pack directory (repeatable); default: this project's policies/ when planning this project").argParser(
                (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
            ),
        )
        .option("--policy-pack-config <file>", "policy pack configuration JSON, as `pulumi preview --policy-pack-config`")
        .option("--json <file>", "write the machine-readable plan to a file")
        .option("--markdown <file>", "write the pull-request comment to a file")
        .option("--base <file>", "a JSON plan of the base branch to compare with (from --json, one stack or --all)")
        .addOption(
            new Option("--allow-one-way-door <name>", "allow one one-way door, by resource name or URN (repeatable)").argParser(
                (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
            ),
        )
        .option("-v, --verbose", "show the program's own output and stack traces")
        .exitOverride()
        .configureOutput({ writeErr: () => undefined });
}

function progressDisplay(total: number) {
    if (!process.stderr.isTTY) {
        return { update: (i: number, n: number, stack: string) => process.stderr.write(`[${i}/${n}] planning ${stack}\n`), stop: () => undefined };
    }
    const bar = new SingleBar({ format: "planning {bar} {value}/{total} {stack}", stream: process.stderr, hideCursor: true }, Presets.shades_classic);
    bar.start(total, 0, { stack: "" });
    return { update: (i: number, n: number, stack: string) => bar.update(Math.min(i, n) - 1, { stack }), stop: () => bar.stop() };
}

function readPolicyConfig(file: string | undefined): PolicyPackConfig {
    if (!file) return {};
    if (!fs.existsSync(file)) throw new PlanError(2, `--policy-pack-config ${file}: no such file.`);
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
    } catch (e) {
        throw new PlanError(2, `--policy-pack-config ${file} is not valid JSON: ${(e as Error).message}`);
    }
}

/** The cost of the plan and, against a base plan, its change (the base's own cost when it carries one). */
function withCost(plan: ReviewedPlan, base: Partial<ReviewedPlan> | undefined): void {
    plan.cost = estimateCost(plan.resources);
    if (!base) return;
    const baseMonthlyUsd = base.cost?.monthlyUsd ?? estimateCost(base.resources ?? []).monthlyUsd;
    plan.costChange = { baseMonthlyUsd, monthlyUsd: plan.cost.monthlyUsd, deltaUsd: plan.cost.monthlyUsd - baseMonthlyUsd };
}

function defaultPolicyPacks(cwd: string, given: string[] | undefined): string[] {
    if (given) return given;
    return path.resolve(cwd) === projectRoot ? [path.join(projectRoot, "policies")] : [];
}

export async function main(argv: string[]): Promise<number> {
    const cli = command();
    let options: CliOptions;
    try {
        cli.parse(argv, { from: "user" });
        options = cli.opts<CliOptions>();
    } catch (e) {
        if (e instanceof CommanderError) {
            if (e.code === "commander.helpDisplayed" || e.code === "commander.version") {
                process.stdout.write(cli.helpInformation());
                return 0;
            }
            throw new PlanError(2, `${e.message.replace(/^error: /, "")}. Usage: npm run plan -- --stack NAME [--cwd DIR] [--policy-pack DIR] [--json FILE] [--markdown FILE] [--base FILE] [--all]`);
        }
        throw e;
    }
    if (!options.stack === !options.all) {
        throw new PlanError(2, "Name one stack with --stack NAME, or plan every stack with --all. Example: npm run plan -- --stack transactional-dev");
    }
    const project = loadProject(options.cwd);
    const stacks = options.all ? listStacks(project) : options.stack!;
    const several = stacks.length > 1 || Boolean(options.all);
    const policyConfig = readPolicyConfig(options.policyPackConfig);
    const packs = defaultPolicyPacks(options.cwd, options.policyPack);
    // The packs start while the first program runs: both take seconds.
    const session = packs.length ? PolicySession.start(packs, policyConfig) : undefined;
    session?.catch(() => undefined);
    const basePlans = options.base ? readBasePlans(options.base) : undefined;
    const allow = options.allowOneWayDoor ?? [];
    const plans: ReviewedPlan[] = [];
    try {
        // Progress goes to stderr, so stdout carries only the plan: a bar on a terminal, a line a stack in logs.
        const progress = several ? progressDisplay(stacks.length) : undefined;
        const runs = await planStacks({ cwd: options.cwd, stacks, verbose: options.verbose }, session, (i, n, stack) => progress?.update(i, n, stack)).finally(
            () => progress?.stop(),
        );
        for (const [i, stack] of stacks.entries()) {
            const { plan } = runs[i];
            const reviewed: ReviewedPlan = plan;
            const base = basePlans?.get(stack);
            if (basePlans) {
                const label = base ? `${options.base} (${stack})` : `${options.base} (no plan of ${stack}: a new stack)`;
                reviewed.diff = diffPlans(base ?? { resources: [] }, plan, allow, label);
            }
            withCost(reviewed, base);
            plans.push(reviewed);
            process.stdout.write(renderTerminal(reviewed) + "\n\n");
        }
    } finally {
        await (await session?.catch(() => undefined))?.stop();
    }
    if (options.json) {
        const body = several ? { plans } : plans[0];
        fs.writeFileSync(options.json, JSON.stringify(body, null, 2) + "\n");
    }
    if (options.markdown) {
        const workloads = Object.fromEntries(
            stacks.map((stack) => [stack, loadStackConfig(project, stack).config[`${project.name}:workload`] ?? stack.replace(/-[^-]+$/, "")]),
        );
        fs.writeFileSync(options.markdown, renderMarkdown(plans, { workloads }));
    }
    const known = new Set(plans.flatMap((p) => (p.diff?.oneWayDoors ?? []).flatMap((d) => [d.name, d.urn, d.oldName, d.oldUrn])));
    for (const name of allow.filter((n) => !known.has(n))) {
        process.stderr.write(`warning: --allow-one-way-door ${name} names no one-way door of this plan.\n`);
    }
    const blocked = plans.flatMap((p) => blockedDoors(p.diff).map((d) => ({ stack: p.stack, door: d })));
    for (const { stack, door } of blocked) {
        process.stderr.write(`error: ${stack}: one-way door: ${describeDoor(door)}. Add an alias, or allow it with --allow-one-way-door ${door.name}.\n`);
    }
    return plans.some(hasMandatoryViolation) || blocked.length > 0 ? 1 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err) => {
            const verbose = process.argv.includes("--verbose") || process.argv.includes("-v");
            if (err instanceof PlanError) {
                process.stderr.write(`error: ${err.message}\n`);
                if (verbose && err.detail) process.stderr.write(`${err.detail}\n`);
                process.exit(err.exitCode);
            }
            process.stderr.write(`error: the plan itself failed: ${(err as Error).message}\n`);
            if (verbose) process.stderr.write(`${(err as Error).stack}\n`);
            process.exit(3);
        },
    );
}
