/**
 * Node's arguments of `npm run plan`, read from package.json, for whatever runs the
 * plan as users run it (the tests, the benchmark) without npm's own start.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");

function argumentsOfPlanScript(): string[] {
    const [node, ...args] = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts.plan as string).split(/\s+/);
    if (node !== "node") throw new Error(`package.json's plan script does not start with node: ${node}`);
    return args.map((a) => (a.startsWith("./") || a.endsWith(".ts") ? path.join(root, a) : a));
}

/** Every argument after `node`, paths made absolute. */
export const planCommand: string[] = argumentsOfPlanScript();

/** The options before the plan's entry script: what loads TypeScript, for other scripts run alike. */
export const planNodeOptions: string[] = planCommand.slice(0, -1);
