import type { CloudDescriptor } from "../core/cloud";

export const aws = {
    id: "aws",
    title: "AWS",
    providerTitle: "AWS",
    componentTypePrefix: "multicloud:aws",
    providerPackage: "aws",
    inCluster: false,
    region: {
        default: "eu-west-1",
        format: { pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, what: "AWS region, e.g. eu-west-1" },
        allowedByDefault: ["eu-west-1", "eu-central-1"],
    },
    sizes: { small: "m6i.large", medium: "m6i.xlarge", large: "m6i.2xlarge", xlarge: "m6i.4xlarge" },
    certificate: {
        pattern: /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/,
        what: "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
    },
    image: { pattern: /^ami-[0-9a-f]{8,17}$/, what: "an AMI id (ami-<hex>)" },
    lacks: { "kit.converterGroup": "its container clusters are ECS, not Kubernetes" },
    managedClusterTypes: ["aws:eks/cluster:Cluster"],
    kubeconfigHint: /eks\.amazonaws\.com|aws-iam-authenticator|\beks get-token\b/,
    // oxlint-disable-next-line typescript/no-require-imports -- a lazy load, which `import` cannot be in CommonJS
    loadKit: () => require("./kit"),
} as const satisfies CloudDescriptor<"aws">;
