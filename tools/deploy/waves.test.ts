import type { StackInfo } from "../affected-stacks";
import { planWaves, WaveError } from "./waves";

const stack = (name: string, environment: string, references: string[] = []): StackInfo => ({
    name,
    environment,
    workload: name.split("-")[0],
    clouds: ["aws"],
    references,
});

const project = [
    stack("backend-dev", "dev"),
    stack("backend-prod", "prod"),
    stack("partner-dev", "dev", ["backend-dev"]),
    stack("partner-prod", "prod", ["acme/multicloud/backend-prod"]),
    stack("analytics-prod", "prod"),
];

describe("waves", () => {
    test("every dev stack before any prod stack; inside an environment, a stack after the stacks it reads", () => {
        const waves = planWaves(project, ["partner-prod", "backend-prod", "partner-dev", "backend-dev", "analytics-prod"]);
        expect(waves.map((w) => [w.number, w.environment, w.stacks])).toEqual([
            [1, "dev", ["backend-dev"]],
            [2, "dev", ["partner-dev"]],
            [3, "prod", ["analytics-prod", "backend-prod"]],
            [4, "prod", ["partner-prod"]],
        ]);
    });

    test("a reference to a stack this run does not apply orders nothing: that stack is as it was", () => {
        expect(planWaves(project, ["partner-prod"]).map((w) => w.stacks)).toEqual([["partner-prod"]]);
    });

    test("no stacks, no waves", () => {
        expect(planWaves(project, [])).toEqual([]);
    });

    test("a stack that reads a stack of a later environment cannot be ordered, and the error says why", () => {
        const bad = [...project, stack("tool-dev", "dev", ["backend-prod"])];
        expect(() => planWaves(bad, ["tool-dev"])).toThrow(WaveError);
        expect(() => planWaves(bad, ["tool-dev"])).toThrow(
            "tool-dev (dev) reads backend-prod (prod) through multicloud:references: a stack may read only stacks of its own or an earlier environment (dev before prod).",
        );
    });

    test("a reference cycle is named", () => {
        const cyclic = [stack("a-dev", "dev", ["b-dev"]), stack("b-dev", "dev", ["a-dev"])];
        expect(() => planWaves(cyclic, ["a-dev", "b-dev"])).toThrow("Stack references form a cycle: a-dev -> b-dev -> a-dev.");
    });

    test("a stack without a stack file is refused", () => {
        expect(() => planWaves(project, ["ghost-dev"])).toThrow("No stack file stacks/Pulumi.ghost-dev.yaml");
    });
});
