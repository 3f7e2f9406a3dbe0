/**
 * `node --require pulumi-offline-plan/register tools/deploy/verify/cli.ts --file verification.json [--timeout 900] [--poll 15] [--json]`
 *
 * Verifies the rollouts and health checks a stack's `verification` output names
 * (the file holds that output, or all of `pulumi stack output --json`). Prints a
 * line per check, or the results as JSON; exits 0 when every check is ok, 1
 * when one is not, 2 when the flags or the file are wrong.
 */
import * as fs from "node:fs";
import { Command, CommanderError } from "commander";
import { z } from "zod";
import type { RolloutTarget } from "../../../components/contracts";
import { defaultPollSeconds, defaultTimeoutSeconds, verify, type CheckResult, type Verification, type VerifyOptions } from "./index";

const usage =
    "Usage: node --require pulumi-offline-plan/register tools/deploy/verify/cli.ts --file verification.json [--timeout SECONDS] [--poll SECONDS] [--json]";

const text = z.string().min(1);
const rolloutTarget: z.ZodType<RolloutTarget> = z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("aws-autoscaling-group"), region: text, name: text }),
    z.object({ kind: z.literal("aws-ecs-service"), region: text, cluster: text, service: text }),
    z.object({ kind: z.literal("gcp-region-instance-group-manager"), project: text, region: text, name: text }),
    z.object({ kind: z.literal("alicloud-scaling-group"), region: text, scalingGroupId: text }),
    z.object({ kind: z.literal("kubernetes-deployment"), namespace: text, name: text }),
    z.object({ kind: z.literal("kubernetes-statefulset"), namespace: text, name: text }),
]);
const verificationSchema: z.ZodType<Verification> = z.object({
    rollouts: z.array(rolloutTarget),
    healthChecks: z.array(z.object({ name: text, url: z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" }) })),
});

/** A mistake in the flags or the file: exit 2, with a message that names what is wrong. */
class UsageError extends Error {}

interface Io {
    stdout: (line: string) => void;
    stderr: (line: string) => void;
}

interface Flags {
    file: string;
    timeout?: string;
    poll?: string;
    json?: boolean;
}

function parseFlags(argv: string[]): Flags | { help: string } {
    const cli = new Command("verify")
        .description("Verify the rollouts and health checks of a stack's `verification` output with each cloud's own SDK.")
        .requiredOption("-f, --file <file>", "the stack's `verification` output as JSON (or all of `pulumi stack output --json`)")
        .option("--timeout <seconds>", `how long the verification may take, polling included (default ${defaultTimeoutSeconds})`)
        .option("--poll <seconds>", `how long to wait between two looks at a rollout in progress (default ${defaultPollSeconds})`)
        .option("--json", "print the results as JSON")
        .exitOverride()
        .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    try {
        cli.parse(argv, { from: "user" });
    } catch (error) {
        if (error instanceof CommanderError && error.code === "commander.helpDisplayed") return { help: cli.helpInformation() };
        if (error instanceof CommanderError) throw new UsageError(`${error.message.replace(/^error: /, "")}. ${usage}`);
        throw error;
    }
    return cli.opts<Flags>();
}

function seconds(flag: string, given: string | undefined): number | undefined {
    if (given === undefined) return undefined;
    const value = Number(given);
    if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} ${given}: expected a number of seconds above 0.`);
    return value;
}

/** `rollouts[0].region`, as a person would point at the field. */
function fieldPath(path: PropertyKey[]): string {
    return path.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`)).join("") || "(the whole file)";
}

export function readVerification(file: string): Verification {
    let raw: string;
    try {
        raw = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new UsageError(`${file}: cannot be read (${(error as Error).message}).`);
    }
    let json: unknown;
    try {
        json = JSON.parse(raw);
    } catch (error) {
        throw new UsageError(`${file}: is not JSON (${(error as Error).message}).`);
    }
    // `pulumi stack output --json` prints every output; the one to verify is `verification`.
    if (json && typeof json === "object" && !Array.isArray(json) && "verification" in json && !("rollouts" in json)) {
        json = json.verification;
    }
    const parsed = verificationSchema.safeParse(json);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `  ${fieldPath(issue.path)}: ${issue.message}`);
        throw new UsageError(`${file}: not a verification ({ rollouts: RolloutTarget[], healthChecks: { name, url }[] }):\n${problems.join("\n")}`);
    }
    return parsed.data;
}

export function formatResult(result: CheckResult): string {
    return `${result.ok ? "ok  " : "FAIL"}  ${result.target}  ${result.state}  ${result.detail}`;
}

export async function main(argv: string[], io: Io, options: Pick<VerifyOptions, "clients" | "now" | "sleep"> = {}): Promise<number> {
    let flags: Flags | { help: string };
    let verification: Verification;
    let timeoutSeconds: number | undefined;
    let pollSeconds: number | undefined;
    try {
        flags = parseFlags(argv);
        if ("help" in flags) {
            io.stdout(flags.help);
            return 0;
        }
        timeoutSeconds = seconds("--timeout", flags.timeout);
        pollSeconds = seconds("--poll", flags.poll);
        verification = readVerification(flags.file);
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.stderr(`error: ${error.message}`);
        return 2;
    }
    const outcome = await verify(verification, { ...options, timeoutSeconds, pollSeconds });
    if (flags.json) {
        io.stdout(JSON.stringify(outcome, null, 2));
    } else {
        for (const result of outcome.results) io.stdout(formatResult(result));
        const failed = outcome.results.filter((r) => !r.ok).length;
        io.stderr(outcome.results.length === 0 ? "nothing to verify" : `${outcome.results.length - failed} of ${outcome.results.length} checks ok`);
    }
    return outcome.ok ? 0 : 1;
}

if (require.main === module) {
    main(process.argv.slice(2), { stdout: (line) => process.stdout.write(`${line}\n`), stderr: (line) => process.stderr.write(`${line}\n`) }).then(
        (code) => process.exit(code),
        (error) => {
            process.stderr.write(`error: the verification itself failed: ${(error as Error).stack ?? error}\n`);
            process.exit(1);
        },
    );
}
