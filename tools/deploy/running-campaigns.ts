/**
 * The campaigns running at a moment, per stack, read from the stack files: the
 * drift report names them, because while a campaign runs its schedule owns the
 * minimum it raised and the kits leave that minimum out of Pulumi's changes.
 *
 *   node --require pulumi-offline-plan/register tools/deploy/running-campaigns.ts [--now 2026-11-28T12:00:00Z] [--stacks DIR]
 *
 * Prints one JSON object: stack name -> one line about its running campaign,
 * for the stacks that have one.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { parse } from "yaml";
import { campaignsSchema, describeRunningCampaign, runningCampaign } from "../../stacks/campaigns";

/** Stack name -> its running campaign, described; stacks without one, or whose list does not parse, are left out. */
export function runningCampaigns(stacksDir: string, now: Date): Record<string, string> {
    const running: Record<string, string> = {};
    for (const file of fs.readdirSync(stacksDir).sort()) {
        const match = /^Pulumi\.(.+)\.ya?ml$/.exec(file);
        if (!match) continue;
        const config = (parse(fs.readFileSync(path.join(stacksDir, file), "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {};
        // A list that does not parse is the offline plan's finding, not this report's.
        const campaigns = campaignsSchema.safeParse(config["multicloud:campaigns"]);
        const campaign = campaigns.success ? runningCampaign(campaigns.data, now) : undefined;
        if (campaign) running[match[1]] = describeRunningCampaign(campaign);
    }
    return running;
}

if (require.main === module) {
    const program = new Command()
        .name("running-campaigns")
        .description("The campaigns running now, per stack, as JSON.")
        .option("--now <instant>", "the moment to judge, ISO 8601 (default: now)")
        .option("--stacks <dir>", "the directory of the stack files", "stacks")
        .action((options: { now?: string; stacks: string }) => {
            const now = options.now ? new Date(options.now) : new Date();
            if (Number.isNaN(now.getTime()))
                program.error(`--now must be an ISO 8601 instant (e.g. 2026-11-28T12:00:00Z), got ${options.now}.`, { exitCode: 2 });
            process.stdout.write(`${JSON.stringify(runningCampaigns(options.stacks, now))}\n`);
        });
    program.parse();
}
