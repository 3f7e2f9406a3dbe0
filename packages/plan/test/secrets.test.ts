/**
 * Secrets: the plan learns which keys are secret from declarations (ESC
 * environment definitions kept in the repository, `secret: true` in Pulumi.yaml,
 * `secure:` values) and stands in for their values itself.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadProject, loadStackConfig, secretPlaceholder } from "../src/project";
import { cli, fixture } from "./helpers/cli";

describe("the plan's schema of secret keys", () => {
    const config = loadStackConfig(loadProject(fixture("esc-program")), "dev");

    test("an environment's plain value flows through; secrets, provider values and values from outside the repository are stand-ins", () => {
        expect(config.config["esc-program:region"]).toBe("eu-west-1");
        expect(config.secretKeys).not.toContain("esc-program:region");
        for (const key of ["dbPassword", "apiKey", "outsideToken", "connection", "legacyToken", "adminToken"]) {
            expect(config.config[`esc-program:${key}`]).toBe(secretPlaceholder);
            expect(config.secretKeys).toContain(`esc-program:${key}`);
        }
    });

    test("an environment with no definition in the repository is a configuration error naming the stack file and the key", async () => {
        const { code, stderr } = await cli(["--cwd", fixture("esc-program"), "--stack", "undefined-env"]);
        expect(code).toBe(2);
        expect(stderr).toContain(
            "Pulumi.undefined-env.yaml: `environment` imports esc-program/not-kept-here, which has no definition in environments/esc-program/not-kept-here.yaml.",
        );
        expect(stderr).not.toMatch(/\n\s+at /);
    });

    test("a malformed `environment:` says what is valid", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-env-"));
        fs.cpSync(fixture("esc-program"), dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), "environment: esc-program/dev\nconfig: {}\n");
        expect(() => loadStackConfig(loadProject(dir), "bad")).toThrow(
            /`environment` = "esc-program\/dev" is not valid: it is a list of Pulumi ESC environment names/,
        );
    });
});
