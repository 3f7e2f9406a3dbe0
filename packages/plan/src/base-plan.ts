/**
 * The base branch's plans (`--base FILE`), as --json wrote them: read and checked
 * before anything runs.
 */
import * as fs from "node:fs";
import { PlanError } from "./errors";
import type { Plan } from "./model";

/** A stack's plan as a base file holds it: its resources, and its cost when it was estimated. */
export type BasePlan = Pick<Plan, "stack" | "resources"> & Partial<Plan> & { cost?: { monthlyUsd: number } };

/**
 * Reads a base plan file as --json writes it: one document for one stack, an array
 * of documents for several (or `{ plans: [...] }`, as earlier versions wrote).
 */
export function readBasePlans(file: string): Map<string, BasePlan> {
    if (!fs.existsSync(file)) {
        throw new PlanError(
            2,
            `--base ${file}: no such file. Write the base branch's plan with \`npm run plan -- --stack NAME --json ${file}\` on the base branch.`,
        );
    }
    let body: unknown;
    try {
        body = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PlanError(2, `--base ${file} is not valid JSON (${(e as Error).message}); it must be a plan written by --json.`);
    }
    const plans = Array.isArray(body) ? body : ((body as { plans?: unknown }).plans ?? [body]);
    const valid = Array.isArray(plans) && plans.every((p) => p && typeof p.stack === "string" && Array.isArray(p.resources));
    if (!valid) {
        throw new PlanError(2, `--base ${file} is not a JSON plan: expected a document with stack and resources, or an array of them, as written by --json.`);
    }
    return new Map((plans as BasePlan[]).map((p) => [p.stack, p]));
}
