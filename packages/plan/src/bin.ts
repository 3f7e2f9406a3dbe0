/**
 * The `pulumi-offline-plan` command. What it needs of the project it runs in (its
 * facts, its default policy packs) it reads from the project's plan.config.ts (or
 * .cjs, .js) in the working directory, as Jest reads jest.config.js, or from the
 * file OFFLINE_PLAN_CONFIG names; paths in it are relative to that file. Without
 * one, every provider package is a cloud of its own name and nothing else is
 * known: no cost estimate, no stateful types.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { run, type CliOptions } from "./cli";
import { PlanError } from "./errors";

export const configFiles = ["plan.config.ts", "plan.config.cjs", "plan.config.js"];

/** The options the project's config file gives, its paths made absolute; none when it keeps no such file. */
export function readConfig(dir: string, named: string | undefined = process.env.OFFLINE_PLAN_CONFIG): CliOptions {
    if (named && !fs.existsSync(path.resolve(dir, named))) throw new PlanError(2, `OFFLINE_PLAN_CONFIG names ${named}, which does not exist.`);
    const file = named ? path.resolve(dir, named) : configFiles.map((name) => path.join(dir, name)).find((f) => fs.existsSync(f));
    if (!file) return { cloudTable: { clouds: {}, inCluster: [] } };
    // oxlint-disable-next-line typescript/no-require-imports -- the config is found at run time, and may be TypeScript or CommonJS
    const loaded = require(file) as { default?: CliOptions } & Partial<CliOptions>;
    const options = (loaded.default ?? loaded) as Partial<CliOptions>;
    if (!options.cloudTable || typeof options.cloudTable !== "object" || !options.cloudTable.clouds || !Array.isArray(options.cloudTable.inCluster)) {
        throw new PlanError(
            2,
            `${file} gives no cloudTable: export { cloudTable: { clouds: { <provider package>: <cloud> }, inCluster: [<packages whose objects run in a cluster>] } }.`,
        );
    }
    const here = (p: string) => path.resolve(path.dirname(file), p);
    return {
        ...options,
        cloudTable: options.cloudTable,
        projectDir: here(options.projectDir ?? "."),
        policyPacks: options.policyPacks?.map(here),
        prices: options.prices && { catalogue: here(options.prices.catalogue), rateCards: options.prices.rateCards && here(options.prices.rateCards) },
    };
}

/** Runs the CLI with the working directory's config. */
export function runFromConfig(argv: string[]): void {
    let options: CliOptions;
    try {
        options = readConfig(process.cwd());
    } catch (err) {
        process.stderr.write(`error: ${(err as Error).message}\n`);
        process.exit(err instanceof PlanError ? err.exitCode : 2);
    }
    run(argv, options);
}
