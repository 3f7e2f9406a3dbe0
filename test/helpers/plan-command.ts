/**
 * Node's arguments of `npm run plan`, read from package.json, for whatever runs the
 * plan as users run it (the tests, the benchmark) without npm's own start.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");

/** What loads the plan's TypeScript, for other scripts run alike. */
export const planNodeOptions: string[] = ["--require", require.resolve("pulumi-offline-plan/register")];

function argumentsOfPlanScript(): string[] {
    const [command, ...args] = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts.plan as string).split(/\s+/);
    // npm runs a dependency's command from node_modules/.bin: the file it links to is what node runs.
    const bin = path.join(root, "node_modules", ".bin", command);
    if (!fs.existsSync(bin)) throw new Error(`package.json's plan script runs ${command}, which is no command in node_modules/.bin`);
    return [fs.realpathSync(bin), ...args];
}

/** Every argument after `node`, paths made absolute. */
export const planCommand: string[] = [...planNodeOptions, ...argumentsOfPlanScript()];
