/** StackReference: answered with the referenced stack's planned outputs, or with unknowns, and the plan says which. */
import * as path from "node:path";
import { planStack, planStacks } from "../src/plan";

const cwd = path.resolve(__dirname, "fixtures/references");

test("a stack planned alone reads a placeholder: every output of the referenced stack is unknown", async () => {
    const { plan } = await planStack({ cwd, stack: "web" }, undefined);
    expect(plan.stackReferences).toEqual([{ name: "api", answeredWith: "placeholder" }]);
    expect(plan.outputs.upstreamEndpoint).toBe("[unknown]");
});

test("stacks planned together answer references with planned outputs, whatever their order", async () => {
    const [web, api] = await planStacks({ cwd, stacks: ["web", "api"] }, undefined);
    expect(api.plan.outputs.endpoint).toBe("https://api.internal.example");
    expect(web.plan.stackReferences).toEqual([{ name: "api", answeredWith: "planned" }]);
    expect(web.plan.outputs.upstreamEndpoint).toBe("https://api.internal.example");
    // Three program runs: on a busy machine they take longer than one test's default limit.
}, 180_000);
