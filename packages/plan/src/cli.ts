/**
 * `pulumi-offline-plan --stack NAME`: what `pulumi preview` would create for a
 * stack, and what the policy packs would block, with no CLI, credentials or
 * network. Flags follow `pulumi preview`'s; exit codes are in errors.ts and the
 * README. This file parses flags, checks them before anything runs, and writes
 * the results; what it knows of the project comes from `main`'s options.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Presets, SingleBar } from "cli-progress";
import { watch as chokidarWatch } from "chokidar";
import { Command, CommanderError, Option } from "commander";
import { ExitCode, PlanError } from "./errors";
import { AcceptedDoorsError, readAcceptedDoors } from "./accepted-doors";
import { readBasePlans } from "./base-plan";
import { planStacks, PolicySession, warmRunners } from "./plan";
import { listStacks, loadProject, loadStackConfig, type Project } from "./project";
import { parseConfigValue, stackConfigFor } from "./stack-config";
import { readPolicyPackConfig } from "./policy-config";
import { defaultPolicyTimeoutMs } from "./analyzer";
import type { ProjectFacts } from "./facts";

/** What a project gives the CLI: its facts, and what the CLI does when a flag is left out. */
export interface CliOptions extends ProjectFacts {
    /** The Pulumi project `--cwd` defaults to (default: the working directory). */
    projectDir?: string;
    /** The policy packs that judge the default project when no `--policy-pack` is given. */
    policyPacks?: string[];
    /** How users run the plan, for usage and the commands messages suggest (default `pulumi-offline-plan`). */
    command?: string;
}

const usage = (command: string) =>
    `Usage: ${command} --stack NAME [--cwd DIR] [--policy-pack DIR [--policy-pack-config FILE]] [--json [FILE]] [--diff] [--markdown FILE] [--base FILE] [--all]`;

/** The flags as parsed. */
interface Flags {
    stack?: string[];
    all?: boolean;
    cwd: string;
    policyPack?: string[];
    policyPackConfig?: string[];
    policyTimeout?: string;
    config?: string[];
    configFile?: string;
    target?: string[];
    targetDependents?: boolean;
    expectNoChanges?: boolean;
    suppressOutputs?: boolean;
    nonInteractive?: boolean;
    refresh?: boolean;
    json?: string | true;
    diff?: boolean;
    markdown?: string;
    base?: string;
    allowOneWayDoor?: string[];
    acceptedDoors?: string;
    verbose?: boolean;
    watch?: boolean;
}

const repeatable = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

const projectDirOf = (options: CliOptions) => path.resolve(options.projectDir ?? process.cwd());
const commandOf = (options: CliOptions) => options.command ?? "pulumi-offline-plan";

function command(defaults: Required<Pick<CliOptions, "projectDir">> & Pick<CliOptions, "policyPacks">): Command {
    return new Command("plan")
        .description("Offline plan: what `pulumi preview` would create for a stack, and what the policy packs would block.")
        .addOption(
            new Option(
                "-s, --stack <name>",
                "a stack to plan: NAME or org/project/NAME (stack file <stackConfigDir>/Pulumi.<NAME>.yaml); repeatable",
            ).argParser(repeatable),
        )
        .option("--all", "plan every stack of the project")
        .option("-C, --cwd <dir>", "the Pulumi project directory, as `pulumi preview --cwd`", defaults.projectDir)
        .addOption(
            new Option(
                "--policy-pack <dir>",
                `a CrossGuard policy pack directory (repeatable)${defaults.policyPacks?.length ? `; default: ${defaults.policyPacks.join(", ")} when planning ${defaults.projectDir}` : ""}`,
            ).argParser(repeatable),
        )
        .addOption(
            new Option("--policy-pack-config <file>", "configuration JSON of the policy pack given in the same position (repeatable)").argParser(repeatable),
        )
        .option("--policy-timeout <seconds>", `how long one call to a policy pack may take (default ${defaultPolicyTimeoutMs / 1000}, or PLAN_POLICY_TIMEOUT)`)
        .addOption(new Option("-c, --config <key=value>", "a configuration value on top of the stack file's (repeatable)").argParser(repeatable))
        .option("--config-file <file>", "read the stack's configuration from this file instead of its stack file")
        .addOption(new Option("-t, --target <urn>", "plan only this resource (repeatable)").argParser(repeatable))
        .option("--target-dependents", "with --target, also the resources that depend on a target")
        .option("--expect-no-changes", "exit 1 if the plan changes anything against --base")
        .option("--suppress-outputs", "leave the stack outputs out of the terminal view and the JSON")
        .option("--non-interactive", "accepted, as the plan never prompts")
        .option("--refresh", "refused: the offline plan cannot read the cloud")
        .option("-j, --json [file]", "write the JSON plan (a superset of `pulumi preview --json`) to the file, or to stdout without one")
        .option("--diff", "show each resource's properties: new values of a create, old and new values of a change")
        .option("--markdown <file>", "write the pull-request comment to a file")
        .option("--base <file>", "a JSON plan of the base branch to compare with (from --json)")
        .addOption(new Option("--allow-one-way-door <name>", "allow one one-way door, by resource name or URN (repeatable)").argParser(repeatable))
        .option("--accepted-doors <file>", "a committed YAML list of one-way doors review accepted (stack, urn, reason, acceptedBy, expires)")
        .option("-v, --verbose", "show the program's own output and stack traces")
        .option("-w, --watch", "plan again whenever a file of the project or of a policy pack changes, until interrupted")
        .exitOverride()
        .configureOutput({ writeErr: () => undefined });
}

function parse(argv: string[], options: CliOptions): Flags | "help" {
    const cli = command({ projectDir: projectDirOf(options), policyPacks: options.policyPacks });
    try {
        cli.parse(argv, { from: "user" });
        return cli.opts<Flags>();
    } catch (e) {
        if (!(e instanceof CommanderError)) throw e;
        if (e.code === "commander.helpDisplayed" || e.code === "commander.version") {
            process.stdout.write(cli.helpInformation());
            return "help";
        }
        throw new PlanError(2, `${e.message.replace(/^error: /, "")}. ${usage(commandOf(options))}`);
    }
}

/** Pulumi's stack names: letters, digits, `-`, `_` and `.`; `org/stack` names the organization, `org/project/stack` the project too. */
function stackName(given: string, project: Project): string {
    const parts = given.split("/");
    const valid = /^[A-Za-z0-9_.-]+$/;
    if (parts.length > 3 || parts.some((p) => !valid.test(p) || /^\.+$/.test(p))) {
        throw new PlanError(2, `--stack ${given} is no Pulumi stack name: use letters, digits, "-", "_" and ".", as NAME, org/NAME or org/project/NAME.`);
    }
    if (parts.length === 3 && parts[1] !== project.name) {
        throw new PlanError(2, `--stack ${given} names project ${parts[1]}, but ${project.dir} holds project ${project.name}.`);
    }
    // As the CLI reads it: NAME, org/NAME (the project is Pulumi.yaml's), or org/project/NAME.
    return parts[parts.length - 1];
}

/** An output file must be writable before the plan runs, not found unwritable after it. */
function checkWritable(flag: string, file: string): void {
    const target = path.resolve(file);
    const dir = path.dirname(target);
    if (!fs.existsSync(dir)) throw new PlanError(2, `${flag} ${file}: the directory ${dir} does not exist.`);
    if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw new PlanError(2, `${flag} ${file}: is a directory; name a file.`);
    try {
        fs.accessSync(fs.existsSync(target) ? target : dir, fs.constants.W_OK);
    } catch {
        throw new PlanError(2, `${flag} ${file}: cannot be written (no write permission).`);
    }
}

function policyTimeoutMs(given: string | undefined): number {
    const text = given ?? process.env.PLAN_POLICY_TIMEOUT;
    if (text === undefined) return defaultPolicyTimeoutMs;
    const seconds = Number(text);
    if (!Number.isFinite(seconds) || seconds <= 0) {
        throw new PlanError(2, `${given !== undefined ? "--policy-timeout" : "PLAN_POLICY_TIMEOUT"} ${text}: expected a number of seconds above 0.`);
    }
    return seconds * 1000;
}

function progressDisplay(total: number) {
    if (!process.stderr.isTTY) {
        return { update: (i: number, n: number, stack: string) => process.stderr.write(`[${i}/${n}] planning ${stack}\n`), stop: () => undefined };
    }
    const bar = new SingleBar({ format: "planning {bar} {value}/{total} {stack}", stream: process.stderr, hideCursor: true }, Presets.shades_classic);
    bar.start(total, 0, { stack: "" });
    return { update: (i: number, n: number, stack: string) => bar.update(Math.min(i, n) - 1, { stack }), stop: () => bar.stop() };
}

/** Everything the flags say, checked: each mistake is exit 2 before any program or pack starts. */
function validate(options: Flags, cliOptions: CliOptions) {
    if (options.refresh) {
        throw new PlanError(
            2,
            "--refresh reads each resource's state from the cloud; the offline plan has no cloud access and plans a stack that was never deployed. Run `pulumi preview --refresh` with credentials.",
        );
    }
    if (!options.stack === !options.all) {
        throw new PlanError(2, `Name one stack with --stack NAME, or plan every stack with --all. Example: ${commandOf(cliOptions)} --stack dev`);
    }
    if (!fs.existsSync(options.cwd) || !fs.statSync(options.cwd).isDirectory()) throw new PlanError(2, `--cwd ${options.cwd}: no such directory.`);
    const project = loadProject(options.cwd, cliOptions);
    const stacks = options.all ? listStacks(project) : options.stack!.map((s) => stackName(s, project));
    const organizations = [...new Set((options.stack ?? []).filter((s) => s.includes("/")).map((s) => s.split("/")[0]))];
    if (organizations.length > 1)
        throw new PlanError(2, `--stack names several organizations (${organizations.join(", ")}): plan one organization's stacks at a time.`);
    const values = Object.fromEntries((options.config ?? []).map(parseConfigValue));
    if (options.configFile && !fs.existsSync(options.configFile)) throw new PlanError(2, `--config-file ${options.configFile}: no such file.`);
    // Reading each stack's configuration now finds an unknown stack or a bad file before anything runs.
    for (const stack of stacks) {
        if (options.configFile) stackConfigFor(project, stack, { configFile: options.configFile, values });
        else loadStackConfig(project, stack);
    }
    const packs = options.policyPack ?? (path.resolve(options.cwd) === projectDirOf(cliOptions) ? (cliOptions.policyPacks ?? []) : []);
    for (const pack of packs) {
        if (!fs.existsSync(path.join(pack, "PulumiPolicy.yaml"))) {
            throw new PlanError(2, `--policy-pack ${pack}: no PulumiPolicy.yaml in ${path.resolve(pack)}; a CrossGuard policy pack directory has one.`);
        }
    }
    const configFiles = options.policyPackConfig ?? [];
    if (configFiles.length > 0 && configFiles.length !== packs.length) {
        throw new PlanError(
            2,
            `${configFiles.length} --policy-pack-config for ${packs.length} policy pack(s): give one --policy-pack-config per --policy-pack, in the same order.`,
        );
    }
    const packConfigs = configFiles.map(readPolicyPackConfig);
    if (typeof options.json === "string") checkWritable("--json", options.json);
    if (options.markdown) checkWritable("--markdown", options.markdown);
    const basePlans = options.base ? readBasePlans(options.base) : undefined;
    const acceptedDoors = options.acceptedDoors ? readDoorsFile(options.acceptedDoors) : undefined;
    if (options.targetDependents && !options.target) throw new PlanError(2, "--target-dependents needs --target URN.");
    return {
        project,
        stacks,
        organization: organizations[0],
        values,
        packs,
        packConfigs,
        basePlans,
        acceptedDoors,
        timeoutMs: policyTimeoutMs(options.policyTimeout),
    };
}

function readDoorsFile(file: string) {
    try {
        return readAcceptedDoors(file);
    } catch (e) {
        if (e instanceof AcceptedDoorsError) throw new PlanError(2, `--accepted-doors: ${e.message}`);
        throw e;
    }
}

type Checked = ReturnType<typeof validate> & { cliOptions: CliOptions };

function startSession(checked: Checked): Promise<PolicySession> | undefined {
    const session = checked.packs.length
        ? PolicySession.start(checked.packs, checked.packConfigs.length ? checked.packConfigs : {}, checked.timeoutMs)
        : undefined;
    // Seen when the first review awaits it; meanwhile a failed start must not end the process.
    session?.catch(() => undefined);
    return session;
}

/**
 * The CLI: parses `argv` (the arguments after the command), plans, prints and
 * writes what the flags ask for, and returns the exit code (errors.ts). What it
 * knows of the project comes from `options`.
 */
export async function main(argv: string[], cliOptions: CliOptions): Promise<number> {
    const options = parse(argv, cliOptions);
    if (options === "help") return ExitCode.clean;
    const checked = { ...validate(options, cliOptions), cliOptions };
    if (options.watch) return watchAndPlan(options, checked);
    // The packs start while the first program runs: both take seconds.
    const session = startSession(checked);
    try {
        return await planAndReport(options, checked, session);
    } finally {
        await Promise.all([
            session?.then(
                (started) => started.stop(),
                () => undefined,
            ),
            warmRunners.stop(),
        ]);
    }
}

/** What a watch ignores: dependencies, version control, caches, and the files the plan itself writes. */
function watchIgnores(options: Flags, roots: string[]): (file: string) => boolean {
    const written = new Set([options.json, options.markdown].filter((f): f is string => typeof f === "string").map((f) => path.resolve(f)));
    return (file) => {
        const absolute = path.resolve(file);
        if (written.has(absolute)) return true;
        const root = roots.find((r) => absolute === r || absolute.startsWith(r + path.sep));
        const parts = root ? path.relative(root, absolute).split(path.sep) : [];
        return parts.some((part) => part === "node_modules" || (part.startsWith(".") && part.length > 1));
    };
}

/**
 * `--watch`: plans once, then again after every change to the project's files or a
 * pack's, until interrupted. The runner stays between plans (the program's own
 * modules load anew, the SDKs stay loaded) and so do the packs, unless a pack's own
 * files changed: that pack's session starts again. A plan that fails says why and
 * the watch goes on.
 */
async function watchAndPlan(options: Flags, checked: Checked): Promise<number> {
    warmRunners.keepWarm();
    let session = startSession(checked);
    const packDirs = checked.packs.map((p) => path.resolve(p) + path.sep);
    const watched = [checked.project.dir, ...checked.packs.map((p) => path.resolve(p))];
    const planOnce = async (reason: string) => {
        const started = performance.now();
        let outcome: string;
        try {
            outcome = `exit ${await planAndReport(options, checked, session)}`;
        } catch (err) {
            const known = err instanceof PlanError;
            process.stderr.write(known ? `error: ${err.message}\n` : `error: the plan itself failed: ${(err as Error).message}\n`);
            outcome = `exit ${known ? err.exitCode : ExitCode.planFault}`;
        }
        process.stderr.write(
            `watch: planned ${reason} in ${((performance.now() - started) / 1000).toFixed(2)} s (${outcome}); watching for changes, Ctrl-C to stop.\n`,
        );
    };
    // Watching before the first plan: a change made while it runs is planned after it.
    const watcher = chokidarWatch(watched, { ignored: watchIgnores(options, watched), ignoreInitial: true });
    await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
    let changed: string[] = [];
    let planning = planOnce("at start");
    let timer: NodeJS.Timeout | undefined;
    const replan = async () => {
        const files = [...new Set(changed)];
        changed = [];
        const packChanged = files.some((f) => packDirs.some((dir) => path.resolve(f).startsWith(dir)));
        const packFailed = await session?.then(
            () => false,
            () => true,
        );
        if (packChanged || packFailed) {
            await (await session?.catch(() => undefined))?.stop();
            session = startSession(checked);
        }
        const shown = files.slice(0, 3).map((f) => path.relative(process.cwd(), f) || f);
        await planOnce(`after a change to ${shown.join(", ")}${files.length > 3 ? ` and ${files.length - 3} more` : ""}`);
    };
    // An editor's save is several events: plan once they settle, one plan at a time.
    watcher.on("all", (_event: string, file: string) => {
        changed.push(file);
        clearTimeout(timer);
        timer = setTimeout(() => {
            planning = planning.then(replan);
        }, 50);
    });
    await new Promise<void>((resolve) => process.once("SIGINT", resolve));
    clearTimeout(timer);
    await watcher.close();
    await planning.catch(() => undefined);
    await Promise.all([
        session?.then(
            (started) => started.stop(),
            () => undefined,
        ),
        warmRunners.stop(),
    ]);
    return ExitCode.clean;
}

/** One plan of the chosen stacks with the packs of the session: prints and writes every result, returns the exit code. */
async function planAndReport(options: Flags, checked: Checked, session: Promise<PolicySession> | undefined): Promise<number> {
    const { stacks, organization, values, basePlans, acceptedDoors, cliOptions } = checked;
    const several = stacks.length > 1 || Boolean(options.all);
    // The report's modules (review, diff, rendering) load once the program and the packs have started: nothing before needs them.
    // oxlint-disable-next-line typescript/no-require-imports -- loaded later on purpose, which a static import cannot be in CommonJS
    const report = new Promise((resolve) => setImmediate(resolve)).then((): typeof import("./report") => require("./report"));
    report.catch(() => undefined);
    // Progress goes to stderr, so stdout carries only the plan: a bar on a terminal, a line a stack in logs.
    const progress = several ? progressDisplay(stacks.length) : undefined;
    const runs = await planStacks(
        {
            cwd: options.cwd,
            stacks,
            organization,
            verbose: options.verbose,
            configFile: options.configFile,
            values,
            environmentsDir: cliOptions.environmentsDir,
        },
        session,
        (i, n, stack) => progress?.update(i, n, stack),
    ).finally(() => progress?.stop());
    return (await report).reportPlans(
        runs.map((r) => r.plan),
        { ...options, several, basePlans, acceptedDoors, facts: cliOptions, command: commandOf(cliOptions) },
    );
}

/** Runs `main` as a command does: its exit code ends the process; an error is one paragraph, with its detail under --verbose. */
export function run(argv: string[], cliOptions: CliOptions): void {
    main(argv, cliOptions).then(
        (code) => process.exit(code),
        (err) => {
            const verbose = argv.includes("--verbose") || argv.includes("-v");
            if (err instanceof PlanError) {
                process.stderr.write(`error: ${err.message}\n`);
                if (verbose && err.detail) process.stderr.write(`${err.detail}\n`);
                process.exit(err.exitCode);
            }
            process.stderr.write(`error: the plan itself failed: ${(err as Error).message}\n`);
            if (verbose) process.stderr.write(`${(err as Error).stack}\n`);
            process.exit(ExitCode.planFault);
        },
    );
}
