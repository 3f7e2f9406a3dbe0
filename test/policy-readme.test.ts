import * as fs from "node:fs";
import { generatedPolicyReadme, policyReadme } from "../tools/docs/policy-table";

test("policies/README.md's table matches the pack (run `node --import tsx tools/docs/policy-table.ts` after changing a policy)", async () => {
    const text = fs.readFileSync(policyReadme, "utf8");
    expect(await generatedPolicyReadme(text)).toBe(text);
});
