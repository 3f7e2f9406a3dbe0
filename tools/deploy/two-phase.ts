/**
 * Two-phase changes, checked in review. A protocol setting
 * (`multicloud:protocol.settings.<name>`: `accept`, the values readers take, and
 * `use`, the value writers write) alters what versions of a workload exchange or
 * store; old and new versions run side by side in every rollout and rollback, so
 * it changes in two deploys:
 *
 * - prepare: `accept` gains a value, `use` stays;
 * - activate: `use` moves to a value that every stack of the workload has
 *   accepted, deployed and verified for at least the bake period
 *   (`multicloud:protocol.bakeDays` as the base branch has it, 3 days unless set);
 * - retire: `accept` loses a value that no stack of the workload uses, as
 *   configured or as deployed.
 *
 * Anything else (both at once, `use` outside `accept`, dropping a value still in
 * use) is refused with the reason. The deploy history is read without secrets from
 * the annotated tags the deploy bot writes for each verified update,
 * `deployed/<stack>/<sha>`, with the tagger's time.
 *
 * Renaming a converter group's consumer group restarts it from nothing: the
 * converters replay the whole source. The plan and the deploy already refuse it
 * as a one-way door (the group's ConfigMap changes URN, see
 * components/kubernetes/converter-group.ts) until deploy/accepted-doors.yaml
 * accepts it; this report says what the door costs (the source and its size,
 * `multicloud:converters.sourceSizeGib`) and whether it is accepted.
 *
 *   node --require pulumi-offline-plan/register tools/deploy/two-phase.ts --base origin/main [--markdown FILE] [--json] [--now ISO]
 *
 * Exit codes: 0 nothing refused, 1 a change refused, 2 bad usage.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError } from "commander";
import { parse } from "yaml";
import { AcceptedDoorsError, readAcceptedDoors, type AcceptedDoor, type AcceptedDoors } from "pulumi-offline-plan";
import { defaultAcceptedDoorsFile } from "../../plan.config";

const dayMs = 24 * 3600 * 1000;
export const defaultBakeDays = 3;

export interface ProtocolSetting {
    accept: string[];
    use: string;
}

/** What this check reads of one stack file. */
export interface StackFacts {
    workload?: string;
    bakeDays: number;
    settings: Record<string, ProtocolSetting>;
    converters?: { consumerGroup?: string; sourceEndpoint?: string; sourceSizeGib?: number };
}

/** A value written as a YAML scalar, as text; anything else as no value. */
const scalarText = (value: unknown) => (typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : "");

/** A stack file's text as this check reads it; values are taken as written, since the schema may not hold yet. */
export function stackFacts(text: string): StackFacts {
    const config = (parse(text) as { config?: Record<string, unknown> } | null)?.config ?? {};
    const protocol = (config["multicloud:protocol"] ?? {}) as { bakeDays?: unknown; settings?: Record<string, { accept?: unknown; use?: unknown }> };
    const settings = Object.fromEntries(
        Object.entries(protocol.settings ?? {}).map(([name, s]) => [
            name,
            { accept: Array.isArray(s?.accept) ? s.accept.map(String) : [], use: scalarText(s?.use) },
        ]),
    );
    const converters = config["multicloud:converters"];
    return {
        workload: typeof config["multicloud:workload"] === "string" ? config["multicloud:workload"] : undefined,
        bakeDays: typeof protocol.bakeDays === "number" && protocol.bakeDays >= 0 ? protocol.bakeDays : defaultBakeDays,
        settings,
        converters: converters && typeof converters === "object" ? converters : undefined,
    };
}

export interface Deploy {
    stack: string;
    commit: string;
    /** When the deploy bot recorded it: the annotated tag's tagger date. */
    at: Date;
}

/** Where a stack's deploys and its stack file at each deployed commit come from. */
export interface DeployHistory {
    /** Every verified deploy, oldest first. */
    deploys: Deploy[];
    /** The stack's facts at a deployed commit, or undefined when its file is absent there. */
    factsAt(stack: string, commit: string): StackFacts | undefined;
}

function git(root: string, ...args: string[]): string {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
}

/** The history the deploy bot left in the repository: `deployed/<stack>/<sha>` tags with their tagger dates. */
export function gitHistory(root: string): DeployHistory {
    const lines = git(root, "for-each-ref", "refs/tags/deployed/", "--format=%(refname:strip=3)%09%(taggerdate:iso-strict)%09%(*objectname)%09%(objectname)")
        .split("\n")
        .filter(Boolean);
    const deploys = lines.flatMap((line) => {
        const [name, date, peeled, object] = line.split("\t");
        const slash = name.lastIndexOf("/");
        const at = new Date(date);
        // A lightweight tag has no tagger date: it is not the bot's record.
        if (slash <= 0 || !date || Number.isNaN(at.getTime())) return [];
        return [{ stack: name.slice(0, slash), commit: peeled || object, at }];
    });
    deploys.sort((a, b) => a.at.getTime() - b.at.getTime());
    const cache = new Map<string, StackFacts | undefined>();
    return {
        deploys,
        factsAt(stack, commit) {
            const key = `${stack}@${commit}`;
            if (!cache.has(key)) {
                let facts: StackFacts | undefined;
                try {
                    facts = stackFacts(git(root, "show", `${commit}:stacks/Pulumi.${stack}.yaml`));
                } catch {
                    facts = undefined;
                }
                cache.set(key, facts);
            }
            return cache.get(key);
        },
    };
}

/** Every stack file's facts in a directory (the working tree) or at a commit. */
export function stacksInTree(root: string): Record<string, StackFacts> {
    const dir = path.join(root, "stacks");
    return Object.fromEntries(
        fs.readdirSync(dir).flatMap((file) => {
            const match = /^Pulumi\.(.+)\.yaml$/.exec(file);
            return match ? [[match[1], stackFacts(fs.readFileSync(path.join(dir, file), "utf8"))] as const] : [];
        }),
    );
}

export function stacksAtCommit(root: string, ref: string): Record<string, StackFacts> {
    const files = git(root, "ls-tree", "--name-only", ref, "stacks/").split("\n").filter(Boolean);
    return Object.fromEntries(
        files.flatMap((file) => {
            const match = /^stacks\/Pulumi\.(.+)\.yaml$/.exec(file);
            return match ? [[match[1], stackFacts(git(root, "show", `${ref}:${file}`))] as const] : [];
        }),
    );
}

/** Since when the stack's deployed commits have accepted the value without a break, or why they have not. */
export type Acceptance = { state: "accepted"; since: Date } | { state: "not-deployed-with-it"; latest: Deploy } | { state: "never-deployed" };

export function acceptanceOf(history: DeployHistory, stack: string, setting: string, value: string): Acceptance {
    const deploys = history.deploys.filter((d) => d.stack === stack);
    if (deploys.length === 0) return { state: "never-deployed" };
    let since: Date | undefined;
    for (const d of deploys) {
        const accepts = history.factsAt(stack, d.commit)?.settings[setting]?.accept.includes(value) ?? false;
        since = accepts ? (since ?? d.at) : undefined;
    }
    return since ? { state: "accepted", since } : { state: "not-deployed-with-it", latest: deploys[deploys.length - 1] };
}

/** The value the stack's latest verified deploy writes, if it declared the setting then. */
function deployedUse(history: DeployHistory, stack: string, setting: string): string | undefined {
    const latest = history.deploys.filter((d) => d.stack === stack).pop();
    return latest && history.factsAt(stack, latest.commit)?.settings[setting]?.use;
}

export type Phase = "declare" | "prepare" | "activate" | "retire" | "remove" | "prepared";

export interface Finding {
    stack: string;
    setting: string;
    /** What the change is; "prepared" for a value accepted earlier and not yet used, which this change leaves alone. */
    phase: Phase;
    /** The change in words. */
    change: string;
    /** Where it stands: per stack of the workload, since when it accepts the value, and when writers may use it. */
    standing: string;
    /** Why the change is refused; absent when it may go ahead. */
    refused?: string;
}

export interface Replay {
    stack: string;
    from: string;
    to: string;
    source?: string;
    sizeGib?: number;
    /** The accepted-doors entry for the group's rename, when there is one. */
    accepted?: AcceptedDoor;
}

export interface TwoPhaseReport {
    findings: Finding[];
    replays: Replay[];
}

export interface TwoPhaseInput {
    base: Record<string, StackFacts>;
    head: Record<string, StackFacts>;
    history: DeployHistory;
    now: Date;
    acceptedDoors?: AcceptedDoors;
}

const day = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
const days = (ms: number) => `${(ms / dayMs).toFixed(1)} days`;
const listed = (values: string[]) => values.map((v) => `\`${v}\``).join(", ");

/**
 * Where a value stands on the way to being used: for each stack of the workload,
 * since when its deploys accept it; ready when all have for the bake period.
 */
function standingOf(
    input: TwoPhaseInput,
    stacks: string[],
    setting: string,
    value: string,
    bakeDays: number,
): { ready: boolean; words: string; blockers: string[] } {
    const bake = bakeDays * dayMs;
    const parts: string[] = [];
    const blockers: string[] = [];
    let readyAt = 0;
    for (const stack of stacks) {
        const a = acceptanceOf(input.history, stack, setting, value);
        if (a.state === "accepted") {
            const held = input.now.getTime() - a.since.getTime();
            readyAt = Math.max(readyAt, a.since.getTime() + bake);
            parts.push(`${stack}: accepted since ${day(a.since)} (${days(held)}${held >= bake ? ", baked" : ` of ${bakeDays}`})`);
            if (held < bake)
                blockers.push(
                    `${stack} has accepted it for ${days(held)} only, not the ${bakeDays} days of the bake period (until ${day(new Date(a.since.getTime() + bake))})`,
                );
        } else if (a.state === "not-deployed-with-it") {
            parts.push(`${stack}: not deployed with it yet (last deploy ${day(a.latest.at)})`);
            blockers.push(`${stack} has not deployed a commit that accepts it`);
        } else {
            parts.push(`${stack}: never deployed`);
            blockers.push(`${stack} has never been deployed, so it has not run it`);
        }
    }
    const ready = blockers.length === 0;
    const when = ready
        ? "ready to activate"
        : blockers.every((b) => b.includes("bake period"))
          ? `activate after ${day(new Date(readyAt))}`
          : "activate once every stack has deployed it and the bake period has passed";
    return { ready, words: `${when}: ${parts.join("; ")}`, blockers };
}

/** Judges every protocol setting that the change touches, and reports the values prepared earlier and not yet used. */
export function checkTwoPhase(input: TwoPhaseInput): TwoPhaseReport {
    const findings: Finding[] = [];
    const workloadOf = (stack: string) => input.head[stack]?.workload ?? input.base[stack]?.workload;
    // Stacks that run: those whose file the base branch has. A stack new in this change runs nothing yet.
    const stacksOf = (workload: string | undefined) =>
        Object.keys(input.base)
            .filter((s) => input.base[s].workload === workload)
            .sort();
    const inUse = (workload: string | undefined, setting: string) =>
        new Set(
            stacksOf(workload)
                .flatMap((s) => [input.base[s]?.settings[setting]?.use, input.head[s]?.settings[setting]?.use, deployedUse(input.history, s, setting)])
                .filter((v): v is string => Boolean(v)),
        );

    for (const stack of [...new Set([...Object.keys(input.base), ...Object.keys(input.head)])].sort()) {
        const [before, after] = [input.base[stack], input.head[stack]];
        const workload = workloadOf(stack);
        const bakeDays = before?.bakeDays ?? after?.bakeDays ?? defaultBakeDays;
        const names = [...new Set([...Object.keys(before?.settings ?? {}), ...Object.keys(after?.settings ?? {})])].sort();
        for (const setting of names) {
            const [b, h] = [before?.settings[setting], after?.settings[setting]];
            const at = { stack, setting };
            if (!h) {
                if (!after) continue; // the stack file is removed: the lifecycle note says so
                const retired = b.accept.length === 1 && b.accept[0] === b.use;
                findings.push({
                    ...at,
                    phase: "remove",
                    change: `removes the setting (readers accepted ${listed(b.accept)}, writers used \`${b.use}\`)`,
                    standing: retired ? "removed: the processes no longer get it" : "refused",
                    refused: retired
                        ? undefined
                        : `readers still accept ${listed(b.accept)} while writers use \`${b.use}\`: retire the other values first, then remove the setting`,
                });
                continue;
            }
            if (!h.accept.includes(h.use)) {
                findings.push({
                    ...at,
                    phase: b ? "activate" : "declare",
                    change: `writers would use \`${h.use}\``,
                    standing: "refused",
                    refused: `\`${h.use}\` is outside accept (${listed(h.accept)}): no reader would take what writers write`,
                });
                continue;
            }
            if (!b) {
                findings.push({
                    ...at,
                    phase: "declare",
                    change: `declares it: readers accept ${listed(h.accept)}, writers use \`${h.use}\``,
                    standing: before ? "declared" : "declared with the new stack",
                });
                continue;
            }
            const added = h.accept.filter((v) => !b.accept.includes(v));
            const dropped = b.accept.filter((v) => !h.accept.includes(v));
            const moved = h.use !== b.use;
            if (moved && (added.length > 0 || dropped.length > 0)) {
                const accepts = [added.length ? `adds ${listed(added)} to accept` : "", dropped.length ? `drops ${listed(dropped)} from accept` : ""]
                    .filter(Boolean)
                    .join(" and ");
                findings.push({
                    ...at,
                    phase: "activate",
                    change: `${accepts} and moves use from \`${b.use}\` to \`${h.use}\``,
                    standing: "refused",
                    refused:
                        "both phases at once: readers must accept a value in one deploy, and writers use it in a later one, once every stack has run the readers for the bake period",
                });
                continue;
            }
            if (moved) {
                const stacks = stacksOf(workload);
                const s = standingOf(input, stacks, setting, h.use, bakeDays);
                const outside = b.accept.includes(h.use) ? [] : [`\`${h.use}\` was not accepted before this change`];
                const blockers = [...outside, ...s.blockers];
                findings.push({
                    ...at,
                    phase: "activate",
                    change: `moves use from \`${b.use}\` to \`${h.use}\``,
                    standing: blockers.length ? "refused" : s.words,
                    refused: blockers.length
                        ? `every stack of ${workload ?? "the workload"} must accept \`${h.use}\`, deployed and verified, for ${bakeDays} days first: ${blockers.join("; ")}`
                        : undefined,
                });
                continue;
            }
            const used = inUse(workload, setting);
            const stillUsed = dropped.filter((v) => used.has(v));
            if (stillUsed.length > 0) {
                findings.push({
                    ...at,
                    phase: "retire",
                    change: `drops ${listed(dropped)} from accept`,
                    standing: "refused",
                    refused: `${listed(stillUsed)} is still written by a stack of ${workload ?? "the workload"} (as configured or as deployed): move use away and deploy that first`,
                });
                continue;
            }
            if (added.length > 0) {
                const stacks = stacksOf(workload);
                for (const value of added) {
                    findings.push({
                        ...at,
                        phase: "prepare",
                        change: `readers accept \`${value}\` too; writers keep \`${h.use}\``,
                        standing: standingOf(input, stacks, setting, value, bakeDays).words,
                    });
                }
            }
            if (dropped.length > 0)
                findings.push({ ...at, phase: "retire", change: `readers stop accepting ${listed(dropped)}, which no stack uses`, standing: "retired" });
        }
    }

    // Values prepared earlier that this change leaves alone, where they stand. A value the stack wrote before is
    // an old one waiting to be retired, not a new one waiting to be used.
    const touched = new Set(findings.map((f) => `${f.stack}/${f.setting}`));
    const writtenBefore = (stack: string, setting: string) =>
        new Set([
            input.base[stack]?.settings[setting]?.use,
            ...input.history.deploys.filter((d) => d.stack === stack).map((d) => input.history.factsAt(stack, d.commit)?.settings[setting]?.use),
        ]);
    for (const [stack, facts] of Object.entries(input.head).sort(([a], [b]) => a.localeCompare(b))) {
        if (!input.base[stack]) continue;
        for (const [setting, s] of Object.entries(facts.settings)) {
            if (touched.has(`${stack}/${setting}`)) continue;
            const written = writtenBefore(stack, setting);
            for (const value of s.accept.filter((v) => v !== s.use && !written.has(v))) {
                findings.push({
                    stack,
                    setting,
                    phase: "prepared",
                    change: `\`${value}\` accepted, not yet used (writers use \`${s.use}\`)`,
                    standing: standingOf(input, stacksOf(facts.workload), setting, value, facts.bakeDays).words,
                });
            }
        }
    }

    const replays: Replay[] = [];
    for (const [stack, after] of Object.entries(input.head).sort(([a], [b]) => a.localeCompare(b))) {
        const [from, to] = [input.base[stack]?.converters?.consumerGroup, after.converters?.consumerGroup];
        if (!from || !to || from === to) continue;
        // The group's ConfigMap is named `<prefix>-cdc-group-<consumer group>`: its URN ends with that name.
        const accepted = input.acceptedDoors?.accepted.find(
            (d) => d.stack === stack && d.urn.includes("$kubernetes:core/v1:ConfigMap::") && [from, to].some((g) => d.urn.endsWith(`-group-${g}`)),
        );
        replays.push({ stack, from, to, source: after.converters?.sourceEndpoint, sizeGib: after.converters?.sourceSizeGib, accepted });
    }
    return { findings, replays };
}

/** A value a pull request controls, as table-cell text: no pipe or line break may end the cell. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

export function renderMarkdown(report: TwoPhaseReport, acceptedDoorsFile = defaultAcceptedDoorsFile): string {
    if (report.findings.length === 0 && report.replays.length === 0) return "";
    const out = ["## Two-phase changes", ""];
    const refused = report.findings.filter((f) => f.refused);
    if (refused.length > 0)
        out.push(`**Refused: ${refused.length} protocol change(s)** go out in one deploy where two are needed (prepare, then activate).`, "");
    if (report.findings.length > 0) {
        out.push("| Stack | Setting | Phase | Change | Where it stands |", "| --- | --- | --- | --- | --- |");
        for (const f of report.findings) {
            const standing = f.refused ? `❌ refused: ${f.refused}` : f.standing;
            out.push(`| ${cell(f.stack)} | \`${cell(f.setting)}\` | ${f.phase} | ${cell(f.change)} | ${cell(standing)} |`);
        }
        out.push("");
    }
    for (const r of report.replays) {
        const size = r.sizeGib === undefined ? "size not configured: set `multicloud:converters.sourceSizeGib`" : `${r.sizeGib.toLocaleString("en-US")} GiB`;
        out.push(
            `**${cell(r.stack)}: the consumer group \`${cell(r.from)}\` is renamed \`${cell(r.to)}\`.** The source keeps the group's position under its name, so the converters start from nothing and replay the whole source (${cell(r.source ?? "the source")}, ${size}). ` +
                (r.accepted
                    ? `Accepted as a one-way door in \`${acceptedDoorsFile}\` by ${cell(r.accepted.acceptedBy)}: ${cell(r.accepted.reason)}`
                    : `It is a one-way door (the group's ConfigMap is renamed): the plan and the deploy refuse it until \`${acceptedDoorsFile}\` accepts it, as for a stateful replacement. Do not add an alias instead: the replay happens anyway.`),
            "",
        );
    }
    return out.join("\n");
}

function command(): Command {
    return new Command("two-phase")
        .description("Check that protocol settings change in two phases (prepare, then activate), against the deploy history in deployed/ tags.")
        .requiredOption("--base <ref>", "the base branch's commit, e.g. origin/main")
        .option("--root <dir>", "the repository checkout", process.cwd())
        .option("--now <instant>", "the moment to judge the bake period at, ISO 8601 (default: now)")
        .option("--accepted-doors <file>", `the committed list of accepted one-way doors (default ${defaultAcceptedDoorsFile})`)
        .option("--markdown <file>", "append the report as Markdown to this file")
        .option("--json", "print the report as JSON")
        .exitOverride()
        .configureOutput({ writeErr: () => undefined });
}

export function main(argv: string[]): number {
    const program = command();
    try {
        program.parse(argv, { from: "user" });
    } catch (e) {
        if (e instanceof CommanderError) {
            if (e.code === "commander.helpDisplayed" || e.code === "commander.help") return 0;
            process.stderr.write(`error: ${e.message.replace(/^error: /, "")}\n`);
            return 2;
        }
        throw e;
    }
    const o = program.opts<{ base: string; root: string; now?: string; acceptedDoors?: string; markdown?: string; json?: boolean }>();
    const now = o.now ? new Date(o.now) : new Date();
    if (Number.isNaN(now.getTime())) {
        process.stderr.write(`error: --now must be an ISO 8601 instant (e.g. 2026-12-07T12:00:00Z), got ${o.now}\n`);
        return 2;
    }
    let base: Record<string, StackFacts>;
    try {
        base = stacksAtCommit(o.root, o.base);
    } catch (e) {
        process.stderr.write(`error: --base ${o.base} is not a commit of ${o.root}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}\n`);
        return 2;
    }
    let acceptedDoors: AcceptedDoors | undefined;
    const doorsFile = o.acceptedDoors ?? path.join(o.root, defaultAcceptedDoorsFile);
    try {
        acceptedDoors = fs.existsSync(doorsFile) || o.acceptedDoors ? readAcceptedDoors(doorsFile, now) : undefined;
    } catch (e) {
        if (!(e instanceof AcceptedDoorsError)) throw e;
        process.stderr.write(`error: ${e.message}\n`);
        return 2;
    }
    const report = checkTwoPhase({ base, head: stacksInTree(o.root), history: gitHistory(o.root), now, acceptedDoors });
    const markdown = renderMarkdown(report, o.acceptedDoors ?? defaultAcceptedDoorsFile);
    if (o.markdown && markdown) fs.appendFileSync(o.markdown, `\n${markdown}`);
    if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else if (!o.markdown) process.stdout.write(markdown || "No protocol setting changes, none waits to be activated, and no consumer group is renamed.\n");
    return report.findings.some((f) => f.refused) ? 1 : 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
