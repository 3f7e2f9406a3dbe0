import { createHash } from "node:crypto";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { DataSourceAnswer } from "./index";
import type { ProviderSettings } from "./provider-settings";

export const offlineProject = "offline-project";

/** The environment variables the Google provider reads each setting from, in its order. */
const environment = {
    project: ["GOOGLE_PROJECT", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"],
    region: ["GOOGLE_REGION", "GCLOUD_REGION", "CLOUDSDK_COMPUTE_REGION"],
    zone: ["GOOGLE_ZONE", "GCLOUD_ZONE", "CLOUDSDK_COMPUTE_ZONE"],
};

/** The project a call answers for: its own argument, else its provider's, else a stand-in. */
const projectOf = (given: unknown, provider: ProviderSettings): string =>
    (given as string | undefined) ?? provider.setting("project", environment.project, "the project", offlineProject);

/** The region a call answers for: its own argument, else its provider's, else a stand-in. */
const regionOf = (given: unknown, provider: ProviderSettings): string =>
    (given as string | undefined) ?? provider.setting("region", environment.region, "the region", "europe-west1");

/** Zone letters per region, as the Compute API lists them; other regions answer a, b, c. */
const zoneLetters: Record<string, string[]> = {
    "europe-west1": ["b", "c", "d"],
    "europe-west3": ["a", "b", "c"],
    "europe-west4": ["a", "b", "c"],
    "us-central1": ["a", "b", "c", "f"],
    "us-east1": ["b", "c", "d"],
};

/** GKE versions by release channel, newest first, as the server config lists them in late 2026. */
const gkeVersions = {
    RAPID: "1.35.0-gke.1170000",
    REGULAR: "1.34.1-gke.1431000",
    STABLE: "1.33.5-gke.1308000",
    EXTENDED: "1.32.9-gke.1108000",
};
const validVersions = ["1.35.0-gke.1170000", "1.34.1-gke.1431000", "1.33.5-gke.1308000", "1.32.9-gke.1108000"];

/** A project number of the form Google gives (12 digits), stable per project id. */
const projectNumber = (project: string) =>
    String(100000000000 + (parseInt(createHash("sha256").update(project).digest("hex").slice(0, 10), 16) % 900000000000));

/**
 * The provider's functions that read a part of a resource id, self link or full
 * resource name: they compute locally, so the offline answer is the real one.
 */
function idPart(collection: string | undefined) {
    return (inputs: Record<string, unknown>) => {
        const id = String(inputs.id);
        const match = collection ? id.match(new RegExp(`(?:^|/)${collection}/([^/]+)`)) : id.match(/([^/]+)\/?$/);
        if (!match) throw new Error(`"${id}" has no ${collection ? `${collection}/<${collection.slice(0, -1)}>` : "name"} segment`);
        return { result: match[1] };
    };
}

export const gcp: Record<string, DataSourceAnswer> = {
    "gcp:index/projectFromId:projectFromId": idPart("projects"),
    "gcp:index/locationFromId:locationFromId": idPart("locations"),
    "gcp:index/regionFromId:regionFromId": idPart("regions"),
    "gcp:index/zoneFromId:zoneFromId": idPart("zones"),
    "gcp:index/nameFromId:nameFromId": idPart(undefined),
    "gcp:index/regionFromZone:regionFromZone": (inputs) => {
        const zone = String(inputs.zone);
        if (!/^[a-z]+-[a-z]+\d+-[a-z]$/.test(zone)) throw new Error(`"${zone}" is no zone name (such as europe-west1-b)`);
        return { result: zone.slice(0, zone.lastIndexOf("-")) };
    },
    "gcp:organizations/getProject:getProject": (inputs, provider) => {
        const project = projectOf(inputs.projectId, provider);
        provider.standIn("the project number (only Resource Manager knows it)");
        return {
            id: `projects/${project}`,
            projectId: project,
            name: project,
            number: projectNumber(project),
            autoCreateNetwork: true,
            billingAccount: "",
            deletionPolicy: "PREVENT",
            folderId: "",
            orgId: "",
            labels: {},
            effectiveLabels: {},
            pulumiLabels: {},
            tags: {},
        };
    },
    // The provider's own settings; a region or zone it is not given is empty, as the provider answers.
    "gcp:organizations/getClientConfig:getClientConfig": (_, provider) => {
        const project = projectOf(undefined, provider);
        const region = provider.setting("region", environment.region) ?? "";
        const zone = provider.setting("zone", environment.zone) ?? "";
        const labels = provider.value("defaultLabels");
        return {
            id: `projects/${project}/regions/${region}/zones/${zone}`,
            project,
            region,
            zone,
            // A credential is never made up: a program that passes it on sees an unknown, as a preview without one would.
            accessToken: unknownValue,
            defaultLabels: labels && typeof labels === "object" ? labels : {},
        };
    },
    "gcp:container/getEngineVersions:getEngineVersions": (inputs, provider) => {
        const prefix = (inputs.versionPrefix as string | undefined) ?? "";
        const valid = validVersions.filter((v) => v.startsWith(prefix));
        if (valid.length === 0) throw new Error(`no GKE version starts with "${prefix}" (valid: ${validVersions.join(", ")})`);
        const project = projectOf(inputs.project, provider);
        const location = (inputs.location as string | undefined) ?? provider.setting("zone", environment.zone) ?? regionOf(undefined, provider);
        return {
            id: `projects/${project}/locations/${location}`,
            project,
            location,
            versionPrefix: inputs.versionPrefix,
            defaultClusterVersion: gkeVersions.REGULAR.startsWith(prefix) ? gkeVersions.REGULAR : valid[0],
            latestMasterVersion: valid[0],
            latestNodeVersion: valid[0],
            validMasterVersions: valid,
            validNodeVersions: valid,
            releaseChannelDefaultVersion: gkeVersions,
            releaseChannelLatestVersion: gkeVersions,
            releaseChannelUpgradeTargetVersion: gkeVersions,
        };
    },
    "gcp:compute/getZones:getZones": (inputs, provider) => {
        const region = regionOf(inputs.region, provider);
        const project = projectOf(inputs.project, provider);
        return {
            id: `projects/${project}/regions/${region}`,
            project,
            region,
            status: inputs.status,
            names: (zoneLetters[region] ?? ["a", "b", "c"]).map((letter) => `${region}-${letter}`),
        };
    },
};
