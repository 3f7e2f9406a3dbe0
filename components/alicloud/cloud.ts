import type { CloudDescriptor } from "../core/cloud";

export const alicloud = {
    id: "alicloud",
    title: "Alibaba Cloud",
    providerTitle: "Alibaba Cloud",
    componentTypePrefix: "multicloud:alicloud",
    providerPackage: "alicloud",
    inCluster: false,
    region: {
        default: "eu-central-1",
        format: { pattern: /^[a-z]{2}(-[a-z]+)+(-\d)?$/, what: "Alibaba Cloud region, e.g. eu-central-1" },
        allowedByDefault: ["eu-central-1", "eu-west-1"],
    },
    sizes: { small: "ecs.g7.large", medium: "ecs.g7.xlarge", large: "ecs.g7.2xlarge", xlarge: "ecs.g7.4xlarge" },
    certificate: {
        pattern: /^\d+-[a-z]{2}(-[a-z]+)+(-\d)?$/,
        what: "a Certificate Management Service id (<number>-<region>, e.g. 14023518-eu-central-1)",
    },
    image: { pattern: /^m-[a-z0-9]{10,30}$/, what: "a custom image id (m-<id>)" },
    lacks: {},
    managedClusterTypes: [
        "alicloud:cs/managedKubernetes:ManagedKubernetes",
        "alicloud:cs/kubernetes:Kubernetes",
        "alicloud:cs/serverlessKubernetes:ServerlessKubernetes",
    ],
    kubeconfigHint: /aliyuncs\.com|\bcs\.aliyun/,
    // oxlint-disable-next-line typescript/no-require-imports -- a lazy load, which `import` cannot be in CommonJS
    loadKit: () => require("./kit"),
} as const satisfies CloudDescriptor<"alicloud">;
