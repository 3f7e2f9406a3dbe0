/**
 * The packs judge each resource as the program registers it: a program that waits
 * for the pack's verdict on its first resource goes on before it ends.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planStack } from "../src/plan";
import { fixture } from "./helpers/cli";
import { useFixturePack } from "./helpers/policy";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-streaming-"));
const log = path.join(dir, "log");

// The runner and the pack inherit it.
beforeAll(() => {
    process.env.STREAMING_LOG = log;
});
const session = useFixturePack("streaming-pack");

afterAll(() => {
    delete process.env.STREAMING_LOG;
    fs.rmSync(dir, { recursive: true, force: true });
});

test("the pack judges the first bucket before the program registers the second", async () => {
    const { plan } = await planStack({ cwd: fixture("streaming"), stack: "dev" }, session());
    expect(plan.resources.filter((r) => r.type === "aws:s3/bucket:Bucket").map((r) => r.name)).toEqual(["first", "second"]);
    expect(fs.readFileSync(log, "utf8").trim().split("\n")).toEqual(["pack judges first", "program registers second", "pack judges second"]);
    expect(plan.violations).toEqual([]);
}, 60_000);
