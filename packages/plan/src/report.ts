/**
 * What the plans of one run become: each reviewed against its base, printed to the
 * terminal, written as JSON and Markdown, the warnings and errors the flags call
 * for, and the exit code.
 */
import * as fs from "node:fs";
import type { AcceptedDoors } from "./accepted-doors";
import type { BasePlan } from "./base-plan";
import type { ProjectFacts } from "./facts";
import { blockedDoors } from "./diff";
import { ExitCode } from "./errors";
import type { Plan, ReviewedPlan } from "./model";
import { hasMandatoryViolation } from "./plan";
import { planDocument, planJson } from "./preview-json";
import { renderPropertyDiff } from "./property-diff";
import { partialWarning } from "./partial";
import { describeDoor, renderMarkdown, renderTerminal } from "./render";
import { hasChanges, reviewPlan } from "./review";

export interface ReportOptions {
    /** The project's facts. */
    facts: ProjectFacts;
    /** How a reader runs the plan, for the commands messages suggest. */
    command: string;
    /** `--json`: a file, or stdout (true). */
    json?: string | true;
    /** `--diff`: each resource's properties, old and new, after the terminal view. */
    diff?: boolean;
    markdown?: string;
    /** `--base`: the file's name, for the labels; its plans are in `basePlans`. */
    base?: string;
    basePlans?: Map<string, BasePlan>;
    allowOneWayDoor?: string[];
    /** `--accepted-doors`: the committed list of one-way doors review accepted. */
    acceptedDoors?: AcceptedDoors;
    target?: string[];
    targetDependents?: boolean;
    expectNoChanges?: boolean;
    suppressOutputs?: boolean;
    /** More than one stack (or `--all`): the JSON is an array. */
    several: boolean;
}

/** Prints and writes every plan; returns the exit code. */
export function reportPlans(runs: Plan[], options: ReportOptions): number {
    const { basePlans, several } = options;
    const jsonToStdout = options.json === true;
    const allow = options.allowOneWayDoor ?? [];
    const plans: ReviewedPlan[] = [];
    for (const plan of runs) {
        const reviewed = reviewPlan(plan, {
            facts: options.facts,
            basePlans,
            baseLabel: options.base,
            allow,
            acceptedDoors: options.acceptedDoors,
            targets: options.target,
            targetDependents: options.targetDependents,
        });
        plans.push(reviewed);
        if (!jsonToStdout)
            process.stdout.write(renderTerminal(reviewed, { cloudTable: options.facts.cloudTable, suppressOutputs: options.suppressOutputs }) + "\n\n");
        if (!jsonToStdout && options.diff) process.stdout.write(renderPropertyDiff(reviewed, basePlans?.get(plan.stack)) + "\n\n");
    }
    if (options.json) {
        const text = planJson(
            plans.map((p) => planDocument(p, basePlans?.get(p.stack), { suppressOutputs: options.suppressOutputs })),
            several,
        );
        if (jsonToStdout) process.stdout.write(text);
        else fs.writeFileSync(options.json as string, text);
    }
    if (options.markdown) {
        fs.writeFileSync(
            options.markdown,
            renderMarkdown(plans, { facts: options.facts, command: options.command, acceptedDoorsFile: options.acceptedDoors?.file }),
        );
    }
    // A partial plan says so where CI logs show it, whatever the outputs asked for.
    for (const p of plans) {
        const warning = partialWarning(p);
        if (warning) process.stderr.write(`warning: ${warning}. Run \`pulumi preview\` for the whole plan.\n`);
    }
    for (const target of options.target ?? []) {
        if (!plans.some((p) => p.resources.some((r) => r.urn === target)))
            process.stderr.write(`warning: --target ${target} names no resource of this plan.\n`);
    }
    const known = new Set(plans.flatMap((p) => (p.diff?.oneWayDoors ?? []).flatMap((d) => [d.name, d.urn, d.oldName, d.oldUrn])));
    for (const name of allow.filter((n) => !known.has(n))) {
        process.stderr.write(`warning: --allow-one-way-door ${name} names no one-way door of this plan.\n`);
    }
    for (const entry of options.acceptedDoors?.expired ?? []) {
        process.stderr.write(
            `warning: ${options.acceptedDoors!.file}: the door ${entry.urn} of ${entry.stack} expired on ${entry.expires} and accepts nothing; remove the entry or renew it in review.\n`,
        );
    }
    const blocked = plans.flatMap((p) => blockedDoors(p.diff).map((d) => ({ stack: p.stack, door: d })));
    for (const { stack, door } of blocked) {
        const accept = options.acceptedDoors
            ? `accept it in review in ${options.acceptedDoors.file} (stack ${stack}, urn ${door.urn})`
            : `allow it with --allow-one-way-door ${door.name}`;
        process.stderr.write(`error: ${stack}: one-way door: ${describeDoor(door)}. Add an alias, or ${accept}.\n`);
    }
    // Without a base every resource is a create, as for a stack never deployed.
    const changed = options.expectNoChanges ? plans.filter((p) => !p.diff || hasChanges(p)) : [];
    for (const p of changed)
        process.stderr.write(
            `error: ${p.stack}: changes found with --expect-no-changes${p.diff ? ` (against ${p.diff.base})` : " (no --base: every resource is a create)"}.\n`,
        );
    return plans.some(hasMandatoryViolation) || blocked.length > 0 || changed.length > 0 ? ExitCode.blocked : ExitCode.clean;
}
