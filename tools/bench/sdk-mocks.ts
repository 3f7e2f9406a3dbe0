/**
 * The baseline the plan is compared with: a program run by the Pulumi SDK's own mock
 * runtime alone (`pulumi.runtime.setMocks` in preview mode, a mock that echoes
 * inputs), as a unit test would run it; no capture, no policies.
 *
 *   node --import tsx tools/bench/sdk-mocks.ts <program dir> <config key> <value>
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

const [programDir, key, value] = process.argv.slice(2);
const project = path.basename(programDir);
pulumi.runtime.setAllConfig({ [`${project}:${key}`]: value });
// setMocks does all its work before its promise is returned: there is nothing to wait for.
void pulumi.runtime.setMocks(
    {
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
        call: (args) => args.inputs,
    },
    project,
    "bench",
    true,
);
// oxlint-disable-next-line typescript/no-require-imports -- the program runs as the Pulumi CLI runs one: required for its side effects, after the mocks are set
require(path.resolve(programDir, "index.ts"));
