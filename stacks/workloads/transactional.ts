import { z } from "zod";
import type { Workload } from "./workload";

const settings = {
    network: z
        .object({ cidr: z.string().describe("The network's CIDR block from the address plan.") })
        .strict()
        .describe("The workload's network."),
};

/** The transactional workload. */
export const transactional: Workload<typeof settings> = {
    settings,
    build({ kit, environment, settings, prefix }) {
        const network = kit.network(`${prefix}-net`, { environment, cidr: settings.network.cidr, zoneCount: environment === "prod" ? 3 : 2 });
        return { networkId: network.networkId };
    },
};
