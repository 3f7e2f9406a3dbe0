import type { CloudDescriptor } from "../core/cloud";

const project = "[a-z][-a-z0-9]{4,28}[a-z0-9]";
const name = "[a-z]([-a-z0-9]{0,61}[a-z0-9])?";
const selfLink = "(https://www\\.googleapis\\.com/compute/v1/)?";

export const gcp = {
    id: "gcp",
    title: "GCP",
    providerTitle: "GCP",
    componentTypePrefix: "multicloud:gcp",
    providerPackage: "gcp",
    inCluster: false,
    region: {
        default: "europe-west1",
        format: { pattern: /^[a-z]+-[a-z]+\d$/, what: "GCP region, e.g. europe-west1" },
        allowedByDefault: ["europe-west1", "europe-west3", "europe-west4"],
    },
    sizes: { small: "n2-standard-2", medium: "n2-standard-4", large: "n2-standard-8", xlarge: "n2-standard-16" },
    certificate: {
        pattern: new RegExp(`^${selfLink}projects/${project}/global/sslCertificates/${name}$`),
        what: "a Compute SSL certificate (projects/<project>/global/sslCertificates/<name>)",
    },
    image: {
        pattern: new RegExp(`^${selfLink}projects/${project}/global/images/${name}$`),
        what: "an image, not a family (projects/<project>/global/images/<name>)",
    },
    lacks: {},
    managedClusterTypes: ["gcp:container/cluster:Cluster"],
    kubeconfigHint: /gke-gcloud-auth-plugin|\.gke\.goog|container\.googleapis\.com/,
    // oxlint-disable-next-line typescript/no-require-imports -- a lazy load, which `import` cannot be in CommonJS
    loadKit: () => require("./kit"),
} as const satisfies CloudDescriptor<"gcp">;
