/** The accepted-doors file this repository commits, read by the plan's parser as the plan and the deploy bot read it. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAcceptedDoors } from "pulumi-offline-plan";
import { defaultAcceptedDoorsFile } from "../../plan.config";

describe("the accepted-doors file", () => {
    test("the committed file parses", () => {
        const text = fs.readFileSync(path.resolve(__dirname, "../..", defaultAcceptedDoorsFile), "utf8");
        expect(() => parseAcceptedDoors(text, "deploy/accepted-doors.yaml")).not.toThrow();
    });
});
