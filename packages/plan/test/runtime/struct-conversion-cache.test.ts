/**
 * The pack's protobuf conversion kept per message: the same JavaScript for the same
 * Struct, and policies that still see each resource as it was sent.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { planStack } from "../../src/plan";
import { fixture } from "../helpers/cli";
import { useFixturePack } from "../helpers/policy";

const preload = path.join(__dirname, "..", "..", "src", "runtime", "struct-conversion-cache.cjs");

/** Converts one Struct twice in a fresh Node, with or without the preload. */
function convertTwice(withPreload: boolean): { same: boolean; first: unknown; second: unknown } {
    const script = `
        const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb.js", { paths: [require.resolve("@pulumi/pulumi/package.json")] }));
        const struct = Struct.fromJavaScript({ bucket: "logs", tags: { team: "payments" }, versions: [1, 2] });
        const first = struct.toJavaScript(), second = struct.toJavaScript();
        const other = Struct.fromJavaScript({ bucket: "other" }).toJavaScript();
        console.log(JSON.stringify({ same: first === second, first, second, other }));
    `;
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    return JSON.parse(execFileSync(process.execPath, [...(withPreload ? ["--require", preload] : []), "-e", script], { env, encoding: "utf8" }));
}

test("a Struct converts once: the same object again, equal to what a fresh conversion gives; another Struct converts on its own", () => {
    const cached = convertTwice(true);
    const plain = convertTwice(false);
    expect(cached.same).toBe(true);
    expect(plain.same).toBe(false);
    expect(cached).toEqual({ ...plain, same: true });
    expect(cached.first).toEqual({ bucket: "logs", tags: { team: "payments" }, versions: [1, 2] });
});

describe("through a pack", () => {
    const session = useFixturePack("mutating-pack");

    test("a policy that changes the properties it is given changes nothing another policy sees", async () => {
        const { plan } = await planStack({ cwd: fixture("tagged-bucket"), stack: "dev" }, session());
        expect(plan.violations.map((v) => [v.policy, v.message])).toEqual([
            ["reports-what-it-sees", expect.stringContaining('tags {"team":"payments"}, region eu-west-1')],
        ]);
    }, 60_000);
});
