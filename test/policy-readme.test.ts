import * as fs from "node:fs";
import { generatedPolicyReadme, policyReadme, typesPerCloud } from "../tools/docs/policy-table";
import { catalog, providerOf } from "../policies/catalog/catalog";
import { usePackPolicies } from "./helpers/policy";

const packPolicies = usePackPolicies();

test("policies/README.md's table matches the pack (run `node --require pulumi-offline-plan/register tools/docs/policy-table.ts` after changing a policy)", async () => {
    const text = fs.readFileSync(policyReadme, "utf8");
    expect(await generatedPolicyReadme(text)).toBe(text);
});

test("every policy says which types it judges, so the table can count them per cloud", () => {
    const silent = packPolicies()
        .filter((p) => Object.values(typesPerCloud(p)).every((n) => n === 0))
        .map((p) => p.name);
    expect(silent).toEqual([]);
});

test("every type a policy names is a type of the provider SDKs", () => {
    const named = packPolicies().flatMap((p) => p.tags.filter((t) => t.startsWith("type:")).map((t) => [p.name, t.slice("type:".length)]));
    const unknown = named.filter(([, type]) => {
        const provider = providerOf(type);
        return !provider || !catalog.types[provider].includes(type.slice(provider.length + 1));
    });
    expect(named.length).toBeGreaterThan(50);
    expect(unknown).toEqual([]);
});

test("the cost-tag and stateful policies count thousands and hundreds of types", () => {
    const total = (name: string) => Object.values(typesPerCloud(packPolicies().find((p) => p.name === name)!)).reduce((a, b) => a + b, 0);
    expect(total("cost-allocation-tags")).toBeGreaterThan(1500);
    expect(total("stateful-resources-protected")).toBeGreaterThan(150);
});

test("every description is one sentence; remediation stays in remediationSteps", () => {
    const oneSentence = /^[^\n]+[.!?]$/;
    const long = packPolicies()
        .filter((p) => !oneSentence.test(p.description) || /[.!?] [A-Z`]/.test(p.description.replace(/\b(e\.g|i\.e)\. /g, "$1 ")))
        .map((p) => p.name);
    expect(long).toEqual([]);
});
