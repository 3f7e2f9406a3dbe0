/**
 * `npm run plan -- --stack NAME`: what `pulumi preview` would create for a stack,
 * and what the policy packs would block, with no CLI, credentials or network.
 *
 * Exit codes: 0 no mandatory violation; 1 a mandatory violation; 2 bad usage,
 * unknown stack, invalid configuration, or a program that throws.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { PlanError } from "./errors";
import { hasMandatoryViolation, planStack, PolicySession, type Plan } from "./plan";
import { listStacks, loadProject } from "./project";
import { renderTerminal } from "./render";
import type { PolicyPackConfig } from "./analyzer";

const projectRoot = path.resolve(__dirname, "..", "..");

interface CliOptions {
    stack?: string;
    all?: boolean;
    cwd: string;
    policyPack?: string[];
    policyPackConfig?: string;
    json?: string;
    markdown?: string;
    base?: string;
    verbose?: boolean;
}

function command(): Command {
    return new Command("plan")
        .description("Offline plan: what `pulumi preview` would create for a stack, and what the policy packs would block.")
        .option("-s, --stack <name>", "the stack to plan (stack file <stackConfigDir>/Pulumi.<name>.yaml)")
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
        .option("--base <file>", "a JSON plan of the base branch to compare with")
        .option("-v, --verbose", "show the program's own output and stack traces")
        .exitOverride()
        .configureOutput({ writeErr: () => undefined });
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
    const stacks = options.all ? listStacks(project) : [options.stack!];
    const policyConfig = readPolicyConfig(options.policyPackConfig);
    const packs = defaultPolicyPacks(options.cwd, options.policyPack);
    const session = packs.length ? await PolicySession.start(packs, policyConfig) : undefined;
    const plans: Plan[] = [];
    try {
        for (const [i, stack] of stacks.entries()) {
            if (options.all) process.stderr.write(`[${i + 1}/${stacks.length}] planning ${stack}\n`);
            const { plan } = await planStack({ cwd: options.cwd, stack, verbose: options.verbose }, session);
            plans.push(plan);
            process.stdout.write(renderTerminal(plan) + "\n\n");
        }
    } finally {
        await session?.stop();
    }
    if (options.json) {
        const body = options.all ? { plans } : plans[0];
        fs.writeFileSync(options.json, JSON.stringify(body, null, 2) + "\n");
    }
    return plans.some(hasMandatoryViolation) ? 1 : 0;
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
