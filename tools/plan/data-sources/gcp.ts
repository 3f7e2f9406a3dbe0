import type { DataSourceAnswer } from "./index";

export const offlineProject = "offline-project";

/** Zone letters per region, as the Compute API lists them; other regions answer a, b, c. */
const zoneLetters: Record<string, string[]> = {
    "europe-west1": ["b", "c", "d"],
    "europe-west3": ["a", "b", "c"],
    "europe-west4": ["a", "b", "c"],
    "us-central1": ["a", "b", "c", "f"],
    "us-east1": ["b", "c", "d"],
};

export const gcp: Record<string, DataSourceAnswer> = {
    "gcp:compute/getZones:getZones": (inputs) => {
        const region = (inputs.region as string | undefined) ?? "europe-west1";
        const project = (inputs.project as string | undefined) ?? offlineProject;
        return {
            id: `projects/${project}/regions/${region}`,
            project,
            region,
            status: inputs.status,
            names: (zoneLetters[region] ?? ["a", "b", "c"]).map((letter) => `${region}-${letter}`),
        };
    },
};
