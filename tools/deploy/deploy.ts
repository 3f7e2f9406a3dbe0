/**
 * The GitOps bot's apply: the stacks a merge affects, in waves (see waves.ts),
 * each previewed, checked for one-way doors, updated and verified; on the first
 * failure the failing stack is re-applied at its last good commit and verified
 * again, and every later stack of the run is left alone. What happened goes to
 * the job summary, and each verified update is recorded where a pull request
 * can read it without secrets (a git tag `deployed/<stack>/<sha>`) and where
 * the next rollback finds it (the stack tag `multicloud:last-good-commit`).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { acceptance, type AcceptedDoors } from "pulumi-offline-plan";
import { describePreviewDoor, doorsInPreview, type PreviewDoor, type PreviewStep } from "./preview-doors";
import { tail, type PulumiRunner } from "./pulumi-cli";
import type { Wave } from "./waves";

export const lastGoodTag = "multicloud:last-good-commit";

/** What the stack exports for the deploy to verify (stacks/index.ts builds it from the kits' rollouts). */
export interface Verification {
    rollouts: unknown[];
    healthChecks: { name: string; url: string }[];
}

export type Verifier = (verification: Verification) => Promise<{ ok: boolean; results: { target: string; ok: boolean; state: string; detail: string }[] }>;

export type Outcome =
    | "deployed"
    | "refused" // a one-way door review did not accept, or a preview that failed (a mandatory policy violation): nothing changed
    | "rolled back" // the update or its verification failed; the last good commit is live again and verified
    | "rollback failed" // the update failed and so did the re-apply of the last good commit
    | "failed, no rollback" // the update failed and there is no last good commit (a new stack)
    | "not run"; // an earlier stack of the run failed

export interface StackResult {
    stack: string;
    wave: number;
    outcome: Outcome;
    /** The commit that is live after the run, when known. */
    live?: string;
    lines: string[];
}

export interface DeployContext {
    /** The checkout of the commit being deployed. */
    root: string;
    organization: string;
    pulumi: PulumiRunner;
    doors: AcceptedDoors;
    verify: Verifier;
    log: (line: string) => void;
    /** Where the stack's environment's pack configuration lives, relative to a checkout. */
    packConfig: (environment: string) => string;
    /** Stacks that exist on no backend yet (their stack file is new). */
    created: Set<string>;
    /** Push the `deployed/<stack>/<sha>` tags to origin (off where nothing may be pushed). */
    pushTags: boolean;
}

function git(cwd: string, ...args: string[]): string {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

const qualified = (ctx: DeployContext, stack: string) => `${ctx.organization}/${stack}`;

/** The last commit whose update of the stack succeeded and was verified: the bot's stack tag, else the update history's `git.head`. */
export async function lastGoodCommit(ctx: DeployContext, stack: string, cwd: string = ctx.root): Promise<string | undefined> {
    const tag = await ctx.pulumi(["stack", "tag", "get", lastGoodTag, "--stack", qualified(ctx, stack)], { cwd });
    const fromTag = tag.stdout.trim();
    if (tag.code === 0 && /^[0-9a-f]{7,40}$/.test(fromTag)) return fromTag;
    const history = await ctx.pulumi(["stack", "history", "--json", "--stack", qualified(ctx, stack)], { cwd });
    if (history.code !== 0) return undefined;
    let updates: { kind?: string; result?: string; environment?: Record<string, string> }[];
    try {
        updates = JSON.parse(history.stdout || "[]");
    } catch {
        return undefined;
    }
    // Newest first, as the CLI lists them.
    return updates.find((u) => u.kind === "update" && u.result === "succeeded" && u.environment?.["git.head"])?.environment?.["git.head"];
}

interface Attempt {
    ok: boolean;
    /** Nothing was changed: a refusal before `pulumi up`. */
    untouched?: boolean;
    lines: string[];
}

/** Preview, door check, `pulumi up` and verification of one stack from one checkout, in its project's folder there. */
async function applyFrom(ctx: DeployContext, stack: string, environment: string, checkout: string, commit: string, project: string): Promise<Attempt> {
    const lines: string[] = [];
    const cwd = path.join(checkout, project);
    const name = qualified(ctx, stack);
    const pack = ["--policy-pack", path.join(checkout, "policies"), "--policy-pack-config", path.join(checkout, ctx.packConfig(environment))];
    const preview = await ctx.pulumi(["preview", "--json", "--stack", name, ...pack], { cwd });
    let steps: PreviewStep[];
    try {
        steps = (JSON.parse(preview.stdout) as { steps?: PreviewStep[] }).steps ?? [];
    } catch {
        steps = [];
        if (preview.code === 0)
            return {
                ok: false,
                untouched: true,
                lines: [`\`pulumi preview --json\` at ${commit.slice(0, 12)} printed no JSON plan: ${tail(preview.stdout + preview.stderr, 5)}`],
            };
    }
    if (preview.code !== 0) {
        return {
            ok: false,
            untouched: true,
            lines: [
                `\`pulumi preview\` at ${commit.slice(0, 12)} failed (exit ${preview.code}), so nothing was changed:`,
                "```",
                tail(preview.stderr || preview.stdout),
                "```",
            ],
        };
    }
    const doors = doorsInPreview(steps);
    const refused = doors.filter((d) => !acceptance(ctx.doors, stack, d.urn, d.oldUrn));
    if (refused.length > 0) {
        return {
            ok: false,
            untouched: true,
            lines: [
                `Refused ${refused.length} one-way door(s) that review did not accept in ${ctx.doors.file}; nothing was changed:`,
                ...refused.map((d) => `- ${describePreviewDoor(d)}`),
            ],
        };
    }
    for (const door of doors.filter((d) => d.protected)) {
        const target = unprotectTarget(door);
        const lifted = await ctx.pulumi(["state", "unprotect", target, "--stack", name, "--yes"], { cwd });
        if (lifted.code !== 0)
            return { ok: false, untouched: true, lines: [`Could not lift protection from ${target} (exit ${lifted.code}): ${tail(lifted.stderr, 5)}`] };
        lines.push(`Lifted protection from ${target}: accepted in ${ctx.doors.file}.`);
    }
    const up = await ctx.pulumi(["up", "--yes", "--diff", "--stack", name, "--message", `deploy ${commit}`, ...pack], { cwd });
    if (up.code !== 0)
        return {
            ok: false,
            lines: [...lines, `\`pulumi up\` at ${commit.slice(0, 12)} failed (exit ${up.code}):`, "```", tail(up.stderr || up.stdout), "```"],
        };
    const verified = await verifyStack(ctx, stack, cwd);
    return { ok: verified.ok, lines: [...lines, ...verified.lines] };
}

/** A protected resource that a rename deletes is protected under its old URN. */
function unprotectTarget(door: PreviewDoor): string {
    return door.kind === "rename" && door.oldUrn ? door.oldUrn : door.urn;
}

async function verifyStack(ctx: DeployContext, stack: string, cwd: string): Promise<{ ok: boolean; lines: string[] }> {
    const outputs = await ctx.pulumi(["stack", "output", "--json", "--stack", qualified(ctx, stack)], { cwd });
    let verification: Verification | undefined;
    try {
        verification = (JSON.parse(outputs.stdout || "{}") as { verification?: Verification }).verification;
    } catch {
        verification = undefined;
    }
    if (outputs.code !== 0 || !verification) {
        return {
            ok: false,
            lines: [
                `Cannot verify: the stack's \`verification\` output could not be read (exit ${outputs.code}); a deploy that cannot verify does not count as done.`,
            ],
        };
    }
    // `pulumi up` itself awaits a Kubernetes rollout (never skipAwait, a progress deadline, custom timeouts): a stuck or failed
    // one already failed the update. The hosted job holds no kubeconfig; on the private cloud the in-cluster guard reads them.
    const awaited = verification.rollouts.filter((r) => String((r as { kind?: string }).kind).startsWith("kubernetes-"));
    const checked = { ...verification, rollouts: verification.rollouts.filter((r) => !awaited.includes(r)) };
    const { ok, results } = await ctx.verify(checked);
    const lines = results.map((r) => `- ${r.ok ? "ok" : "FAILED"}: ${r.target}: ${r.state}, ${r.detail}`);
    for (const r of awaited as { kind: string; namespace: string; name: string }[])
        lines.push(`- ok: ${r.kind} ${r.namespace}/${r.name}: awaited by \`pulumi up\`, which fails when the rollout does not complete`);
    if (results.length === 0 && awaited.length === 0) lines.push("- the stack names no rollout and no health check to verify");
    return { ok, lines: [`Verification ${ok ? "passed" : "failed"}:`, ...lines] };
}

/** A checkout of another commit beside the repository, sharing its install when the lockfile is the same. */
export function checkoutOf(root: string, commit: string): { dir: string; remove: () => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `checkout-${commit.slice(0, 12)}-`));
    fs.rmSync(dir, { recursive: true });
    git(root, "worktree", "add", "--detach", dir, commit);
    const sameLock = (() => {
        try {
            git(root, "diff", "--quiet", commit, "HEAD", "--", "package.json", "package-lock.json");
            return true;
        } catch {
            return false;
        }
    })();
    if (!sameLock) execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    else if (fs.existsSync(path.join(root, "node_modules"))) fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
    return { dir, remove: () => git(root, "worktree", "remove", "--force", dir) };
}

async function recordGood(ctx: DeployContext, stack: string, commit: string, cwd: string): Promise<string[]> {
    const lines: string[] = [];
    const set = await ctx.pulumi(["stack", "tag", "set", lastGoodTag, commit, "--stack", qualified(ctx, stack)], { cwd });
    if (set.code !== 0)
        lines.push(`warning: could not set the stack tag ${lastGoodTag} (exit ${set.code}); the next rollback falls back to the update history.`);
    const tag = `deployed/${stack}/${commit}`;
    try {
        git(
            ctx.root,
            "-c",
            "user.name=multicloud-deploy",
            "-c",
            "user.email=deploy@users.noreply.github.com",
            "tag",
            "-f",
            "-a",
            tag,
            commit,
            "-m",
            `${stack} deployed and verified at ${commit}`,
        );
        if (ctx.pushTags) git(ctx.root, "push", "--force", "origin", `refs/tags/${tag}`);
    } catch (e) {
        lines.push(`warning: could not record ${tag}: ${(e as Error).message.split("\n")[0]}`);
    }
    return lines;
}

/** Updates one stack; on failure re-applies its last good commit. */
async function deployStack(ctx: DeployContext, stack: string, environment: string, wave: number, head: string, project: string): Promise<StackResult> {
    const name = qualified(ctx, stack);
    const lines: string[] = [];
    const isNew = ctx.created.has(stack);
    const cwd = path.join(ctx.root, project);
    const select = await ctx.pulumi(["stack", "select", name, ...(isNew ? ["--create"] : [])], { cwd });
    if (select.code !== 0) {
        return { stack, wave, outcome: "refused", lines: [`\`pulumi stack select ${name}\` failed (exit ${select.code}): ${tail(select.stderr, 5)}`] };
    }
    if (isNew) lines.push(`Created the stack ${name}: its stack file is new.`);
    const lastGood = isNew ? undefined : await lastGoodCommit(ctx, stack, cwd);
    const attempt = await applyFrom(ctx, stack, environment, ctx.root, head, project);
    lines.push(...attempt.lines);
    if (attempt.ok) {
        lines.push(...(await recordGood(ctx, stack, head, cwd)));
        return { stack, wave, outcome: "deployed", live: head, lines };
    }
    if (attempt.untouched) return { stack, wave, outcome: "refused", live: lastGood, lines };
    if (!lastGood) {
        lines.push(
            "No last good commit to go back to (a new stack, or none ever verified): the stack stays as the failed update left it. Fix forward, or destroy it.",
        );
        return { stack, wave, outcome: "failed, no rollback", lines };
    }
    lines.push(`Rolling back: re-applying ${stack} at its last good commit ${lastGood.slice(0, 12)}.`);
    let checkout: ReturnType<typeof checkoutOf> | undefined;
    try {
        checkout = checkoutOf(ctx.root, lastGood);
        const back = await applyFrom(ctx, stack, environment, checkout.dir, lastGood, project);
        lines.push(...back.lines);
        if (back.ok) return { stack, wave, outcome: "rolled back", live: lastGood, lines };
        lines.push(`The rollback did not verify: ${stack} needs a person now.`);
        return { stack, wave, outcome: "rollback failed", lines };
    } catch (e) {
        lines.push(`The rollback could not start: ${(e as Error).message.split("\n")[0]}`);
        return { stack, wave, outcome: "rollback failed", lines };
    } finally {
        checkout?.remove();
    }
}

/** Runs the waves in order; the first stack that does not deploy stops the run. */
export async function deployWaves(ctx: DeployContext, waves: Wave[]): Promise<StackResult[]> {
    const head = git(ctx.root, "rev-parse", "HEAD");
    const results: StackResult[] = [];
    let stopped: StackResult | undefined;
    for (const wave of waves) {
        for (const stack of wave.stacks) {
            if (stopped) {
                results.push({
                    stack,
                    wave: wave.number,
                    outcome: "not run",
                    lines: [`Not run: ${stopped.stack} (wave ${stopped.wave}) ${stopped.outcome === "refused" ? "was refused" : "failed"}.`],
                });
                continue;
            }
            ctx.log(`wave ${wave.number} (${wave.environment}): ${stack}`);
            const result = await deployStack(ctx, stack, wave.environment, wave.number, head, wave.project ?? ".");
            ctx.log(`wave ${wave.number} (${wave.environment}): ${stack}: ${result.outcome}`);
            results.push(result);
            if (result.outcome !== "deployed") stopped = result;
        }
    }
    return results;
}

export function summaryMarkdown(title: string, waves: Wave[], results: StackResult[]): string {
    const out = [`## ${title}`, ""];
    if (results.length === 0) return [...out, "No stack to apply.", ""].join("\n");
    out.push("| wave | stack | result | live commit |", "| --- | --- | --- | --- |");
    for (const r of results) {
        const env = waves.find((w) => w.number === r.wave)?.environment ?? "";
        const mark = r.outcome === "deployed" ? "✅" : r.outcome === "not run" ? "⏸️" : "❌";
        out.push(`| ${r.wave} (${env}) | ${r.stack} | ${mark} ${r.outcome} | ${r.live ? `\`${r.live.slice(0, 12)}\`` : "unknown"} |`);
    }
    out.push("");
    for (const r of results.filter((x) => x.outcome !== "not run")) {
        out.push(`<details><summary>${r.stack}: ${r.outcome}</summary>`, "", ...r.lines, "", "</details>", "");
    }
    return out.join("\n");
}
